import { describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { backupDatabase } from '../../main/engine/backup/backup';
import { systemClock } from '../../main/engine/clock';
import { DatabaseRefused } from '../../main/engine/db/check';
import { Engine } from '../../main/engine/engine';
import { ensureDefaultOrganizer } from '../../main/engine/organizers/organizers';
import { startServer } from '../../main/server/serve';
import { fixtureEvent, fixtureItem } from '../fixtures/catalog';
import { fixtureOrder } from '../engine/checkin/fixtures';
import { tempDirs } from '../fixtures/temp-dirs';

const tempDir = tempDirs('damaged');

/** Opening must refuse the file and leave it exactly as it was, with no WAL side files. */
function expectRefusedUnchanged(path: string, open: () => unknown, message: RegExp): void {
  const before = readFileSync(path);
  expect(open).toThrow(DatabaseRefused);
  expect(open).toThrow(message);
  expect(Buffer.compare(readFileSync(path), before)).toBe(0);
  expect(existsSync(`${path}-wal`)).toBe(false);
  expect(existsSync(`${path}-shm`)).toBe(false);
}

describe('damaged or foreign database files', () => {
  it('the server refuses a database whose orders page is overwritten, naming the newest good backup', async () => {
    const dir = tempDir();
    const path = join(dir, 'box.sqlite');
    const engine = Engine.open(path);
    const organizerId = engine.command((ctx) => ensureDefaultOrganizer(ctx)).id;
    const eventId = fixtureEvent(engine, organizerId, { slug: 'gala' });
    const item = fixtureItem(engine, eventId, { name: 'Ticket' });
    for (let i = 0; i < 20; i++)
      fixtureOrder(engine, organizerId, eventId, { positions: [{ itemId: item }] });
    const { path: backup } = await backupDatabase(engine.db, join(dir, 'backups'), { clock: systemClock });
    const pageSize = engine.db.pragma('page_size', { simple: true }) as number;
    const root = (
      engine.db
        .prepare("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'orders'")
        .get() as {
        rootpage: number;
      }
    ).rootpage;
    engine.close();
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xab), 0, pageSize, (root - 1) * pageSize);
    closeSync(fd);

    const before = readFileSync(path);
    const start = () =>
      startServer({ dbPath: path, host: '127.0.0.1', port: 0, seedDemo: false, desk: false, log: () => {} });
    await expect(start()).rejects.toThrow(DatabaseRefused);
    await expect(start()).rejects.toThrow(/damaged/);
    await expect(start()).rejects.toThrow(backup);
    expect(Buffer.compare(readFileSync(path), before)).toBe(0);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('refuses an SQLite file of another program without changing a byte', () => {
    const path = join(tempDir(), 'other.sqlite');
    const other = new BetterSqlite3(path);
    other.pragma('journal_mode = WAL');
    other.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ada')");
    other.close();
    expectRefusedUnchanged(path, () => Engine.open(path), /not a Guichet database/);
  });

  it('refuses an empty file that it did not just create', () => {
    const path = join(tempDir(), 'empty.sqlite');
    writeFileSync(path, '');
    expectRefusedUnchanged(path, () => Engine.open(path), /empty file/);
  });

  it('refuses a file that is not SQLite at all', () => {
    const path = join(tempDir(), 'notes.sqlite');
    writeFileSync(path, 'shopping list: bread, milk\n'.repeat(300));
    expectRefusedUnchanged(path, () => Engine.open(path), /not a Guichet database/);
  });

  it('refuses a database from a newer Guichet without changing a byte of it', () => {
    const path = join(tempDir(), 'newer.sqlite');
    const engine = Engine.open(path);
    engine.db
      .prepare("INSERT INTO schema_version (version, name, applied) VALUES (999, 'future', 'x')")
      .run();
    engine.close();
    expectRefusedUnchanged(path, () => Engine.open(path), /newer Guichet/);
  });

  it('still creates a new database where there is none, and reopens a good one', () => {
    const path = join(tempDir(), 'fresh.sqlite');
    Engine.open(path).close();
    const again = Engine.open(path);
    expect(again.db.pragma('quick_check', { simple: true })).toBe('ok');
    again.close();
  });
});
