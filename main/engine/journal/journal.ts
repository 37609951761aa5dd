import { createHash } from 'node:crypto';
import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import { insertJournalEntry, journalEntries, lastJournalHash } from '../db/queries/journal';

/**
 * The tamper-evident journal: every receipt, cash movement, shift opening and Z closing appends one
 * entry whose hash covers the previous entry's hash and the entry's own content. Changing, removing or
 * inserting a row afterwards breaks the chain from that entry on, which `verifyJournal` finds.
 */

export type JournalKind =
  | 'shift.opened'
  | 'shift.closed'
  | 'cash.in'
  | 'cash.out'
  | 'receipt.sale'
  | 'receipt.refund'
  | 'authorisation';

/** What a journal entry may hold: plain JSON (an absent key is left out, as JSON.stringify does). */
export type JournalPayload =
  string | number | boolean | null | JournalPayload[] | { [key: string]: JournalPayload | undefined };

const GENESIS_HASH = '0'.repeat(64);

/** JSON with keys sorted at every level, so the same content always hashes the same. */
function canonicalJson(value: JournalPayload | undefined): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function entryHash(
  prevHash: string,
  entry: { desk: string; kind: string; ref_id: number; created: string; payload: string },
): string {
  return createHash('sha256')
    .update([prevHash, entry.desk, entry.kind, String(entry.ref_id), entry.created, entry.payload].join('\n'))
    .digest('hex');
}

export function journalHead(db: ReadableDB): string {
  return lastJournalHash(db) ?? GENESIS_HASH;
}

/** Appends one entry in the command's transaction; returns its hash. */
export function appendJournal(
  ctx: EngineContext,
  entry: { desk: string; kind: JournalKind; refId: number; payload: JournalPayload },
): string {
  const prev = journalHead(ctx.db);
  const row = {
    desk: entry.desk,
    kind: entry.kind,
    ref_id: entry.refId,
    created: ctx.now.toISOString(),
    payload: canonicalJson(entry.payload),
  };
  const hash = entryHash(prev, row);
  insertJournalEntry(ctx.db, { ...row, prev_hash: prev, hash });
  return hash;
}

/**
 * Journals a row a command has just stored, as read back from the database (the journal holds what the
 * database holds), and returns the row.
 */
export function journalStored<R>(
  ctx: EngineContext,
  desk: string,
  kind: JournalKind,
  refId: number,
  find: (db: ReadableDB, id: number) => R | undefined,
  payload: (row: R) => JournalPayload,
): R {
  const row = find(ctx.db, refId);
  if (row === undefined) throw new Error(`The ${kind} ${refId} to journal was not stored.`);
  appendJournal(ctx, { desk, kind, refId, payload: payload(row) });
  return row;
}

export interface JournalProblem {
  entryId: number;
  kind: string;
  desk: string;
  refId: number;
  reason: string;
}

export interface JournalVerification {
  ok: boolean;
  entries: number;
  head: string;
  /** The first entry that does not match, or null when the whole chain holds. */
  firstBad: JournalProblem | null;
}

/**
 * The content each kind of entry covers, read back from the row it describes. Kept next to the
 * writers in `shifts/` (they build their payloads with the same functions) so both sides agree.
 */
export type PayloadReader = (db: ReadableDB, kind: string, refId: number) => JournalPayload | undefined;

/**
 * Recomputes the chain from the first entry: each entry must link to the previous hash, hash to its
 * stored hash, and match the row it describes as that row is now. Stops at the first mismatch.
 */
export function verifyJournal(db: ReadableDB, readPayload: PayloadReader): JournalVerification {
  const rows = journalEntries(db);
  let prev = GENESIS_HASH;
  let entries = 0;
  let expectedId: number | null = null;
  for (const row of rows) {
    entries++;
    const problem = (reason: string): JournalVerification => ({
      ok: false,
      entries,
      head: prev,
      firstBad: { entryId: row.id, kind: row.kind, desk: row.desk, refId: row.ref_id, reason },
    });
    if (expectedId !== null && row.id !== expectedId)
      return problem(`entries ${expectedId}–${row.id - 1} are missing`);
    expectedId = row.id + 1;
    if (row.prev_hash !== prev) return problem('it does not link to the entry before it');
    if (entryHash(prev, row) !== row.hash) return problem('its content does not match its hash');
    let current: JournalPayload | undefined;
    try {
      current = readPayload(db, row.kind, row.ref_id);
    } catch (e) {
      return problem(`its ${row.kind} row cannot be read (${(e as Error).message})`);
    }
    if (current === undefined) return problem(`its ${row.kind} row is missing`);
    if (canonicalJson(current) !== row.payload)
      return problem(`its ${row.kind} row was changed after it was written`);
    prev = row.hash;
  }
  return { ok: true, entries, head: prev, firstBad: null };
}
