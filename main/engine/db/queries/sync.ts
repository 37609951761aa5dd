import type { ReadableDB, WritableDB } from '../handles';
import type { SyncAllotmentRow, SyncConnectionRow, SyncLocalIdRow, SyncOutboxRow } from '../rows';
import { write } from './statements';

// The desk's side of syncing with a pretix server or a Guichet hub (tables of 008_sync.sql).

// --- connection ---

/** The desk's connection; undefined when it has none, or a manager disconnected it. */
export function findSyncConnection(db: ReadableDB): SyncConnectionRow | undefined {
  return db.prepare('SELECT * FROM sync_connection WHERE id = 1 AND disconnected IS NULL').get() as
    SyncConnectionRow | undefined;
}

/** The server the desk was last connected to, connected now or not. */
export function findLastSyncConnection(db: ReadableDB): SyncConnectionRow | undefined {
  return db.prepare('SELECT * FROM sync_connection WHERE id = 1').get() as SyncConnectionRow | undefined;
}

export function upsertSyncConnection(
  db: WritableDB,
  row: Pick<
    SyncConnectionRow,
    'base_url' | 'organizer' | 'event' | 'auth_scheme' | 'api_token' | 'device_id' | 'connected'
  >,
): void {
  db.prepare(
    `INSERT INTO sync_connection (id, base_url, organizer, event, auth_scheme, api_token, device_id, connected)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET base_url = excluded.base_url, organizer = excluded.organizer,
         event = excluded.event, auth_scheme = excluded.auth_scheme, api_token = excluded.api_token,
         device_id = excluded.device_id, connected = excluded.connected, disconnected = NULL,
         last_contact = NULL, unreachable_since = NULL`,
  ).run(row.base_url, row.organizer, row.event, row.auth_scheme, row.api_token, row.device_id, row.connected);
}

/** The server answered at `at`: it is reachable again. */
export function setSyncContact(db: WritableDB, at: string): void {
  db.prepare('UPDATE sync_connection SET last_contact = ?, unreachable_since = NULL WHERE id = 1').run(at);
}

/** The server did not answer; the first failure since the last answer is kept. */
export function setSyncUnreachable(db: WritableDB, at: string): void {
  db.prepare(
    'UPDATE sync_connection SET unreachable_since = COALESCE(unreachable_since, ?) WHERE id = 1',
  ).run(at);
}

export function setLastSync(db: WritableDB, at: string): void {
  db.prepare('UPDATE sync_connection SET last_sync = ? WHERE id = 1').run(at);
}

// --- the copy of the server's lists ---

export function upsertPulledResource(
  db: WritableDB,
  row: { resource: string; remoteId: string; body: string; pulled: string },
): void {
  db.prepare(
    `INSERT INTO sync_resources (resource, remote_id, body, pulled) VALUES (?, ?, ?, ?)
     ON CONFLICT (resource, remote_id) DO UPDATE SET body = excluded.body, pulled = excluded.pulled`,
  ).run(row.resource, row.remoteId, row.body, row.pulled);
}

/** A list pulled whole replaces the desk's copy of it: what the server no longer lists goes. */
export function deletePulledList(db: WritableDB, resource: string): void {
  db.prepare('DELETE FROM sync_resources WHERE resource = ?').run(resource);
}

export function pulledBodies(db: ReadableDB, resource: string): string[] {
  return (
    db.prepare('SELECT body FROM sync_resources WHERE resource = ? ORDER BY remote_id').all(resource) as {
      body: string;
    }[]
  ).map((r) => r.body);
}

export function upsertPullMark(db: WritableDB, resource: string, pageGenerated: string): void {
  db.prepare(
    `INSERT INTO sync_pulls (resource, page_generated) VALUES (?, ?)
       ON CONFLICT (resource) DO UPDATE SET page_generated = excluded.page_generated`,
  ).run(resource, pageGenerated);
}

export function findPullMark(db: ReadableDB, resource: string): string | undefined {
  const row = db.prepare('SELECT page_generated FROM sync_pulls WHERE resource = ?').get(resource) as
    { page_generated: string } | undefined;
  return row?.page_generated;
}

// --- the desk's own rows that the server's objects became (012_sync_local_ids.sql) ---

/** What a server object became at the desk: an event, an item, a variation, a quota, … */
export type LocalKind =
  | 'event'
  | 'subevent'
  | 'tax_rule'
  | 'category'
  | 'item'
  | 'variation'
  | 'addon'
  | 'bundle'
  | 'quota'
  | 'question'
  | 'question_option'
  | 'checkin_list';

export function findLocalId(db: ReadableDB, kind: LocalKind, remoteId: string): SyncLocalIdRow | undefined {
  return db.prepare('SELECT * FROM sync_local_ids WHERE kind = ? AND remote_id = ?').get(kind, remoteId) as
    SyncLocalIdRow | undefined;
}

export function findRemoteId(db: ReadableDB, kind: LocalKind, localId: number): SyncLocalIdRow | undefined {
  return db.prepare('SELECT * FROM sync_local_ids WHERE kind = ? AND local_id = ?').get(kind, localId) as
    SyncLocalIdRow | undefined;
}

export function localIdsOfKind(db: ReadableDB, kind: LocalKind): SyncLocalIdRow[] {
  return db
    .prepare('SELECT * FROM sync_local_ids WHERE kind = ? ORDER BY local_id')
    .all(kind) as SyncLocalIdRow[];
}

export function insertLocalId(
  db: WritableDB,
  row: Pick<SyncLocalIdRow, 'kind' | 'remote_id' | 'local_id'>,
): void {
  db.prepare(
    'INSERT INTO sync_local_ids (kind, remote_id, local_id) VALUES (@kind, @remote_id, @local_id)',
  ).run(row);
}

export function setLocalIdGone(db: WritableDB, kind: LocalKind, remoteId: string, gone: boolean): void {
  db.prepare('UPDATE sync_local_ids SET gone = ? WHERE kind = ? AND remote_id = ?').run(
    gone ? 1 : 0,
    kind,
    remoteId,
  );
}

export function deleteLocalId(db: WritableDB, kind: LocalKind, remoteId: string): void {
  db.prepare('DELETE FROM sync_local_ids WHERE kind = ? AND remote_id = ?').run(kind, remoteId);
}

export function deleteAllLocalIds(db: WritableDB): void {
  db.prepare('DELETE FROM sync_local_ids').run();
}

/** An add-on slot the server dropped from an imported item (no order names a slot). */
export function deleteImportedAddon(db: WritableDB, id: number): void {
  db.prepare('DELETE FROM item_addons WHERE id = ?').run(id);
}

/** A bundle the server dropped from an imported item. */
export function deleteImportedBundle(db: WritableDB, id: number): void {
  db.prepare('DELETE FROM item_bundles WHERE id = ?').run(id);
}

// --- allotments ---

export function listSyncAllotments(db: ReadableDB): SyncAllotmentRow[] {
  return db.prepare('SELECT * FROM sync_allotments ORDER BY quota_id').all() as SyncAllotmentRow[];
}

export function findSyncAllotment(db: ReadableDB, quotaId: number): SyncAllotmentRow | undefined {
  return db.prepare('SELECT * FROM sync_allotments WHERE quota_id = ?').get(quotaId) as
    SyncAllotmentRow | undefined;
}

export function insertSyncAllotment(
  db: WritableDB,
  row: Pick<SyncAllotmentRow, 'quota_id' | 'voucher_code' | 'target'>,
): void {
  db.prepare('INSERT INTO sync_allotments (quota_id, voucher_code, target) VALUES (?, ?, ?)').run(
    row.quota_id,
    row.voucher_code,
    row.target,
  );
}

export function setAllotmentTarget(db: WritableDB, quotaId: number, target: number): void {
  db.prepare('UPDATE sync_allotments SET target = ? WHERE quota_id = ?').run(target, quotaId);
}

export function setAllotmentHeld(db: WritableDB, quotaId: number, held: number, voucherId?: number): void {
  if (voucherId === undefined) {
    db.prepare('UPDATE sync_allotments SET held = ? WHERE quota_id = ?').run(held, quotaId);
  } else {
    db.prepare('UPDATE sync_allotments SET voucher_id = ?, held = ? WHERE quota_id = ?').run(
      voucherId,
      held,
      quotaId,
    );
  }
}

export function addAllotmentSold(db: WritableDB, quotaId: number, count: number): void {
  db.prepare('UPDATE sync_allotments SET sold = sold + ? WHERE quota_id = ?').run(count, quotaId);
}

export function addAllotmentUploaded(db: WritableDB, quotaId: number, count: number): void {
  db.prepare('UPDATE sync_allotments SET uploaded = uploaded + ? WHERE quota_id = ?').run(count, quotaId);
}

// --- outbox ---

export function findOutboxRowByKey(db: ReadableDB, key: string): SyncOutboxRow | undefined {
  return db.prepare('SELECT * FROM sync_outbox WHERE idempotency_key = ?').get(key) as
    SyncOutboxRow | undefined;
}

/** The calls queued for one order, of one kind (`order`: its sale, `cancel`: its cancellation). */
export function findOutboxRowsOfOrder(db: ReadableDB, orderCode: string, kind: string): SyncOutboxRow[] {
  return db
    .prepare('SELECT * FROM sync_outbox WHERE order_code = ? AND kind = ? ORDER BY seq')
    .all(orderCode, kind) as SyncOutboxRow[];
}

/** Every call queued for one order, in the order they go up. */
export function outboxRowsOfOrder(db: ReadableDB, orderCode: string): SyncOutboxRow[] {
  return db
    .prepare('SELECT * FROM sync_outbox WHERE order_code = ? ORDER BY seq')
    .all(orderCode) as SyncOutboxRow[];
}

export function findOutboxRow(db: ReadableDB, seq: number): SyncOutboxRow | undefined {
  return db.prepare('SELECT * FROM sync_outbox WHERE seq = ?').get(seq) as SyncOutboxRow | undefined;
}

export function listOutboxRows(db: ReadableDB, state?: string): SyncOutboxRow[] {
  return (
    state
      ? db.prepare('SELECT * FROM sync_outbox WHERE state = ? ORDER BY seq').all(state)
      : db.prepare('SELECT * FROM sync_outbox ORDER BY seq').all()
  ) as SyncOutboxRow[];
}

export function countOutboxRows(db: ReadableDB, state: string): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM sync_outbox WHERE state = ?').get(state) as { n: number }).n;
}

export function insertOutboxRow(
  db: WritableDB,
  row: Pick<
    SyncOutboxRow,
    | 'idempotency_key'
    | 'kind'
    | 'method'
    | 'path'
    | 'body'
    | 'order_code'
    | 'places'
    | 'created'
    | 'position_secret'
  >,
): void {
  db.prepare(
    `INSERT INTO sync_outbox (idempotency_key, kind, method, path, body, order_code, places, created, position_secret)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    row.idempotency_key,
    row.kind,
    row.method,
    row.path,
    row.body,
    row.order_code,
    row.places,
    row.created,
    row.position_secret,
  );
}

/** The oldest pending call whose order has no refused call before it (a refused order stops only its own calls). */
export function firstPendingOutboxRow(db: ReadableDB): SyncOutboxRow | undefined {
  return db
    .prepare(
      `SELECT * FROM sync_outbox o WHERE o.state = 'pending'
         AND NOT EXISTS (SELECT 1 FROM sync_outbox r WHERE r.state = 'refused' AND r.seq < o.seq
                         AND r.order_code IS NOT NULL AND r.order_code = o.order_code)
       ORDER BY o.seq LIMIT 1`,
    )
    .get() as SyncOutboxRow | undefined;
}

export function markOutboxDone(db: WritableDB, seq: number, response: string, finished: string): void {
  db.prepare(
    "UPDATE sync_outbox SET state = 'done', response = ?, finished = ?, reason = NULL WHERE seq = ?",
  ).run(response, finished, seq);
}

export function markOutboxRefused(db: WritableDB, seq: number, reason: string, response: string): void {
  db.prepare(
    "UPDATE sync_outbox SET state = 'refused', reason = ?, response = ?, attempts = attempts + 1 WHERE seq = ?",
  ).run(reason, response, seq);
}

export const setOutboxRetry = write<[attempts: number, nextAttempt: string, reason: string, seq: number]>(
  'UPDATE sync_outbox SET attempts = ?, next_attempt = ?, reason = ? WHERE seq = ?',
);

export function markOutboxPendingNow(db: WritableDB, seq: number): void {
  db.prepare("UPDATE sync_outbox SET state = 'pending', next_attempt = NULL WHERE seq = ?").run(seq);
}

/** Every pending call waiting out a backoff becomes due at once; returns how many were waiting. */
export function clearOutboxBackoff(db: WritableDB): number {
  return db
    .prepare(
      "UPDATE sync_outbox SET next_attempt = NULL WHERE state = 'pending' AND next_attempt IS NOT NULL",
    )
    .run().changes;
}

export function countOutboxWaiting(db: ReadableDB): number {
  return (
    db
      .prepare("SELECT COUNT(*) AS n FROM sync_outbox WHERE state = 'pending' AND next_attempt IS NOT NULL")
      .get() as { n: number }
  ).n;
}

export function incrementOutboxResent(db: WritableDB, seq: number): void {
  db.prepare('UPDATE sync_outbox SET resent = resent + 1, next_attempt = NULL WHERE seq = ?').run(seq);
}

// --- a manager's decisions ---

/**
 * A refused call is dropped, with the calls of the same order queued after it (they could only be
 * refused too): none of them will go to the server. Returns how many calls were dropped.
 */
export function markOrderCallsDropped(db: WritableDB, seq: number, finished: string): number {
  return db
    .prepare(
      `UPDATE sync_outbox SET state = 'dropped', finished = ?, next_attempt = NULL
         WHERE seq = ? OR (state = 'pending' AND seq > ? AND order_code IS NOT NULL
                           AND order_code = (SELECT order_code FROM sync_outbox WHERE seq = ?))`,
    )
    .run(finished, seq, seq, seq).changes;
}

export function setAllotmentSize(db: WritableDB, quotaId: number, size: number, target: number): void {
  db.prepare('UPDATE sync_allotments SET size = ?, target = ? WHERE quota_id = ?').run(size, target, quotaId);
}

/** The desk stops syncing: its token is forgotten; which server it was is kept. */
export function markSyncDisconnected(db: WritableDB, at: string): number {
  return db
    .prepare(
      "UPDATE sync_connection SET disconnected = ?, api_token = '' WHERE id = 1 AND disconnected IS NULL",
    )
    .run(at).changes;
}

/** Places the server still blocks for this desk (held but not redeemed by an uploaded sale). */
export function placesBlockedForDesk(db: ReadableDB): number {
  return (
    db.prepare('SELECT COALESCE(SUM(held - uploaded), 0) AS n FROM sync_allotments').get() as { n: number }
  ).n;
}

/** Calls still to make (pending or refused) that are not for the event under `eventPath`. */
export function countOpenOutboxRowsOutside(db: ReadableDB, eventPath: string): number {
  return (
    db
      .prepare(
        `SELECT COUNT(*) AS n FROM sync_outbox WHERE state IN ('pending', 'refused')
           AND substr(ltrim(path, '/'), 1, length(?)) <> ?`,
      )
      .get(eventPath, eventPath) as { n: number }
  ).n;
}

/** Forgets the copy of another server's lists and the places held there (a desk moving to another event). */
export function deleteSyncCopyAndAllotments(db: WritableDB): void {
  db.prepare('DELETE FROM sync_resources').run();
  db.prepare('DELETE FROM sync_pulls').run();
  db.prepare('DELETE FROM sync_allotments').run();
}
