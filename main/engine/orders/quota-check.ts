import type { Database } from 'better-sqlite3';

/**
 * What the order-creation quota check needs: the quotas a product counts against, and how many units a
 * quota still has (pretix's `Quota.availability()` number; null = unlimited). Orders are read from the
 * live counters; unexpired cart positions and valid quota-blocking vouchers are subtracted too.
 */
export interface QuotaRef {
  id: number;
  name: string;
  size: number | null;
}

export function quotasFor(
  db: Database,
  eventId: number,
  itemId: number,
  variationId: number | null,
  subeventId: number | null,
): QuotaRef[] {
  if (variationId !== null) {
    return db
      .prepare(
        `SELECT q.id, q.name, q.size FROM quotas q JOIN quota_variations qv ON qv.quota_id = q.id
         WHERE q.event_id = ? AND qv.variation_id = ? AND q.subevent_id IS ? ORDER BY q.id`,
      )
      .all(eventId, variationId, subeventId) as QuotaRef[];
  }
  return db
    .prepare(
      `SELECT q.id, q.name, q.size FROM quotas q JOIN quota_items qi ON qi.quota_id = q.id
       WHERE q.event_id = ? AND qi.item_id = ? AND q.subevent_id IS ? ORDER BY q.id`,
    )
    .all(eventId, itemId, subeventId) as QuotaRef[];
}

export function quotaAvailableNumber(db: Database, quotaId: number, now: Date): number | null {
  const q = db
    .prepare('SELECT id, size, closed, paid_count, pending_count, subevent_id FROM quotas WHERE id = ?')
    .get(quotaId) as
    | {
        id: number;
        size: number | null;
        closed: number;
        paid_count: number;
        pending_count: number;
        subevent_id: number | null;
      }
    | undefined;
  if (!q) return 0;
  if (q.closed) return 0;
  if (q.size === null) return null;
  const nowIso = now.toISOString();
  const carts = (
    db
      .prepare(
        `SELECT COUNT(*) AS n FROM cart_positions cp
         LEFT JOIN vouchers v ON v.id = cp.voucher_id
         WHERE cp.expires >= ? AND cp.subevent_id IS ?
           AND NOT (v.id IS NOT NULL AND v.block_quota = 1 AND (v.valid_until IS NULL OR v.valid_until >= ?))
           AND (
             (cp.variation_id IS NULL AND EXISTS (SELECT 1 FROM quota_items qi WHERE qi.quota_id = ? AND qi.item_id = cp.item_id))
             OR (cp.variation_id IS NOT NULL AND EXISTS (SELECT 1 FROM quota_variations qv WHERE qv.quota_id = ? AND qv.variation_id = cp.variation_id))
           )`,
      )
      .get(nowIso, q.subevent_id, nowIso, q.id, q.id) as { n: number }
  ).n;
  const blocking = (
    db
      .prepare(
        `SELECT COALESCE(SUM(MAX(v.max_usages - v.redeemed, 0)), 0) AS n FROM vouchers v
         WHERE v.block_quota = 1 AND (v.valid_until IS NULL OR v.valid_until >= ?)
           AND (v.subevent_id IS NULL OR v.subevent_id IS ?)
           AND (
             v.quota_id = ?
             OR (v.quota_id IS NULL AND v.variation_id IS NOT NULL AND EXISTS (SELECT 1 FROM quota_variations qv WHERE qv.quota_id = ? AND qv.variation_id = v.variation_id))
             OR (v.quota_id IS NULL AND v.variation_id IS NULL AND v.item_id IS NOT NULL AND EXISTS (SELECT 1 FROM quota_items qi WHERE qi.quota_id = ? AND qi.item_id = v.item_id))
           )`,
      )
      .get(nowIso, q.subevent_id, q.id, q.id, q.id) as { n: number }
  ).n;
  return Math.max(q.size - q.paid_count - q.pending_count - blocking - carts, 0);
}
