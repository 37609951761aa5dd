import { useEffect, useRef, useState } from 'react';
import { typingInField, useDesk, usePick, useT } from '../context';
import { formatDateTime, logAction, type MessageKey } from '../i18n';
import { formatAmount, formatMoney } from '../money';
import {
  type DeskMethod,
  type OrderAction,
  type OrderDetail,
  type OrderStatus,
  type RpcMethod,
} from '../../../shared/contract';
import { ListSection, MethodSelect, Section, Screen, useOneAtATime, type KeyHint } from './common';
import { printPdf } from './Sales';
import { useConfirm } from './Confirm';
import { denyQuestion } from './Approvals';

const cents = (amount: string): number => Math.round(Number(amount) * 100);
const centsText = (n: number): string => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;

export function StatusBadge({ status, approval }: { status: OrderStatus; approval: boolean }) {
  const t = useT();
  const key: MessageKey = status === 'n' && approval ? 'status.approval' : (`status.${status}` as MessageKey);
  return (
    <span className={`status status-${status}${approval && status === 'n' ? ' approval' : ''}`}>
      {t(key)}
    </span>
  );
}

const ACTION_METHOD: Record<OrderAction, RpcMethod> = {
  mark_paid: 'orders.markPaid',
  extend: 'orders.extend',
  cancel: 'orders.cancel',
  reprint: 'orders.reprint',
  change_name: 'orders.changeName',
  approve: 'approvals.approve',
  deny: 'approvals.deny',
  refund: 'refunds.create',
};

export function OrderView({ order }: { order: OrderDetail }) {
  const t = useT();
  const { locale, can, go } = usePick('locale', 'can', 'go');
  const act = useDesk((s) => s.orderAction);
  const request = useDesk((s) => s.request);
  const [extendTo, setExtendTo] = useState('');
  const [paidBy, setPaidBy] = useState<DeskMethod>('cash');
  const [editing, setEditing] = useState<number | null>(null);
  const refund = useDesk((s) => s.refund);
  const [dialog, confirm] = useConfirm();
  const money = (amount: string) => formatMoney(locale, amount, order.currency);
  /** A payment's or refund's number, method and amount. */
  const movement = (m: OrderDetail['payments'][number] | OrderDetail['refunds'][number]) =>
    `${m.localId} ${t(`method.${m.method}`)} ${money(m.amount)}`;

  /** Cancel says what follows; a paid order is offered its refund in the same step. */
  const cancel = async () => {
    const code = order.code;
    const live = order.positions.filter((p) => !p.canceled);
    const paid = order.payments.find((p) => p.state === 'confirmed') ?? null;
    const refundable = centsText(live.reduce((sum, p) => sum + cents(p.price), 0));
    const lines = [t('confirm.cancelTickets', { n: live.length })];
    if (paid) lines.unshift(t('confirm.cancelPaid', { amount: money(order.total) }));
    const choice = await confirm({
      title: t('confirm.cancelTitle', { code }),
      lines,
      choices: [
        ...(paid && cents(refundable) > 0 && can('refunds.create')
          ? [{ id: 'refund', label: t('confirm.cancelRefund', { amount: money(refundable) }), danger: true }]
          : []),
        {
          id: 'cancel',
          label: paid ? t('confirm.cancelNoRefund') : t('orders.action.cancel'),
          danger: true,
        },
        { id: 'keep', label: t('confirm.keepOrder') },
      ],
    });
    if (choice === 'refund' && paid) {
      await refund(
        {
          code,
          paymentId: paid.id,
          positionIds: live.map((p) => p.id),
          amount: null,
          method: paid.method,
          markRefunded: true,
        },
        t('confirm.canceledRefunded', { code, amount: money(refundable) }),
      );
    } else if (choice === 'cancel') {
      await act('orders.cancel', { code }, t('confirm.canceled', { code }));
    }
  };

  const perform = async (a: OrderAction): Promise<unknown> => {
    const code = order.code;
    if (a === 'mark_paid')
      return act('orders.markPaid', { code, method: paidBy }, t('confirm.markedPaid', { code }));
    if (a === 'cancel') return cancel();
    if (a === 'approve') return act('approvals.approve', { code, comment: '' });
    if (a === 'deny') {
      return (await confirm(denyQuestion(t, code))) === 'deny'
        ? act('approvals.deny', { code, comment: '' })
        : null;
    }
    if (a === 'extend' && extendTo)
      return act(
        'orders.extend',
        { code, expires: extendTo },
        t('confirm.extended', { code, date: extendTo }),
      );
    if (a === 'refund') go('refunds');
    else if (a === 'change_name') setEditing(order.positions.find((p) => !p.canceled)?.id ?? null);
    else if (a === 'reprint') {
      const r = await request(
        'orders.reprint',
        { code, key: crypto.randomUUID() },
        t('confirm.reprinted', { code }),
      );
      if (r?.ticketPdf) printPdf(r.ticketPdf);
    }
  };
  /** An action clicked twice runs once: a second Mark paid would be refused after the first succeeded. */
  const once = useOneAtATime();
  return (
    <article className="order" data-testid="order-detail">
      {dialog}
      <header className="order-head">
        <h2>
          {order.code} <StatusBadge status={order.status} approval={order.requireApproval} />
        </h2>
        <p>
          {order.eventName} · {formatDateTime(locale, order.datetime)} · {t('orders.total')}{' '}
          {money(order.total)}
          {order.email ? ` · ${order.email}` : ''}
        </p>
        <div className="actions">
          {order.actions.map((a) => (
            <button
              key={a}
              disabled={!can(ACTION_METHOD[a])}
              title={can(ACTION_METHOD[a]) ? undefined : t('common.notAvailable', { what: ACTION_METHOD[a] })}
              onClick={() => once(() => perform(a))}
              data-action={a}
            >
              {t(`orders.action.${a}` as MessageKey)}
            </button>
          ))}
          {order.actions.includes('mark_paid') ? (
            <MethodSelect label={t('orders.paidBy')} value={paidBy} onChange={setPaidBy} />
          ) : null}
          {order.actions.includes('extend') ? (
            <input
              type="date"
              aria-label={t('orders.expires')}
              value={extendTo}
              onChange={(e) => setExtendTo(e.target.value)}
            />
          ) : null}
        </div>
      </header>
      <Section title={t('orders.positions')}>
        <table>
          <tbody>
            {order.positions.map((p) => (
              <tr key={p.id} className={p.canceled ? 'canceled' : undefined}>
                <td>#{p.positionid}</td>
                <td>
                  {p.item}
                  {p.variation ? ` – ${p.variation}` : ''}
                </td>
                <td data-testid="attendee">
                  {editing === p.id ? (
                    <input
                      autoFocus
                      aria-label={t('orders.action.change_name')}
                      defaultValue={p.attendeeName ?? ''}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter') {
                          void act(
                            'orders.changeName',
                            { code: order.code, positionId: p.id, name: e.currentTarget.value },
                            t('confirm.renamed', { name: e.currentTarget.value || '—' }),
                          );
                          setEditing(null);
                        } else if (e.key === 'Escape') setEditing(null);
                      }}
                    />
                  ) : (
                    <span onDoubleClick={() => !p.canceled && can('orders.changeName') && setEditing(p.id)}>
                      {p.attendeeName ?? '—'}
                    </span>
                  )}
                </td>
                <td>{money(p.price)}</td>
                <td className="mono">{p.secret}</td>
                <td>{p.answers.map((a) => `${a.question}: ${a.answer}`).join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <div className="columns">
        <ListSection
          title={t('orders.payments')}
          rows={order.payments}
          line={(p) => `P${movement(p)} — ${t(`paymentState.${p.state}` as MessageKey)}`}
        />
        <ListSection
          title={t('orders.refunds')}
          rows={order.refunds}
          line={(r) =>
            `R${movement(r)} — ${t(`refundState.${r.state}` as MessageKey)}${r.comment ? ` (${r.comment})` : ''}`
          }
        />
        <ListSection
          title={t('orders.checkins')}
          rows={order.checkins}
          line={(c) =>
            `${c.list}: ${t(`checkinType.${c.type}` as MessageKey)} ${formatDateTime(locale, c.datetime)} ${c.successful ? '' : '✗'}`
          }
        />
      </div>
      <Section title={t('orders.log')}>
        <ul className="log">
          {order.log.map((l, i) => (
            <li key={i}>
              {formatDateTime(locale, l.datetime)} <span title={l.action}>{logAction(locale, l.action)}</span>{' '}
              {l.actor}
            </li>
          ))}
        </ul>
      </Section>
    </article>
  );
}

export function OrdersScreen() {
  const t = useT();
  const { query, hits, order, search, openOrder, openHit, locale } = usePick(
    'query',
    'hits',
    'order',
    'search',
    'openOrder',
    'openHit',
    'locale',
  );
  const [cursor, setCursor] = useState(0);
  const field = useRef<HTMLInputElement>(null);

  useEffect(() => field.current?.focus(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '/' && !typingInField(e)) {
        e.preventDefault();
        field.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const keys: KeyHint[] = [
    ['/', t('orders.search')],
    ['↑ ↓', ''],
    ['Enter', t('orders.positions')],
  ];
  return (
    <Screen name="orders" keys={keys}>
      <input
        ref={field}
        className="search"
        type="search"
        placeholder={t('orders.search')}
        aria-label={t('orders.search')}
        value={query}
        onChange={(e) => {
          setCursor(0);
          void search(e.target.value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setCursor((c) => Math.min(c + 1, hits.length - 1));
          else if (e.key === 'ArrowUp') setCursor((c) => Math.max(c - 1, 0));
          else if (e.key === 'Enter') void openHit(cursor);
        }}
      />
      <div className="orders-body">
        <ul className="hits" aria-label={t('a11y.results')}>
          {hits.length === 0 && query ? <li>{t('orders.none')}</li> : null}
          {hits.map((h, i) => (
            <li key={h.code}>
              <button
                className={i === cursor ? 'hit active' : 'hit'}
                data-testid="order-hit"
                onClick={() => void openOrder(h.code)}
              >
                <strong>{h.code}</strong> <StatusBadge status={h.status} approval={h.requireApproval} />
                <span>{h.attendees.join(', ') || h.email || '—'}</span>
                <span>
                  {formatAmount(locale, h.total)} · {formatDateTime(locale, h.datetime)}
                </span>
              </button>
            </li>
          ))}
        </ul>
        <div className="detail">{order ? <OrderView order={order} /> : null}</div>
      </div>
    </Screen>
  );
}
