import type { Database } from 'better-sqlite3';
import type { EngineContext } from '../context';

/** One page of a server list, stored as the server sent it (the desk's copy of the catalog and orders). */
export function storePulledPage(
  ctx: EngineContext,
  input: { resource: string; results: { id?: unknown; code?: unknown }[]; idField?: 'id' | 'code' },
): void {
  const field = input.idField ?? 'id';
  const upsert = ctx.db.prepare(
    `INSERT INTO sync_resources (resource, remote_id, body, pulled) VALUES (?, ?, ?, ?)
     ON CONFLICT (resource, remote_id) DO UPDATE SET body = excluded.body, pulled = excluded.pulled`,
  );
  for (const r of input.results) {
    upsert.run(input.resource, String(r[field]), JSON.stringify(r), ctx.now.toISOString());
  }
}

/** A list pulled completely: its X-Page-Generated is the next pull's modified_since. */
export function finishPull(ctx: EngineContext, input: { resource: string; pageGenerated: string }): void {
  ctx.db
    .prepare(
      `INSERT INTO sync_pulls (resource, page_generated) VALUES (?, ?)
       ON CONFLICT (resource) DO UPDATE SET page_generated = excluded.page_generated`,
    )
    .run(input.resource, input.pageGenerated);
}

export function lastPull(db: Database, resource: string): string | undefined {
  const row = db.prepare('SELECT page_generated FROM sync_pulls WHERE resource = ?').get(resource) as
    { page_generated: string } | undefined;
  return row?.page_generated;
}

export function pulledResources<T>(db: Database, resource: string): T[] {
  return (
    db.prepare('SELECT body FROM sync_resources WHERE resource = ? ORDER BY remote_id').all(resource) as {
      body: string;
    }[]
  ).map((r) => JSON.parse(r.body) as T);
}

export interface SyncConnectionRow {
  id: 1;
  base_url: string;
  organizer: string;
  event: string;
  auth_scheme: 'Token' | 'Device';
  api_token: string;
  device_id: number | null;
  connected: string;
}

export function saveConnection(
  ctx: EngineContext,
  input: Omit<SyncConnectionRow, 'id' | 'connected'>,
): SyncConnectionRow {
  ctx.db
    .prepare(
      `INSERT INTO sync_connection (id, base_url, organizer, event, auth_scheme, api_token, device_id, connected)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET base_url = excluded.base_url, organizer = excluded.organizer,
         event = excluded.event, auth_scheme = excluded.auth_scheme, api_token = excluded.api_token,
         device_id = excluded.device_id, connected = excluded.connected`,
    )
    .run(
      input.base_url,
      input.organizer,
      input.event,
      input.auth_scheme,
      input.api_token,
      input.device_id,
      ctx.now.toISOString(),
    );
  ctx.audit({
    objectType: 'sync_connection',
    objectId: 1,
    actionType: 'guichet.sync.connected',
    data: { url: input.base_url },
  });
  return getConnection(ctx.db)!;
}

export function getConnection(db: Database): SyncConnectionRow | undefined {
  return db.prepare('SELECT * FROM sync_connection WHERE id = 1').get() as SyncConnectionRow | undefined;
}
