import type { Database, Statement } from 'better-sqlite3';

export interface AuditEntry {
  organizerId?: number | null;
  eventId?: number | null;
  objectType: string;
  objectId?: number | null;
  /** pretix's action types, e.g. `pretix.event.order.placed`. */
  actionType: string;
  data?: unknown;
}

const statements = new WeakMap<Database, Statement<unknown[]>>();

/** Writes one audit row; call it inside the command's transaction so the row and the change commit together. */
export function writeAudit(db: Database, at: Date, actor: string, entry: AuditEntry): void {
  let insert = statements.get(db);
  if (!insert) {
    insert = db.prepare<unknown[]>(
      `INSERT INTO audit_log (datetime, organizer_id, event_id, object_type, object_id, action_type, actor, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    statements.set(db, insert);
  }
  insert.run(
    at.toISOString(),
    entry.organizerId ?? null,
    entry.eventId ?? null,
    entry.objectType,
    entry.objectId ?? null,
    entry.actionType,
    actor,
    JSON.stringify(entry.data ?? {}),
  );
}

export interface AuditRow {
  id: number;
  datetime: string;
  organizer_id: number | null;
  event_id: number | null;
  object_type: string;
  object_id: number | null;
  action_type: string;
  actor: string;
  data: string;
}

export function auditFor(db: Database, objectType: string, objectId: number): AuditRow[] {
  return db
    .prepare('SELECT * FROM audit_log WHERE object_type = ? AND object_id = ? ORDER BY id')
    .all(objectType, objectId) as AuditRow[];
}
