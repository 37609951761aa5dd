import type { ReadableDB, WritableDB } from '../../handles';
import type { QuotaRow } from '../../rows';
import { readAll, readColumn, readOne, write } from '../statements';

/**
 * Quotas: their rows and members (`quota_items`, `quota_variations`), the live order counters, and the
 * counts availability subtracts (blocking vouchers, carts).
 */

export function findQuota(db: ReadableDB, eventId: number, id: number): QuotaRow | undefined {
  return db.prepare('SELECT * FROM quotas WHERE id = ? AND event_id = ?').get(id, eventId) as
    QuotaRow | undefined;
}

export const quotaItemIds = readColumn<[quotaId: number], number>(
  'SELECT item_id FROM quota_items WHERE quota_id = ? ORDER BY item_id',
);

export const quotaVariationIds = readColumn<[quotaId: number], number>(
  'SELECT variation_id FROM quota_variations WHERE quota_id = ? ORDER BY variation_id',
);

export function setQuotaItems(db: WritableDB, quotaId: number, itemIds: number[]): void {
  db.prepare('DELETE FROM quota_items WHERE quota_id = ?').run(quotaId);
  const ins = db.prepare('INSERT INTO quota_items (quota_id, item_id) VALUES (?, ?)');
  for (const i of itemIds) ins.run(quotaId, i);
}

export function setQuotaVariations(db: WritableDB, quotaId: number, variationIds: number[]): void {
  db.prepare('DELETE FROM quota_variations WHERE quota_id = ?').run(quotaId);
  const ins = db.prepare('INSERT INTO quota_variations (quota_id, variation_id) VALUES (?, ?)');
  for (const v of variationIds) ins.run(quotaId, v);
}

export const deleteQuotaRow = write<[id: number]>('DELETE FROM quotas WHERE id = ?');

export const closeQuotaRow = write<[id: number]>('UPDATE quotas SET closed = 1 WHERE id = ?');

// ---------------------------------------------------------------- what availability reads

/** The quota columns availability needs. */
export type QuotaCounters = Pick<
  QuotaRow,
  | 'id'
  | 'event_id'
  | 'subevent_id'
  | 'name'
  | 'size'
  | 'closed'
  | 'close_when_sold_out'
  | 'paid_count'
  | 'pending_count'
>;

const QUOTA_COLUMNS =
  'id, event_id, subevent_id, name, size, closed, close_when_sold_out, paid_count, pending_count';

/** The quotas of an event, or of one of its dates. */
export const quotasOfEvent = readAll<[eventId: number, subeventId: number | null], QuotaCounters>(
  `SELECT ${QUOTA_COLUMNS} FROM quotas WHERE event_id = ? AND subevent_id IS ? ORDER BY id`,
);

/** An event's quota with its counters; undefined when the event has no such quota. */
export function quotaCountersInEvent(
  db: ReadableDB,
  eventId: number,
  quotaId: number,
): QuotaCounters | undefined {
  return db
    .prepare(`SELECT ${QUOTA_COLUMNS} FROM quotas WHERE id = ? AND event_id = ?`)
    .get(quotaId, eventId) as QuotaCounters | undefined;
}

const QUOTA_COLUMNS_OF_Q = QUOTA_COLUMNS.split(', ')
  .map((c) => `q.${c}`)
  .join(', ');

export const loadQuota = readOne<[quotaId: number], QuotaCounters>(
  `SELECT ${QUOTA_COLUMNS} FROM quotas WHERE id = ?`,
);

/**
 * The quotas a unit of this product draws from: a variation counts only against quotas that list the
 * variation, a product without variation against quotas that list the product; and only quotas of the
 * same sub-event (both null for a plain event). Ordered by id, so callers see a stable order.
 */
export function quotasForProduct(
  db: ReadableDB,
  eventId: number,
  itemId: number,
  variationId: number | null,
  subeventId: number | null,
): QuotaCounters[] {
  const [members, alias, column, memberId] =
    variationId !== null
      ? ['quota_variations', 'qv', 'variation_id', variationId]
      : ['quota_items', 'qi', 'item_id', itemId];
  return db
    .prepare(
      `SELECT ${QUOTA_COLUMNS_OF_Q}
         FROM ${members} ${alias} JOIN quotas q ON q.id = ${alias}.quota_id
         WHERE ${alias}.${column} = ? AND q.event_id = ? AND q.subevent_id IS ?
         ORDER BY q.id`,
    )
    .all(memberId, eventId, subeventId) as QuotaCounters[];
}

/** Free units held by block_quota vouchers that are still valid, for one quota. */
export function countBlockingVouchers(db: ReadableDB, quota: QuotaCounters, nowIso: string): number {
  const row = db
    .prepare(
      `SELECT COALESCE(SUM(MAX(v.max_usages - v.redeemed, 0)), 0) AS n
       FROM vouchers v
       WHERE v.event_id = ? AND v.block_quota = 1 AND v.subevent_id IS ?
         AND (v.valid_until IS NULL OR v.valid_until >= ?)
         AND (
           (v.variation_id IS NOT NULL
              AND v.variation_id IN (SELECT variation_id FROM quota_variations WHERE quota_id = ?))
           OR (v.variation_id IS NULL AND v.item_id IS NOT NULL
              AND v.item_id IN (SELECT item_id FROM quota_items WHERE quota_id = ?))
           OR (v.variation_id IS NULL AND v.item_id IS NULL AND v.quota_id = ?)
         )`,
    )
    .get(quota.event_id, quota.subevent_id, nowIso, quota.id, quota.id, quota.id) as { n: number };
  return row.n;
}

/**
 * Unexpired cart positions of one quota, except those holding a still-blocking voucher (the voucher
 * already holds that unit). Two index range scans: by (item_id, expires) for positions without
 * variation and by (variation_id, expires) for positions with one.
 */
export function countCartPositions(db: ReadableDB, quota: QuotaCounters, nowIso: string): number {
  const notBlockedByVoucher = `(cp.voucher_id IS NULL OR NOT EXISTS (
      SELECT 1 FROM vouchers v WHERE v.id = cp.voucher_id AND v.block_quota = 1
        AND (v.valid_until IS NULL OR v.valid_until >= ?)))`;
  const byItem = db
    .prepare(
      `SELECT COUNT(*) AS n FROM cart_positions cp
       WHERE cp.item_id IN (SELECT item_id FROM quota_items WHERE quota_id = ?)
         AND cp.expires >= ? AND cp.variation_id IS NULL
         AND cp.event_id = ? AND cp.subevent_id IS ? AND ${notBlockedByVoucher}`,
    )
    .get(quota.id, nowIso, quota.event_id, quota.subevent_id, nowIso) as { n: number };
  const byVariation = db
    .prepare(
      `SELECT COUNT(*) AS n FROM cart_positions cp
       WHERE cp.variation_id IN (SELECT variation_id FROM quota_variations WHERE quota_id = ?)
         AND cp.expires >= ?
         AND cp.event_id = ? AND cp.subevent_id IS ? AND ${notBlockedByVoucher}`,
    )
    .get(quota.id, nowIso, quota.event_id, quota.subevent_id, nowIso) as { n: number };
  return byItem.n + byVariation.n;
}

// ---------------------------------------------------------------- live order counters

const QUOTAS_OF_ORDER = `
  SELECT q.id AS quota_id, COUNT(*) AS n
  FROM order_positions op
  JOIN quotas q ON q.event_id = (SELECT event_id FROM orders WHERE id = op.order_id)
    AND q.subevent_id IS op.subevent_id
  WHERE op.order_id = ? AND op.canceled = 0 AND op.blocked IS NULL
    AND (
      (op.variation_id IS NULL AND EXISTS (SELECT 1 FROM quota_items qi WHERE qi.quota_id = q.id AND qi.item_id = op.item_id))
      OR
      (op.variation_id IS NOT NULL AND EXISTS (SELECT 1 FROM quota_variations qv WHERE qv.quota_id = q.id AND qv.variation_id = op.variation_id))
    )
  GROUP BY q.id`;

/** How many of an order's counted positions each quota holds. */
interface OrderQuotaUnits {
  quota_id: number;
  n: number;
}

export function orderStatus(db: ReadableDB, orderId: number): string | undefined {
  const order = db.prepare('SELECT status FROM orders WHERE id = ?').get(orderId) as
    { status: string } | undefined;
  return order?.status;
}

export function quotaUnitsOfOrder(db: ReadableDB, orderId: number): OrderQuotaUnits[] {
  return db.prepare(QUOTAS_OF_ORDER).all(orderId) as OrderQuotaUnits[];
}

/** Adds each quota's units (negative to take them out) to one of its order counters. */
export function addToQuotaCounters(
  db: WritableDB,
  column: 'paid_count' | 'pending_count',
  units: { quota_id: number; n: number }[],
): void {
  const update = db.prepare(`UPDATE quotas SET ${column} = ${column} + ? WHERE id = ?`);
  for (const r of units) update.run(r.n, r.quota_id);
}

/** Counts the positions of orders in `status` that one quota counts, from the orders themselves. */
export function countQuotaOrders(db: ReadableDB, quotaId: number, status: 'n' | 'p'): number {
  return (
    db
      .prepare(
        `SELECT COUNT(*) AS n
           FROM quotas q
           JOIN orders o ON o.event_id = q.event_id AND o.status = ?
           JOIN order_positions op ON op.order_id = o.id AND op.canceled = 0 AND op.blocked IS NULL
             AND op.subevent_id IS q.subevent_id
           WHERE q.id = ? AND (
             (op.variation_id IS NULL AND EXISTS (SELECT 1 FROM quota_items qi WHERE qi.quota_id = q.id AND qi.item_id = op.item_id))
             OR
             (op.variation_id IS NOT NULL AND EXISTS (SELECT 1 FROM quota_variations qv WHERE qv.quota_id = q.id AND qv.variation_id = op.variation_id))
           )`,
      )
      .get(status, quotaId) as { n: number }
  ).n;
}

export function setQuotaCounters(db: WritableDB, quotaId: number, paid: number, pending: number): void {
  db.prepare('UPDATE quotas SET paid_count = ?, pending_count = ? WHERE id = ?').run(paid, pending, quotaId);
}
