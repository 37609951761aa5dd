import type { ReadableDB, WritableDB } from '../../handles';
import type {
  CartPositionRow,
  EventRow,
  OrderFeeRow,
  OrderPaymentRow,
  OrderPositionRow,
  OrderRow,
  TaxRuleRow,
} from '../../rows';
import { readExists, readOne, write } from '../statements';

/** What placing an order needs to know of its event, its settings and plugins as stored included. */
export type OrderEvent = Pick<
  EventRow,
  | 'id'
  | 'organizer_id'
  | 'slug'
  | 'currency'
  | 'has_subevents'
  | 'timezone'
  | 'date_from'
  | 'date_to'
  | 'settings'
  | 'plugins'
> & { organizer_slug: string };

export function findOrderEvent(db: ReadableDB, eventId: number): OrderEvent | undefined {
  return db
    .prepare(
      `SELECT e.id, e.organizer_id, o.slug AS organizer_slug, e.slug, e.currency, e.has_subevents, e.timezone,
              e.date_from, e.date_to, e.settings, e.plugins
       FROM events e JOIN organizers o ON o.id = e.organizer_id WHERE e.id = ?`,
    )
    .get(eventId) as OrderEvent | undefined;
}

export const eventPlugins = readOne<[eventId: number], Pick<EventRow, 'plugins'>>(
  'SELECT plugins FROM events WHERE id = ?',
);

export const eventZoneSettings = readOne<[eventId: number], Pick<EventRow, 'timezone' | 'settings'>>(
  'SELECT timezone, settings FROM events WHERE id = ?',
);

export const orderCodeTaken = readExists<[organizerId: number, code: string]>(
  'SELECT 1 FROM orders WHERE organizer_id = ? AND code = ?',
);

/** Whether a ticket secret is taken in the organizer (the database's unique index). */
export const ticketSecretTaken = readExists<[organizerId: number, secret: string]>(
  'SELECT 1 FROM order_positions WHERE organizer_id = ? AND secret = ?',
);

/** Whether a ticket secret is taken by a position of the event (the serializer's check). */
export const ticketSecretTakenInEvent = readExists<[eventId: number, secret: string]>(
  'SELECT 1 FROM order_positions op JOIN orders o ON o.id = op.order_id WHERE o.event_id = ? AND op.secret = ?',
);

export const findTaxRuleEvent = readOne<[id: number], Pick<TaxRuleRow, 'id' | 'event_id'>>(
  'SELECT id, event_id FROM tax_rules WHERE id = ?',
);

export const findTaxRuleRate = readOne<[id: number], Pick<TaxRuleRow, 'id' | 'rate' | 'price_includes_tax'>>(
  'SELECT id, rate, price_includes_tax FROM tax_rules WHERE id = ?',
);

/** A cart position an order consumes, with what consuming it frees. */
export type ConsumedCartPosition = Pick<
  CartPositionRow,
  'id' | 'item_id' | 'variation_id' | 'subevent_id' | 'voucher_id' | 'addon_to_id'
>;

/** The unexpired positions of the given carts of an event. */
export function unexpiredCartPositions(
  db: ReadableDB,
  eventId: number,
  cartIds: string[],
  nowIso: string,
): ConsumedCartPosition[] {
  const marks = cartIds.map(() => '?').join(',');
  return db
    .prepare<unknown[], ConsumedCartPosition>(
      `SELECT id, item_id, variation_id, subevent_id, voucher_id, addon_to_id FROM cart_positions
         WHERE event_id = ? AND cart_id IN (${marks}) AND expires > ?`,
    )
    .all(eventId, ...cartIds, nowIso);
}

/** Deletes cart positions and their add-ons. */
export function deleteCartPositions(db: WritableDB, ids: number[]): void {
  const marks = ids.map(() => '?').join(',');
  db.prepare(`DELETE FROM cart_positions WHERE addon_to_id IN (${marks})`).run(...ids);
  db.prepare(`DELETE FROM cart_positions WHERE id IN (${marks})`).run(...ids);
}

/** The budget amounts a voucher's positions in pending or paid orders use. */
export function voucherBudgetUses(db: ReadableDB, voucherId: number): string[] {
  const rows = db
    .prepare(
      `SELECT op.voucher_budget_use AS used FROM order_positions op JOIN orders o ON o.id = op.order_id
             WHERE op.voucher_id = ? AND o.status IN ('n', 'p') AND op.voucher_budget_use IS NOT NULL`,
    )
    .all(voucherId) as { used: string }[];
  return rows.map((r) => r.used);
}

export function addonIncludedInPrice(db: ReadableDB, baseItemId: number, categoryId: number): boolean {
  const row = db
    .prepare('SELECT price_included FROM item_addons WHERE base_item_id = ? AND addon_category_id = ?')
    .get(baseItemId, categoryId) as { price_included: number } | undefined;
  return Boolean(row?.price_included);
}

export function earliestSubeventDate(db: ReadableDB, subeventIds: number[]): string | null {
  const row = db
    .prepare(
      `SELECT MIN(date_from) AS d FROM subevents WHERE id IN (${subeventIds.map(() => '?').join(',')})`,
    )
    .get(...subeventIds) as { d: string | null };
  return row.d;
}

export function identifierOf(db: ReadableDB, table: 'questions' | 'question_options', id: number): string {
  return (
    (db.prepare(`SELECT identifier FROM ${table} WHERE id = ?`).get(id) as { identifier: string } | undefined)
      ?.identifier ?? ''
  );
}

export type NewOrder = Pick<
  OrderRow,
  | 'organizer_id'
  | 'event_id'
  | 'code'
  | 'status'
  | 'testmode'
  | 'require_approval'
  | 'valid_if_pending'
  | 'email'
  | 'phone'
  | 'locale'
  | 'secret'
  | 'datetime'
  | 'expires'
  | 'total'
  | 'comment'
  | 'custom_followup_at'
  | 'checkin_attention'
  | 'checkin_text'
  | 'sales_channel'
  | 'api_meta'
  | 'last_modified'
>;

/** Stores a new order (no meta info) and returns its id. */
export function insertOrder(db: WritableDB, o: NewOrder): number {
  return Number(
    db
      .prepare(
        `INSERT INTO orders (organizer_id, event_id, code, status, testmode, require_approval, valid_if_pending, email,
           phone, locale, secret, datetime, expires, total, comment, custom_followup_at, checkin_attention, checkin_text,
           sales_channel, meta_info, api_meta, last_modified)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?)`,
      )
      .run(
        o.organizer_id,
        o.event_id,
        o.code,
        o.status,
        o.testmode,
        o.require_approval,
        o.valid_if_pending,
        o.email,
        o.phone,
        o.locale,
        o.secret,
        o.datetime,
        o.expires,
        o.total,
        o.comment,
        o.custom_followup_at,
        o.checkin_attention,
        o.checkin_text,
        o.sales_channel,
        o.api_meta,
        o.last_modified,
      ).lastInsertRowid,
  );
}

export type NewOrderPosition = Omit<OrderPositionRow, 'id' | 'canceled' | 'blocked' | 'seat'>;

/** Stores a new position and returns its id. */
export function insertOrderPosition(db: WritableDB, p: NewOrderPosition): number {
  return Number(
    db
      .prepare(
        `INSERT INTO order_positions (order_id, organizer_id, positionid, item_id, variation_id, subevent_id, price, tax_rate,
       tax_value, tax_rule_id, secret, web_secret, pseudonymization_id, attendee_name_cached, attendee_name_parts,
       attendee_email, company, street, zipcode, city, country, state, voucher_id, voucher_budget_use, addon_to_id,
       is_bundled, valid_from, valid_until)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        p.order_id,
        p.organizer_id,
        p.positionid,
        p.item_id,
        p.variation_id,
        p.subevent_id,
        p.price,
        p.tax_rate,
        p.tax_value,
        p.tax_rule_id,
        p.secret,
        p.web_secret,
        p.pseudonymization_id,
        p.attendee_name_cached,
        p.attendee_name_parts,
        p.attendee_email,
        p.company,
        p.street,
        p.zipcode,
        p.city,
        p.country,
        p.state,
        p.voucher_id,
        p.voucher_budget_use,
        p.addon_to_id,
        p.is_bundled,
        p.valid_from,
        p.valid_until,
      ).lastInsertRowid,
  );
}

/** Counts one more redemption of a voucher. */
export const countVoucherRedemption = write<[voucherId: number]>(
  'UPDATE vouchers SET redeemed = redeemed + 1 WHERE id = ?',
);

export type NewOrderFee = Pick<
  OrderFeeRow,
  | 'order_id'
  | 'fee_type'
  | 'value'
  | 'description'
  | 'internal_type'
  | 'tax_rate'
  | 'tax_value'
  | 'tax_rule_id'
>;

/** Stores a fee and returns its id. */
export function insertOrderFee(db: WritableDB, f: NewOrderFee): number {
  return Number(
    db
      .prepare(
        `INSERT INTO order_fees (order_id, fee_type, value, description, internal_type, tax_rate, tax_value, tax_rule_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        f.order_id,
        f.fee_type,
        f.value,
        f.description,
        f.internal_type,
        f.tax_rate,
        f.tax_value,
        f.tax_rule_id,
      ).lastInsertRowid,
  );
}

export type FirstPayment = Pick<
  OrderPaymentRow,
  'order_id' | 'state' | 'amount' | 'created' | 'payment_date' | 'provider' | 'info'
>;

/** Stores an order's first payment (local id 1) and returns its id. */
export function insertFirstPayment(db: WritableDB, p: FirstPayment): number {
  return Number(
    db
      .prepare(
        `INSERT INTO order_payments (order_id, local_id, state, amount, created, payment_date, provider, info)
       VALUES (?, 1, ?, ?, ?, ?, ?, ?)`,
      )
      .run(p.order_id, p.state, p.amount, p.created, p.payment_date, p.provider, p.info).lastInsertRowid,
  );
}

/** Replaces the info of an order's first payment (the desk adds what a cash buyer gave). */
export function setFirstPaymentInfo(db: WritableDB, orderId: number, info: string): void {
  db.prepare('UPDATE order_payments SET info = ? WHERE order_id = ? AND local_id = 1').run(info, orderId);
}
