import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Who has a database file open, so that a restore never replaces the file under a running desk or server
 * (which would go on answering sales into the replaced file). Each open connection leaves a small file in
 * `<database>.lock/` naming its process; a restore holds `restore.json` there while it replaces the file.
 * Both sides write their own mark first and then look for the other's, so of two that start at the same
 * moment at least one sees the other and stands back. Marks of processes that died are ignored.
 */

export class DatabaseInUse extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseInUse';
  }
}

interface Holder {
  pid: number;
  command: string;
  since: string;
}

const RESTORE_MARK = 'restore.json';

export function lockFolderOf(dbPath: string): string {
  return `${dbPath}.lock`;
}

function describeThisProcess(): Holder {
  const args = process.argv.slice(1).map((a, i) => (i === 0 ? basename(a) : a));
  return { pid: process.pid, command: args.join(' ').slice(0, 200), since: new Date().toISOString() };
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): Holder | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>;
    if (typeof value.pid !== 'number') return undefined;
    return { pid: value.pid, command: String(value.command ?? ''), since: String(value.since ?? '') };
  } catch {
    return undefined;
  }
}

/** The live holder behind a mark; a mark left by a process that died is removed. */
function liveHolder(file: string): Holder | undefined {
  const holder = readHolder(file);
  if (holder && isAlive(holder.pid)) return holder;
  rmSync(file, { force: true });
  return undefined;
}

function describe(holder: Holder): string {
  return `process ${holder.pid}${holder.command ? ` (${holder.command})` : ''}`;
}

// Marks of this process, removed when it exits even if nobody closed the database.
const ownMarks = new Set<string>();
let exitHookInstalled = false;
function remember(file: string): void {
  ownMarks.add(file);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const mark of [...ownMarks]) forget(mark);
  });
}
function forget(file: string): void {
  ownMarks.delete(file);
  rmSync(file, { force: true });
  // The last one out removes the folder, so a stopped Guichet leaves nothing beside the database.
  try {
    rmdirSync(dirname(file));
  } catch {
    // Another process still holds a mark (or the folder is already gone).
  }
}

/** Writes a mark, making the folder again if the last holder removed it a moment ago. */
function writeMark(folder: string, mark: string, content: string, flag: 'w' | 'wx'): void {
  for (let attempt = 0; ; attempt++) {
    mkdirSync(folder, { recursive: true });
    try {
      writeFileSync(mark, content, { flag });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 5) throw e;
    }
  }
}

/**
 * Marks the database as open by this process until the returned release is called. Refuses while a
 * restore is replacing the file.
 */
export function holdDatabase(dbPath: string): () => void {
  const folder = lockFolderOf(dbPath);
  const mark = join(folder, `open-${process.pid}-${randomBytes(6).toString('hex')}.json`);
  writeMark(folder, mark, JSON.stringify(describeThisProcess()), 'w');
  remember(mark);
  const restoring = liveHolder(join(folder, RESTORE_MARK));
  if (restoring) {
    forget(mark);
    throw new DatabaseInUse(
      `${dbPath} is being restored from a backup by ${describe(restoring)}. Try again when the restore has finished.`,
    );
  }
  return () => forget(mark);
}

/**
 * Takes the database for a restore: nobody else may have it open, and nobody may open it until the
 * returned release is called. The refusal names the process that holds it.
 */
export function holdForRestore(dbPath: string): () => void {
  const folder = lockFolderOf(dbPath);
  const mark = join(folder, RESTORE_MARK);
  for (let attempt = 0; ; attempt++) {
    try {
      writeMark(folder, mark, JSON.stringify(describeThisProcess()), 'wx');
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
      const other = liveHolder(mark);
      if (other) throw new DatabaseInUse(`${dbPath} is already being restored by ${describe(other)}.`);
    }
  }
  remember(mark);
  const holders = readdirSync(folder)
    .filter((f) => f.startsWith('open-'))
    .map((f) => liveHolder(join(folder, f)))
    .filter((h): h is Holder => h !== undefined);
  if (holders.length > 0) {
    forget(mark);
    const names = holders.map(describe).join(', ');
    throw new DatabaseInUse(
      `${dbPath} is in use by ${names}. Stop Guichet there (the desk or guichet serve) before restoring, so that no sale goes into the replaced file.`,
    );
  }
  return () => forget(mark);
}
