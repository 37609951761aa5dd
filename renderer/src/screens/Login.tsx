import { useEffect, useRef, useState } from 'react';
import { useDesk, usePick, useT } from '../context';
import { isMessageKey, type MessageKey } from '../i18n';
import type { Translate } from '../context';
import { KeyBar, Field, PinField } from './common';

/**
 * Who is selling: pick a cashier (a number key or a click), type the PIN, Enter. With no cashier at all
 * the first manager is created here. While the demo event is the only event, its staff's PINs show.
 */
export function LoginScreen() {
  const t = useT();
  const till = useDesk((s) => s.till)!;
  const { request, setTill } = usePick('request', 'setTill');
  const [chosen, setChosen] = useState<number | null>(till.cashiers[0]?.id ?? null);
  const [pin, setPin] = useState('');
  const [name, setName] = useState('');
  const pinField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    pinField.current?.focus();
  }, [chosen]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || !/^[1-9]$/.test(e.key) || document.activeElement === pinField.current)
        return;
      const cashier = till.cashiers[Number(e.key) - 1];
      if (cashier) {
        e.preventDefault();
        setChosen(cashier.id);
        pinField.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [till.cashiers]);

  const submit = async () => {
    const session =
      till.cashiers.length === 0
        ? await request('till.firstManager', { name: name.trim(), pin: pin.trim() })
        : chosen === null
          ? null
          : await request('till.signIn', { cashierId: chosen, pin: pin.trim() });
    setPin('');
    if (session) setTill(session);
  };

  return (
    <div className="login" data-testid="login">
      <form
        className="login-box"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h1>{t('till.who', { desk: till.desk })}</h1>
        {till.cashiers.length === 0 ? (
          <>
            <p>{t('till.firstManager')}</p>
            <Field label={t('till.name')} value={name} onChange={setName} autoFocus />
          </>
        ) : (
          <div className="cashiers" role="radiogroup">
            {till.cashiers.map((c, i) => (
              <button
                type="button"
                key={c.id}
                role="radio"
                aria-checked={chosen === c.id}
                className={chosen === c.id ? 'cashier chosen' : 'cashier'}
                onClick={() => {
                  setChosen(c.id);
                  pinField.current?.focus();
                }}
              >
                <kbd>{i + 1}</kbd> {c.name} <small>{t(`till.role.${c.role}` as MessageKey)}</small>
              </button>
            ))}
          </div>
        )}
        <label>
          {t('till.pin')}
          <input
            ref={pinField}
            type="password"
            inputMode="numeric"
            autoComplete="off"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
            aria-label={t('till.pin')}
          />
        </label>
        <button type="submit" className="primary">
          {till.cashiers.length === 0 ? t('till.create') : t('till.signIn')} <kbd>Enter</kbd>
        </button>
        {till.demoPins.length > 0 ? (
          <p className="hint" data-testid="demo-pins">
            {t('till.demoPins', {
              list: till.demoPins
                .map((d) => `${d.name} (${t(`till.role.${d.role}` as MessageKey)}) ${d.pin}`)
                .join(', '),
            })}
          </p>
        ) : null}
      </form>
      <KeyBar
        keys={[
          ['1–9', t('till.who', { desk: till.desk })],
          ['Enter', t('till.signIn')],
        ]}
      />
    </div>
  );
}

/** Why a manager is asked, in the desk's language; the engine's words for an action the desk does not know. */
function managerReason(t: Translate, prompt: { message: string; action: string | null }): string {
  const key = `manager.action.${prompt.action ?? ''}`;
  return isMessageKey(key) ? t('manager.needed', { what: t(key) }) : prompt.message;
}

/** The manager's PIN, asked for when a cashier does something a manager must authorise. */
export function ManagerPrompt() {
  const t = useT();
  const prompt = useDesk((s) => s.managerPrompt);
  const [pin, setPin] = useState('');
  if (!prompt) return null;
  const answer = (value: string | null) => {
    setPin('');
    prompt.answer(value);
  };
  return (
    <div className="modal-backdrop">
      <form
        className="modal"
        role="dialog"
        aria-label={t('till.managerPin')}
        onSubmit={(e) => {
          e.preventDefault();
          answer(pin.trim());
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') answer(null);
        }}
      >
        <p data-testid="manager-reason">{managerReason(t, prompt)}</p>
        <PinField label={t('till.managerPin')} value={pin} onChange={setPin} autoFocus />
        <div className="row">
          <button type="submit" className="primary">
            {t('till.authorise')} <kbd>Enter</kbd>
          </button>
          <button type="button" onClick={() => answer(null)}>
            {t('till.cancel')} <kbd>Esc</kbd>
          </button>
        </div>
      </form>
    </div>
  );
}
