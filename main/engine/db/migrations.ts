import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Next to this module; a bundled build (Electron, test workers) names the folder in GUICHET_MIGRATIONS_DIR. */
const MIGRATIONS_DIR =
  process.env.GUICHET_MIGRATIONS_DIR ?? join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Migrations are `NNN_name.sql` files, applied in number order, never edited once released. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 3)),
      name: f.slice(4, -4),
      sql: readFileSync(join(dir, f), 'utf8'),
    }));
}

export function schemaVersion(db: Database): number {
  const row = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
    .get();
  if (!row) return 0;
  const v = db.prepare('SELECT MAX(version) AS version FROM schema_version').get() as {
    version: number | null;
  };
  return v.version ?? 0;
}

/**
 * Brings the database forward to `target` (default: the newest migration). Each migration runs in its
 * own transaction together with its schema_version row, so a crash leaves the database at a whole version.
 */
export function migrate(db: Database, options: { target?: number; migrations?: Migration[] } = {}): number {
  const migrations = options.migrations ?? loadMigrations();
  // Functions a migration's SQL may call.
  db.function('sha256_hex', { deterministic: true }, (text: unknown) =>
    createHash('sha256').update(String(text), 'utf8').digest('hex'),
  );
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)',
  );
  const current = schemaVersion(db);
  const newest = migrations.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new Error(
      `This database was written by a newer Guichet (schema ${current}, this version knows ${newest}).`,
    );
  }
  const target = options.target ?? newest;
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_version (version, name, applied) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    }).immediate();
  }
  return schemaVersion(db);
}
