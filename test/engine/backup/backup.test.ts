import { describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ManualClock } from '../../../main/engine/clock';
import { Engine } from '../../../main/engine/engine';
import { ensureDefaultOrganizer } from '../../../main/engine/organizers/organizers';
import {
  BackupRefused,
  BackupSchedule,
  backupDatabase,
  listBackups,
  restoreDatabase,
  verifyBackup,
} from '../../../main/engine/backup/backup';
import { tempDirs } from '../../fixtures/temp-dirs';

const tempDir = tempDirs('backup');

function engineAt(dir: string, clock: ManualClock): Engine {
  const engine = Engine.open(join(dir, 'box.sqlite'), { clock });
  engine.command((ctx) => ensureDefaultOrganizer(ctx));
  return engine;
}

/** An open database in a new folder, and its first backup (in `b/`). */
async function backedUp() {
  const dir = tempDir();
  const clock = new ManualClock();
  const engine = engineAt(dir, clock);
  const { path: backup } = await backupDatabase(engine.db, join(dir, 'b'), { clock });
  return { dir, clock, engine, backup };
}

describe('backup and restore', () => {
  it('takes a consistent online backup while the database stays open, and rotates old ones', async () => {
    const dir = tempDir();
    const clock = new ManualClock('2026-05-01T09:00:00Z');
    const engine = engineAt(dir, clock);
    const folder = join(dir, 'backups');
    const made: string[] = [];
    for (let i = 0; i < 4; i++) {
      engine.db.prepare('INSERT INTO organizers (slug, name) VALUES (?, ?)').run(`org${i}`, `Org ${i}`);
      made.push((await backupDatabase(engine.db, folder, { clock, keep: 3 })).path);
      clock.advanceMinutes(60);
    }
    const kept = listBackups(folder);
    expect(kept.map((p) => basename(p))).toEqual(
      made
        .slice(1)
        .reverse()
        .map((p) => basename(p)),
    );
    expect(existsSync(made[0]!)).toBe(false);
    const copy = new BetterSqlite3(kept[0]!, { readonly: true });
    expect((copy.prepare('SELECT COUNT(*) AS n FROM organizers').get() as { n: number }).n).toBe(5);
    copy.close();
    engine.close();
  });

  it('backups in the same second get unique names, none fails, and pruning keeps the newest', async () => {
    const dir = tempDir();
    const clock = new ManualClock('2026-05-01T09:00:00Z');
    const engine = engineAt(dir, clock);
    const folder = join(dir, 'backups');
    // Four "Backup now" at once on one connection, and three more on connections of their own.
    const others = [1, 2, 3].map(() => Engine.open(join(dir, 'box.sqlite'), { clock }));
    const results = await Promise.allSettled([
      ...[1, 2, 3, 4].map(() => backupDatabase(engine.db, folder, { clock })),
      ...others.map((o) => backupDatabase(o.db, folder, { clock })),
    ]);
    expect(results.map((r) => r.status)).toEqual(Array(7).fill('fulfilled'));
    const paths = results.map((r) => (r as PromiseFulfilledResult<{ path: string }>).value.path);
    expect(new Set(paths).size).toBe(7);
    for (const p of paths) expect(verifyBackup(p).schemaVersion).toBeGreaterThan(0);
    expect(readdirSync(folder).filter((f) => !f.endsWith('.sqlite'))).toEqual([]);
    // Newest first: the later sequence numbers of the same second come before the plain name.
    expect(listBackups(folder).map((p) => basename(p))).toEqual([
      'guichet-20260501-090000-7.sqlite',
      'guichet-20260501-090000-6.sqlite',
      'guichet-20260501-090000-5.sqlite',
      'guichet-20260501-090000-4.sqlite',
      'guichet-20260501-090000-3.sqlite',
      'guichet-20260501-090000-2.sqlite',
      'guichet-20260501-090000.sqlite',
    ]);
    // Keeping one keeps the newest, never the plain name of the same second.
    const last = await backupDatabase(engine.db, folder, { clock, keep: 1 });
    expect(listBackups(folder)).toEqual([last.path]);
    expect(basename(last.path)).toBe('guichet-20260501-090000-8.sqlite');
    for (const o of others) o.close();
    engine.close();
  });

  it('restores a backup over the live file and keeps the replaced one', async () => {
    const { dir, clock, engine: opened, backup } = await backedUp();
    let engine = opened;
    engine.db.prepare("INSERT INTO organizers (slug, name) VALUES ('later', 'Later')").run();
    engine.close();
    const { previous } = restoreDatabase(backup, join(dir, 'box.sqlite'));
    expect(previous && existsSync(previous)).toBe(true);
    engine = Engine.open(join(dir, 'box.sqlite'), { clock });
    expect(engine.db.prepare("SELECT slug FROM organizers WHERE slug = 'later'").get()).toBeUndefined();
    expect(engine.db.pragma('integrity_check', { simple: true })).toBe('ok');
    engine.close();
  });

  it('after a crash, restore keeps an undo copy holding every committed sale, WAL included', async () => {
    const { dir, engine, backup } = await backedUp();
    // Sales committed to the WAL and not yet checkpointed into the main file, as at a crash.
    engine.db.pragma('wal_autocheckpoint = 0');
    for (let i = 0; i < 300; i++)
      engine.command((ctx) =>
        ctx.db.prepare('INSERT INTO organizers (slug, name) VALUES (?, ?)').run(`sale-${i}`, `Sale ${i}`),
      );
    const committed = (engine.db.prepare('SELECT COUNT(*) AS n FROM organizers').get() as { n: number }).n;
    // What a killed process leaves behind: the main file with its WAL beside it.
    const crashed = join(dir, 'crashed.sqlite');
    copyFileSync(join(dir, 'box.sqlite'), crashed);
    copyFileSync(join(dir, 'box.sqlite-wal'), `${crashed}-wal`);
    engine.close();
    const { previous } = restoreDatabase(backup, crashed);
    const undo = new BetterSqlite3(previous!, { readonly: true });
    expect((undo.prepare('SELECT COUNT(*) AS n FROM organizers').get() as { n: number }).n).toBe(committed);
    expect(undo.pragma('integrity_check', { simple: true })).toBe('ok');
    undo.close();
  });

  it('refuses to restore something that is not a whole Guichet database', () => {
    const dir = tempDir();
    const junk = join(dir, 'junk.sqlite');
    writeFileSync(junk, 'this is not sqlite at all, just text'.repeat(200));
    expect(() => verifyBackup(junk)).toThrow(BackupRefused);
    const empty = join(dir, 'empty.sqlite');
    new BetterSqlite3(empty).close();
    expect(() => verifyBackup(empty)).toThrow(/not a Guichet database/);
    expect(() => restoreDatabase(junk, join(dir, 'box.sqlite'))).toThrow(BackupRefused);
    expect(existsSync(join(dir, 'box.sqlite'))).toBe(false);
  });

  it('runs on a schedule without overlapping runs', async () => {
    const dir = tempDir();
    const clock = new ManualClock();
    const engine = engineAt(dir, clock);
    const schedule = new BackupSchedule(engine.db, join(dir, 's'), { clock, intervalMs: 60_000 });
    const [first, second] = await Promise.all([schedule.runOnce(), schedule.runOnce()]);
    expect(first?.path).toBeDefined();
    expect(second).toBeUndefined();
    expect(listBackups(join(dir, 's'))).toHaveLength(1);
    schedule.stop();
    engine.close();
  });
});
