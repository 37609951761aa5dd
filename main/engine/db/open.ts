import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate, type Migration } from './migrations';

export type { Database };

export interface OpenOptions {
  /** Stop at this schema version (tests of upgrades). */
  targetVersion?: number;
  migrations?: Migration[];
  readonly?: boolean;
}

/**
 * Opens (creating if needed) the database that records sales. WAL lets scanners read while the desk
 * writes; synchronous=FULL makes a committed sale survive a power cut; busy_timeout lets a second
 * process wait for the write lock instead of failing.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Database {
  if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path, { readonly: options.readonly ?? false });
  if (path !== ':memory:' && !options.readonly) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000');
  if (!options.readonly) migrate(db, { target: options.targetVersion, migrations: options.migrations });
  return db;
}
