import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { backupDatabase, restoreDatabase } from '../../main/engine/backup/backup';
import { systemClock } from '../../main/engine/clock';
import { DatabaseInUse, holdDatabase, holdForRestore, lockFolderOf } from '../../main/engine/db/lock';
import { Engine } from '../../main/engine/engine';
import { startServer } from '../../main/server/serve';
import { tempDirs } from '../fixtures/temp-dirs';

const tempDir = tempDirs('restore-lock');

const GUICHET = join(import.meta.dirname, '..', '..', 'bin', 'guichet.mjs');

function guichet(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [GUICHET, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

function count(engine: Engine): number {
  return (engine.db.prepare('SELECT COUNT(*) AS n FROM organizers').get() as { n: number }).n;
}

describe('restore while the database is open', () => {
  it('restore refuses while guichet serve has the database open, naming the process, and loses no later sale', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'box.sqlite');
    const server = await startServer({
      dbPath,
      host: '127.0.0.1',
      port: 0,
      seedDemo: false,
      desk: false,
      backupIntervalMs: 0,
      log: () => {},
    });
    let closed = false;
    try {
      const { path: backup } = await backupDatabase(server.engine.db, join(dir, 'backups'), {
        clock: systemClock,
      });
      const insert = (slug: string) =>
        server.engine.command((ctx) =>
          ctx.db.prepare('INSERT INTO organizers (slug, name) VALUES (?, ?)').run(slug, slug),
        );
      insert('before');
      // Another process tries to restore while this one serves.
      const refused = await guichet(['restore', '--db', dbPath, '--from', backup]);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain(`process ${process.pid}`);
      expect(refused.err).toMatch(/Stop Guichet/);
      // The server keeps selling into the same file, and every sale is still there after it stops.
      for (let i = 0; i < 50; i++) insert(`after-${i}`);
      const live = count(server.engine);
      await server.close();
      closed = true;
      const reopened = Engine.open(dbPath);
      expect(count(reopened)).toBe(live);
      reopened.close();
      // Once nobody holds the file, the restore goes through.
      const done = await guichet(['restore', '--db', dbPath, '--from', backup]);
      expect(done.err).toBe('');
      expect(done.code).toBe(0);
      const restored = Engine.open(dbPath);
      expect(count(restored)).toBe(live - 51);
      restored.close();
    } finally {
      if (!closed) await server.close();
    }
  }, 60_000);

  it('nothing opens the database while a restore replaces it', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'box.sqlite');
    const engine = Engine.open(dbPath);
    const { path: backup } = await backupDatabase(engine.db, join(dir, 'b'), { clock: systemClock });
    expect(() => restoreDatabase(backup, dbPath)).toThrow(DatabaseInUse);
    engine.close();
    const release = holdForRestore(dbPath);
    try {
      expect(() => Engine.open(dbPath)).toThrow(/being restored/);
      await expect(
        startServer({ dbPath, host: '127.0.0.1', port: 0, seedDemo: false, desk: false, log: () => {} }),
      ).rejects.toThrow(DatabaseInUse);
    } finally {
      release();
    }
    Engine.open(dbPath).close();
  });

  it('the last holder to let go removes the lock folder, so a stopped Guichet leaves nothing beside the database', () => {
    const dir = tempDir();
    const dbPath = join(dir, 'box.sqlite');
    const first = holdDatabase(dbPath);
    const second = holdDatabase(dbPath);
    first();
    expect(existsSync(lockFolderOf(dbPath))).toBe(true);
    second();
    expect(existsSync(lockFolderOf(dbPath))).toBe(false);
    const again = holdDatabase(dbPath);
    expect(existsSync(lockFolderOf(dbPath))).toBe(true);
    again();
    holdForRestore(dbPath)();
    expect(existsSync(lockFolderOf(dbPath))).toBe(false);
  });
});
