import type { Database } from 'better-sqlite3';
import type { ReadableDB } from '../db/handles';
import { auditEntriesOf, insertAuditEntry } from '../db/queries/audit-log';
import type { AuditLogRow } from '../db/rows';

export interface AuditEntry {
  organizerId?: number | null;
  eventId?: number | null;
  objectType: string;
  objectId?: number | null;
  /** pretix's action types, e.g. `pretix.event.order.placed`. */
  actionType: string;
  data?: unknown;
}

/** Writes one audit row; call it inside the command's transaction so the row and the change commit together. */
export function writeAudit(db: Database, at: Date, actor: string, entry: AuditEntry): void {
  insertAuditEntry(db, {
    datetime: at.toISOString(),
    organizer_id: entry.organizerId ?? null,
    event_id: entry.eventId ?? null,
    object_type: entry.objectType,
    object_id: entry.objectId ?? null,
    action_type: entry.actionType,
    actor,
    data: JSON.stringify(entry.data ?? {}),
  });
}

/** The audit trail of one object, oldest first. */
export function auditFor(db: ReadableDB, objectType: string, objectId: number): AuditLogRow[] {
  return auditEntriesOf(db, objectType, objectId);
}
