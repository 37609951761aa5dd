import type { Database } from 'better-sqlite3';
import { systemClock, type Clock } from './clock';
import { makeContext, type EngineContext } from './context';
import { openDatabase, type OpenOptions } from './db/open';
import { withStatementCache } from './db/statement-cache';

export interface EngineOptions extends OpenOptions {
  clock?: Clock;
}

/**
 * The box-office engine: one SQLite database, one clock. Every write goes through `command`, which runs
 * it in a single `BEGIN IMMEDIATE` transaction: the quota check and the rows it guards commit together,
 * and a second process waits for the write lock instead of reading stale counts.
 */
export class Engine {
  readonly db: Database;
  readonly clock: Clock;

  constructor(db: Database, clock: Clock = systemClock) {
    this.db = withStatementCache(db);
    this.clock = clock;
  }

  static open(path: string, options: EngineOptions = {}): Engine {
    return new Engine(openDatabase(path, options), options.clock ?? systemClock);
  }

  /** Runs a write command in one immediate transaction; an exception rolls everything back. */
  command<T>(fn: (ctx: EngineContext) => T, actor = 'system'): T {
    return this.db.transaction(() => fn(makeContext(this.db, this.clock, actor))).immediate();
  }

  /** Runs a read in one deferred transaction, so it sees one consistent snapshot. */
  read<T>(fn: (ctx: EngineContext) => T, actor = 'system'): T {
    return this.db.transaction(() => fn(makeContext(this.db, this.clock, actor))).deferred();
  }

  close(): void {
    this.db.close();
  }
}
