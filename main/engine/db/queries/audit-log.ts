import type { Database, Statement } from 'better-sqlite3';
import type { AuditLogRow } from '../rows';
import { readAll } from './statements';

type AuditInsert = Omit<AuditLogRow, 'id'>;

const inserts = new WeakMap<Database, Statement<unknown[]>>();

/** Writes one audit row; the statement is kept per connection because every command writes one. */
export function insertAuditEntry(db: Database, row: AuditInsert): void {
  let insert = inserts.get(db);
  if (!insert) {
    insert = db.prepare<unknown[]>(
      `INSERT INTO audit_log (datetime, organizer_id, event_id, object_type, object_id, action_type, actor, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    inserts.set(db, insert);
  }
  insert.run(
    row.datetime,
    row.organizer_id,
    row.event_id,
    row.object_type,
    row.object_id,
    row.action_type,
    row.actor,
    row.data,
  );
}

export const auditEntriesOf = readAll<[objectType: string, objectId: number], AuditLogRow>(
  'SELECT * FROM audit_log WHERE object_type = ? AND object_id = ? ORDER BY id',
);
