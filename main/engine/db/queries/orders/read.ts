import type { ReadableDB, WritableDB } from '../../handles';
import { readRows } from '../statements';
import type {
  CheckinRow,
  InvoiceAddressRow,
  ItemRow,
  OrderFeeRow,
  OrderPaymentRow,
  OrderPositionRow,
  OrderRefundRow,
  OrderRow,
  QuestionAnswerRow,
  QuestionRow,
} from '../../rows';

/** Queries of the order read model (pretix's order resource), each for many orders at once. */

function marksFor(ids: number[]): string {
  return ids.map(() => '?').join(',');
}

export function orderIdOfCode(db: ReadableDB, eventId: number, code: string): number | undefined {
  return (
    db.prepare('SELECT id FROM orders WHERE event_id = ? AND code = ?').get(eventId, code) as
      Pick<OrderRow, 'id'> | undefined
  )?.id;
}

/** An order's columns its resource shows (not `meta_info`, which can be long), with its slugs. */
export type OrderWithSlugs = Omit<OrderRow, 'organizer_id' | 'meta_info'> & {
  event_slug: string;
  organizer_slug: string;
};

export function ordersWithSlugs(db: ReadableDB, ids: number[]): OrderWithSlugs[] {
  return readRows<OrderWithSlugs>(
    db,
    `SELECT o.id, o.event_id, o.code, o.status, o.testmode, o.require_approval, o.valid_if_pending, o.email,
            o.phone, o.locale, o.secret, o.datetime, o.cancellation_date, o.expires, o.total, o.comment,
            o.custom_followup_at, o.checkin_attention, o.checkin_text, o.sales_channel, o.api_meta,
            o.last_modified, e.slug AS event_slug, og.slug AS organizer_slug
     FROM orders o JOIN events e ON e.id = o.event_id JOIN organizers og ON og.id = o.organizer_id
     WHERE o.id IN (${marksFor(ids)})`,
    ids,
  );
}

export function invoiceAddressesOfOrders(db: ReadableDB, ids: number[]): InvoiceAddressRow[] {
  return db
    .prepare(`SELECT * FROM invoice_addresses WHERE order_id IN (${marksFor(ids)})`)
    .all(...ids) as InvoiceAddressRow[];
}

/**
 * A position with its parent's position id and what its product says about tickets; without the columns
 * no resource shows (its web secret, voucher budget, organizer).
 */
export type PositionWithItem = Omit<
  OrderPositionRow,
  'organizer_id' | 'web_secret' | 'voucher_budget_use'
> & {
  parent_positionid: number | null;
  admission: ItemRow['admission'];
  generate_tickets: ItemRow['generate_tickets'];
};

export function positionsOfOrders(db: ReadableDB, ids: number[]): PositionWithItem[] {
  return readRows<PositionWithItem>(
    db,
    `SELECT op.id, op.order_id, op.positionid, op.item_id, op.variation_id, op.subevent_id, op.price, op.tax_rate,
            op.tax_value, op.tax_rule_id, op.secret, op.pseudonymization_id, op.attendee_name_cached,
            op.attendee_name_parts, op.attendee_email, op.company, op.street, op.zipcode, op.city, op.country,
            op.state, op.voucher_id, op.addon_to_id, op.is_bundled, op.canceled, op.blocked, op.valid_from,
            op.valid_until, op.seat,
            parent.positionid AS parent_positionid, i.admission, i.generate_tickets
     FROM order_positions op
     JOIN items i ON i.id = op.item_id
     LEFT JOIN order_positions parent ON parent.id = op.addon_to_id
     WHERE op.order_id IN (${marksFor(ids)}) ORDER BY op.positionid, op.id`,
    ids,
  );
}

export type AnswerWithIdentifier = Pick<QuestionAnswerRow, 'id' | 'question_id' | 'answer' | 'options'> &
  Pick<QuestionRow, 'identifier'> & { orderposition_id: number };

/** The answers of the orders' positions, with their questions' identifiers. */
export function answersOfOrders(db: ReadableDB, ids: number[]): AnswerWithIdentifier[] {
  return answersWhere(db, `SELECT id FROM order_positions WHERE order_id IN (${marksFor(ids)})`, ids);
}

/** The answers of these positions, with their questions' identifiers. */
export function answersOfPositions(db: ReadableDB, positionIds: number[]): AnswerWithIdentifier[] {
  return answersWhere(db, marksFor(positionIds), positionIds);
}

function answersWhere(db: ReadableDB, positionsSql: string, params: number[]): AnswerWithIdentifier[] {
  return db
    .prepare(
      `SELECT qa.id, qa.orderposition_id, qa.question_id, qa.answer, qa.options, q.identifier
         FROM question_answers qa JOIN questions q ON q.id = qa.question_id
         WHERE qa.orderposition_id IN (${positionsSql}) ORDER BY qa.id`,
    )
    .all(...params) as AnswerWithIdentifier[];
}

export function optionIdentifier(db: ReadableDB, optionId: number): string | undefined {
  return (
    db.prepare('SELECT identifier FROM question_options WHERE id = ?').get(optionId) as
      { identifier: string } | undefined
  )?.identifier;
}

export type SuccessfulCheckin = Pick<
  CheckinRow,
  'id' | 'position_id' | 'datetime' | 'list_id' | 'auto_checked_in' | 'gate_id' | 'device_id'
> & { position_id: number; device_number: number | null; type: 'entry' | 'exit' };

/** The successful check-ins of the orders' positions. */
export function checkinsOfOrders(db: ReadableDB, ids: number[]): SuccessfulCheckin[] {
  const positions = `SELECT id FROM order_positions WHERE order_id IN (${marksFor(ids)})`;
  return db
    .prepare(
      `SELECT c.id, c.position_id, c.datetime, c.list_id, c.auto_checked_in, c.gate_id, c.device_id,
                d.device_id AS device_number, c.type
         FROM checkins c LEFT JOIN devices d ON d.id = c.device_id
         WHERE c.successful = 1 AND c.position_id IN (${positions}) ORDER BY c.datetime, c.id`,
    )
    .all(...ids) as SuccessfulCheckin[];
}

export function feesOfOrders(db: ReadableDB, ids: number[]): OrderFeeRow[] {
  return db
    .prepare(`SELECT * FROM order_fees WHERE order_id IN (${marksFor(ids)}) ORDER BY id`)
    .all(...ids) as OrderFeeRow[];
}

/** A payment's columns its resource shows (not the computed `method`, which costs a JSON parse a row). */
export type PaymentOfOrder = Pick<
  OrderPaymentRow,
  'id' | 'order_id' | 'local_id' | 'state' | 'amount' | 'created' | 'payment_date' | 'provider' | 'info'
>;

export function paymentsOfOrders(db: ReadableDB, ids: number[]): PaymentOfOrder[] {
  return readRows<PaymentOfOrder>(
    db,
    `SELECT id, order_id, local_id, state, amount, created, payment_date, provider, info
     FROM order_payments WHERE order_id IN (${marksFor(ids)}) ORDER BY local_id`,
    ids,
  );
}

export type RefundWithPayment = OrderRefundRow & { payment_local_id: number | null };

export function refundsOfOrders(db: ReadableDB, ids: number[]): RefundWithPayment[] {
  return db
    .prepare(
      `SELECT r.*, p.local_id AS payment_local_id FROM order_refunds r
       LEFT JOIN order_payments p ON p.id = r.payment_id
       WHERE r.order_id IN (${marksFor(ids)}) ORDER BY r.local_id`,
    )
    .all(...ids) as RefundWithPayment[];
}

/** Bumps an order's `last_modified`. */
export function touchOrderRow(db: WritableDB, orderId: number, lastModified: string): void {
  db.prepare('UPDATE orders SET last_modified = ? WHERE id = ?').run(lastModified, orderId);
}
