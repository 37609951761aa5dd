import type { ReadableDB, WritableDB } from '../handles';

/**
 * A query module's statements as typed functions: the SQL text, the parameters (a labelled tuple names
 * them) and the shape of a row, declared once. Each call prepares the text through the connection's
 * statement cache, so the SQL is compiled once per connection.
 */

/** The first row the query returns, or undefined. */
export function readOne<Params extends unknown[], Row>(sql: string) {
  return (db: ReadableDB, ...params: Params): Row | undefined => db.prepare<Params, Row>(sql).get(...params);
}

/** Every row the query returns. */
export function readAll<Params extends unknown[], Row>(sql: string) {
  return (db: ReadableDB, ...params: Params): Row[] => db.prepare<Params, Row>(sql).all(...params);
}

const columnNames = new WeakMap<object, string[]>();

/**
 * Every row the query returns, for reads of many rows of many columns at once (a list page): SQLite's
 * values are fetched as arrays and named here, a third cheaper than better-sqlite3 building each row
 * object itself, property by property.
 */
export function readRows<Row>(db: ReadableDB, sql: string, params: unknown[]): Row[] {
  const statement = db.prepare(sql);
  let names = columnNames.get(statement);
  if (!names) {
    names = statement.columns().map((c) => c.name);
    columnNames.set(statement, names);
  }
  statement.raw(true);
  let values: unknown[][];
  try {
    values = statement.all(...params) as unknown[][];
  } finally {
    statement.raw(false);
  }
  const rows = new Array<Row>(values.length);
  for (let r = 0; r < values.length; r++) {
    const value = values[r]!;
    const row: Record<string, unknown> = {};
    for (let c = 0; c < names.length; c++) row[names[c]!] = value[c];
    rows[r] = row as Row;
  }
  return rows;
}

/** The first column of every row the query returns. */
export function readColumn<Params extends unknown[], Value>(sql: string) {
  return (db: ReadableDB, ...params: Params): Value[] =>
    db
      .prepare<Params, Record<string, Value>>(sql)
      .all(...params)
      .map((row) => Object.values(row)[0] as Value);
}

/** The first column of the first row the query returns, or undefined when it returns none. */
export function readValue<Params extends unknown[], Value>(sql: string) {
  return (db: ReadableDB, ...params: Params): Value | undefined => {
    const row = db.prepare<Params, Record<string, Value>>(sql).get(...params);
    return row === undefined ? undefined : (Object.values(row)[0] as Value);
  };
}

/** Runs a write; returns how many rows it changed. */
export function write<Params extends unknown[]>(sql: string) {
  return (db: WritableDB, ...params: Params): number => db.prepare<Params>(sql).run(...params).changes;
}

/** Whether the query returns any row. */
export function readExists<Params extends unknown[]>(sql: string) {
  return (db: ReadableDB, ...params: Params): boolean => db.prepare<Params>(sql).get(...params) !== undefined;
}
