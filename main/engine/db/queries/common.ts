import type { ReadableDB, WritableDB } from '../handles';

/** Tables whose rows are written or read whole by their id here. */
type TableWithId =
  | 'api_calls'
  | 'authorisations'
  | 'cart_positions'
  | 'cash_movements'
  | 'cashiers'
  | 'organizers'
  | 'receipts'
  | 'shifts';

/**
 * Inserts one row, its columns being the fields of `row` (each given, `null` for SQL NULL); returns the
 * id SQLite gave it. The same fields always give the same SQL text, so the statement is compiled once.
 */
export function insertRow(db: WritableDB, table: TableWithId, row: Record<string, unknown>): number {
  const columns = Object.keys(row);
  const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`;
  return Number(db.prepare(sql).run(row).lastInsertRowid);
}

/** The whole row with this id, typed as the caller's row type for that table. */
export function rowById<Row>(db: ReadableDB, table: TableWithId, id: number): Row | undefined {
  return db.prepare<[number], Row>(`SELECT * FROM ${table} WHERE id = ?`).get(id);
}

/** Tables a filter of pretix's API may name a row of by id. */
export type ReferencedTable =
  | 'checkin_lists'
  | 'devices'
  | 'gates'
  | 'item_variations'
  | 'items'
  | 'order_positions'
  | 'subevents'
  | 'vouchers';

/** Whether a row with this id exists (any organizer's: pretix's filters check only that a choice exists). */
export function rowExists(db: ReadableDB, table: ReferencedTable, id: number): boolean {
  return db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(id) !== undefined;
}
