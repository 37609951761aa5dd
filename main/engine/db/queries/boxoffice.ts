import type { ReadableDB, WritableDB } from '../handles';
import type {
  DeskSaleRow,
  EventRow,
  OrderFeeRow,
  OrderPaymentRow,
  OrderPositionRow,
  OrderRow,
} from '../rows';
import { readAll, readOne } from './statements';

/** The order a desk sale made, with what the sale gave back in change. */
export type CompletedDeskSale = Pick<DeskSaleRow, 'order_id' | 'change'> &
  Pick<OrderRow, 'code' | 'total'> & { status: 'n' | 'p' | 'e' | 'c' };

export const findCompletedDeskSale = readOne<
  [saleId: string],
  CompletedDeskSale
>(`SELECT s.order_id, s.change, o.code, o.status, o.total FROM desk_sales s JOIN orders o ON o.id = s.order_id
       WHERE s.sale_id = ?`);

export function insertDeskSale(db: WritableDB, row: DeskSaleRow): void {
  db.prepare('INSERT INTO desk_sales (sale_id, order_id, change, created) VALUES (?, ?, ?, ?)').run(
    row.sale_id,
    row.order_id,
    row.change,
    row.created,
  );
}

export const paymentAmountAndState = readOne<[paymentId: number], Pick<OrderPaymentRow, 'amount' | 'state'>>(
  'SELECT amount, state FROM order_payments WHERE id = ?',
);

export function confirmedPaymentLocalId(
  db: ReadableDB,
  paymentId: number,
  orderId: number,
): number | undefined {
  return db
    .prepare<[number, number], Pick<OrderPaymentRow, 'local_id'>>(
      "SELECT local_id FROM order_payments WHERE id = ? AND order_id = ? AND state = 'confirmed'",
    )
    .get(paymentId, orderId)?.local_id;
}

export type RefundablePosition = Pick<OrderPositionRow, 'id' | 'price' | 'canceled' | 'addon_to_id'>;

export const refundablePositions = readAll<[orderId: number], RefundablePosition>(
  'SELECT id, price, canceled, addon_to_id FROM order_positions WHERE order_id = ? ORDER BY positionid',
);

export type TakingsPosition = Pick<OrderPositionRow, 'id' | 'item_id' | 'price' | 'canceled'>;

export const takingsPositions = readAll<[orderId: number], TakingsPosition>(
  'SELECT id, item_id, price, canceled FROM order_positions WHERE order_id = ? ORDER BY positionid, id',
);

export const takingsFees = readAll<[orderId: number], Pick<OrderFeeRow, 'value' | 'canceled'>>(
  'SELECT value, canceled FROM order_fees WHERE order_id = ? ORDER BY id',
);

/** Money that came in (sign 1) or went back (sign −1) at the desk, by the method it moved by. */
export interface MoneyMovement {
  order_id: number;
  event_id: number;
  amount: string;
  method: 'cash' | 'card' | 'other';
  /** Positions a refund paid back, from its info (desk refunds of chosen tickets). */
  positions: string | null;
  sign: 1 | -1;
}

/** Confirmed payments and done refunds dated from ≤ t < to, of one event or all. */
export function moneyMovements(
  db: ReadableDB,
  range: { eventId: number | null; from: string; to: string },
): { payments: MoneyMovement[]; refunds: MoneyMovement[] } {
  const eventFilter = range.eventId === null ? '' : 'AND o.event_id = ?';
  const params = (extra: unknown[]) => (range.eventId === null ? extra : [...extra, range.eventId]);
  const payments = db
    .prepare<unknown[], MoneyMovement>(
      `SELECT p.order_id, o.event_id, p.amount, p.method, NULL AS positions, 1 AS sign
       FROM order_payments p JOIN orders o ON o.id = p.order_id
       WHERE p.state IN ('confirmed', 'refunded') AND p.payment_date >= ? AND p.payment_date < ? ${eventFilter}`,
    )
    .all(...params([range.from, range.to]));
  const refunds = db
    .prepare<unknown[], MoneyMovement>(
      `SELECT r.order_id, o.event_id, r.amount, r.method,
         CASE WHEN json_valid(r.info) THEN json_extract(r.info, '$.positions') END AS positions, -1 AS sign
       FROM order_refunds r JOIN orders o ON o.id = r.order_id
       WHERE r.state = 'done' AND r.execution_date >= ? AND r.execution_date < ? ${eventFilter}`,
    )
    .all(...params([range.from, range.to]));
  return { payments, refunds };
}

/** The time zone of the event, or of the first event when none is named; undefined without events. */
export function timeZoneOfEventOrFirst(db: ReadableDB, eventId: number | null): string | undefined {
  const row =
    eventId === null
      ? db.prepare<[], Pick<EventRow, 'timezone'>>('SELECT timezone FROM events ORDER BY id LIMIT 1').get()
      : db
          .prepare<[number], Pick<EventRow, 'timezone'>>('SELECT timezone FROM events WHERE id = ?')
          .get(eventId);
  return row?.timezone;
}
