import type { ReadableDB, WritableDB } from '../../handles';

/**
 * Generic reads and writes of the catalog's tables, for the commands that store a typed input
 * (catalog/stored-fields.ts): the column names come from the input's field names, never from a request.
 */
export type CatalogTable =
  | 'events'
  | 'tax_rules'
  | 'categories'
  | 'items'
  | 'item_variations'
  | 'quotas'
  | 'questions'
  | 'subevents'
  | 'vouchers';

/** Inserts one row with the given columns; returns its id. */
export function insertCatalogRow(
  db: WritableDB,
  table: CatalogTable,
  columns: Record<string, unknown>,
): number {
  const names = Object.keys(columns);
  const sql = `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
  return Number(db.prepare(sql).run(...names.map((n) => columns[n])).lastInsertRowid);
}

/** Sets the given columns of one row. */
export function updateCatalogRow(
  db: WritableDB,
  table: CatalogTable,
  id: number,
  columns: Record<string, unknown>,
): void {
  const names = Object.keys(columns);
  if (names.length === 0) return;
  db.prepare(`UPDATE ${table} SET ${names.map((n) => `${n} = ?`).join(', ')} WHERE id = ?`).run(
    ...names.map((n) => columns[n]),
    id,
  );
}

/** The `extra` JSON text of one row. */
export function catalogRowExtra(db: ReadableDB, table: CatalogTable, id: number): string | undefined {
  const row = db.prepare(`SELECT extra FROM ${table} WHERE id = ?`).get(id) as { extra: string } | undefined;
  return row?.extra;
}

/** Whether a row with this id exists at all (in any event). */
export function catalogRowExists(db: ReadableDB, table: CatalogTable, id: unknown): boolean {
  return db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(id) !== undefined;
}

/**
 * Whether the row `id` of `table` belongs to the event: by its own event column, or through a join
 * (`item_variations` belong to an event through their item).
 */
export function catalogRowInEvent(
  db: ReadableDB,
  table: CatalogTable,
  id: number,
  eventId: number,
  options: { eventColumn?: string; join?: string } = {},
): boolean {
  const sql = options.join
    ? `SELECT 1 FROM ${table} ${options.join} WHERE ${table}.id = ? AND ${options.eventColumn ?? 'event_id'} = ?`
    : `SELECT 1 FROM ${table} WHERE id = ? AND ${options.eventColumn ?? 'event_id'} = ?`;
  return db.prepare(sql).get(id, eventId) !== undefined;
}

const EVENT_OF = {
  item: 'SELECT event_id FROM items WHERE id = ?',
  variation: 'SELECT i.event_id FROM item_variations v JOIN items i ON i.id = v.item_id WHERE v.id = ?',
  category: 'SELECT event_id FROM categories WHERE id = ?',
  quota: 'SELECT event_id FROM quotas WHERE id = ?',
  subevent: 'SELECT event_id FROM subevents WHERE id = ?',
  tax_rule: 'SELECT event_id FROM tax_rules WHERE id = ?',
  question: 'SELECT event_id FROM questions WHERE id = ?',
} as const;

/** The kinds of catalog object whose event `eventIdOf` finds. */
export type CatalogObjectKind = keyof typeof EVENT_OF;

/** The event a catalog object belongs to; undefined when there is no such object. */
export function eventIdOf(db: ReadableDB, kind: CatalogObjectKind, id: number): number | undefined {
  const row = db.prepare(EVENT_OF[kind]).get(id) as { event_id: number } | undefined;
  return row?.event_id;
}
