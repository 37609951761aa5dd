import type { Database } from 'better-sqlite3';

/**
 * The two kinds of connection handle the engine passes around. They are the same better-sqlite3
 * connection at run time; the brand lets the type checker keep writes out of read models: a query that
 * writes takes a `WritableDB`, one that only reads takes a `ReadableDB`, and a read model is given a
 * `ReadableDB` only. A `WritableDB` may be used wherever a `ReadableDB` is asked for.
 */
export type ReadableDB = Database & { readonly __access?: 'read' | 'write' };
export type WritableDB = Database & { readonly __access?: 'write' };

/** The handle a command runs with, inside the transaction `Engine.command` opened. */
export function writable(db: Database): WritableDB {
  return db as WritableDB;
}

/** The handle a read model runs with. */
export function readable(db: Database): ReadableDB {
  return db as ReadableDB;
}
