import type { ReadableDB } from '../db/handles';
import { countOutboxRows, findSyncConnection, listOutboxRows, listSyncAllotments } from '../db/queries/sync';

/** What the desk shows of its link to the server, for a cashier at a glance and a manager resolving refusals. */
export interface SyncStatus {
  /** The server the desk syncs with; null for a desk that is not connected. */
  server: { url: string; organizer: string; event: string } | null;
  /** Whether the server answered the last call: null before the first call. */
  reachable: boolean | null;
  lastContact: string | null;
  unreachableSince: string | null;
  /** The last pull or upload that completed. */
  lastSync: string | null;
  /** Calls still to upload, and calls the server refused (waiting for a manager). */
  outbox: { pending: number; refused: number };
  refused: { seq: number; orderCode: string | null; kind: string; reason: string; created: string }[];
  allotments: {
    quotaId: number;
    target: number;
    held: number;
    sold: number;
    uploaded: number;
    free: number;
  }[];
}

export function syncStatus(db: ReadableDB): SyncStatus {
  const c = findSyncConnection(db);
  return {
    server: c ? { url: c.base_url, organizer: c.organizer, event: c.event } : null,
    reachable:
      !c || (c.last_contact === null && c.unreachable_since === null) ? null : c.unreachable_since === null,
    lastContact: c?.last_contact ?? null,
    unreachableSince: c?.unreachable_since ?? null,
    lastSync: c?.last_sync ?? null,
    outbox: { pending: countOutboxRows(db, 'pending'), refused: countOutboxRows(db, 'refused') },
    refused: listOutboxRows(db, 'refused').map((r) => ({
      seq: r.seq,
      orderCode: r.order_code,
      kind: r.kind,
      reason: r.reason ?? '',
      created: r.created,
    })),
    allotments: listSyncAllotments(db).map((a) => ({
      quotaId: a.quota_id,
      target: a.target,
      held: a.held,
      sold: a.sold,
      uploaded: a.uploaded,
      free: a.held - a.sold,
    })),
  };
}
