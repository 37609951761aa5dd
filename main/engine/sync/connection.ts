import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import type { SyncConnectionRow } from '../db/rows';
import {
  countOpenOutboxRowsOutside,
  countOutboxRows,
  deleteSyncCopyAndAllotments,
  findLastSyncConnection,
  markSyncDisconnected,
  placesBlockedForDesk,
} from '../db/queries/sync';
import { refused } from '../errors';
import { forgetImportedCatalog } from './catalog-import';

/** `api/v1/organizers/<org>/events/<event>/`: where every call about one event goes. */
export function eventApiPath(organizer: string, event: string): string {
  return `api/v1/organizers/${encodeURIComponent(organizer)}/events/${encodeURIComponent(event)}/`;
}

/** The server the desk was last connected to, whether it still is or a manager disconnected it. */
export function lastConnection(db: ReadableDB): SyncConnectionRow | undefined {
  return findLastSyncConnection(db);
}

/** What the desk still owes a server: sales to upload, refusals to decide, places it blocks there. */
export interface UnfinishedBusiness {
  uploads: number;
  refused: number;
  placesHeld: number;
}

export function unfinishedBusiness(db: ReadableDB): UnfinishedBusiness {
  return {
    uploads: countOutboxRows(db, 'pending'),
    refused: countOutboxRows(db, 'refused'),
    placesHeld: placesBlockedForDesk(db),
  };
}

/**
 * Before a connection is kept: a desk that still has sales to upload or places held for another event
 * (or another server) must finish with it first, or its sales would never reach their server. When the
 * desk moves to another event with nothing left to finish there, the copy of the old event's lists and
 * its allotments are forgotten.
 */
export function prepareConnection(
  ctx: EngineContext,
  input: { baseUrl: string; organizer: string; event: string },
): void {
  const last = findLastSyncConnection(ctx.db);
  const same =
    last !== undefined &&
    sameServer(last.base_url, input.baseUrl) &&
    last.organizer === input.organizer &&
    last.event === input.event;
  if (same) return;
  const owed = unfinishedBusiness(ctx.db);
  const foreign = countOpenOutboxRowsOutside(ctx.db, eventApiPath(input.organizer, input.event));
  if (last && (foreign > 0 || owed.placesHeld > 0)) {
    throw refused(
      'sync_unfinished_elsewhere',
      `This desk still has ${describe(owed)} with the event “${last.event}” at ${last.base_url}. ` +
        'Connect it to that event again to finish them first.',
    );
  }
  if (foreign > 0)
    throw refused(
      'sync_unfinished_elsewhere',
      `This desk still has ${foreign} uploads for another event. Drop them or connect to that event.`,
    );
  deleteSyncCopyAndAllotments(ctx.db);
  forgetImportedCatalog(ctx);
}

function describe(owed: UnfinishedBusiness): string {
  const parts: string[] = [];
  if (owed.uploads > 0) parts.push(`${owed.uploads} sales to upload`);
  if (owed.refused > 0) parts.push(`${owed.refused} refused uploads`);
  if (owed.placesHeld > 0) parts.push(`${owed.placesHeld} places held`);
  return parts.join(', ') || 'unfinished work';
}

function sameServer(a: string, b: string): boolean {
  const norm = (u: string) => u.replace(/\/+$/, '').toLowerCase();
  return norm(a) === norm(b);
}

/**
 * The desk stops syncing: its token is forgotten, uploads stop. What it still owes the server stays in
 * its database and goes up when it is connected to the same event again. Returns what was left owed.
 */
export function disconnect(ctx: EngineContext): UnfinishedBusiness {
  const owed = unfinishedBusiness(ctx.db);
  if (markSyncDisconnected(ctx.db, ctx.now.toISOString()) === 0)
    throw refused('sync_not_connected', 'This desk is not connected to a server.');
  ctx.audit({
    objectType: 'sync_connection',
    objectId: 1,
    actionType: 'guichet.sync.disconnected',
    data: { ...owed },
  });
  return owed;
}
