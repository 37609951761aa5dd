import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock';

/** How long a key and its stored response are kept (pretix: 24 hours). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** Status codes that are meant to be retried and therefore never stored (pretix's IdempotencyMiddleware). */
export const NOT_STORED_STATUSES: ReadonlySet<number> = new Set([409, 429, 500, 503]);

export interface ApiCallRow {
  id: number;
  idempotency_key: string;
  auth_hash: string;
  created: string;
  locked: string | null;
  request_method: string;
  request_path: string;
  response_code: number;
  response_headers: string;
  response_body: Buffer;
}

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type ClaimResult =
  { kind: 'claimed'; id: number } | { kind: 'running' } | { kind: 'replay'; response: StoredResponse };

/**
 * pretix hashes the Authorization header together with the session cookie; the API has no session cookie,
 * so the second part is always empty, exactly as pretix computes it for token and device callers.
 */
export function authHash(authorization: string | undefined, sessionCookie = ''): string {
  return createHash('sha1')
    .update(`${authorization ?? ''}:${sessionCookie}`, 'utf8')
    .digest('hex');
}

function storedResponse(row: ApiCallRow): StoredResponse {
  let headers: Record<string, string> = {};
  try {
    const parsed = JSON.parse(row.response_headers) as unknown;
    if (parsed && typeof parsed === 'object') headers = parsed as Record<string, string>;
  } catch {
    headers = {};
  }
  return { status: row.response_code, headers, body: Buffer.from(row.response_body) };
}

/** Keys older than 24 hours are forgotten: removed here, and never matched when looked up. */
export function purgeExpiredApiCalls(db: Database, clock: Clock): number {
  const cutoff = new Date(clock.now().getTime() - IDEMPOTENCY_TTL_MS).toISOString();
  return db.prepare('DELETE FROM api_calls WHERE created < ?').run(cutoff).changes;
}

function findCall(db: Database, clock: Clock, hash: string, key: string): ApiCallRow | undefined {
  const cutoff = new Date(clock.now().getTime() - IDEMPOTENCY_TTL_MS).toISOString();
  return db
    .prepare('SELECT * FROM api_calls WHERE auth_hash = ? AND idempotency_key = ? AND created >= ?')
    .get(hash, key, cutoff) as ApiCallRow | undefined;
}

/**
 * Claims a key for a request about to run, or reports what is already known about it: still running (the
 * caller answers 409) or finished (the caller replays the stored response). One statement decides, so two
 * requests with the same key cannot both run, in this process or another one on the same database.
 */
export function claimApiCall(
  db: Database,
  clock: Clock,
  input: { authHash: string; key: string; method: string; path: string },
): ClaimResult {
  const claim = db.transaction((): ClaimResult => {
    purgeExpiredApiCalls(db, clock);
    const existing = findCall(db, clock, input.authHash, input.key);
    if (existing) {
      if (existing.locked !== null) return { kind: 'running' };
      return { kind: 'replay', response: storedResponse(existing) };
    }
    const now = clock.now().toISOString();
    const id = Number(
      db
        .prepare(
          `INSERT INTO api_calls (idempotency_key, auth_hash, created, locked, request_method, request_path)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(input.key, input.authHash, now, now, input.method, input.path).lastInsertRowid,
    );
    return { kind: 'claimed', id };
  });
  return claim.immediate();
}

/** Stores the response of a claimed call, or lets the key go when the status is one meant to be retried. */
export function finishApiCall(db: Database, id: number, response: StoredResponse): void {
  if (NOT_STORED_STATUSES.has(response.status)) {
    releaseApiCall(db, id);
    return;
  }
  db.prepare(
    `UPDATE api_calls SET locked = NULL, response_code = ?, response_headers = ?, response_body = ?
     WHERE id = ?`,
  ).run(response.status, JSON.stringify(response.headers), response.body, id);
}

/** Forgets a claimed call that produced no response to store. */
export function releaseApiCall(db: Database, id: number): void {
  db.prepare('DELETE FROM api_calls WHERE id = ?').run(id);
}

/** What `GET /api/v1/idempotency_query` reports about a key. */
export function queryApiCall(
  db: Database,
  clock: Clock,
  hash: string,
  key: string,
): { kind: 'unknown' } | { kind: 'running' } | { kind: 'replay'; response: StoredResponse } {
  const row = findCall(db, clock, hash, key);
  if (!row) return { kind: 'unknown' };
  if (row.locked !== null) return { kind: 'running' };
  return { kind: 'replay', response: storedResponse(row) };
}
