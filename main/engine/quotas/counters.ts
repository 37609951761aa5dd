import type { EngineContext } from '../context';
import {
  addToQuotaCounters,
  countQuotaOrders,
  orderStatus,
  quotaUnitsOfOrder,
  setQuotaCounters,
} from '../db/queries/catalog/quotas';

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

function applyOrder(ctx: EngineContext, orderId: number, sign: 1 | -1): void {
  const status = orderStatus(ctx.db, orderId);
  if (status === undefined) return;
  const column = status === 'p' ? 'paid_count' : status === 'n' ? 'pending_count' : undefined;
  if (!column) return;
  const units = quotaUnitsOfOrder(ctx.db, orderId).map((r) => ({ quota_id: r.quota_id, n: sign * r.n }));
  addToQuotaCounters(ctx.db, column, units);
}

/**
 * `holdOrderInQuotas` for an order just stored with `status`, from what the placement already knows: the
 * quotas each of its positions counts against (none of a new order's positions is canceled or blocked),
 * instead of counting them again from the stored positions.
 */
export function holdPlacedOrderInQuotas(
  ctx: EngineContext,
  status: 'n' | 'p',
  quotasOfPositions: Iterable<readonly { id: number }[]>,
): void {
  const units = new Map<number, number>();
  for (const quotas of quotasOfPositions) for (const q of quotas) units.set(q.id, (units.get(q.id) ?? 0) + 1);
  addToQuotaCounters(
    ctx.db,
    status === 'p' ? 'paid_count' : 'pending_count',
    [...units].map(([quota_id, n]) => ({ quota_id, n })),
  );
}

/** Recomputes one quota's counters from the orders (after its items, variations or sub-event change). */
export function recountQuota(ctx: EngineContext, quotaId: number): void {
  setQuotaCounters(
    ctx.db,
    quotaId,
    countQuotaOrders(ctx.db, quotaId, 'p'),
    countQuotaOrders(ctx.db, quotaId, 'n'),
  );
}
