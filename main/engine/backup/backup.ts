import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../clock';
import { holdForRestore } from '../db/lock';
import { loadMigrations, schemaVersion } from '../db/migrations';
import { vacuumInto } from '../db/queries/backup';

export const BACKUP_PATTERN = /^guichet-(\d{8}-\d{6})(?:-(\d+))?\.sqlite$/;

export interface BackupResult {
  path: string;
  bytes: number;
  removed: string[];
}

function stamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
}

/**
 * Backups in a folder, newest first: by the time in the name, then by the sequence number that backups of
 * the same second get (`…-2`, `…-3`, … after the plain name).
 */
export function listBackups(folder: string): string[] {
  if (!existsSync(folder)) return [];
  const key = (name: string) => {
    const [, time, n] = BACKUP_PATTERN.exec(name)!;
    return `${time}-${(n ?? '1').padStart(9, '0')}`;
  };
  return readdirSync(folder)
    .filter((f) => BACKUP_PATTERN.test(f))
    .sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0))
    .map((f) => join(folder, f));
}

/** Takes the first free name of this second (`name.sqlite`, `name-2.sqlite`, …) by creating it exclusively. */
function reserveName(folder: string, time: string): string {
  for (let n = 1; ; n++) {
    const target = join(folder, n === 1 ? `guichet-${time}.sqlite` : `guichet-${time}-${n}.sqlite`);
    try {
      closeSync(openSync(target, 'wx'));
      return target;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/**
 * An online backup with SQLite's backup API: the desk keeps selling while it runs, and the copy is one
 * consistent snapshot. It is written under a temporary name of its own, checked (`quick_check`), and then
 * renamed onto a name reserved exclusively, so backups started in the same second, in one process or
 * several, never share a file, and a crash never leaves a half backup that looks whole. Keeps the newest
 * `keep` backups in the folder.
 */
export async function backupDatabase(
  db: Database,
  folder: string,
  options: { clock: Clock; keep?: number },
): Promise<BackupResult> {
  mkdirSync(folder, { recursive: true });
  const partial = join(folder, `.guichet-backup-${process.pid}-${randomBytes(6).toString('hex')}.partial`);
  let target: string;
  try {
    await db.backup(partial);
    sealCopy(partial);
    target = reserveName(folder, stamp(options.clock.now()));
    renameSync(partial, target);
  } finally {
    for (const leftover of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(leftover, { force: true });
  }
  const keep = Math.max(1, options.keep ?? 10);
  const removed = listBackups(folder).slice(keep);
  for (const old of removed) rmSync(old, { force: true });
  return { path: target, bytes: statSync(target).size, removed };
}

export class BackupRefused extends Error {}

/**
 * Makes a fresh copy a single self-contained file (rollback journal, not WAL, so reading it later leaves no
 * side files) and checks it before it is trusted.
 */
function sealCopy(path: string): void {
  const copy = new BetterSqlite3(path, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new BackupRefused(`The backup came out damaged: ${String(check)}.`);
  } finally {
    copy.close();
  }
}

/** Checks that a file is a whole Guichet database this version can open. */
export function verifyBackup(path: string): { schemaVersion: number } {
  if (!existsSync(path)) throw new BackupRefused(`There is no backup at ${path}.`);
  let db: Database | undefined;
  try {
    db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new BackupRefused(`The backup ${path} is damaged: ${String(check)}.`);
    const version = schemaVersion(db);
    if (version === 0) throw new BackupRefused(`${path} is not a Guichet database.`);
    const newest = loadMigrations().at(-1)?.version ?? 0;
    if (version > newest) {
      throw new BackupRefused(`The backup ${path} comes from a newer Guichet (schema ${version}).`);
    }
    return { schemaVersion: version };
  } catch (e) {
    if (e instanceof BackupRefused) throw e;
    throw new BackupRefused(`${path} is not a readable SQLite database: ${(e as Error).message}`);
  } finally {
    db?.close();
  }
}

/**
 * Replaces the database at `dbPath` with a verified backup. Refuses (DatabaseInUse, naming the process)
 * while any Guichet process has the database open, and keeps others from opening it meanwhile. The current
 * file is kept beside it as `<name>.before-restore` so a restore can itself be undone.
 */
export function restoreDatabase(backupPath: string, dbPath: string): { previous?: string } {
  verifyBackup(backupPath);
  const release = holdForRestore(dbPath);
  try {
    return replaceDatabase(backupPath, dbPath);
  } finally {
    release();
  }
}

function replaceDatabase(backupPath: string, dbPath: string): { previous?: string } {
  let previous: string | undefined;
  if (existsSync(dbPath)) {
    previous = `${dbPath}.before-restore`;
    keepUndoCopy(dbPath, previous);
  }
  const incoming = `${dbPath}.restoring`;
  copyFileSync(backupPath, incoming);
  for (const suffix of ['-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  renameSync(incoming, dbPath);
  return { previous };
}

/**
 * The undo copy of a database about to be replaced. After a crash, committed sales may still sit in the
 * `-wal` file, so the copy is made by SQLite (`VACUUM INTO`, a consistent snapshot of everything
 * committed, WAL included), never by copying the main file alone. A file SQLite cannot read is kept as
 * it is, together with its WAL.
 */
function keepUndoCopy(dbPath: string, target: string): void {
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  let source: Database | undefined;
  try {
    source = new BetterSqlite3(dbPath, { fileMustExist: true });
    vacuumInto(source, partial);
    source.close();
    renameSync(partial, target);
    return;
  } catch {
    source?.close();
    rmSync(partial, { force: true });
  }
  copyFileSync(dbPath, target);
  if (existsSync(`${dbPath}-wal`)) copyFileSync(`${dbPath}-wal`, `${target}-wal`);
}

/** Runs a backup every `intervalMs`; the timer does not keep the process alive. */
export class BackupSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly db: Database,
    private readonly folder: string,
    private readonly options: {
      clock: Clock;
      keep?: number;
      intervalMs: number;
      onError?: (e: Error) => void;
    },
  ) {}

  start(): void {
    this.stop();
    this.timer = setInterval(() => void this.runOnce(), this.options.intervalMs);
    this.timer.unref();
  }

  async runOnce(): Promise<BackupResult | undefined> {
    if (this.running) return undefined;
    const job = backupDatabase(this.db, this.folder, this.options);
    this.running = job;
    try {
      return await job;
    } catch (e) {
      this.options.onError?.(e as Error);
      return undefined;
    } finally {
      this.running = undefined;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
