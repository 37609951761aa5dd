import type { Database } from 'better-sqlite3';
import type { EngineContext } from '../context';
import { refused } from '../errors';
import { markUploaded, takeFromAllotments } from './allotments';

export type OutboxState = 'pending' | 'done' | 'refused';

export interface OutboxRow {
  seq: number;
  idempotency_key: string;
  kind: string;
  method: string;
  path: string;
  body: string;
  order_code: string | null;
  /** JSON `{quotaId: count}`: the allotment places this call redeems. */
  places: string;
  state: OutboxState;
  attempts: number;
  next_attempt: string | null;
  reason: string | null;
  response: string | null;
  created: string;
  finished: string | null;
}

function getRow(db: Database, key: string): OutboxRow | undefined {
  return db.prepare('SELECT * FROM sync_outbox WHERE idempotency_key = ?').get(key) as OutboxRow | undefined;
}

export function getOutboxRow(db: Database, seq: number): OutboxRow | undefined {
  return db.prepare('SELECT * FROM sync_outbox WHERE seq = ?').get(seq) as OutboxRow | undefined;
}

export function listOutbox(db: Database, state?: OutboxState): OutboxRow[] {
  return (
    state
      ? db.prepare('SELECT * FROM sync_outbox WHERE state = ? ORDER BY seq').all(state)
      : db.prepare('SELECT * FROM sync_outbox ORDER BY seq').all()
  ) as OutboxRow[];
}

/**
 * A desk sale, taken from the allotments and queued for upload in one transaction: either both happen or
 * neither. The idempotency key is the sale's own key, so completing the same sale twice queues it once.
 */
export function queueSale(
  ctx: EngineContext,
  input: {
    idempotencyKey: string;
    path: string;
    orderCode: string;
    body: unknown;
    places: Record<string, number>;
  },
): OutboxRow {
  const existing = getRow(ctx.db, input.idempotencyKey);
  if (existing) return existing;
  takeFromAllotments(ctx, input.places);
  return enqueue(ctx, { ...input, kind: 'order', method: 'POST' });
}

/** Any other call the server must see, in order after the calls queued before it (e.g. a cancellation). */
export function enqueue(
  ctx: EngineContext,
  input: {
    idempotencyKey: string;
    kind: string;
    method: string;
    path: string;
    orderCode?: string;
    body: unknown;
    places?: Record<string, number>;
  },
): OutboxRow {
  const existing = getRow(ctx.db, input.idempotencyKey);
  if (existing) return existing;
  ctx.db
    .prepare(
      `INSERT INTO sync_outbox (idempotency_key, kind, method, path, body, order_code, places, created)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      input.idempotencyKey,
      input.kind,
      input.method,
      input.path,
      JSON.stringify(input.body),
      input.orderCode ?? null,
      JSON.stringify(input.places ?? {}),
      ctx.now.toISOString(),
    );
  return getRow(ctx.db, input.idempotencyKey)!;
}

/**
 * The next call to send: the oldest pending one whose order has no refused call before it (a refused
 * order stops its own later calls, not the other orders). Undefined when nothing is due at `now`.
 */
export function nextDue(db: Database, now: Date): OutboxRow | undefined {
  const row = db
    .prepare(
      `SELECT * FROM sync_outbox o WHERE o.state = 'pending'
         AND NOT EXISTS (SELECT 1 FROM sync_outbox r WHERE r.state = 'refused' AND r.seq < o.seq
                         AND r.order_code IS NOT NULL AND r.order_code = o.order_code)
       ORDER BY o.seq LIMIT 1`,
    )
    .get() as OutboxRow | undefined;
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
export function confirmUpload(ctx: EngineContext, input: { seq: number; response: unknown }): OutboxRow {
  const row = pendingRow(ctx, input.seq);
  if (row.state !== 'pending') return row;
  ctx.db
    .prepare("UPDATE sync_outbox SET state = 'done', response = ?, finished = ?, reason = NULL WHERE seq = ?")
    .run(JSON.stringify(input.response), ctx.now.toISOString(), input.seq);
  markUploaded(ctx, JSON.parse(row.places) as Record<string, number>);
  return getOutboxRow(ctx.db, input.seq)!;
}

/** The server refused the call for good: it stays in the outbox with the server's reason for a manager. */
export function refuseUpload(
  ctx: EngineContext,
  input: { seq: number; reason: string; response: unknown },
): OutboxRow {
  const row = pendingRow(ctx, input.seq);
  if (row.state !== 'pending') return row;
  ctx.db
    .prepare(
      "UPDATE sync_outbox SET state = 'refused', reason = ?, response = ?, attempts = attempts + 1 WHERE seq = ?",
    )
    .run(input.reason, JSON.stringify(input.response), input.seq);
  ctx.audit({
    objectType: 'sync_outbox',
    objectId: input.seq,
    actionType: 'guichet.sync.upload.refused',
    data: { reason: input.reason, order: row.order_code },
  });
  return getOutboxRow(ctx.db, input.seq)!;
}

/** Backoff after a failure that may pass (no connection, 5xx, 409 in progress, 429): 1 s doubling to 5 min. */
export function backoffMs(attempts: number): number {
  return Math.min(300_000, 1000 * 2 ** Math.max(0, attempts - 1));
}

export function retryLater(ctx: EngineContext, input: { seq: number; reason: string }): OutboxRow {
  const row = pendingRow(ctx, input.seq);
  if (row.state !== 'pending') return row;
  const attempts = row.attempts + 1;
  const next = new Date(ctx.now.getTime() + backoffMs(attempts)).toISOString();
  ctx.db
    .prepare('UPDATE sync_outbox SET attempts = ?, next_attempt = ?, reason = ? WHERE seq = ?')
    .run(attempts, next, input.reason, input.seq);
  return getOutboxRow(ctx.db, input.seq)!;
}

/** A manager sends a refused call again (after fixing the cause on the server). */
export function retryRefused(ctx: EngineContext, seq: number): OutboxRow {
  const row = pendingRow(ctx, seq);
  if (row.state !== 'refused')
    throw refused('outbox_not_refused', 'Only a refused upload can be sent again.');
  ctx.db.prepare("UPDATE sync_outbox SET state = 'pending', next_attempt = NULL WHERE seq = ?").run(seq);
  ctx.audit({ objectType: 'sync_outbox', objectId: seq, actionType: 'guichet.sync.upload.retried' });
  return getOutboxRow(ctx.db, seq)!;
}
