import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadMigrations, schemaVersion, type Migration } from './migrations';

/** A database file Guichet will not open, with the reason in plain words. */
export class DatabaseRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseRefused';
  }
}

const BACKUP_NAME = /^guichet-\d{8}-\d{6}(-\d+)*\.sqlite$/;

/** The newest backup in `folder` that passes SQLite's integrity check, if any. */
export function newestGoodBackup(folder: string): string | undefined {
  if (!existsSync(folder)) return undefined;
  const candidates = readdirSync(folder)
    .filter((f) => BACKUP_NAME.test(f))
    .map((f) => join(folder, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const path of candidates) {
    let db: Database | undefined;
    try {
      db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
      if (db.pragma('integrity_check', { simple: true }) === 'ok' && schemaVersion(db) > 0) return path;
    } catch {
      // Not readable: try the next one.
    } finally {
      db?.close();
    }
  }
  return undefined;
}

function backupHint(dbPath: string, backupFolders: string[]): string {
  for (const folder of backupFolders) {
    const good = newestGoodBackup(folder);
    if (good)
      return ` The newest good backup is ${good}; restore it with: guichet restore --db "${dbPath}" --from "${good}".`;
  }
  return ` No good backup was found in ${backupFolders.join(', ')}.`;
}

/**
 * Looks at an existing database file before anything writes to it, through a read-only connection, and
 * refuses a file that is damaged (`PRAGMA quick_check`), empty, not a Guichet database, or from a newer
 * Guichet. A refused file is left exactly as it was: not a byte changed, no `-wal`/`-shm` left behind.
 */
export function checkExistingDatabase(
  path: string,
  options: { migrations?: Migration[]; backupFolders?: string[] } = {},
): void {
  if (!existsSync(path)) return;
  const backupFolders = options.backupFolders ?? [join(dirname(path), 'backups')];
  if (statSync(path).size === 0)
    throw new DatabaseRefused(
      `${path} is an empty file, not a Guichet database. Move it away or choose another file.` +
        backupHint(path, backupFolders),
    );
  const sideFiles = ['-wal', '-shm'].map((s) => path + s).filter((f) => !existsSync(f));
  let problem: string | undefined;
  let db: Database | undefined;
  try {
    db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') problem = `${path} is damaged (${String(check)}).${backupHint(path, backupFolders)}`;
    else {
      const tables = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get() as {
        n: number;
      };
      const version = schemaVersion(db);
      const newest = (options.migrations ?? loadMigrations()).at(-1)?.version ?? 0;
      if (version === 0 && tables.n > 0)
        problem = `${path} is an SQLite database of another program, not a Guichet database. Choose another file.`;
      else if (version > newest)
        problem = `${path} was written by a newer Guichet (schema ${version}; this version knows ${newest}). Use that version or newer.`;
    }
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    problem =
      code === 'SQLITE_NOTADB'
        ? `${path} is not a Guichet database (not an SQLite file). Choose another file.`
        : `${path} is damaged and cannot be read (${(e as Error).message}).${backupHint(path, backupFolders)}`;
  } finally {
    db?.close();
  }
  if (problem) {
    // The read-only look may have created the WAL side files; a refused file is left as it was found.
    for (const f of sideFiles) rmSync(f, { force: true });
    throw new DatabaseRefused(problem);
  }
}
