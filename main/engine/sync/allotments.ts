import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import {
  addAllotmentSold,
  addAllotmentUploaded,
  findLocalId,
  findSyncAllotment,
  insertSyncAllotment,
  listSyncAllotments,
  setAllotmentHeld,
  setAllotmentSize,
  setAllotmentTarget,
} from '../db/queries/sync';
import { updateCatalogRow } from '../db/queries/catalog/tables';
import type { SyncAllotmentRow } from '../db/rows';
import { refused } from '../errors';

/**
 * A desk's hold on one quota of the server: a quota-blocking voucher whose `max_usages` is `held`. The desk
 * sells `sold` places from it (whether uploaded or not) and may sell while `sold < held`, online or not.
 * The server counts the voucher's unredeemed usages (`held - uploaded`) as blocked, so the places the desk
 * sold but has not uploaded yet stay blocked there until their order arrives and redeems them.
 */
export type AllotmentRow = SyncAllotmentRow;

export function listAllotments(db: ReadableDB): AllotmentRow[] {
  return listSyncAllotments(db);
}

export function getAllotment(db: ReadableDB, quotaId: number): AllotmentRow | undefined {
  return findSyncAllotment(db, quotaId);
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
    setAllotmentTarget(ctx.db, input.quotaId, input.target);
  } else {
    insertSyncAllotment(ctx.db, {
      quota_id: input.quotaId,
      voucher_code: input.voucherCode,
      target: input.target,
    });
  }
  return auditedAllotment(ctx, input.quotaId, 'guichet.sync.allotment.planned', { target: input.target });
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
  setAllotmentHeld(ctx.db, input.quotaId, input.held, input.voucherId);
  sizeLocalQuota(ctx, input.quotaId, input.held);
  return auditedAllotment(ctx, input.quotaId, 'guichet.sync.allotment.held', {
    held: input.held,
    before: a.held,
  });
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
  setAllotmentHeld(ctx.db, input.quotaId, held);
  sizeLocalQuota(ctx, input.quotaId, held);
  return auditedAllotment(ctx, input.quotaId, 'guichet.sync.allotment.given_back', { held, before: a.held });
}

/**
 * The desk's copy of the quota holds what the desk holds of it on the server, so the sales screen shows,
 * and the desk's own quota check allows, only the places the desk may sell.
 */
function sizeLocalQuota(ctx: EngineContext, quotaId: number, held: number): void {
  const local = findLocalId(ctx.db, 'quota', String(quotaId));
  if (local && !local.gone) updateCatalogRow(ctx.db, 'quotas', local.local_id, { size: held });
}

/** Refuses a sale that does not fit the allotments it would take places from. */
export function checkAllotments(ctx: EngineContext, places: Record<string, number>): void {
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
  }
}

/** Takes places from the allotments for one sale, in the sale's transaction; refuses the whole sale if one runs short. */
export function takeFromAllotments(ctx: EngineContext, places: Record<string, number>): void {
  checkAllotments(ctx, places);
  for (const [quota, count] of Object.entries(places)) addAllotmentSold(ctx.db, Number(quota), count);
}

/** The server confirmed an upload: those places are now redeemed on the voucher. */
export function markUploaded(ctx: EngineContext, places: Record<string, number>): void {
  for (const [quota, count] of Object.entries(places)) {
    addAllotmentUploaded(ctx.db, Number(quota), count);
  }
}

/**
 * The server confirmed the cancellation of a desk sale: pretix gives the sale's voucher usages back, so
 * those places are blocked for this desk again and the desk may sell them again.
 */
export function returnToAllotments(ctx: EngineContext, places: Record<string, number>): void {
  for (const [quota, count] of Object.entries(places)) {
    addAllotmentUploaded(ctx.db, Number(quota), -count);
    addAllotmentSold(ctx.db, Number(quota), -count);
  }
}

/**
 * The manager sets how many places the desk keeps ready to sell from a quota (its allotment size): the
 * desk then wants to hold its sales plus that many. 0 gives back every unsold place. The voucher's code
 * is chosen here for a quota the desk held nothing of yet.
 */
export function chooseAllotmentSize(
  ctx: EngineContext,
  input: { quotaId: number; size: number; voucherCode: string },
): AllotmentRow {
  if (!Number.isInteger(input.size) || input.size < 0 || input.size > 100_000)
    throw refused('allotment_size', 'The allotment must be a whole number of places, 0 or more.');
  const existing = getAllotment(ctx.db, input.quotaId);
  if (!existing)
    insertSyncAllotment(ctx.db, { quota_id: input.quotaId, voucher_code: input.voucherCode, target: 0 });
  const sold = existing?.sold ?? 0;
  setAllotmentSize(ctx.db, input.quotaId, input.size, sold + input.size);
  return auditedAllotment(ctx, input.quotaId, 'guichet.sync.allotment.size_set', {
    size: input.size,
    before: existing?.size ?? 0,
  });
}

/**
 * Quotas whose allotment should move now: fewer than half its size left to sell (top up to sales plus
 * size), or a target the server has not granted yet (a top-up or give-back that could not finish).
 */
export function allotmentsToBalance(db: ReadableDB): AllotmentRow[] {
  return listSyncAllotments(db).filter((a) => {
    if (a.size > 0 && freeInAllotment(a) < Math.ceil(a.size / 2)) return true;
    return a.held !== Math.max(a.target, a.sold);
  });
}

/** The target after a sale: the desk wants its sales plus its size again (a top-up the loop then makes). */
export function topUpTarget(a: Pick<AllotmentRow, 'sold' | 'size'>): number {
  return a.sold + a.size;
}

/** Records what a command did to an allotment in the audit log, and returns it as it now stands. */
function auditedAllotment(ctx: EngineContext, quota: number, actionType: string, data: object): AllotmentRow {
  ctx.audit({ objectType: 'sync_allotment', objectId: quota, actionType, data });
  return getAllotment(ctx.db, quota)!;
}
