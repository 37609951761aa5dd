import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EngineError, notFound } from '../../engine/errors';
import { parseIsoDateTime } from '../../engine/clock';
import {
  createOrder,
  eventTimeZone,
  loadOrder,
  loadOrders,
  orderIdByCode,
  deleteOrder,
  regenerateOrderSecrets,
  updateOrder,
  findOrderOfOrganizer,
} from '../../engine/orders';
import {
  actorOf,
  requireEvent,
  requireOrganizer,
  visibleEventIds,
  visibleEventsSql,
  type ApiDeps,
} from '../context';
import { paginated, setPageGenerated } from '../pagination';
import { orderRenderOptions, withPdfData, renderOrder, type OrderRenderOptions } from '../resources/order';
import { pathParam, queryBool, queryValue } from '../schemas/request';

const ORDERING_FIELDS: Record<string, string> = {
  datetime: 'o.datetime',
  code: 'o.code',
  status: 'o.status',
  last_modified: 'o.last_modified',
  cancellation_date: 'o.cancellation_date',
};

/**
 * DRF's OrderingFilter as pretix's TotalOrderingFilter uses it: the last `ordering` parameter, split at
 * commas; unknown fields are dropped (all unknown: the default); `-pk` decides ties. NULLs sort as on
 * PostgreSQL, pretix's database: last ascending, first descending.
 */
function orderingSql(req: FastifyRequest): string {
  const parts: string[] = [];
  for (const term of (queryValue(req, 'ordering') ?? '').split(',')) {
    const raw = term.trim();
    const desc = raw.startsWith('-');
    const column = ORDERING_FIELDS[desc ? raw.slice(1) : raw];
    if (column) parts.push(`${column} ${desc ? 'DESC NULLS FIRST' : 'ASC NULLS LAST'}`);
  }
  if (parts.length === 0) parts.push('o.datetime ASC');
  parts.push('o.id DESC');
  return parts.join(', ');
}

/** A datetime filter value as stored (UTC ISO), or 400 in django-filter's words. */
function filterDatetime(key: string, value: string, tz: string): string {
  const d = parseIsoDateTime(value, tz);
  if (d === undefined) {
    throw new EngineError('invalid_filter', 'Enter a valid date/time.', {
      kind: 'invalid',
      body: { [key]: ['Enter a valid date/time.'] },
    });
  }
  return d.toISOString();
}

/** The WHERE clause of pretix's OrderFilter for the list endpoints. */
function orderFilters(req: FastifyRequest, tz: string): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const code = queryValue(req, 'code');
  if (code) {
    where.push('UPPER(o.code) = UPPER(?)');
    params.push(code);
  }
  const status = queryValue(req, 'status');
  if (status) {
    where.push('LOWER(o.status) = LOWER(?)');
    params.push(status);
  }
  const email = queryValue(req, 'email');
  if (email) {
    where.push('LOWER(o.email) = LOWER(?)');
    params.push(email);
  }
  const locale = queryValue(req, 'locale');
  if (locale) {
    where.push('o.locale = ?');
    params.push(locale);
  }
  for (const key of ['testmode', 'require_approval'] as const) {
    const b = queryBool(req, key);
    if (b !== undefined) {
      where.push(`o.${key} = ?`);
      params.push(b ? 1 : 0);
    }
  }
  // Guichet has no customer accounts: no order belongs to a customer, so this filter matches nothing.
  if (queryValue(req, 'customer')) where.push('0');
  const channel = queryValue(req, 'sales_channel');
  if (channel) {
    where.push('o.sales_channel = ?');
    params.push(channel);
  }
  const provider = queryValue(req, 'payment_provider');
  if (provider) {
    where.push('EXISTS (SELECT 1 FROM order_payments p WHERE p.order_id = o.id AND p.provider = ?)');
    params.push(provider);
  }
  for (const [key, column] of [
    ['item', 'item_id'],
    ['variation', 'variation_id'],
    ['subevent', 'subevent_id'],
  ] as const) {
    const v = queryValue(req, key);
    if (v === undefined || v === '') continue;
    if (!/^\d+$/.test(v)) {
      throw new EngineError('invalid_filter', 'Select a valid choice.', {
        kind: 'invalid',
        body: { [key]: ['Select a valid choice. That choice is not one of the available choices.'] },
      });
    }
    where.push(`EXISTS (SELECT 1 FROM order_positions op WHERE op.order_id = o.id AND op.${column} = ?)`);
    params.push(Number(v));
  }
  for (const [key, sql] of [
    ['modified_since', 'o.last_modified >= ?'],
    ['created_since', 'o.datetime >= ?'],
    ['created_before', 'o.datetime < ?'],
  ] as const) {
    const v = queryValue(req, key);
    if (v === undefined || v === '') continue;
    where.push(sql);
    params.push(filterDatetime(key, v, tz));
  }
  const subeventAfter = queryValue(req, 'subevent_after');
  if (subeventAfter) {
    const at = filterDatetime('subevent_after', subeventAfter, tz);
    where.push(`EXISTS (SELECT 1 FROM order_positions op JOIN subevents s ON s.id = op.subevent_id WHERE op.order_id = o.id
      AND ((s.date_to IS NOT NULL AND s.date_to > ?) OR (s.date_to IS NULL AND s.date_from > ?)))`);
    params.push(at, at);
  }
  const subeventBefore = queryValue(req, 'subevent_before');
  if (subeventBefore) {
    const at = filterDatetime('subevent_before', subeventBefore, tz);
    where.push(`EXISTS (SELECT 1 FROM order_positions op JOIN subevents s ON s.id = op.subevent_id WHERE op.order_id = o.id
      AND s.date_from < ?)`);
    params.push(at);
  }
  const search = queryValue(req, 'search');
  if (search) {
    let codeSearch = search.toUpperCase();
    const dash = codeSearch.lastIndexOf('-');
    if (dash >= 0) codeSearch = codeSearch.slice(dash + 1);
    codeSearch = codeSearch.replace(/2/g, 'Z').replace(/4/g, 'A').replace(/5/g, 'S').replace(/6/g, 'G');
    const like = `%${search}%`;
    where.push(`(
      o.code LIKE ? OR o.email LIKE ? OR o.comment LIKE ?
      OR EXISTS (SELECT 1 FROM invoice_addresses ia WHERE ia.order_id = o.id AND (ia.name_cached LIKE ? OR ia.company LIKE ?))
      OR EXISTS (SELECT 1 FROM order_positions op WHERE op.order_id = o.id
        AND (op.attendee_name_cached LIKE ? OR op.attendee_email LIKE ? OR op.secret LIKE ?))
    )`);
    params.push(`%${codeSearch}%`, like, like, like, like, like, like, `${search}%`);
  }
  return { where, params };
}

function listOrders(deps: ApiDeps, req: FastifyRequest, scope: { eventId?: number; organizerId: number }) {
  const { engine } = deps;
  const generated = engine.clock.now();
  const tz = scope.eventId !== undefined ? eventTimeZone(engine.db, scope.eventId) : 'UTC';
  const { where, params } = orderFilters(req, tz);
  if (scope.eventId !== undefined) {
    where.unshift('o.event_id = ?');
    params.unshift(scope.eventId);
  } else {
    const visible = visibleEventsSql(engine, req, 'o.event_id');
    where.unshift('o.organizer_id = ?', visible.sql);
    params.unshift(scope.organizerId, ...visible.params);
  }
  const whereSql = where.join(' AND ');
  const result = engine.read(() => {
    const count = (
      engine.db.prepare(`SELECT COUNT(*) AS n FROM orders o WHERE ${whereSql}`).get(...params) as {
        n: number;
      }
    ).n;
    return paginated(req, count, (limit, offset) => {
      const ids = (
        engine.db
          .prepare(
            `SELECT o.id FROM orders o WHERE ${whereSql} ORDER BY ${orderingSql(req)} LIMIT ? OFFSET ?`,
          )
          .all(...params, limit, offset) as { id: number }[]
      ).map((r) => r.id);
      const options = new Map<number, OrderRenderOptions>();
      return loadOrders(engine.db, ids).map((o) => {
        if (!options.has(o.eventId)) {
          const base = orderRenderOptions(req, engine.db, o.eventId);
          options.set(o.eventId, scope.eventId !== undefined ? withPdfData(req, engine.db, base) : base);
        }
        return renderOrder(o, options.get(o.eventId)!);
      });
    });
  });
  return { result, generated };
}

export function orderRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { engine } = deps;
  const eventBase = '/api/v1/organizers/:organizer/events/:event/orders';

  const findOrderId = (req: FastifyRequest): { orderId: number; eventId: number } => {
    const { event } = requireEvent(engine, req);
    const code = pathParam(req, 'code');
    const orderId = orderIdByCode(engine.db, event.id, code);
    if (orderId === undefined) throw notFound();
    return { orderId, eventId: event.id };
  };

  const detail = (req: FastifyRequest, orderId: number, eventId: number) => {
    const order = loadOrder(engine.db, orderId);
    if (!order) throw notFound();
    return renderOrder(order, withPdfData(req, engine.db, orderRenderOptions(req, engine.db, eventId)));
  };

  app.get(`${eventBase}/`, async (req, reply) => {
    const { event, organizer } = requireEvent(engine, req);
    const { result, generated } = listOrders(deps, req, { eventId: event.id, organizerId: organizer.id });
    setPageGenerated(reply, generated);
    return result;
  });

  app.get('/api/v1/organizers/:organizer/orders/', async (req, reply) => {
    const organizer = requireOrganizer(engine, req);
    const { result, generated } = listOrders(deps, req, { organizerId: organizer.id });
    setPageGenerated(reply, generated);
    return result;
  });

  // pretix's OrganizerOrderViewSet is a ReadOnlyModelViewSet: list and detail (by code) over the events the
  // token or device may see; every write method answers 405 once the caller is authenticated.
  const organizerBase = '/api/v1/organizers/:organizer/orders';
  app.get(`${organizerBase}/:code/`, async (req) => {
    const organizer = requireOrganizer(engine, req);
    const code = pathParam(req, 'code');
    const row = findOrderOfOrganizer(engine.db, organizer.id, code, visibleEventIds(engine, req.principal));
    if (!row) throw notFound();
    return engine.read(() => {
      const order = loadOrder(engine.db, row.id);
      if (!order) throw notFound();
      return renderOrder(order, orderRenderOptions(req, engine.db, row.event_id));
    });
  });
  for (const url of [`${organizerBase}/`, `${organizerBase}/:code/`]) {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      app.route({
        method,
        url,
        handler: async (req, reply) => {
          requireOrganizer(engine, req);
          return reply.status(405).send({ detail: `Method "${method}" not allowed.` });
        },
      });
    }
  }

  app.post(`${eventBase}/`, async (req, reply) => {
    const { event } = requireEvent(engine, req);
    // Group commit: concurrent order creations share one durable commit, each still atomic on its own.
    const created = await engine.commandGrouped(
      (ctx) => createOrder(ctx, { eventId: event.id, body: req.body }),
      actorOf(req),
    );
    reply.status(201);
    return renderOrder(
      created.order,
      withPdfData(req, engine.db, orderRenderOptions(req, engine.db, event.id)),
    );
  });

  app.get(`${eventBase}/:code/`, async (req) => {
    const { orderId, eventId } = findOrderId(req);
    return engine.read(() => detail(req, orderId, eventId));
  });

  app.patch(`${eventBase}/:code/`, async (req) => {
    const { orderId, eventId } = findOrderId(req);
    engine.command((ctx) => updateOrder(ctx, { orderId, body: req.body }), actorOf(req));
    return detail(req, orderId, eventId);
  });

  app.put(`${eventBase}/:code/`, async (req, reply) => {
    requireEvent(engine, req);
    return reply.status(405).send({ detail: 'Method "PUT" not allowed.' });
  });

  app.delete(`${eventBase}/:code/`, async (req, reply) => {
    const { orderId } = findOrderId(req);
    engine.command((ctx) => deleteOrder(ctx, { orderId }), actorOf(req));
    return reply.status(204).send();
  });

  app.post(`${eventBase}/:code/regenerate_secrets/`, async (req) => {
    const { orderId, eventId } = findOrderId(req);
    engine.command((ctx) => regenerateOrderSecrets(ctx, { orderId }), actorOf(req));
    return detail(req, orderId, eventId);
  });
}
