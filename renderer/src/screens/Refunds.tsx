import { useState } from 'react';
import { usePick, useT } from '../context';
import { formatMoney } from '../money';
import type { DeskMethod } from '../../../shared/contract';
import { MethodSelect, Needs, Field, Toggle, Screen, useOneAtATime, type KeyHint } from './common';
import { OrderView } from './Orders';
import { useConfirm } from './Confirm';

export function RefundsScreen() {
  const t = useT();
  const { order, openOrder, locale, refund } = usePick('order', 'openOrder', 'locale', 'refund');
  const [code, setCode] = useState(order?.code ?? '');
  const [positions, setPositions] = useState<number[]>([]);
  const [amount, setAmount] = useState('');
  const [paymentId, setPaymentId] = useState<number | null>(null);
  const [chosenMethod, setMethod] = useState<DeskMethod | null>(null);
  const [markRefunded, setMarkRefunded] = useState(true);
  const once = useOneAtATime();
  const [dialog, confirm] = useConfirm();
  const confirmed = order?.payments.filter((p) => p.state === 'confirmed') ?? [];
  // The money goes back the way it came: cash back for cash, card for card, unless staff choose otherwise.
  const source = confirmed.find((p) => p.id === paymentId) ?? confirmed[0];
  const method: DeskMethod = chosenMethod ?? source?.method ?? 'cash';

  const keys: KeyHint[] = [
    ['Enter', t('refunds.load')],
    ['Tab', t('refunds.positions')],
  ];
  return (
    <Screen name="refunds" keys={keys}>
      {dialog}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void openOrder(code.trim());
        }}
      >
        <Field
          label={t('refunds.order')}
          shown={<>{t('refunds.order')} </>}
          value={code}
          onChange={setCode}
        />
        <button type="submit">{t('refunds.load')}</button>
      </form>
      {order ? (
        <Needs method="refunds.create">
          {confirmed.length === 0 ? (
            <p>{t('refunds.noPaid')}</p>
          ) : (
            <form
              className="refund-form"
              onSubmit={(e) => {
                e.preventDefault();
                once(async () => {
                  const input = {
                    code: order.code,
                    paymentId,
                    positionIds: positions,
                    amount: amount.trim() || null,
                    method,
                    markRefunded,
                  };
                  // Money leaves the drawer: asked first, unless there is nothing (readable) to refund,
                  // which the server refuses in words.
                  const readable = input.amount === null || /^\d+(\.\d{1,2})?$/.test(input.amount);
                  if (readable && (input.amount !== null || positions.length > 0)) {
                    const choice = await confirm({
                      title: input.amount
                        ? t('refunds.confirmTitle', {
                            amount: formatMoney(locale, input.amount, order.currency),
                            code: order.code,
                          })
                        : t('refunds.confirmChosen', { code: order.code }),
                      lines: [t('refunds.confirmHow', { method: t(`method.${method}`) })],
                      choices: [
                        { id: 'refund', label: t('refunds.submit'), danger: true },
                        { id: 'keep', label: t('refunds.keep') },
                      ],
                    });
                    if (choice !== 'refund') return;
                  }
                  await refund(input);
                });
              }}
            >
              <p data-testid="refundable">
                {t('refunds.refundable', { amount: formatMoney(locale, order.refundable, order.currency) })}
              </p>
              <fieldset>
                <legend>{t('refunds.positions')}</legend>
                {order.positions
                  .filter((p) => !p.canceled)
                  .map((p) => (
                    <label key={p.id}>
                      <input
                        type="checkbox"
                        checked={positions.includes(p.id)}
                        onChange={(e) =>
                          setPositions(
                            e.target.checked ? [...positions, p.id] : positions.filter((id) => id !== p.id),
                          )
                        }
                      />
                      #{p.positionid} {p.item} {p.attendeeName ?? ''}{' '}
                      {formatMoney(locale, p.price, order.currency)}
                    </label>
                  ))}
              </fieldset>
              <Field
                label={t('refunds.amount')}
                shown={<>{t('refunds.amount')} </>}
                value={amount}
                onChange={setAmount}
                inputMode="decimal"
              />
              <label>
                {t('refunds.payment')}{' '}
                <select
                  value={paymentId ?? ''}
                  onChange={(e) => setPaymentId(e.target.value ? Number(e.target.value) : null)}
                >
                  <option value="">—</option>
                  {confirmed.map((p) => (
                    <option key={p.id} value={p.id}>
                      P{p.localId} {t(`method.${p.method}`)} {formatMoney(locale, p.amount, order.currency)} (
                      {t('refunds.refundable', {
                        amount: formatMoney(locale, p.refundable, order.currency),
                      })}
                      )
                    </option>
                  ))}
                </select>
              </label>
              <MethodSelect label={t('refunds.method')} value={method} onChange={setMethod} />
              <Toggle label={t('refunds.markDone')} value={markRefunded} onChange={setMarkRefunded} />
              <button type="submit" className="primary">
                {t('refunds.submit')}
              </button>
            </form>
          )}
        </Needs>
      ) : null}
      {order ? <OrderView order={order} /> : null}
    </Screen>
  );
}
