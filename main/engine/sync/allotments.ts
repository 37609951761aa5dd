import type { Database } from 'better-sqlite3';
import type { EngineContext } from '../context';
import { refused } from '../errors';

/**
 * A desk's hold on one quota of the server: a quota-blocking voucher whose `max_usages` is `held`. The desk
 * sells `sold` places from it (whether uploaded or not) and may sell while `sold < held`, online or not.
 * The server counts the voucher's unredeemed usages (`held - uploaded`) as blocked, so the places the desk
 * sold but has not uploaded yet stay blocked there until their order arrives and redeems them.
 */
export interface AllotmentRow {
  quota_id: number;
  voucher_id: number | null;
  voucher_code: string;
  target: number;
  held: number;
  sold: number;
  uploaded: number;
}

export function listAllotments(db: Database): AllotmentRow[] {
  return db.prepare('SELECT * FROM sync_allotments ORDER BY quota_id').all() as AllotmentRow[];
}

export function getAllotment(db: Database, quotaId: number): AllotmentRow | undefined {
  return db.prepare('SELECT * FROM sync_allotments WHERE quota_id = ?').get(quotaId) as
    AllotmentRow | undefined;
}

/** Places the desk may still sell from this allotment. */
export function freeInAllotment(a: Pick<AllotmentRow, 'held' | 'sold'>): number {
  return a.held - a.sold;
}

/** The voucher's code is chosen by the desk before the server knows it, so a retried creation is recognisable. */
export function planAllotment(
  ctx: EngineContext,
  input: { quotaId: number; voucherCode: string; target: number },
): AllotmentRow {
  if (!Number.isInteger(input.target) || input.target < 0)
    throw refused('allotment_target', 'The allotment must be a whole number of places, 0 or more.');
  const existing = getAllotment(ctx.db, input.quotaId);
  if (existing) {
    ctx.db
      .prepare('UPDATE sync_allotments SET target = ? WHERE quota_id = ?')
      .run(input.target, input.quotaId);
  } else {
    ctx.db
      .prepare('INSERT INTO sync_allotments (quota_id, voucher_code, target) VALUES (?, ?, ?)')
      .run(input.quotaId, input.voucherCode, input.target);
  }
  ctx.audit({
    objectType: 'sync_allotment',
    objectId: input.quotaId,
    actionType: 'guichet.sync.allotment.planned',
    data: { target: input.target },
  });
  return getAllotment(ctx.db, input.quotaId)!;
}

/**
 * The server now holds `held` places for this desk (its voucher's max_usages). Called after a top-up the
 * server accepted, and when the desk reads its voucher back. Never below what the desk has already sold.
 */
export function recordHeld(
  ctx: EngineContext,
  input: { quotaId: number; voucherId: number; held: number; redeemed?: number },
): AllotmentRow {
  const a = getAllotment(ctx.db, input.quotaId);
  if (!a) throw refused('allotment_unknown', 'This desk holds no places of that quota.');
  if (input.held < a.sold)
    throw refused(
      'allotment_below_sold',
      `The server holds ${input.held} places for this desk, but it has sold ${a.sold}.`,
    );
  ctx.db
    .prepare('UPDATE sync_allotments SET voucher_id = ?, held = ? WHERE quota_id = ?')
    .run(input.voucherId, input.held, input.quotaId);
  ctx.audit({
    objectType: 'sync_allotment',
    objectId: input.quotaId,
    actionType: 'guichet.sync.allotment.held',
    data: { held: input.held, before: a.held },
  });
  return getAllotment(ctx.db, input.quotaId)!;
}

/**
 * First half of a give-back: the desk stops selling the places it gives back before it asks the server to
 * release them, so a sale made meanwhile can never exceed what the server still holds. If the server call
 * fails, the server simply blocks more than the desk uses until the next read-back.
 */
export function lowerHeld(ctx: EngineContext, input: { quotaId: number; keep: number }): AllotmentRow {
  const a = getAllotment(ctx.db, input.quotaId);
  if (!a) throw refused('allotment_unknown', 'This desk holds no places of that quota.');
  const held = Math.min(a.held, a.sold + Math.max(0, input.keep));
  ctx.db.prepare('UPDATE sync_allotments SET held = ? WHERE quota_id = ?').run(held, input.quotaId);
  ctx.audit({
    objectType: 'sync_allotment',
    objectId: input.quotaId,
    actionType: 'guichet.sync.allotment.given_back',
    data: { held, before: a.held },
  });
  return getAllotment(ctx.db, input.quotaId)!;
}

/** Takes places from the allotments for one sale, in the sale's transaction; refuses the whole sale if one runs short. */
export function takeFromAllotments(ctx: EngineContext, places: Record<string, number>): void {
  for (const [quota, count] of Object.entries(places)) {
    const a = getAllotment(ctx.db, Number(quota));
    if (!a)
      throw refused(
        'allotment_unknown',
        'This desk holds no places of that quota; ask for an allotment first.',
      );
    if (freeInAllotment(a) < count)
      throw refused(
        'allotment_exhausted',
        freeInAllotment(a) === 0
          ? 'This desk has no places left in its allotment.'
          : `This desk has only ${freeInAllotment(a)} places left in its allotment.`,
      );
    ctx.db.prepare('UPDATE sync_allotments SET sold = sold + ? WHERE quota_id = ?').run(count, a.quota_id);
  }
}

/** The server confirmed an upload: those places are now redeemed on the voucher. */
export function markUploaded(ctx: EngineContext, places: Record<string, number>): void {
  for (const [quota, count] of Object.entries(places)) {
    ctx.db
      .prepare('UPDATE sync_allotments SET uploaded = uploaded + ? WHERE quota_id = ?')
      .run(count, Number(quota));
  }
}
