import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../main/engine/clock';
import { openDatabase } from '../../main/engine/db/open';
import { loadMigrations, migrate, schemaVersion } from '../../main/engine/db/migrations';
import { Engine } from '../../main/engine/engine';
import { ensureDefaultOrganizer } from '../../main/engine/organizers/organizers';
import { seedDemoEvent } from '../../main/demo/seed';

function tableCounts(engine: Engine): Record<string, number> {
  const tables = engine.db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_version'",
    )
    .all() as { name: string }[];
  return Object.fromEntries(
    tables.map((t) => [
      t.name,
      (engine.db.prepare(`SELECT COUNT(*) AS n FROM "${t.name}"`).get() as { n: number }).n,
    ]),
  );
}

describe('migrations', () => {
  const newest = loadMigrations().at(-1)!.version;

  it('numbers migrations 1, 2, 3 … with no gaps', () => {
    expect(loadMigrations().map((m) => m.version)).toEqual(Array.from({ length: newest }, (_, i) => i + 1));
  });

  for (let from = 1; from < newest; from++) {
    it(`upgrades a database full of sales from schema ${from} to ${newest} without loss`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'guichet-migrate-'));
      try {
        const path = join(dir, 'old.sqlite');
        const old = new Engine(
          openDatabase(path, { targetVersion: from }),
          new ManualClock('2026-04-01T10:00:00Z'),
        );
        expect(schemaVersion(old.db)).toBe(from);
        old.command((ctx) => {
          ensureDefaultOrganizer(ctx);
          seedDemoEvent(ctx);
        });
        const before = tableCounts(old);
        expect(before.orders).toBeGreaterThan(0);
        const orders = old.db.prepare('SELECT code, status, total FROM orders ORDER BY id').all();
        old.close();

        const upgraded = Engine.open(path);
        expect(schemaVersion(upgraded.db)).toBe(newest);
        expect(upgraded.db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(upgraded.db.pragma('foreign_key_check')).toEqual([]);
        const after = tableCounts(upgraded);
        for (const [table, n] of Object.entries(before)) expect(after[table], table).toBe(n);
        expect(upgraded.db.prepare('SELECT code, status, total FROM orders ORDER BY id').all()).toEqual(
          orders,
        );
        upgraded.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('finds orders by e-mail through the index whatever the case', () => {
    const db = openDatabase(':memory:');
    expect(migrate(db)).toBe(newest);
    const plan = db
      .prepare(
        "EXPLAIN QUERY PLAN SELECT id FROM orders WHERE event_id = 1 AND LOWER(email) = LOWER('A@B.org')",
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX orders_event_email_lower/);
  });
});
