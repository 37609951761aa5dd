import type { ReadableDB, WritableDB } from '../../handles';
import type {
  EventRow,
  InvoiceAddressRow,
  ItemRow,
  ItemVariationRow,
  OrderFeeRow,
  OrderPaymentRow,
  OrderPositionRow,
  OrderRow,
  TaxRuleRow,
  VoucherRow,
} from '../../rows';
import { readAll, readColumn, readOne, write } from '../statements';

export type OrderStatus = 'n' | 'p' | 'e' | 'c';

/** The columns of an order its transitions decide on. */
export type OrderHead = Pick<
  OrderRow,
  | 'id'
  | 'organizer_id'
  | 'event_id'
  | 'code'
  | 'require_approval'
  | 'valid_if_pending'
  | 'total'
  | 'expires'
  | 'cancellation_date'
> & { status: OrderStatus };

export const findOrderHead = readOne<[orderId: number], OrderHead>(
  `SELECT id, organizer_id, event_id, code, status, require_approval, valid_if_pending, total, expires, cancellation_date FROM orders WHERE id = ?`,
);

/** Saves the given columns of an order and its `last_modified`. */
export function updateOrderColumns(
  db: WritableDB,
  orderId: number,
  changes: Partial<Omit<OrderRow, 'id' | 'last_modified'>>,
  lastModified: string,
): void {
  const keys = Object.keys(changes) as (keyof typeof changes)[];
  const sets = [...keys.map((k) => `${k} = ?`), 'last_modified = ?'].join(', ');
  db.prepare(`UPDATE orders SET ${sets} WHERE id = ?`).run(
    ...keys.map((k) => changes[k]),
    lastModified,
    orderId,
  );
}

/** Amounts of the order's confirmed or refunded payments. */
export function paidAmounts(db: ReadableDB, orderId: number): string[] {
  const rows = db
    .prepare(`SELECT amount FROM order_payments WHERE order_id = ? AND state IN ('confirmed', 'refunded')`)
    .all(orderId) as { amount: string }[];
  return rows.map((r) => r.amount);
}

/** Amounts of the order's refunds that are done, in transit or created. */
export function refundingAmounts(db: ReadableDB, orderId: number): string[] {
  const rows = db
    .prepare(
      `SELECT amount FROM order_refunds WHERE order_id = ? AND state IN ('done', 'transit', 'created')`,
    )
    .all(orderId) as { amount: string }[];
  return rows.map((r) => r.amount);
}

export function eventDates(db: ReadableDB, eventId: number): Pick<EventRow, 'date_from' | 'date_to'> {
  return db.prepare('SELECT date_from, date_to FROM events WHERE id = ?').get(eventId) as Pick<
    EventRow,
    'date_from' | 'date_to'
  >;
}

export function eventCurrency(db: ReadableDB, eventId: number): string {
  return (db.prepare('SELECT currency FROM events WHERE id = ?').get(eventId) as Pick<EventRow, 'currency'>)
    .currency;
}

/** The earliest date among the sub-events of the order's live positions. */
export function earliestPositionSubeventDate(db: ReadableDB, orderId: number): string | null {
  return (
    db
      .prepare(
        `SELECT MIN(s.date_from) AS d FROM order_positions op JOIN subevents s ON s.id = op.subevent_id
       WHERE op.order_id = ? AND op.canceled = 0`,
      )
      .get(orderId) as { d: string | null }
  ).d;
}

/** A live position with the names of what it sells. */
export type LivePosition = Pick<
  OrderPositionRow,
  'id' | 'item_id' | 'variation_id' | 'subevent_id' | 'voucher_id'
> & { item_name: ItemRow['name']; variation_value: ItemVariationRow['value'] | null };

export const livePositionsOfOrder = readAll<[orderId: number], LivePosition>(
  `SELECT op.id, op.item_id, op.variation_id, op.subevent_id, op.voucher_id, i.name AS item_name, v.value AS variation_value FROM order_positions op JOIN items i ON i.id = op.item_id LEFT JOIN item_variations v ON v.id = op.variation_id WHERE op.order_id = ? AND op.canceled = 0 ORDER BY op.positionid, op.id`,
);

export const livePositionIds = readColumn<[orderId: number], number>(
  'SELECT id FROM order_positions WHERE order_id = ? AND canceled = 0',
);

export const voucherUsage = readOne<
  [voucherId: number],
  Pick<VoucherRow, 'code' | 'max_usages' | 'redeemed'>
>('SELECT code, max_usages, redeemed FROM vouchers WHERE id = ?');

export function voucherOfPosition(db: ReadableDB, positionId: number): number | null {
  const row = db.prepare('SELECT voucher_id FROM order_positions WHERE id = ?').get(positionId) as
    Pick<OrderPositionRow, 'voucher_id'> | undefined;
  return row?.voucher_id ?? null;
}

/** Gives back one redemption of a voucher, never below zero. */
export function releaseVoucherRedemption(db: WritableDB, voucherId: number): void {
  db.prepare('UPDATE vouchers SET redeemed = MAX(redeemed - 1, 0) WHERE id = ?').run(voucherId);
}

export const findEventTaxRule = readOne<
  [ruleId: number, eventId: number],
  Pick<TaxRuleRow, 'id' | 'rate' | 'price_includes_tax'>
>('SELECT id, rate, price_includes_tax FROM tax_rules WHERE id = ? AND event_id = ?');

export type OpenPayment = Pick<OrderPaymentRow, 'id' | 'local_id' | 'provider'>;

/** The order's payments still created or pending. */
export const openPaymentsOfOrder = readAll<[orderId: number], OpenPayment>(
  `SELECT id, local_id, provider FROM order_payments WHERE order_id = ? AND state IN ('created', 'pending')`,
);

export function setPaymentCanceled(db: WritableDB, paymentId: number): void {
  db.prepare(`UPDATE order_payments SET state = 'canceled' WHERE id = ?`).run(paymentId);
}

/** Cancels the order's live positions and fees. */
export function cancelLivePositionsAndFees(db: WritableDB, orderId: number): void {
  db.prepare('UPDATE order_positions SET canceled = 1 WHERE order_id = ? AND canceled = 0').run(orderId);
  db.prepare('UPDATE order_fees SET canceled = 1 WHERE order_id = ? AND canceled = 0').run(orderId);
}

export function insertCancellationFee(
  db: WritableDB,
  fee: Pick<OrderFeeRow, 'order_id' | 'value' | 'tax_rate' | 'tax_value' | 'tax_rule_id'>,
): void {
  db.prepare(
    `INSERT INTO order_fees (order_id, fee_type, value, description, internal_type, tax_rate, tax_value, tax_rule_id)
         VALUES (?, 'cancellation', ?, '', '', ?, ?, ?)`,
  ).run(fee.order_id, fee.value, fee.tax_rate, fee.tax_value, fee.tax_rule_id);
}

export const findPosition = readOne<[positionId: number], OrderPositionRow>(
  'SELECT * FROM order_positions WHERE id = ?',
);

/** Prices of the order's live positions and values of its live fees. */
export function liveAmounts(db: ReadableDB, orderId: number): { positions: string[]; fees: string[] } {
  const positions = db
    .prepare('SELECT price AS v FROM order_positions WHERE order_id = ? AND canceled = 0')
    .all(orderId) as { v: string }[];
  const fees = db
    .prepare('SELECT value AS v FROM order_fees WHERE order_id = ? AND canceled = 0')
    .all(orderId) as {
    v: string;
  }[];
  return { positions: positions.map((r) => r.v), fees: fees.map((r) => r.v) };
}

export const liveAddonIds = readColumn<[positionId: number], number>(
  'SELECT id FROM order_positions WHERE addon_to_id = ? AND canceled = 0',
);

/** How many live positions the order keeps without the given ones. */
export function livePositionsBesides(db: ReadableDB, orderId: number, positionIds: number[]): number {
  return (
    db
      .prepare(
        `SELECT COUNT(*) AS n FROM order_positions WHERE order_id = ? AND canceled = 0
       AND id NOT IN (${positionIds.map(() => '?').join(',')})`,
      )
      .get(orderId, ...positionIds) as { n: number }
  ).n;
}

export function setPositionCanceled(db: WritableDB, positionId: number): void {
  db.prepare('UPDATE order_positions SET canceled = 1 WHERE id = ?').run(positionId);
}

/** The columns of a position a PATCH may change. */
export type PositionPatch = Partial<
  Pick<
    OrderPositionRow,
    | 'attendee_name_cached'
    | 'attendee_name_parts'
    | 'attendee_email'
    | 'company'
    | 'street'
    | 'zipcode'
    | 'city'
    | 'country'
    | 'state'
    | 'valid_from'
    | 'valid_until'
  >
>;

export function setPositionColumn<K extends keyof PositionPatch>(
  db: WritableDB,
  positionId: number,
  key: K,
  value: PositionPatch[K],
): void {
  db.prepare(`UPDATE order_positions SET ${key} = ? WHERE id = ?`).run(value, positionId);
}

export const setPositionPrice = write<[price: string, taxRate: string, taxValue: string, positionId: number]>(
  'UPDATE order_positions SET price = ?, tax_rate = ?, tax_value = ? WHERE id = ?',
);

export function setPositionSecret(db: WritableDB, positionId: number, secret: string): void {
  db.prepare('UPDATE order_positions SET secret = ? WHERE id = ?').run(secret, positionId);
}

export function setPositionBlocked(db: WritableDB, positionId: number, blocked: string | null): void {
  db.prepare('UPDATE order_positions SET blocked = ? WHERE id = ?').run(blocked, positionId);
}

export const findOrder = readOne<[orderId: number], OrderRow>('SELECT * FROM orders WHERE id = ?');

/** Sets one column of an order (without touching `last_modified`). */
export function setOrderColumn<K extends keyof OrderRow>(
  db: WritableDB,
  orderId: number,
  key: K,
  value: OrderRow[K],
): void {
  db.prepare(`UPDATE orders SET ${key} = ? WHERE id = ?`).run(value, orderId);
}

export const findInvoiceAddress = readOne<[orderId: number], InvoiceAddressRow>(
  'SELECT * FROM invoice_addresses WHERE order_id = ?',
);

export function deleteInvoiceAddress(db: WritableDB, orderId: number): void {
  db.prepare('DELETE FROM invoice_addresses WHERE order_id = ?').run(orderId);
}

/** Stores an order's invoice address, replacing the one it has. */
export function upsertInvoiceAddress(db: WritableDB, a: InvoiceAddressRow): void {
  db.prepare(
    `INSERT INTO invoice_addresses (order_id, last_modified, is_business, company, name_cached, name_parts, street,
           zipcode, city, country, state, vat_id, vat_id_validated, internal_reference, custom_field)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (order_id) DO UPDATE SET last_modified = excluded.last_modified, is_business = excluded.is_business,
           company = excluded.company, name_cached = excluded.name_cached, name_parts = excluded.name_parts,
           street = excluded.street, zipcode = excluded.zipcode, city = excluded.city, country = excluded.country,
           state = excluded.state, vat_id = excluded.vat_id, vat_id_validated = excluded.vat_id_validated,
           internal_reference = excluded.internal_reference, custom_field = excluded.custom_field`,
  ).run(
    a.order_id,
    a.last_modified,
    a.is_business,
    a.company,
    a.name_cached,
    a.name_parts,
    a.street,
    a.zipcode,
    a.city,
    a.country,
    a.state,
    a.vat_id,
    a.vat_id_validated,
    a.internal_reference,
    a.custom_field,
  );
}

/** The vouchers the order's positions redeemed, one entry per position. */
export const vouchersOfOrderPositions = readColumn<[orderId: number], number>(
  'SELECT voucher_id FROM order_positions WHERE order_id = ? AND voucher_id IS NOT NULL',
);

/** Deletes an order with its check-ins, answers, payments, refunds and positions. */
export function deleteOrderRows(db: WritableDB, orderId: number): void {
  db.prepare(
    'DELETE FROM checkins WHERE position_id IN (SELECT id FROM order_positions WHERE order_id = ?)',
  ).run(orderId);
  db.prepare(
    'DELETE FROM question_answers WHERE orderposition_id IN (SELECT id FROM order_positions WHERE order_id = ?)',
  ).run(orderId);
  db.prepare('UPDATE order_positions SET addon_to_id = NULL WHERE order_id = ?').run(orderId);
  db.prepare('DELETE FROM order_payments WHERE order_id = ?').run(orderId);
  db.prepare('DELETE FROM order_refunds WHERE order_id = ?').run(orderId);
  db.prepare('DELETE FROM order_positions WHERE order_id = ?').run(orderId);
  db.prepare('DELETE FROM orders WHERE id = ?').run(orderId);
}

export function setOrderSecret(db: WritableDB, orderId: number, secret: string, lastModified: string): void {
  db.prepare('UPDATE orders SET secret = ?, last_modified = ? WHERE id = ?').run(
    secret,
    lastModified,
    orderId,
  );
}

export const positionIdsOfOrder = readColumn<[orderId: number], number>(
  'SELECT id FROM order_positions WHERE order_id = ?',
);

export function setPositionSecrets(
  db: WritableDB,
  positionId: number,
  secret: string,
  webSecret: string,
): void {
  db.prepare('UPDATE order_positions SET secret = ?, web_secret = ? WHERE id = ?').run(
    secret,
    webSecret,
    positionId,
  );
}
