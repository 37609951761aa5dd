import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import { eventOrganizerId } from '../db/queries/catalog/events';
import {
  closeQuotaRow,
  countBlockingVouchers,
  countCartPositions,
  loadQuota,
  type QuotaCounters,
} from '../db/queries/catalog/quotas';

export { quotasForProduct, quotasOfEvent, type QuotaCounters } from '../db/queries/catalog/quotas';

/**
 * Quota availability, counted the way pretix's `QuotaAvailability` counts it:
 *
 *   left = size − paid − pending − blocking vouchers − unexpired cart positions
 *
 * Orders come from the live counters in `quotas.paid_count` / `quotas.pending_count` (see counters.ts),
 * so nothing here scans orders. Vouchers and carts are counted with indexed lookups per quota. The
 * stage in which `left` first reaches zero decides the state: paid orders → GONE, pending orders or
 * vouchers → ORDERED, carts → RESERVED. The waiting list is not modelled, so it never counts.
 */
export const AVAILABILITY_GONE = 0;
export const AVAILABILITY_ORDERED = 10;
export const AVAILABILITY_RESERVED = 20;
export const AVAILABILITY_OK = 100;

export type AvailabilityState =
  | typeof AVAILABILITY_GONE
  | typeof AVAILABILITY_ORDERED
  | typeof AVAILABILITY_RESERVED
  | typeof AVAILABILITY_OK;

export interface QuotaAvailability {
  state: AvailabilityState;
  /** Units left; null for an unlimited quota. */
  available: number | null;
  paidOrders: number;
  pendingOrders: number;
  exitedOrders: number;
  blockingVouchers: number;
  cartPositions: number;
  waitingList: number;
}

interface AvailabilityOptions {
  /** Keep counting every stage even when the result is already decided (statistics). */
  fullResults?: boolean;
  /** Treat closed quotas as open (pretix's `ignore_closed`). */
  ignoreClosed?: boolean;
}

function emptyCounts(): Omit<QuotaAvailability, 'state' | 'available'> {
  return {
    paidOrders: 0,
    pendingOrders: 0,
    exitedOrders: 0,
    blockingVouchers: 0,
    cartPositions: 0,
    waitingList: 0,
  };
}

function computeOne(
  db: ReadableDB,
  quota: QuotaCounters,
  nowIso: string,
  options: AvailabilityOptions,
): QuotaAvailability {
  const counts = emptyCounts();
  let decided: { state: AvailabilityState; available: number | null } | undefined;
  if (quota.closed && !options.ignoreClosed) decided = { state: AVAILABILITY_ORDERED, available: 0 };
  else if (quota.size === null) decided = { state: AVAILABILITY_OK, available: null };
  else if (quota.size === 0) decided = { state: AVAILABILITY_GONE, available: 0 };
  if (decided && !options.fullResults) return { ...decided, ...counts };

  let left = quota.size === null ? Number.POSITIVE_INFINITY : quota.size;
  const subtract = (n: number, state: AvailabilityState) => {
    left -= n;
    if (!decided && left <= 0) decided = { state, available: 0 };
  };

  counts.paidOrders = quota.paid_count;
  subtract(quota.paid_count, AVAILABILITY_GONE);
  counts.pendingOrders = quota.pending_count;
  subtract(quota.pending_count, AVAILABILITY_ORDERED);
  if (!decided || options.fullResults) {
    counts.blockingVouchers = countBlockingVouchers(db, quota, nowIso);
    subtract(counts.blockingVouchers, AVAILABILITY_ORDERED);
  }
  if (!decided || options.fullResults) {
    counts.cartPositions = countCartPositions(db, quota, nowIso);
    subtract(counts.cartPositions, AVAILABILITY_RESERVED);
  }
  if (decided) return { ...decided, ...counts };
  return { state: AVAILABILITY_OK, available: left, ...counts };
}

/**
 * Availability of one quota at `nowIso` without side effects, for screens that only show it (the desk's
 * tiles and Setup): the same count the engine checks a sale against, so a tile never offers what a
 * sale would be refused. Every stage is counted, so the parts are there to show.
 */
export function readQuotaAvailability(
  db: ReadableDB,
  quota: QuotaCounters,
  nowIso: string,
): QuotaAvailability {
  return computeOne(db, quota, nowIso, { fullResults: true });
}

/**
 * Availability of the given quotas at `ctx.now`. As in pretix, a quota with `close_when_sold_out`
 * whose result is GONE or ORDERED is closed (and the closing logged) as a side effect.
 */
export function computeQuotaAvailability(
  ctx: EngineContext,
  quotas: Iterable<QuotaCounters | number>,
  options: AvailabilityOptions = {},
): Map<number, QuotaAvailability> {
  const nowIso = ctx.now.toISOString();
  const results = new Map<number, QuotaAvailability>();
  for (const entry of quotas) {
    const quota = typeof entry === 'number' ? loadQuota(ctx.db, entry) : entry;
    if (!quota || results.has(quota.id)) continue;
    const result = computeOne(ctx.db, quota, nowIso, options);
    results.set(quota.id, result);
    if (
      (result.state === AVAILABILITY_GONE || result.state === AVAILABILITY_ORDERED) &&
      quota.close_when_sold_out &&
      !quota.closed
    ) {
      closeQuotaRow(ctx.db, quota.id);
      quota.closed = 1;
      ctx.audit({
        organizerId: eventOrganizerId(ctx.db, quota.event_id) ?? null,
        eventId: quota.event_id,
        objectType: 'quota',
        objectId: quota.id,
        actionType: 'pretix.event.quota.closed',
      });
    }
  }
  return results;
}

/**
 * A running tally of quota units for one sale, inside the caller's transaction: availability is
 * computed once per quota, then every unit handed out is taken from it. Order creation takes one unit
 * per position and quota (and may credit units back for carts it consumes); `take` reports whether the
 * quota still had room, and keeps counting below zero as pretix does, so later positions fail too.
 */
export class QuotaLedger {
  private readonly ctx: EngineContext;
  private readonly left = new Map<number, number>();
  private readonly rows = new Map<number, QuotaCounters>();

  constructor(ctx: EngineContext) {
    this.ctx = ctx;
  }

  private ensure(quota: QuotaCounters | number): number {
    const id = typeof quota === 'number' ? quota : quota.id;
    if (this.left.has(id)) return id;
    const row = typeof quota === 'number' ? loadQuota(this.ctx.db, quota) : quota;
    if (!row) {
      this.left.set(id, 0);
      return id;
    }
    this.rows.set(id, row);
    const result = computeQuotaAvailability(this.ctx, [row]).get(id)!;
    this.left.set(id, result.available === null ? Number.POSITIVE_INFINITY : result.available);
    return id;
  }

  /** Units still available (Infinity for unlimited quotas). */
  available(quota: QuotaCounters | number): number {
    return this.left.get(this.ensure(quota))!;
  }

  /** Takes `units`; false when the quota went below zero with it (the units are taken regardless). */
  take(quota: QuotaCounters | number, units = 1): boolean {
    const id = this.ensure(quota);
    const next = this.left.get(id)! - units;
    this.left.set(id, next);
    return next >= 0;
  }

  /** Gives units back (e.g. a consumed cart position that was holding them). */
  credit(quota: QuotaCounters | number, units = 1): void {
    const id = this.ensure(quota);
    this.left.set(id, this.left.get(id)! + units);
  }

  quota(id: number): QuotaCounters | undefined {
    this.ensure(id);
    return this.rows.get(id);
  }
}

interface QuotaNeed {
  quota: QuotaCounters | number;
  units: number;
}

/**
 * Checks and takes the units of several quotas at once, all or nothing: the first quota without room
 * is returned and nothing is taken from the ledger for it. Use inside the command that writes the rows.
 */
export function takeQuotaUnits(
  ledger: QuotaLedger,
  needs: QuotaNeed[],
): { ok: true } | { ok: false; quota: QuotaCounters | undefined; message: string } {
  const total = new Map<number, number>();
  for (const need of needs) {
    const id = typeof need.quota === 'number' ? need.quota : need.quota.id;
    total.set(id, (total.get(id) ?? 0) + need.units);
    ledger.available(need.quota);
  }
  for (const [id, units] of total) {
    if (ledger.available(id) < units) {
      const quota = ledger.quota(id);
      return { ok: false, quota, message: notEnoughQuotaMessage(quota?.name ?? String(id)) };
    }
  }
  for (const [id, units] of total) ledger.take(id, units);
  return { ok: true };
}

export function notEnoughQuotaMessage(quotaName: string): string {
  return `There is not enough quota available on quota "${quotaName}" to perform the operation.`;
}

/**
 * pretix's `_get_quota_availability` for carts: for a summed demand per quota, how many units each
 * quota can hand out, i.e. min(demand, available).
 */
export function grantQuotaUnits(ctx: EngineContext, demand: Map<number, number>): Map<number, number> {
  const granted = new Map<number, number>();
  const wanted = [...demand.entries()].filter(([, n]) => n > 0).map(([id]) => id);
  const results = computeQuotaAvailability(ctx, wanted);
  for (const [id, count] of demand) {
    if (count <= 0) {
      granted.set(id, 0);
      continue;
    }
    const result = results.get(id);
    const available = result ? result.available : 0;
    granted.set(id, available !== null && available < count ? Math.min(count, available) : count);
  }
  return granted;
}
