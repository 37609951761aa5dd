import type { Database } from 'better-sqlite3';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EngineContext } from '../../engine/context';
import type { Engine } from '../../engine/engine';
import { notFound } from '../../engine/errors';
import {
  catalogRecord,
  catalogRecords,
  childRecord,
  childRecords,
  type CatalogResourceTable,
} from '../../engine/catalog';
import { actorOf, type EventRow } from '../context';
import { setPageGenerated } from '../pagination';
import type { CatalogResourceRow as Row } from '../resources/catalog';
import { command, created, eventOf, noContent, paginateList, pathId } from './catalog-common';

/**
 * The route table of an event's catalog resources: each resource (`/events/<event>/<path>/`) or child
 * resource (`/events/<event>/<parent>/<id>/<path>/`) gets pretix's list, detail, create, update and delete
 * endpoints from one spec of how it is read, rendered and changed.
 */

export interface CrudSpec {
  path: string;
  table: CatalogResourceTable;
  /** The list's rows: by default the event's rows of `table` in `order` (by id), then `filter`. */
  list?(db: Database, event: EventRow, req: FastifyRequest): Row[];
  order?: string;
  /** pretix's list filters (query parameters) over the list's rows. */
  filter?(req: FastifyRequest, rows: Row[], db: Database): Row[];
  render(db: Database, row: Row): Record<string, unknown>;
  create(ctx: EngineContext, event: EventRow, body: unknown): number;
  update(ctx: EngineContext, event: EventRow, id: number, body: unknown): void;
  remove(ctx: EngineContext, event: EventRow, id: number): void;
  /** The list carries X-Page-Generated (pretix sets it on sub-event lists). */
  pageGenerated?: boolean;
  /** Renders a whole list page at once (lists that add computed fields). */
  renderList?(ctx: EngineContext, rows: Row[], req: FastifyRequest): Record<string, unknown>[];
}

function load(db: Database, table: CatalogResourceTable, eventId: number, id: number): Row {
  const row = catalogRecord(db, table, eventId, id);
  if (!row) throw notFound();
  return row;
}

function listRows(db: Database, spec: CrudSpec, event: EventRow, req: FastifyRequest): Row[] {
  const rows = spec.list
    ? spec.list(db, event, req)
    : catalogRecords(db, spec.table, event.id, spec.order ?? 'id');
  return spec.filter ? spec.filter(req, rows, db) : rows;
}

export function registerCrud(app: FastifyInstance, engine: Engine, spec: CrudSpec): void {
  const base = `/api/v1/organizers/:organizer/events/:event/${spec.path}`;
  // Reading the catalog is part of a scanner's sync; changing it is not.
  const config = { config: { checkin: true } };
  app.get(`${base}/`, config, async (req, reply) => {
    const event = eventOf(engine, req);
    if (spec.pageGenerated) setPageGenerated(reply, engine.clock.now());
    if (spec.renderList) {
      const renderList = spec.renderList;
      return engine.command((ctx) => {
        const page = paginateList(req, listRows(ctx.db, spec, event, req));
        return { ...page, results: renderList(ctx, page.results, req) };
      }, actorOf(req));
    }
    return engine.read((ctx) =>
      paginateList(
        req,
        listRows(ctx.db, spec, event, req).map((r) => spec.render(ctx.db, r)),
      ),
    );
  });
  app.get(`${base}/:id/`, config, async (req) => {
    const event = eventOf(engine, req);
    const id = pathId(req);
    return engine.read((ctx) => spec.render(ctx.db, load(ctx.db, spec.table, event.id, id)));
  });
  app.post(`${base}/`, async (req, reply) => {
    const event = eventOf(engine, req);
    const body = command(engine, req, (ctx) => {
      const id = spec.create(ctx, event, req.body);
      return spec.render(ctx.db, load(ctx.db, spec.table, event.id, id));
    });
    return created(reply, body);
  });
  const update = async (req: FastifyRequest) => {
    const event = eventOf(engine, req);
    const id = pathId(req);
    return command(engine, req, (ctx) => {
      load(ctx.db, spec.table, event.id, id);
      spec.update(ctx, event, id, req.body);
      return spec.render(ctx.db, load(ctx.db, spec.table, event.id, id));
    });
  };
  app.patch(`${base}/:id/`, update);
  app.put(`${base}/:id/`, update);
  app.delete(`${base}/:id/`, async (req, reply) => {
    const event = eventOf(engine, req);
    const id = pathId(req);
    command(engine, req, (ctx) => spec.remove(ctx, event, id));
    return noContent(reply);
  });
}

export interface NestedSpec {
  parentTable: CatalogResourceTable;
  parentPath: string;
  path: string;
  table: CatalogResourceTable;
  parentColumn: string;
  order: string;
  render(db: Database, row: Row, parent: Row): Record<string, unknown>;
  create(ctx: EngineContext, eventId: number, parentId: number, body: unknown): number;
  update(ctx: EngineContext, eventId: number, parentId: number, id: number, body: unknown): void;
  remove(ctx: EngineContext, eventId: number, parentId: number, id: number): void;
}

export function registerNested(app: FastifyInstance, engine: Engine, spec: NestedSpec): void {
  const base = `/api/v1/organizers/:organizer/events/:event/${spec.parentPath}/:parent/${spec.path}`;
  const loadChild = (db: Database, parentId: number, id: number) => {
    const row = childRecord(db, spec.table, spec.parentColumn, parentId, id);
    if (!row) throw notFound();
    return row;
  };
  const config = { config: { checkin: true } };
  app.get(`${base}/`, config, async (req) => {
    const event = eventOf(engine, req);
    const parentId = pathId(req, 'parent');
    return engine.read((ctx) => {
      const parent = load(ctx.db, spec.parentTable, event.id, parentId);
      const rows = childRecords(ctx.db, spec.table, spec.parentColumn, parentId, spec.order);
      return paginateList(
        req,
        rows.map((r) => spec.render(ctx.db, r, parent)),
      );
    });
  });
  app.get(`${base}/:id/`, config, async (req) => {
    const event = eventOf(engine, req);
    const parentId = pathId(req, 'parent');
    const id = pathId(req);
    return engine.read((ctx) => {
      const parent = load(ctx.db, spec.parentTable, event.id, parentId);
      return spec.render(ctx.db, loadChild(ctx.db, parentId, id), parent);
    });
  });
  app.post(`${base}/`, async (req, reply) => {
    const event = eventOf(engine, req);
    const parentId = pathId(req, 'parent');
    const body = command(engine, req, (ctx) => {
      load(ctx.db, spec.parentTable, event.id, parentId);
      const id = spec.create(ctx, event.id, parentId, req.body);
      return spec.render(
        ctx.db,
        loadChild(ctx.db, parentId, id),
        load(ctx.db, spec.parentTable, event.id, parentId),
      );
    });
    return created(reply, body);
  });
  const update = async (req: FastifyRequest) => {
    const event = eventOf(engine, req);
    const parentId = pathId(req, 'parent');
    const id = pathId(req);
    return command(engine, req, (ctx) => {
      load(ctx.db, spec.parentTable, event.id, parentId);
      loadChild(ctx.db, parentId, id);
      spec.update(ctx, event.id, parentId, id, req.body);
      return spec.render(
        ctx.db,
        loadChild(ctx.db, parentId, id),
        load(ctx.db, spec.parentTable, event.id, parentId),
      );
    });
  };
  app.patch(`${base}/:id/`, update);
  app.put(`${base}/:id/`, update);
  app.delete(`${base}/:id/`, async (req, reply) => {
    const event = eventOf(engine, req);
    const parentId = pathId(req, 'parent');
    const id = pathId(req);
    command(engine, req, (ctx) => {
      load(ctx.db, spec.parentTable, event.id, parentId);
      spec.remove(ctx, event.id, parentId, id);
    });
    return noContent(reply);
  });
}
