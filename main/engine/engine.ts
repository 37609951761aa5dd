import type { Database } from 'better-sqlite3';
import { systemClock, type Clock } from './clock';
import { makeContext, type EngineContext } from './context';
import { openDatabase, type OpenOptions } from './db/open';
import { withStatementCache } from './db/statement-cache';

interface GroupedJob {
  fn: (ctx: EngineContext) => unknown;
  actor: string;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Commands per group commit; bounds how long one transaction holds the write lock. */
const MAX_GROUP = 64;

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

  private grouped: GroupedJob[] = [];
  private flushScheduled = false;

  /**
   * Group commit for concurrent callers (the REST API under load): commands that arrive in the same turn of
   * the event loop run one after another, each in its own savepoint, inside one `BEGIN IMMEDIATE`
   * transaction, and are answered after its single commit. Each command stays atomic (a failing one rolls
   * back only its savepoint and gets its own error), its quota check still sits in the same transaction as
   * the rows it guards, and no caller hears of success before the commit is durable; the fsync is shared.
   */
  commandGrouped<T>(fn: (ctx: EngineContext) => T, actor = 'system'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.grouped.push({ fn, actor, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flushGrouped());
      }
    });
  }

  private flushGrouped(): void {
    this.flushScheduled = false;
    const batch = this.grouped.splice(0, MAX_GROUP);
    if (this.grouped.length > 0) {
      this.flushScheduled = true;
      setImmediate(() => this.flushGrouped());
    }
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.db
        .transaction(() => {
          for (const job of batch) {
            try {
              // Inside a transaction better-sqlite3 runs a nested transaction as a savepoint.
              const value = this.db.transaction(() => job.fn(makeContext(this.db, this.clock, job.actor)))();
              outcomes.push({ ok: true, value });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      for (const job of batch) job.reject(error);
      return;
    }
    batch.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }

  /** Runs a read in one deferred transaction, so it sees one consistent snapshot. */
  read<T>(fn: (ctx: EngineContext) => T, actor = 'system'): T {
    return this.db.transaction(() => fn(makeContext(this.db, this.clock, actor))).deferred();
  }

  close(): void {
    this.db.close();
  }
}
