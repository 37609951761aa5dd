import { useState } from 'react';
import { useDesk, usePick, useT } from '../context';
import type { CashierView, CashierRole } from '../../../shared/contract';
import { useConfirm } from './Confirm';
import { Field, FormSection, PinField, Section } from './common';

/** A manager adds cashiers and managers here. */
function AddCashier() {
  const t = useT();
  const { request, loadTill } = usePick('request', 'loadTill');
  const [name, setName] = useState('');
  const [role, setRole] = useState<CashierRole>('cashier');
  const [pin, setPin] = useState('');
  return (
    <FormSection
      title={t('till.addCashier')}
      onSubmit={() =>
        request('cashiers.create', { name: name.trim(), role, pin: pin.trim() }, t('till.added')).then(
          (c) => {
            if (!c) return;
            setName('');
            setPin('');
            void loadTill();
          },
        )
      }
    >
      <Field label={t('till.name')} value={name} onChange={setName} />
      <select value={role} onChange={(e) => setRole(e.target.value as CashierRole)}>
        <option value="cashier">{t('till.role.cashier')}</option>
        <option value="manager">{t('till.role.manager')}</option>
      </select>
      <PinField label={t('till.newPin')} shown={t('till.pin')} value={pin} onChange={setPin} />
      <button type="submit">{t('till.add')}</button>
    </FormSection>
  );
}

/** One person of the staff: a new PIN, or deactivation after a confirmation. */
function StaffRow({ cashier, confirm }: { cashier: CashierView; confirm: ReturnType<typeof useConfirm>[1] }) {
  const t = useT();
  const { till, withManager, setTill } = usePick('till', 'withManager', 'setTill');
  const [pin, setPin] = useState<string | null>(null);
  const { id, name } = cashier;
  const savePin = async () => {
    const session = await withManager(
      'cashiers.changePin',
      { cashierId: id, pin: (pin ?? '').trim(), managerPin: null },
      t('staff.pinChanged', { name }),
    );
    if (!session) return;
    setTill(session);
    setPin(null);
  };
  const deactivate = async () => {
    const choice = await confirm({
      title: t('staff.deactivateTitle', { name }),
      lines: [t('staff.deactivateLine', { name })],
      choices: [
        { id: 'deactivate', label: t('staff.deactivate'), danger: true },
        { id: 'keep', label: t('staff.keep', { name }) },
      ],
    });
    if (choice !== 'deactivate') return;
    const session = await withManager(
      'cashiers.deactivate',
      { cashierId: id, managerPin: null },
      t('staff.deactivated', { name }),
    );
    if (session) setTill(session);
  };
  return (
    <tr data-testid={`staff-${id}`}>
      <td>
        {name} <small>{t(`till.role.${cashier.role}`)}</small>{' '}
        {till?.cashier?.id === id ? <small>{t('staff.you')}</small> : null}
      </td>
      <td>
        {pin === null ? (
          <button type="button" onClick={() => setPin('')}>
            {t('staff.changePin')}
          </button>
        ) : (
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              void savePin();
            }}
          >
            <PinField label={t('staff.newPin', { name })} value={pin} onChange={setPin} autoFocus />
            <button type="submit" className="primary">
              {t('staff.save')}
            </button>
          </form>
        )}
      </td>
      <td>
        <button type="button" className="danger" onClick={() => void deactivate()}>
          {t('staff.deactivate')}
        </button>
      </td>
    </tr>
  );
}

/**
 * The box office's staff. A manager changes PINs and deactivates alone; a cashier is asked for a
 * manager's PIN. A manager also adds new staff.
 */
export function StaffSections() {
  const t = useT();
  const till = useDesk((s) => s.till);
  const [dialog, confirm] = useConfirm();
  if (!till?.cashier) return null;
  return (
    <>
      <Section title={t('staff.title')}>
        <table className="staff" data-testid="staff">
          <tbody>
            {till.cashiers.map((c) => (
              <StaffRow key={c.id} cashier={c} confirm={confirm} />
            ))}
          </tbody>
        </table>
        {dialog}
      </Section>
      {till.cashier.role === 'manager' ? <AddCashier /> : null}
    </>
  );
}
