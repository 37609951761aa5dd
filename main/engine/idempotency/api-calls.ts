import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock';
import { writable, type ReadableDB } from '../db/handles';
import {
  deleteApiCall,
  deleteApiCallsBefore,
  findApiCall,
  insertApiCall,
  storeApiCallResponse,
} from '../db/queries/idempotency';
import type { ApiCallRow } from '../db/rows';

/** How long a key and its stored response are kept (pretix: 24 hours). */
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** Status codes that are meant to be retried and therefore never stored (pretix's IdempotencyMiddleware). */
const NOT_STORED_STATUSES: ReadonlySet<number> = new Set([409, 429, 500, 503]);

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
function purgeExpiredApiCalls(db: Database, clock: Clock): number {
  return deleteApiCallsBefore(writable(db), cutoffOf(clock));
}

function cutoffOf(clock: Clock): string {
  return new Date(clock.now().getTime() - IDEMPOTENCY_TTL_MS).toISOString();
}

function findCall(db: ReadableDB, clock: Clock, hash: string, key: string): ApiCallRow | undefined {
  return findApiCall(db, hash, key, cutoffOf(clock));
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
    const id = insertApiCall(writable(db), {
      idempotency_key: input.key,
      auth_hash: input.authHash,
      created: now,
      locked: now,
      request_method: input.method,
      request_path: input.path,
    });
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
  storeApiCallResponse(writable(db), id, {
    response_code: response.status,
    response_headers: JSON.stringify(response.headers),
    response_body: response.body,
  });
}

/** Forgets a claimed call that produced no response to store. */
export function releaseApiCall(db: Database, id: number): void {
  deleteApiCall(writable(db), id);
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
