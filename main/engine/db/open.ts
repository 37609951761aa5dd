import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkExistingDatabase } from './check';
import { holdDatabase } from './lock';
import { migrate, type Migration } from './migrations';

export type { Database };

export interface OpenOptions {
  /** Stop at this schema version (tests of upgrades). */
  targetVersion?: number;
  migrations?: Migration[];
  readonly?: boolean;
  /**
   * A second connection to a database this process already has open (checked, migrated and marked as
   * held by the first): only the connection's settings are applied.
   */
  alongside?: boolean;
  /**
   * WAL pages after which a commit copies them into the database file itself (SQLite's default: 1000). A
   * connection whose checkpoints another thread runs sets this high, as the backstop should that thread
   * fall behind.
   */
  autoCheckpointPages?: number;
}

/**
 * Opens (creating if needed) the database that records sales. WAL lets scanners read while the desk
 * writes; synchronous=FULL makes a committed sale survive a power cut; busy_timeout lets a second
 * process wait for the write lock instead of failing. While it is open, the file is marked as held by this
 * process, so that a restore refuses to replace it (see `lock.ts`). An existing file is checked first and
 * refused, unchanged, when it is damaged, empty or not a database this version can use (see `check.ts`).
 */
export function openDatabase(path: string, options: OpenOptions = {}): Database {
  if (options.alongside) return configure(new BetterSqlite3(path, { fileMustExist: true }), options);
  if (path === ':memory:' || options.readonly)
    return configure(new BetterSqlite3(path, { readonly: options.readonly ?? false }), options);
  mkdirSync(dirname(path), { recursive: true });
  const release = holdDatabase(path);
  let db: Database | undefined;
  try {
    checkExistingDatabase(path, { migrations: options.migrations });
    db = new BetterSqlite3(path);
    configure(db, options);
  } catch (e) {
    db?.close();
    release();
    throw e;
  }
  const opened = db;
  const close = opened.close.bind(opened);
  opened.close = () => {
    close();
    release();
    return opened;
  };
  return opened;
}

function configure(db: Database, options: OpenOptions): Database {
  const path = db.name;
  // The first connection made the file WAL and migrated it; a second one only sets its own pragmas.
  const first = !options.readonly && !options.alongside;
  if (path !== ':memory:' && first) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000');
  // A savepoint's sub-journal in memory: as a temporary file it costs an open, writes and an unlink for
  // every command of a group commit run with savepoints (after a failure).
  db.pragma('temp_store = MEMORY');
  if (options.autoCheckpointPages !== undefined)
    db.pragma(`wal_autocheckpoint = ${Math.max(0, Math.trunc(options.autoCheckpointPages))}`);
  if (first) migrate(db, { target: options.targetVersion, migrations: options.migrations });
  return db;
}

/**
 * Copies the WAL's committed pages into the database file without waiting for any lock (PASSIVE): what
 * SQLite does on its own inside a commit once the WAL reaches its page limit, run here by whoever calls it.
 */
export function checkpointWal(db: Database): void {
  db.pragma('wal_checkpoint(PASSIVE)');
}
