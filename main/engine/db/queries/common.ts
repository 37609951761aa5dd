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
