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
    const tableColumns = tables.map(({ name }) => ({
      name,
      // table_xinfo, unlike table_info, lists generated columns too, which `SELECT *` returns.
      columns: db.prepare(`PRAGMA table_xinfo(${JSON.stringify(name)})`).all() as ColumnInfo[],
    }));
    const groups = COLUMN_GROUPS.map((group) => ({ ...group, fields: groupFields(group, tableColumns) }));
    const groupBlocks = groups.map(({ name, doc, fields }) =>
      [`/** ${doc} */`, `export interface ${name} {`, ...fields, '}'].join('\n'),
    );
    const blocks = tableColumns.map(({ name, columns }) => {
      const fields = columns.map(fieldLine);
      const shared = groups.filter((g) => g.fields.every((f) => fields.includes(f)));
      const own = fields.filter((f) => !shared.some((g) => g.fields.includes(f)));
      const heritage = shared.length > 0 ? ` extends ${shared.map((g) => g.name).join(', ')}` : '';
      return [
        `/** A row of \`${name}\`. */`,
        `export interface ${rowTypeName(name)}${heritage} {`,
        ...own,
        '}',
      ].join('\n');
    });
    return [
      '// Generated from the migrations by `npm run db:rows`; do not edit by hand.',
      '',
      [...groupBlocks, ...blocks].join('\n\n'),
      '',
    ].join('\n');
  } finally {
    db.close();
  }
}

/**
 * Runs of columns that several tables store alike, named by their first and last column: rows.ts declares
 * each run once, and every table holding all of its columns with the same types extends it, so that read
 * models can name the run too.
 */
const COLUMN_GROUPS: ColumnGroup[] = [
  {
    name: 'AttendeeColumns',
    doc: "A position's attendee (cart and order positions): name, email and address.",
    first: 'attendee_name_cached',
    last: 'state',
  },
  {
    name: 'ScheduleColumns',
    doc: "An event's or a date's end, admission, presale window and place.",
    first: 'date_to',
    last: 'geo_lon',
  },
];

interface ColumnGroup {
  name: string;
  doc: string;
  first: string;
  last: string;
}

/** A group's field lines, typed as in the first table that holds its first and last column. */
function groupFields(group: ColumnGroup, tables: { name: string; columns: ColumnInfo[] }[]): string[] {
  for (const { columns } of tables) {
    const first = columns.findIndex((c) => c.name === group.first);
    const last = columns.findIndex((c) => c.name === group.last);
    if (first >= 0 && last >= first) return columns.slice(first, last + 1).map(fieldLine);
  }
  throw new Error(`No table holds the columns of ${group.name}`);
}

function fieldLine(column: ColumnInfo): string {
  return `  ${column.name}: ${columnType(column)};`;
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
