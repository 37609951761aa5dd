import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../main/engine/db/open';
import { loadMigrations, migrate, schemaVersion } from '../../main/engine/db/migrations';

describe('database', () => {
  it('opens a file database in WAL with foreign keys and full sync', () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-db-'));
    try {
      const db = openDatabase(join(dir, 'sub', 'box.sqlite'));
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(Number(db.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
      expect(schemaVersion(db)).toBe(loadMigrations().at(-1)!.version);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('applies migrations forward only and refuses a newer schema', () => {
    const db = openDatabase(':memory:', { targetVersion: 1 });
    expect(schemaVersion(db)).toBe(1);
    db.prepare("INSERT INTO organizers (slug, name) VALUES ('o', 'O')").run();
    expect(migrate(db)).toBe(loadMigrations().at(-1)!.version);
    expect(db.prepare('SELECT slug FROM organizers').get()).toEqual({ slug: 'o' });
    db.prepare("INSERT INTO schema_version (version, name, applied) VALUES (999, 'future', 'x')").run();
    expect(() => migrate(db)).toThrow(/newer Guichet/);
  });
});
