import type { Database } from 'better-sqlite3';
import { apiDatetime } from './order';

/** pretix's `OrderPaymentSerializer` and `OrderRefundSerializer` shapes. */
interface PaymentRecord {
  id: number;
  local_id: number;
  state: string;
  amount: string;
  created: string;
  payment_date: string | null;
  provider: string | null;
}

interface RefundRecord {
  local_id: number;
  state: string;
  source: string;
  amount: string;
  payment_local_id: number | null;
  created: string;
  execution_date: string | null;
  comment: string | null;
  provider: string | null;
}

export interface PaymentLinkContext {
  baseUrl: string;
  organizerSlug: string;
  eventSlug: string;
  orderCode: string;
  orderSecret: string;
}

export function renderPayment(p: PaymentRecord, link: PaymentLinkContext): Record<string, unknown> {
  return {
    local_id: p.local_id,
    state: p.state,
    amount: p.amount,
    created: apiDatetime(p.created),
    payment_date: apiDatetime(p.payment_date),
    provider: p.provider,
    // Only a payment still waiting to be started has a page where the buyer can pay it.
    payment_url:
      p.state === 'created'
        ? `${link.baseUrl}/${link.organizerSlug}/${link.eventSlug}/order/${link.orderCode}/${link.orderSecret}/pay/${p.id}/`
        : null,
    details: {},
  };
}

export function renderRefund(r: RefundRecord): Record<string, unknown> {
  return {
    local_id: r.local_id,
    state: r.state,
    source: r.source,
    amount: r.amount,
    payment: r.payment_local_id,
    created: apiDatetime(r.created),
    execution_date: apiDatetime(r.execution_date),
    comment: r.comment,
    provider: r.provider,
    details: {},
  };
}

export function loadPayments(db: Database, orderId: number, localId?: number): PaymentRecord[] {
  return db
    .prepare(
      `SELECT id, local_id, state, amount, created, payment_date, provider FROM order_payments
       WHERE order_id = ? ${localId === undefined ? '' : 'AND local_id = ?'} ORDER BY local_id`,
    )
    .all(...(localId === undefined ? [orderId] : [orderId, localId])) as PaymentRecord[];
}

export function loadRefunds(db: Database, orderId: number, localId?: number): RefundRecord[] {
  return db
    .prepare(
      `SELECT r.local_id, r.state, r.source, r.amount, p.local_id AS payment_local_id, r.created, r.execution_date,
              r.comment, r.provider
       FROM order_refunds r LEFT JOIN order_payments p ON p.id = r.payment_id
       WHERE r.order_id = ? ${localId === undefined ? '' : 'AND r.local_id = ?'} ORDER BY r.local_id`,
    )
    .all(...(localId === undefined ? [orderId] : [orderId, localId])) as RefundRecord[];
}
