import type { ReadableDB } from '../handles';
import type { OrderPaymentRow, OrderRefundRow } from '../rows';

/** An order's payment as pretix's payment resource shows it. */
export type PaymentRecord = Pick<
  OrderPaymentRow,
  'id' | 'local_id' | 'state' | 'amount' | 'created' | 'payment_date' | 'provider'
>;

/** An order's refund as pretix's refund resource shows it, with the local id of the payment it refunds. */
export type RefundRecord = Pick<
  OrderRefundRow,
  'local_id' | 'state' | 'source' | 'amount' | 'created' | 'execution_date' | 'comment' | 'provider'
> & { payment_local_id: number | null };

/** An order's payments by local id, or the one with `localId`. */
export function paymentsOfOrder(db: ReadableDB, orderId: number, localId?: number): PaymentRecord[] {
  return db
    .prepare(
      `SELECT id, local_id, state, amount, created, payment_date, provider FROM order_payments
       WHERE order_id = ? ${localId === undefined ? '' : 'AND local_id = ?'} ORDER BY local_id`,
    )
    .all(...(localId === undefined ? [orderId] : [orderId, localId])) as PaymentRecord[];
}

/** An order's refunds by local id, or the one with `localId`. */
export function refundsOfOrder(db: ReadableDB, orderId: number, localId?: number): RefundRecord[] {
  return db
    .prepare(
      `SELECT r.local_id, r.state, r.source, r.amount, p.local_id AS payment_local_id, r.created, r.execution_date,
              r.comment, r.provider
       FROM order_refunds r LEFT JOIN order_payments p ON p.id = r.payment_id
       WHERE r.order_id = ? ${localId === undefined ? '' : 'AND r.local_id = ?'} ORDER BY r.local_id`,
    )
    .all(...(localId === undefined ? [orderId] : [orderId, localId])) as RefundRecord[];
}
