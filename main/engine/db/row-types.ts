import BetterSqlite3 from 'better-sqlite3';
import { migrate } from './migrations';

/**
 * Writes `rows.ts`: one TypeScript row type per table, read from the schema the migrations build, so
 * that a row type cannot drift from its table. `npm run db:rows` rewrites the file; a test fails when the
 * file and the migrations disagree.
 */
export function rowTypesSource(): string {
  const db = new BetterSqlite3(':memory:');
  try {
    migrate(db);
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string }[];
    const blocks = tables.map(({ name }) => {
      const columns = db.prepare(`PRAGMA table_info(${JSON.stringify(name)})`).all() as ColumnInfo[];
      const fields = columns.map((c) => `  ${c.name}: ${columnType(c)};`);
      return [`/** A row of \`${name}\`. */`, `export interface ${rowTypeName(name)} {`, ...fields, '}'].join(
        '\n',
      );
    });
    return [
      '// Generated from the migrations by `npm run db:rows`; do not edit by hand.',
      '',
      blocks.join('\n\n'),
      '',
    ].join('\n');
  } finally {
    db.close();
  }
}

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

function columnType(column: ColumnInfo): string {
  const base = /INT/i.test(column.type)
    ? 'number'
    : /REAL|FLOA|DOUB/i.test(column.type)
      ? 'number'
      : /BLOB/i.test(column.type)
        ? 'Buffer'
        : 'string';
  return column.notnull || column.pk ? base : `${base} | null`;
}

/** `order_positions` → `OrderPositionRow`, `categories` → `CategoryRow`, `audit_log` → `AuditLogRow`. */
export function rowTypeName(table: string): string {
  const words = table.split('_');
  words.push(singular(words.pop() ?? ''));
  return `${words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}Row`;
}

function singular(word: string): string {
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}
