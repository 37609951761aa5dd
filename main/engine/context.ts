import type { Database } from 'better-sqlite3';
import type { Clock } from './clock';
import { writable, type WritableDB } from './db/handles';
import { writeAudit, type AuditEntry } from './log/audit';

/**
 * What every engine command runs with: the connection, the clock, and who is acting. Commands take a
 * context and run inside the transaction that `Engine.command` opened.
 */
export interface EngineContext {
  db: WritableDB;
  clock: Clock;
  /** "Now", fixed once per command so that every row of one command carries the same time. */
  now: Date;
  actor: string;
  audit(entry: AuditEntry): void;
}

export function makeContext(db: Database, clock: Clock, actor: string): EngineContext {
  const now = clock.now();
  return {
    db: writable(db),
    clock,
    now,
    actor,
    audit: (entry) => writeAudit(db, now, actor, entry),
  };
}
