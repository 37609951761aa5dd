import type { Database } from 'better-sqlite3';
import type { EngineContext } from '../context';

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

export interface QuotaRow {
  id: number;
  event_id: number;
  subevent_id: number | null;
  name: string;
  size: number | null;
  closed: number;
  close_when_sold_out: number;
  paid_count: number;
  pending_count: number;
}

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

export interface AvailabilityOptions {
  /** Keep counting every stage even when the result is already decided (statistics). */
  fullResults?: boolean;
  /** Treat closed quotas as open (pretix's `ignore_closed`). */
  ignoreClosed?: boolean;
}

const QUOTA_COLUMNS =
  'id, event_id, subevent_id, name, size, closed, close_when_sold_out, paid_count, pending_count';

/** The quotas of an event, or of one of its dates. */
export function quotasOfEvent(db: Database, eventId: number, subeventId: number | null): QuotaRow[] {
  return db
    .prepare(`SELECT ${QUOTA_COLUMNS} FROM quotas WHERE event_id = ? AND subevent_id IS ? ORDER BY id`)
    .all(eventId, subeventId) as QuotaRow[];
}

export function loadQuota(db: Database, quotaId: number): QuotaRow | undefined {
  return db.prepare(`SELECT ${QUOTA_COLUMNS} FROM quotas WHERE id = ?`).get(quotaId) as QuotaRow | undefined;
}

/**
 * The quotas a unit of this product draws from: a variation counts only against quotas that list the
 * variation, a product without variation against quotas that list the product; and only quotas of the
 * same sub-event (both null for a plain event). Ordered by id, so callers see a stable order.
 */
export function quotasForProduct(
  db: Database,
  eventId: number,
  itemId: number,
  variationId: number | null,
  subeventId: number | null,
): QuotaRow[] {
  if (variationId !== null) {
    return db
      .prepare(
        `SELECT ${QUOTA_COLUMNS.split(', ')
          .map((c) => `q.${c}`)
          .join(', ')}
         FROM quota_variations qv JOIN quotas q ON q.id = qv.quota_id
         WHERE qv.variation_id = ? AND q.event_id = ? AND q.subevent_id IS ?
         ORDER BY q.id`,
      )
      .all(variationId, eventId, subeventId) as QuotaRow[];
  }
  return db
    .prepare(
      `SELECT ${QUOTA_COLUMNS.split(', ')
        .map((c) => `q.${c}`)
        .join(', ')}
       FROM quota_items qi JOIN quotas q ON q.id = qi.quota_id
       WHERE qi.item_id = ? AND q.event_id = ? AND q.subevent_id IS ?
       ORDER BY q.id`,
    )
    .all(itemId, eventId, subeventId) as QuotaRow[];
}

/** Free units held by block_quota vouchers that are still valid, for one quota. */
export function countBlockingVouchers(db: Database, quota: QuotaRow, nowIso: string): number {
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
export function countCartPositions(db: Database, quota: QuotaRow, nowIso: string): number {
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
  db: Database,
  quota: QuotaRow,
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
export function readQuotaAvailability(db: Database, quota: QuotaRow, nowIso: string): QuotaAvailability {
  return computeOne(db, quota, nowIso, { fullResults: true });
}

/**
 * Availability of the given quotas at `ctx.now`. As in pretix, a quota with `close_when_sold_out`
 * whose result is GONE or ORDERED is closed (and the closing logged) as a side effect.
 */
export function computeQuotaAvailability(
  ctx: EngineContext,
  quotas: Iterable<QuotaRow | number>,
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
      ctx.db.prepare('UPDATE quotas SET closed = 1 WHERE id = ?').run(quota.id);
      quota.closed = 1;
      const event = ctx.db.prepare('SELECT organizer_id FROM events WHERE id = ?').get(quota.event_id) as
        { organizer_id: number } | undefined;
      ctx.audit({
        organizerId: event?.organizer_id ?? null,
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
  private readonly rows = new Map<number, QuotaRow>();

  constructor(ctx: EngineContext) {
    this.ctx = ctx;
  }

  private ensure(quota: QuotaRow | number): number {
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
  available(quota: QuotaRow | number): number {
    return this.left.get(this.ensure(quota))!;
  }

  /** Takes `units`; false when the quota went below zero with it (the units are taken regardless). */
  take(quota: QuotaRow | number, units = 1): boolean {
    const id = this.ensure(quota);
    const next = this.left.get(id)! - units;
    this.left.set(id, next);
    return next >= 0;
  }

  /** Gives units back (e.g. a consumed cart position that was holding them). */
  credit(quota: QuotaRow | number, units = 1): void {
    const id = this.ensure(quota);
    this.left.set(id, this.left.get(id)! + units);
  }

  quota(id: number): QuotaRow | undefined {
    this.ensure(id);
    return this.rows.get(id);
  }
}

export interface QuotaNeed {
  quota: QuotaRow | number;
  units: number;
}

/**
 * Checks and takes the units of several quotas at once, all or nothing: the first quota without room
 * is returned and nothing is taken from the ledger for it. Use inside the command that writes the rows.
 */
export function takeQuotaUnits(
  ledger: QuotaLedger,
  needs: QuotaNeed[],
): { ok: true } | { ok: false; quota: QuotaRow | undefined; message: string } {
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
