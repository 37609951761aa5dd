import type { Database, Transaction } from 'better-sqlite3';
import { closeSync, fsync, openSync } from 'node:fs';
import { systemClock, type Clock } from './clock';
import { makeContext, type EngineContext } from './context';
import { checkpointWal, openDatabase, type OpenOptions } from './db/open';
import { withStatementCache } from './db/statement-cache';

interface GroupedJob {
  fn: (ctx: EngineContext) => unknown;
  actor: string;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type GroupOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A command of a group run without savepoints failed: the group's transaction is rolled back. */
class GroupCommandFailed extends Error {
  constructor(cause: unknown) {
    super('A command of the group failed.', { cause });
  }
}

/** Commands per group commit by default; bounds how long one transaction holds the write lock. */
const MAX_GROUP = 64;

export interface EngineOptions extends OpenOptions {
  clock?: Clock;
  /** Flushes a file to disk (fsync); the group commit's durability step, replaceable in tests. */
  syncFile?: (path: string) => Promise<void>;
  /** Most commands in one group commit (default 64). */
  maxGroup?: number;
  /**
   * A group commit answers as soon as it is committed, before the WAL is flushed, and whoever the answers
   * go to flushes it (`flushWal`, on any connection to the file) before telling anyone. For a thread that
   * does nothing but write: a flush's callback would reach it only after the next group has run.
   */
  answerBeforeWalFlush?: boolean;
}

/** The WAL file a group commit makes durable itself, when the connection writes one with synchronous=FULL. */
function deferrableWal(db: Database): string | undefined {
  if (db.memory || db.readonly) return undefined;
  if (db.pragma('journal_mode', { simple: true }) !== 'wal') return undefined;
  if (db.pragma('synchronous', { simple: true }) !== 2 /* FULL */) return undefined;
  return `${db.name}-wal`;
}

/**
 * The box-office engine: one SQLite database, one clock. Every write goes through `command`, which runs
 * it in a single `BEGIN IMMEDIATE` transaction: the quota check and the rows it guards commit together,
 * and a second process waits for the write lock instead of reading stale counts.
 */
export class Engine {
  readonly db: Database;
  readonly clock: Clock;

  private readonly walPath: string | undefined;
  private readonly syncFile: (path: string) => Promise<void>;
  /** The WAL file, kept open for the group commit's fsync once a group has written to it. */
  private walFd: number | undefined;
  /** Built once: better-sqlite3 makes four wrapper functions for each `transaction()` call. */
  private readonly inTransaction: Transaction<
    (fn: (ctx: EngineContext) => unknown, actor: string) => unknown
  >;
  private readonly inGroupTransaction: Transaction<
    (batch: GroupedJob[], savepoints: boolean) => GroupOutcome[]
  >;
  /** Whether the last group had a command that failed: the next one starts with savepoints. */
  private lastGroupFailed = false;

  constructor(
    db: Database,
    clock: Clock = systemClock,
    syncFile?: (path: string) => Promise<void>,
    private readonly maxGroup = MAX_GROUP,
    private readonly answerBeforeWalFlush = false,
  ) {
    this.db = withStatementCache(db);
    this.clock = clock;
    this.walPath = deferrableWal(db);
    this.syncFile = syncFile ?? ((path) => this.fsyncWal(path));
    this.inTransaction = this.db.transaction((fn: (ctx: EngineContext) => unknown, actor: string) =>
      fn(makeContext(this.db, this.clock, actor)),
    );
    this.inGroupTransaction = this.db.transaction((batch: GroupedJob[], savepoints: boolean) =>
      batch.map((job): GroupOutcome => {
        try {
          // Inside a transaction better-sqlite3 runs a nested transaction as a savepoint.
          const value = savepoints
            ? this.inTransaction(job.fn, job.actor)
            : job.fn(makeContext(this.db, this.clock, job.actor));
          return { ok: true, value };
        } catch (error) {
          // Without savepoints a failed command's writes can only go with the whole transaction.
          if (!savepoints) throw new GroupCommandFailed(error);
          return { ok: false, error };
        }
      }),
    );
  }

  /**
   * Runs a group's commands in one transaction. A savepoint per command keeps a failing command from
   * undoing the others, but costs every command a copy of each page it touches. Commands rarely fail, so
   * the group first runs without them; should one fail, that whole transaction is rolled back and the group
   * runs again, each command in its savepoint, which is what every caller is answered from. After a group
   * with a failure (a sold-out quota refusing a burst of orders), the next starts with savepoints.
   */
  private runGroup(batch: GroupedJob[]): GroupOutcome[] {
    if (!this.lastGroupFailed) {
      try {
        return this.inGroupTransaction.immediate(batch, false);
      } catch (error) {
        if (!(error instanceof GroupCommandFailed)) throw error;
      }
    }
    const outcomes = this.inGroupTransaction.immediate(batch, true);
    this.lastGroupFailed = outcomes.some((outcome) => !outcome.ok);
    return outcomes;
  }

  /**
   * Makes every commit made so far to this database file durable, whichever connection made it: an fsync
   * of its WAL on the thread pool (nothing to do for a file that is not in WAL with synchronous=FULL).
   */
  flushWal(): Promise<void> {
    return this.walPath ? this.syncFile(this.walPath) : Promise.resolve();
  }

  /** fsync on the thread pool. Opened for writing: Windows flushes only a handle that may write. */
  private fsyncWal(path: string): Promise<void> {
    return new Promise((resolve, reject) => {
      // Inside the executor, a failure to open rejects the group instead of throwing out of it.
      this.walFd ??= openSync(path, 'r+');
      fsync(this.walFd, (error) => (error ? reject(error) : resolve()));
    });
  }

  static open(path: string, options: EngineOptions = {}): Engine {
    return new Engine(
      openDatabase(path, options),
      options.clock ?? systemClock,
      options.syncFile,
      options.maxGroup,
      options.answerBeforeWalFlush,
    );
  }

  /** Runs a write command in one immediate transaction; an exception rolls everything back. */
  command<T>(fn: (ctx: EngineContext) => T, actor = 'system'): T {
    return this.inTransaction.immediate(fn, actor) as T;
  }

  private grouped: GroupedJob[] = [];
  private flushScheduled = false;
  /** Groups committed whose callers wait for the WAL's fsync. */
  private syncing = 0;
  private onSettled: (() => void)[] = [];

  /**
   * Resolves once every grouped command submitted so far has been answered, and the turn that answered it
   * has run: a server waits for it before its database is closed under requests still in flight.
   */
  settled(): Promise<void> {
    if (this.isSettled()) return Promise.resolve();
    return new Promise((resolve) => this.onSettled.push(resolve));
  }

  private isSettled(): boolean {
    return this.grouped.length === 0 && !this.flushScheduled && this.syncing === 0;
  }

  private notifySettled(): void {
    if (this.onSettled.length === 0) return;
    setImmediate(() => {
      if (!this.isSettled()) return;
      const waiting = this.onSettled.splice(0);
      for (const resolve of waiting) resolve();
    });
  }

  /**
   * Group commit for concurrent callers (the REST API under load): commands that arrive in the same turn of
   * the event loop run one after another, each in its own savepoint, inside one `BEGIN IMMEDIATE`
   * transaction, and are answered after its single commit. Each command stays atomic (a failing one rolls
   * back only its savepoint and gets its own error), its quota check still sits in the same transaction as
   * the rows it guards, and no caller hears of success before the commit is durable; the fsync is shared.
   *
   * With synchronous=FULL SQLite would fsync the WAL inside COMMIT, blocking the event loop (better-sqlite3
   * is synchronous) while no request is read. So the group commits with synchronous=NORMAL (the WAL is
   * written, not yet flushed) and then fsyncs the WAL on the thread pool; its callers are answered once
   * that fsync is done, so what any caller hears of is exactly as durable as with FULL. Meanwhile the
   * event loop reads the next requests and the next group may already commit: the WAL only grows, so a
   * later fsync covers every earlier commit too.
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
    const batch = this.grouped.splice(0, this.maxGroup);
    if (this.grouped.length > 0) {
      this.flushScheduled = true;
      setImmediate(() => this.flushGrouped());
    }
    let outcomes: GroupOutcome[];
    const wal = this.walPath;
    if (wal) this.db.pragma('synchronous = NORMAL');
    try {
      outcomes = this.runGroup(batch);
    } catch (error) {
      for (const job of batch) job.reject(error);
      this.notifySettled();
      return;
    } finally {
      if (wal) this.db.pragma('synchronous = FULL');
    }
    const answer = () =>
      batch.forEach((job, i) => {
        const outcome = outcomes[i]!;
        if (outcome.ok) job.resolve(outcome.value);
        else job.reject(outcome.error);
      });
    if (!wal || this.answerBeforeWalFlush) {
      answer();
      this.notifySettled();
      return;
    }
    this.syncing++;
    this.flushWal()
      // A failed fsync leaves the group's durability unknown: nobody is told it succeeded.
      .then(answer, (error: unknown) => batch.forEach((job) => job.reject(error)))
      .finally(() => {
        this.syncing--;
        this.notifySettled();
      });
  }

  /**
   * Copies the WAL's committed pages into the database file, never waiting for a lock: for a thread that
   * takes the checkpoints off a busy writer's connection.
   */
  checkpointWal(): void {
    checkpointWal(this.db);
  }

  /** Runs a read in one deferred transaction, so it sees one consistent snapshot. */
  read<T>(fn: (ctx: EngineContext) => T, actor = 'system'): T {
    return this.inTransaction.deferred(fn, actor) as T;
  }

  close(): void {
    if (this.walFd !== undefined) closeSync(this.walFd);
    this.walFd = undefined;
    this.db.close();
  }
}
