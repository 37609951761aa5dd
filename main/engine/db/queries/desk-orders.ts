import type { ReadableDB } from '../handles';
import type {
  AuditLogRow,
  CheckinRow,
  OrderFeeRow,
  OrderPositionRow,
  OrderRefundRow,
  OrderRow,
} from '../rows';
import { readAll, readColumn, readExists, readOne } from './statements';

/** Orders as the desk's Orders, Approvals and Dashboard screens read them. */

/** An order with its event's name and currency, as the desk lists it. */
export type DeskOrderFields = Pick<
  OrderRow,
  | 'id'
  | 'code'
  | 'event_id'
  | 'status'
  | 'require_approval'
  | 'email'
  | 'total'
  | 'datetime'
  | 'expires'
  | 'comment'
> & { event_name: string; currency: string };

const ORDER_COLUMNS = `o.id, o.code, o.event_id, e.name AS event_name, e.currency, o.status, o.require_approval,
  o.email, o.total, o.datetime, o.expires, o.comment`;
const FROM_ORDERS = `SELECT ${ORDER_COLUMNS} FROM orders o JOIN events e ON e.id = o.event_id`;

export const deskOrderById = readOne<[orderId: number], DeskOrderFields>(`${FROM_ORDERS} WHERE o.id = ?`);

export const newestOrders = readAll<[limit: number], DeskOrderFields>(
  `${FROM_ORDERS} ORDER BY o.datetime DESC, o.id DESC LIMIT ?`,
);

export const ordersWithSecret = readAll<[secret: string], DeskOrderFields>(
  `${FROM_ORDERS} WHERE o.id IN (SELECT order_id FROM order_positions WHERE secret = ?)`,
);

/** The order with exactly this code, whatever its case. */
export const ordersWithCode = readAll<[code: string], DeskOrderFields>(
  `${FROM_ORDERS} WHERE o.code = ? COLLATE NOCASE`,
);

/** `like` is a LIKE pattern escaped with a backslash. */
export const ordersWithCodeLike = readAll<[like: string, limit: number], DeskOrderFields>(
  `${FROM_ORDERS} WHERE o.code LIKE ? ESCAPE '\\' ORDER BY o.datetime DESC LIMIT ?`,
);

export const ordersWithAttendeeNameLike = readAll<[like: string, limit: number], DeskOrderFields>(
  `${FROM_ORDERS} WHERE o.id IN (SELECT order_id FROM order_positions WHERE attendee_name_cached LIKE ? ESCAPE '\\') ORDER BY o.datetime DESC LIMIT ?`,
);

export function ordersWithEmailLike(db: ReadableDB, like: string, limit: number): DeskOrderFields[] {
  return db
    .prepare(
      `${FROM_ORDERS} WHERE o.email LIKE ? ESCAPE '\\' OR o.id IN (SELECT order_id FROM order_positions WHERE attendee_email LIKE ? ESCAPE '\\')
         ORDER BY o.datetime DESC LIMIT ?`,
    )
    .all(like, like, limit) as DeskOrderFields[];
}

/** The attendee names of an order's live positions, in position order. */
export const attendeeNamesOfOrder = readColumn<[orderId: number], string>(
  "SELECT attendee_name_cached AS n FROM order_positions WHERE order_id = ? AND canceled = 0 AND COALESCE(attendee_name_cached, '') <> '' ORDER BY positionid",
);

/** The id of the order with this code in any event, whatever the case the cashier typed. */
export function orderIdByCodeAnyCase(db: ReadableDB, code: string): number | undefined {
  return (
    db.prepare('SELECT id FROM orders WHERE code = ? COLLATE NOCASE').get(code) as
      Pick<OrderRow, 'id'> | undefined
  )?.id;
}

export function orderStatusById(db: ReadableDB, orderId: number): string | undefined {
  return (
    db.prepare('SELECT status FROM orders WHERE id = ?').get(orderId) as Pick<OrderRow, 'status'> | undefined
  )?.status;
}

export const positionBelongsToOrder = readExists<[positionId: number, orderId: number]>(
  'SELECT 1 FROM order_positions WHERE id = ? AND order_id = ?',
);

/** A position with its item's and variation's names. */
export type DeskPositionFields = Pick<
  OrderPositionRow,
  'id' | 'positionid' | 'price' | 'attendee_name_cached' | 'attendee_email' | 'secret' | 'canceled'
> & { item: string; variation: string | null };

export const positionsOfOrder = readAll<[orderId: number], DeskPositionFields>(
  `SELECT op.id, op.positionid, i.name AS item, v.value AS variation, op.price, op.attendee_name_cached, op.attendee_email, op.secret, op.canceled FROM order_positions op JOIN items i ON i.id = op.item_id LEFT JOIN item_variations v ON v.id = op.variation_id WHERE op.order_id = ? ORDER BY op.positionid`,
);

/** A live position's item and variation names with its price. */
export interface SoldLine {
  item: string;
  variation: string | null;
  price: string;
}

export const livePositionLines = readAll<[orderId: number], SoldLine>(
  `SELECT i.name AS item, v.value AS variation, op.price FROM order_positions op JOIN items i ON i.id = op.item_id LEFT JOIN item_variations v ON v.id = op.variation_id WHERE op.order_id = ? AND op.canceled = 0 ORDER BY op.positionid`,
);

/** An answer with its question's text. */
export interface AnswerWithQuestion {
  question: string;
  answer: string;
}

export const answersOfPosition = readAll<[positionId: number], AnswerWithQuestion>(
  `SELECT q.question, a.answer FROM question_answers a JOIN questions q ON q.id = a.question_id WHERE a.orderposition_id = ? ORDER BY q.position, q.id`,
);

/** A payment or refund with its method, the column the desk's sales add (cash, card, other). */
export type DeskPaymentFields = Pick<
  OrderRefundRow,
  'id' | 'local_id' | 'state' | 'amount' | 'provider' | 'created'
> & { method: 'cash' | 'card' | 'other' };

export const paymentsOfOrder = readAll<[orderId: number], DeskPaymentFields>(
  'SELECT id, local_id, state, amount, provider, method, created FROM order_payments WHERE order_id = ? ORDER BY local_id',
);

export const refundsOfOrder = readAll<[orderId: number], DeskPaymentFields & Pick<OrderRefundRow, 'comment'>>(
  'SELECT id, local_id, state, amount, provider, method, created, comment FROM order_refunds WHERE order_id = ? ORDER BY local_id',
);

/** The amount of the order's latest confirmed payment. */
export function lastConfirmedPaymentAmount(db: ReadableDB, orderId: number): string | undefined {
  return (
    db
      .prepare(
        "SELECT amount FROM order_payments WHERE order_id = ? AND state = 'confirmed' ORDER BY local_id DESC LIMIT 1",
      )
      .get(orderId) as { amount: string } | undefined
  )?.amount;
}

/** The amounts of every refund of the order, whatever its state. */
export function refundAmountsOfOrder(db: ReadableDB, orderId: number): string[] {
  return (
    db.prepare('SELECT amount FROM order_refunds WHERE order_id = ?').all(orderId) as Pick<
      OrderRefundRow,
      'amount'
    >[]
  ).map((r) => r.amount);
}

export const feesOfOrder = readAll<[orderId: number], Pick<OrderFeeRow, 'fee_type' | 'value' | 'canceled'>>(
  'SELECT fee_type, value, canceled FROM order_fees WHERE order_id = ? ORDER BY id',
);

/** A check-in of one of the order's tickets, with its list's name. */
export type OrderCheckin = Pick<CheckinRow, 'type' | 'datetime' | 'successful'> & { list: string };

export const checkinsOfOrder = readAll<[orderId: number], OrderCheckin>(
  `SELECT l.name AS list, c.type, c.datetime, c.successful FROM checkins c JOIN checkin_lists l ON l.id = c.list_id JOIN order_positions op ON op.id = c.position_id WHERE op.order_id = ? ORDER BY c.datetime`,
);

/** The audit log of an order and of its positions, oldest first. */
export function logOfOrder(
  db: ReadableDB,
  orderId: number,
): Pick<AuditLogRow, 'datetime' | 'action_type' | 'actor'>[] {
  return db
    .prepare<[number, number], Pick<AuditLogRow, 'datetime' | 'action_type' | 'actor'>>(
      `SELECT datetime, action_type, actor FROM audit_log
           WHERE (object_type = 'order' AND object_id = ?)
              OR (object_type IN ('orderposition', 'order_position') AND object_id IN (SELECT id FROM order_positions WHERE order_id = ?))
           ORDER BY id`,
    )
    .all(orderId, orderId);
}

/** An order waiting for approval, with its event's name. */
export type PendingApproval = Pick<OrderRow, 'id' | 'code' | 'datetime' | 'total' | 'email'> & {
  event_name: string;
  currency: string;
};

export const ordersAwaitingApproval = readAll<[], PendingApproval>(
  `SELECT o.id, o.code, e.name AS event_name, e.currency, o.datetime, o.total, o.email FROM orders o JOIN events e ON e.id = o.event_id WHERE o.status = 'n' AND o.require_approval = 1 ORDER BY o.datetime, o.id`,
);

/** How many live positions of each item and variation an order holds, in position order. */
export interface ProductCount {
  item: string;
  variation: string | null;
  count: number;
}

export const productCountsOfOrder = readAll<[orderId: number], ProductCount>(
  `SELECT i.name AS item, v.value AS variation, COUNT(*) AS count FROM order_positions op JOIN items i ON i.id = op.item_id LEFT JOIN item_variations v ON v.id = op.variation_id WHERE op.order_id = ? AND op.canceled = 0 GROUP BY op.item_id, op.variation_id ORDER BY MIN(op.positionid)`,
);

/** Days of orders for a figure: placed in [from, to) (ISO times), of one event or of all. */
export interface OrderRange {
  eventId: number | null;
  from: string;
  to: string;
}

function rangeFilter(range: OrderRange): { sql: string; params: unknown[] } {
  return range.eventId === null
    ? { sql: '', params: [range.from, range.to] }
    : { sql: 'AND o.event_id = ?', params: [range.from, range.to, range.eventId] };
}

/** Live tickets of paid orders placed in the range, per item. */
export function paidTicketsPerItem(db: ReadableDB, range: OrderRange): { item_id: number; count: number }[] {
  const filter = rangeFilter(range);
  return db
    .prepare(
      `SELECT op.item_id, COUNT(*) AS count FROM order_positions op JOIN orders o ON o.id = op.order_id
       WHERE o.status = 'p' AND op.canceled = 0 AND o.datetime >= ? AND o.datetime < ? ${filter.sql}
       GROUP BY op.item_id`,
    )
    .all(...filter.params) as { item_id: number; count: number }[];
}

/** Live tickets of each paid order placed in the range, with the time it was placed. */
export function paidTicketsPerOrderTime(
  db: ReadableDB,
  range: OrderRange,
): { datetime: string; n: number }[] {
  const filter = rangeFilter(range);
  return db
    .prepare<unknown[], { datetime: string; n: number }>(
      `SELECT o.datetime, COUNT(*) AS n FROM order_positions op
       JOIN orders o ON o.id = op.order_id
       WHERE o.status = 'p' AND op.canceled = 0 AND o.datetime >= ? AND o.datetime < ? ${filter.sql}
       GROUP BY o.id`,
    )
    .all(...filter.params);
}
