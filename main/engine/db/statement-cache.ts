import type { Database, Statement } from 'better-sqlite3';

/**
 * Wraps a connection so that `prepare` compiles each SQL text once and hands the same statement back
 * afterwards. Commands prepare their SQL where they use it, which keeps them readable; this keeps that
 * from costing a compile on every call.
 */
export function withStatementCache(db: Database): Database {
  const cache = new Map<string, Statement<unknown[], unknown>>();
  const prepare = db.prepare.bind(db);
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property === 'prepare') {
        return (sql: string) => {
          let statement = cache.get(sql);
          // A statement in the middle of an iterate() cannot be run again; give that caller its own.
          if (statement?.busy) return prepare(sql);
          if (!statement) {
            statement = prepare(sql) as Statement<unknown[], unknown>;
            cache.set(sql, statement);
          }
          return statement;
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
