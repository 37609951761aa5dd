import type { ReadableDB, WritableDB } from '../../handles';
import type { OrderPaymentRow, OrderRefundRow } from '../../rows';
import { readAll, readOne, readValue } from '../statements';

export type PaymentState = 'created' | 'pending' | 'confirmed' | 'failed' | 'canceled' | 'refunded';
export type RefundState = 'external' | 'created' | 'transit' | 'done' | 'failed' | 'canceled';

/** A stored payment, its state one of pretix's. */
export type Payment = Omit<OrderPaymentRow, 'state'> & { state: PaymentState };
/** A stored refund, its state one of pretix's. */
export type Refund = Omit<OrderRefundRow, 'state'> & { state: RefundState };

export const findPaymentByLocalId = readOne<[orderId: number, localId: number], Payment>(
  'SELECT * FROM order_payments WHERE order_id = ? AND local_id = ?',
);

/** The order's payments still created or pending, oldest first. */
export const openPaymentRowsOfOrder = readAll<[orderId: number], Payment>(
  `SELECT * FROM order_payments WHERE order_id = ? AND state IN ('created', 'pending') ORDER BY local_id`,
);

export const paymentAmount = readValue<[paymentId: number], OrderPaymentRow['amount']>(
  'SELECT amount FROM order_payments WHERE id = ?',
);

export const paymentIdByLocalId = readValue<[orderId: number, localId: number], number>(
  'SELECT id FROM order_payments WHERE order_id = ? AND local_id = ?',
);

/** The highest local id among the order's payments or refunds (0 when there is none). */
export function lastLocalId(
  db: ReadableDB,
  table: 'order_payments' | 'order_refunds',
  orderId: number,
): number {
  const row = db.prepare(`SELECT MAX(local_id) AS m FROM ${table} WHERE order_id = ?`).get(orderId) as {
    m: number | null;
  };
  return row.m ?? 0;
}

export function insertPaymentRow(
  db: WritableDB,
  p: Pick<
    Payment,
    'order_id' | 'local_id' | 'state' | 'amount' | 'created' | 'payment_date' | 'provider' | 'info'
  >,
): void {
  db.prepare(
    `INSERT INTO order_payments (order_id, local_id, state, amount, created, payment_date, provider, info)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(p.order_id, p.local_id, p.state, p.amount, p.created, p.payment_date, p.provider, p.info);
}

export function setPaymentConfirmed(db: WritableDB, paymentId: number, paymentDate: string): void {
  db.prepare(`UPDATE order_payments SET state = 'confirmed', payment_date = ? WHERE id = ?`).run(
    paymentDate,
    paymentId,
  );
}

export function setPaymentState(db: WritableDB, paymentId: number, state: 'canceled' | 'refunded'): void {
  if (state === 'canceled')
    db.prepare(`UPDATE order_payments SET state = 'canceled' WHERE id = ?`).run(paymentId);
  else db.prepare(`UPDATE order_payments SET state = 'refunded' WHERE id = ?`).run(paymentId);
}

/** Amounts of a payment's refunds that are done, in transit or created. */
export function refundingAmountsOfPayment(db: ReadableDB, paymentId: number): string[] {
  const rows = db
    .prepare(
      `SELECT amount FROM order_refunds WHERE payment_id = ? AND state IN ('done', 'transit', 'created')`,
    )
    .all(paymentId) as Pick<OrderRefundRow, 'amount'>[];
  return rows.map((r) => r.amount);
}

export const findRefundByLocalId = readOne<[orderId: number, localId: number], Refund>(
  'SELECT * FROM order_refunds WHERE order_id = ? AND local_id = ?',
);

/** A refund the API's payment refund creates: state created, source admin, no info. */
export function insertAdminRefund(
  db: WritableDB,
  r: Pick<Refund, 'order_id' | 'local_id' | 'amount' | 'payment_id' | 'created' | 'provider' | 'comment'>,
): void {
  db.prepare(
    `INSERT INTO order_refunds (order_id, local_id, state, source, amount, payment_id, created, provider, comment, info)
       VALUES (?, ?, 'created', 'admin', ?, ?, ?, ?, ?, '{}')`,
  ).run(r.order_id, r.local_id, r.amount, r.payment_id, r.created, r.provider, r.comment);
}

/** Writes a refund; its `method` is generated from its provider and info. */
export function insertRefundRow(db: WritableDB, r: Omit<Refund, 'id' | 'method'>): void {
  db.prepare(
    `INSERT INTO order_refunds (order_id, local_id, state, source, amount, payment_id, created, execution_date,
         provider, comment, info)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    r.order_id,
    r.local_id,
    r.state,
    r.source,
    r.amount,
    r.payment_id,
    r.created,
    r.execution_date,
    r.provider,
    r.comment,
    r.info,
  );
}

/** Marks a refund done; an execution date it has is kept. */
export function setRefundDone(db: WritableDB, refundId: number, executionDate: string): void {
  db.prepare(
    `UPDATE order_refunds SET state = 'done', execution_date = COALESCE(execution_date, ?) WHERE id = ?`,
  ).run(executionDate, refundId);
}

export function setRefundCanceled(db: WritableDB, refundId: number): void {
  db.prepare(`UPDATE order_refunds SET state = 'canceled' WHERE id = ?`).run(refundId);
}
