import type { EngineContext } from '../context';

/**
 * Live per-quota counters of what pending (`n`) and paid (`p`) orders hold, so availability is a lookup,
 * not a scan over all orders.
 *
 * Every command that changes an order's status or its positions brackets the change:
 *
 *     releaseOrderFromQuotas(ctx, orderId);   // take out what the order holds now
 *     ...update the order and its positions...
 *     holdOrderInQuotas(ctx, orderId);        // put back what it holds afterwards
 *
 * Both run in the command's transaction, so the counters always agree with the orders. A position counts
 * against every quota of its variation (or of its item when it has none) for its sub-event, unless it is
 * canceled, or blocked with `ignore_from_quota_while_blocked` semantics (blocked positions are not
 * modelled separately: a position with a non-null `blocked` list is not counted).
 */
export function releaseOrderFromQuotas(ctx: EngineContext, orderId: number): void {
  applyOrder(ctx, orderId, -1);
}

export function holdOrderInQuotas(ctx: EngineContext, orderId: number): void {
  applyOrder(ctx, orderId, +1);
}

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

function applyOrder(ctx: EngineContext, orderId: number, sign: 1 | -1): void {
  const order = ctx.db.prepare('SELECT status FROM orders WHERE id = ?').get(orderId) as
    { status: string } | undefined;
  if (!order) return;
  const column = order.status === 'p' ? 'paid_count' : order.status === 'n' ? 'pending_count' : undefined;
  if (!column) return;
  const rows = ctx.db.prepare(QUOTAS_OF_ORDER).all(orderId) as { quota_id: number; n: number }[];
  const update = ctx.db.prepare(`UPDATE quotas SET ${column} = ${column} + ? WHERE id = ?`);
  for (const r of rows) update.run(sign * r.n, r.quota_id);
}

/** Recomputes one quota's counters from the orders (after its items, variations or sub-event change). */
export function recountQuota(ctx: EngineContext, quotaId: number): void {
  const count = (status: 'n' | 'p') =>
    (
      ctx.db
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
  ctx.db
    .prepare('UPDATE quotas SET paid_count = ?, pending_count = ? WHERE id = ?')
    .run(count('p'), count('n'), quotaId);
}
