import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import {
  clearOutboxBackoff,
  deletePulledList,
  findPullMark,
  findSyncConnection,
  pulledBodies,
  setLastSync,
  setSyncContact,
  setSyncUnreachable,
  upsertPulledResource,
  upsertPullMark,
  upsertSyncConnection,
} from '../db/queries/sync';
import type { SyncConnectionRow } from '../db/rows';

export type { SyncConnectionRow };

/** How the desk proves who it is to its server. */
export type SyncAuthScheme = 'Token' | 'Device';

/** A page of a server list: its entries, each named by its `id` (or an order's `code`, an event's `slug`). */
export interface PulledPage {
  resource: string;
  results: { id?: unknown; code?: unknown; slug?: unknown }[];
  idField?: 'id' | 'code' | 'slug';
}

/** One page of a server list, stored as the server sent it (the desk's copy of the catalog and orders). */
export function storePulledPage(ctx: EngineContext, input: PulledPage): void {
  const field = input.idField ?? 'id';
  for (const r of input.results) {
    upsertPulledResource(ctx.db, {
      resource: input.resource,
      remoteId: String(r[field]),
      body: JSON.stringify(r),
      pulled: ctx.now.toISOString(),
    });
  }
}

/** A list read whole from the server replaces the desk's copy of it (what the server dropped goes). */
export function replacePulledList(ctx: EngineContext, input: PulledPage): void {
  deletePulledList(ctx.db, input.resource);
  storePulledPage(ctx, input);
}

/** A list pulled completely: its X-Page-Generated is the next pull's modified_since. */
export function finishPull(ctx: EngineContext, input: { resource: string; pageGenerated: string }): void {
  upsertPullMark(ctx.db, input.resource, input.pageGenerated);
}

export function lastPull(db: ReadableDB, resource: string): string | undefined {
  return findPullMark(db, resource);
}

export function pulledResources<T>(db: ReadableDB, resource: string): T[] {
  return pulledBodies(db, resource).map((body) => JSON.parse(body) as T);
}

export function saveConnection(
  ctx: EngineContext,
  input: {
    base_url: string;
    organizer: string;
    event: string;
    auth_scheme: SyncAuthScheme;
    api_token: string;
    device_id: number | null;
  },
): SyncConnectionRow {
  upsertSyncConnection(ctx.db, { ...input, connected: ctx.now.toISOString() });
  ctx.audit({
    objectType: 'sync_connection',
    objectId: 1,
    actionType: 'guichet.sync.connected',
    data: { url: input.base_url },
  });
  return getConnection(ctx.db)!;
}

export function getConnection(db: ReadableDB): SyncConnectionRow | undefined {
  return findSyncConnection(db);
}

/**
 * The server answered. When it had not answered before (the desk just started, or its link came back),
 * uploads waiting out a backoff are due at once: a reconnected desk uploads promptly instead of after
 * minutes of backoff. Returns how many uploads were made due.
 */
export function recordContact(ctx: EngineContext, input: { reconnected: boolean }): number {
  setSyncContact(ctx.db, ctx.now.toISOString());
  return input.reconnected ? clearOutboxBackoff(ctx.db) : 0;
}

/** The server could not be reached; the desk goes on selling from its allotments. */
export function recordUnreachable(ctx: EngineContext): void {
  setSyncUnreachable(ctx.db, ctx.now.toISOString());
}

/** A pull or an upload completed. */
export function recordSync(ctx: EngineContext): void {
  setLastSync(ctx.db, ctx.now.toISOString());
}
