import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import {
  findOutboxRow,
  findOutboxRowByKey,
  outboxRowsOfOrder,
  firstPendingOutboxRow,
  incrementOutboxResent,
  insertOutboxRow,
  listOutboxRows,
  markOrderCallsDropped,
  markOutboxDone,
  markOutboxPendingNow,
  markOutboxRefused,
  setOutboxRetry,
} from '../db/queries/sync';
import type { SyncOutboxRow } from '../db/rows';
import { refused } from '../errors';
import type { JsonValue } from '../json';
import { markUploaded, returnToAllotments } from './allotments';

export type OutboxState = 'pending' | 'done' | 'refused' | 'dropped';

/** One call to make, in seq order. `places` is JSON `{quotaId: count}`: the allotment places it redeems. */
export type OutboxRow = SyncOutboxRow;

export function getOutboxRow(db: ReadableDB, seq: number): OutboxRow | undefined {
  return findOutboxRow(db, seq);
}

export function listOutbox(db: ReadableDB, state?: OutboxState): OutboxRow[] {
  return listOutboxRows(db, state);
}

/** The calls queued for one order, in the order they go up (its sale first). */
export function uploadsOfOrder(db: ReadableDB, orderCode: string): OutboxRow[] {
  return outboxRowsOfOrder(db, orderCode);
}

/**
 * The X-Idempotency-Key the call is sent with: the sale's own key, or, once the server has kept that key
 * locked by a request it never finished (it stopped while running it), a fresh key derived from it.
 */
export function sentIdempotencyKey(row: Pick<OutboxRow, 'idempotency_key' | 'resent'>): string {
  return row.resent === 0 ? row.idempotency_key : `${row.idempotency_key}~${row.resent}`;
}

/**
 * One call the server must see, in order after the calls queued before it. Queuing a key again changes
 * nothing: the call is queued once.
 */
export function enqueue(
  ctx: EngineContext,
  input: {
    idempotencyKey: string;
    kind: string;
    method: string;
    path: string;
    orderCode?: string;
    /** The ticket whose server id fills `{position}` in the path, once the sale's answer is in. */
    positionSecret?: string;
    body: JsonValue;
    places?: Record<string, number>;
  },
): OutboxRow {
  const existing = findOutboxRowByKey(ctx.db, input.idempotencyKey);
  if (existing) return existing;
  insertOutboxRow(ctx.db, {
    idempotency_key: input.idempotencyKey,
    kind: input.kind,
    method: input.method,
    path: input.path,
    body: JSON.stringify(input.body),
    order_code: input.orderCode ?? null,
    places: JSON.stringify(input.places ?? {}),
    created: ctx.now.toISOString(),
    position_secret: input.positionSecret ?? null,
  });
  return findOutboxRowByKey(ctx.db, input.idempotencyKey)!;
}

/**
 * The next call to send: the oldest pending one whose order has no refused call before it (a refused
 * order stops its own later calls, not the other orders). Undefined when nothing is due at `now`.
 */
export function nextDue(db: ReadableDB, now: Date): OutboxRow | undefined {
  const row = firstPendingOutboxRow(db);
  if (!row) return undefined;
  if (row.next_attempt && row.next_attempt > now.toISOString()) return undefined;
  return row;
}

function pendingRow(ctx: EngineContext, seq: number): OutboxRow {
  const row = getOutboxRow(ctx.db, seq);
  if (!row) throw refused('outbox_unknown', 'There is no such upload.');
  return row;
}

/** The server confirmed the call: the places it carried count as uploaded. Confirming twice changes nothing. */
export function confirmUpload(ctx: EngineContext, input: { seq: number; response: JsonValue }): OutboxRow {
  const row = pendingRow(ctx, input.seq);
  if (row.state !== 'pending') return row;
  markOutboxDone(ctx.db, input.seq, JSON.stringify(input.response), ctx.now.toISOString());
  const places = JSON.parse(row.places) as Record<string, number>;
  // A sale's places are now redeemed on the voucher; a cancellation or refund gives its places back.
  if (row.kind === 'order') markUploaded(ctx, places);
  else returnToAllotments(ctx, places);
  return getOutboxRow(ctx.db, input.seq)!;
}

/** The server refused the call for good: it stays in the outbox with the server's reason for a manager. */
export function refuseUpload(
  ctx: EngineContext,
  input: { seq: number; reason: string; response: JsonValue },
): OutboxRow {
  const row = pendingRow(ctx, input.seq);
  if (row.state !== 'pending') return row;
  markOutboxRefused(ctx.db, input.seq, input.reason, JSON.stringify(input.response));
  return auditedUpload(ctx, input.seq, 'guichet.sync.upload.refused', {
    reason: input.reason,
    order: row.order_code,
  });
}

/** Backoff after a failure that may pass (no connection, 5xx, 409 in progress, 429): 1 s doubling to 5 min. */
export function backoffMs(attempts: number): number {
  return Math.min(300_000, 1000 * 2 ** Math.max(0, attempts - 1));
}

/** The call waits out its backoff, or longer when the server asked for it (`Retry-After`). */
export function retryLater(
  ctx: EngineContext,
  input: { seq: number; reason: string; atLeastMs?: number },
): OutboxRow {
  const row = pendingRow(ctx, input.seq);
  if (row.state !== 'pending') return row;
  const attempts = row.attempts + 1;
  const waitMs = Math.max(backoffMs(attempts), input.atLeastMs ?? 0);
  const next = new Date(ctx.now.getTime() + waitMs).toISOString();
  setOutboxRetry(ctx.db, attempts, next, input.reason, input.seq);
  return getOutboxRow(ctx.db, input.seq)!;
}

/**
 * The server holds the call's key as still running, but has no order with the call's code: the request
 * it was running died with it (pretix keeps such a key locked). The call goes out again at once under a
 * fresh key; the order code, which the server never gives twice, still keeps it from being doubled.
 */
export function resendUnderNewKey(ctx: EngineContext, input: { seq: number; reason: string }): OutboxRow {
  const row = pendingRow(ctx, input.seq);
  if (row.state !== 'pending') return row;
  incrementOutboxResent(ctx.db, input.seq);
  return auditedUpload(ctx, input.seq, 'guichet.sync.upload.resent', {
    reason: input.reason,
    order: row.order_code,
  });
}

/** A manager sends a refused call again (after fixing the cause on the server). */
export function retryRefused(ctx: EngineContext, seq: number): OutboxRow {
  const row = pendingRow(ctx, seq);
  if (row.state !== 'refused')
    throw refused('outbox_not_refused', 'Only a refused upload can be sent again.');
  markOutboxPendingNow(ctx.db, seq);
  ctx.audit({ objectType: 'sync_outbox', objectId: seq, actionType: 'guichet.sync.upload.retried' });
  return getOutboxRow(ctx.db, seq)!;
}

/**
 * A manager gives up on a refused call: it will never go to the server, nor will the calls of the same
 * order queued after it. A dropped sale stays the desk's own sale, recorded as not uploaded; its places
 * stay counted as sold from the allotment, so the server keeps them blocked and never sells them again.
 */
export function dropRefused(ctx: EngineContext, seq: number): OutboxRow {
  const row = pendingRow(ctx, seq);
  if (row.state !== 'refused') throw refused('outbox_not_refused', 'Only a refused upload can be dropped.');
  const dropped = markOrderCallsDropped(ctx.db, seq, ctx.now.toISOString());
  return auditedUpload(ctx, seq, 'guichet.sync.upload.dropped', {
    order: row.order_code,
    kind: row.kind,
    reason: row.reason,
    calls: dropped,
  });
}

/** Records what a command did to a queued upload in the audit log, and returns it as it now stands. */
function auditedUpload(ctx: EngineContext, seq: number, actionType: string, data: object): OutboxRow {
  ctx.audit({ objectType: 'sync_outbox', objectId: seq, actionType, data });
  return getOutboxRow(ctx.db, seq)!;
}
