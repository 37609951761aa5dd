import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EngineError, notFound } from '../../engine/errors';
import {
  loadOrders,
  cancelPosition,
  changePositionBlock,
  regeneratePositionSecret,
  updatePosition,
  findPositionInScope,
  ordersOfPositions,
  orderScopeSql,
  type OrderScope,
} from '../../engine/orders';
import { positionPdfData } from '../../engine/tickets';
import { actorOf, requireEvent, requireOrganizer, visibleEventIds, type ApiDeps } from '../context';
import { paginated } from '../pagination';
import { orderRenderOptions, renderPosition, type OrderRenderOptions } from '../resources/order';
import { pathId, queryValue } from '../schemas/request';

function selectValidChoice(key: string, value: string): EngineError {
  return new EngineError('invalid_filter', 'Select a valid choice.', {
    kind: 'invalid',
    body: { [key]: [`Select a valid choice. ${value} is not one of the available choices.`] },
  });
}

/** `LIKE` pattern text with the wildcards of the search term taken literally. */
function likeText(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const ORDER_STATUSES = ['n', 'p', 'e', 'c'];

type Scope = OrderScope;

/** pretix's `OrderPositionFilter` as SQL over `order_positions op JOIN orders o`. */
function positionFilters(req: FastifyRequest, deps: ApiDeps): { where: string[]; params: unknown[] } {
  const db = deps.engine.db;
  const where: string[] = [];
  const params: unknown[] = [];
  if (queryValue(req, 'include_canceled_positions')?.toLowerCase() !== 'true') where.push('op.canceled = 0');

  const order = queryValue(req, 'order');
  if (order) {
    where.push('UPPER(o.code) = UPPER(?)');
    params.push(order);
  }

  // Foreign-key filters: an unknown id is a 400 in django-filter's words, as pretix answers.
  const references: [string, string, string][] = [
    ['item', 'op.item_id', 'items'],
    ['variation', 'op.variation_id', 'item_variations'],
    ['subevent', 'op.subevent_id', 'subevents'],
    ['addon_to', 'op.addon_to_id', 'order_positions'],
    ['voucher', 'op.voucher_id', 'vouchers'],
  ];
  for (const [key, column, table] of references) {
    const exact = queryValue(req, key);
    if (exact !== undefined && exact !== '') {
      if (
        !/^\d{1,15}$/.test(exact) ||
        !db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(Number(exact))
      ) {
        throw selectValidChoice(key, exact);
      }
      where.push(`${column} = ?`);
      params.push(Number(exact));
    }
    if (key === 'voucher') continue;
    const list = queryValue(req, `${key}__in`);
    if (list !== undefined && list !== '') {
      const ids = list.split(',').filter((s) => s !== '');
      if (ids.some((s) => !/^\d{1,15}$/.test(s.trim()))) {
        throw new EngineError('invalid_filter', 'Enter a number.', {
          kind: 'invalid',
          body: { [`${key}__in`]: ['Enter a number.'] },
        });
      }
      where.push(`${column} IN (${ids.map(() => '?').join(',')})`);
      params.push(...ids.map((s) => Number(s.trim())));
    }
  }

  for (const [key, column] of [
    ['secret', 'op.secret'],
    ['pseudonymization_id', 'op.pseudonymization_id'],
  ] as const) {
    const v = queryValue(req, key);
    if (v !== undefined && v !== '') {
      where.push(`${column} = ?`);
      params.push(v);
    }
  }
  const voucherCode = queryValue(req, 'voucher__code');
  if (voucherCode) {
    where.push('EXISTS (SELECT 1 FROM vouchers v WHERE v.id = op.voucher_id AND v.code = ?)');
    params.push(voucherCode);
  }

  const status = queryValue(req, 'order__status');
  if (status) {
    if (!ORDER_STATUSES.includes(status)) throw selectValidChoice('order__status', status);
    where.push('o.status = ?');
    params.push(status);
  }
  const statuses = queryValue(req, 'order__status__in');
  if (statuses) {
    const list = statuses.split(',').filter((s) => s !== '');
    const bad = list.find((s) => !ORDER_STATUSES.includes(s));
    if (bad !== undefined) throw selectValidChoice('order__status__in', bad);
    where.push(`o.status IN (${list.map(() => '?').join(',')})`);
    params.push(...list);
  }

  const hasCheckin = queryValue(req, 'has_checkin')?.toLowerCase();
  if (hasCheckin === 'true' || hasCheckin === '1' || hasCheckin === 'false' || hasCheckin === '0') {
    const wanted = hasCheckin === 'true' || hasCheckin === '1';
    where.push(
      `${wanted ? '' : 'NOT '}EXISTS (SELECT 1 FROM checkins c WHERE c.position_id = op.id AND c.successful = 1)`,
    );
  }

  const attendee = queryValue(req, 'attendee_name');
  if (attendee) {
    where.push(`(LOWER(op.attendee_name_cached) = LOWER(?) OR EXISTS (
      SELECT 1 FROM order_positions parent WHERE parent.id = op.addon_to_id AND LOWER(parent.attendee_name_cached) = LOWER(?)))`);
    params.push(attendee, attendee);
  }

  const search = queryValue(req, 'search');
  if (search) {
    const contains = `%${likeText(search)}%`;
    const starts = `${likeText(search)}%`;
    where.push(`(
      op.secret LIKE ? ESCAPE '\\' OR op.attendee_name_cached LIKE ? ESCAPE '\\' OR op.attendee_email LIKE ? ESCAPE '\\'
      OR EXISTS (SELECT 1 FROM order_positions parent WHERE parent.id = op.addon_to_id
        AND (parent.attendee_name_cached LIKE ? ESCAPE '\\' OR parent.attendee_email LIKE ? ESCAPE '\\'))
      OR o.code LIKE ? ESCAPE '\\' OR o.email LIKE ? ESCAPE '\\'
      OR EXISTS (SELECT 1 FROM invoice_addresses ia WHERE ia.order_id = o.id
        AND (ia.name_cached LIKE ? ESCAPE '\\' OR ia.company LIKE ? ESCAPE '\\'))
    )`);
    params.push(starts, contains, contains, contains, contains, starts, contains, contains, contains);
  }
  return { where, params };
}

const ORDERING: Record<string, string> = {
  order__code: 'o.code',
  order__datetime: 'o.datetime',
  positionid: 'op.positionid',
  order__status: 'o.status',
};

/** Ordering with pretix's fields; `attendee_name` sorts by the own or the parent's name, nulls first. */
function orderingSql(req: FastifyRequest): string {
  const parts: string[] = [];
  for (const term of (queryValue(req, 'ordering') ?? '').split(',')) {
    const raw = term.trim();
    const desc = raw.startsWith('-');
    const field = desc ? raw.slice(1) : raw;
    if (field === 'attendee_name') {
      const name =
        'COALESCE(op.attendee_name_cached, (SELECT parent.attendee_name_cached FROM order_positions parent WHERE parent.id = op.addon_to_id))';
      // pretix's OrderPositionViewSet.ordering_custom sorts `-attendee_name` ascending with nulls last
      // (F('display_name').asc(nulls_last=True)), unlike the check-in views; followed as pretix serves it.
      parts.push(desc ? `${name} IS NULL ASC, ${name} ASC` : `${name} IS NOT NULL ASC, ${name} ASC`);
    } else if (ORDERING[field]) {
      parts.push(`${ORDERING[field]} ${desc ? 'DESC NULLS FIRST' : 'ASC NULLS LAST'}`);
    }
  }
  if (parts.length === 0) parts.push('o.datetime ASC', 'op.positionid ASC');
  parts.push('op.id DESC');
  return parts.join(', ');
}

function renderPositions(
  req: FastifyRequest,
  deps: ApiDeps,
  positionIds: number[],
  eventLevel = true,
): Record<string, unknown>[] {
  const db = deps.engine.db;
  if (positionIds.length === 0) return [];
  const owners = ordersOfPositions(db, positionIds);
  const orderOf = new Map(owners.map((r) => [r.id, r.order_id]));
  const orders = new Map(loadOrders(db, [...new Set(owners.map((r) => r.order_id))]).map((o) => [o.id, o]));
  const options = new Map<number, OrderRenderOptions>();
  // pdf_data=true adds each position's ticket variables (pretix: event-level endpoints only).
  const pdf =
    eventLevel && queryValue(req, 'pdf_data')?.toLowerCase() === 'true'
      ? positionPdfData(db, positionIds)
      : undefined;
  return positionIds.flatMap((id) => {
    const order = orders.get(orderOf.get(id) ?? -1);
    const position = order?.positions.find((p) => p.id === id);
    if (!order || !position) return [];
    if (!options.has(order.eventId)) options.set(order.eventId, orderRenderOptions(req, db, order.eventId));
    return [renderPosition(order, position, options.get(order.eventId)!, pdf?.get(id))];
  });
}

function listPositions(req: FastifyRequest, deps: ApiDeps, scope: Scope) {
  const { where, params } = positionFilters(req, deps);
  const s = orderScopeSql(scope);
  const whereSql = [s.sql, ...where].join(' AND ');
  const from = 'FROM order_positions op JOIN orders o ON o.id = op.order_id';
  return deps.engine.read(() => {
    const count = (
      deps.engine.db
        .prepare(`SELECT COUNT(*) AS n ${from} WHERE ${whereSql}`)
        .get(...s.params, ...params) as {
        n: number;
      }
    ).n;
    return paginated(req, count, (limit, offset) => {
      const ids = (
        deps.engine.db
          .prepare(`SELECT op.id ${from} WHERE ${whereSql} ORDER BY ${orderingSql(req)} LIMIT ? OFFSET ?`)
          .all(...s.params, ...params, limit, offset) as { id: number }[]
      ).map((r) => r.id);
      return renderPositions(req, deps, ids, scope.eventId !== undefined);
    });
  });
}

/** The position named in the path within the scope; canceled ones only with include_canceled_positions. */
function findPosition(req: FastifyRequest, deps: ApiDeps, scope: Scope): number {
  const id = pathId(req, 'id', 15);
  const row = findPositionInScope(deps.engine.db, scope, id);
  if (!row) throw notFound();
  if (row.canceled && queryValue(req, 'include_canceled_positions')?.toLowerCase() !== 'true')
    throw notFound();
  return row.id;
}

/** pretix's order-position endpoints, event- and organizer-level. */
export function orderPositionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { engine } = deps;
  const eventBase = '/api/v1/organizers/:organizer/events/:event/orderpositions';
  const organizerBase = '/api/v1/organizers/:organizer/orderpositions';
  const eventScope = (req: FastifyRequest): Scope => {
    const { event, organizer } = requireEvent(engine, req);
    return { eventId: event.id, organizerId: organizer.id };
  };
  const organizerScope = (req: FastifyRequest): Scope => ({
    organizerId: requireOrganizer(engine, req).id,
    eventIds: visibleEventIds(engine, req.principal),
  });

  for (const [base, scopeOf] of [
    [eventBase, eventScope],
    [organizerBase, organizerScope],
  ] as const) {
    app.get(`${base}/`, async (req) => listPositions(req, deps, scopeOf(req)));
    app.get(`${base}/:id/`, async (req) => {
      const id = findPosition(req, deps, scopeOf(req));
      return engine.read(() => renderPositions(req, deps, [id], base === eventBase)[0]);
    });
  }

  // Organizer-level positions are read-only in pretix (OrganizerOrderPositionViewSet): writes answer 405.
  for (const url of [`${organizerBase}/`, `${organizerBase}/:id/`]) {
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

  const detail = (req: FastifyRequest, id: number) => {
    const [resource] = renderPositions(req, deps, [id]);
    if (!resource) throw notFound();
    return resource;
  };

  app.patch(`${eventBase}/:id/`, async (req) => {
    const id = findPosition(req, deps, eventScope(req));
    engine.command((ctx) => updatePosition(ctx, { positionId: id, body: req.body }), actorOf(req));
    return detail(req, id);
  });

  app.put(`${eventBase}/:id/`, async (req, reply) => {
    findPosition(req, deps, eventScope(req));
    return reply.status(405).send({ detail: 'Method "PUT" not allowed.' });
  });

  app.delete(`${eventBase}/:id/`, async (req, reply) => {
    const id = findPosition(req, deps, eventScope(req));
    engine.command((ctx) => cancelPosition(ctx, { positionId: id }), actorOf(req));
    return reply.status(204).send();
  });

  app.post(`${eventBase}/:id/regenerate_secrets/`, async (req) => {
    const id = findPosition(req, deps, eventScope(req));
    engine.command((ctx) => regeneratePositionSecret(ctx, { positionId: id }), actorOf(req));
    return detail(req, id);
  });

  for (const action of ['add', 'remove'] as const) {
    app.post(`${eventBase}/:id/${action}_block/`, async (req) => {
      const id = findPosition(req, deps, eventScope(req));
      engine.command(
        (ctx) => changePositionBlock(ctx, { positionId: id, body: req.body, action }),
        actorOf(req),
      );
      return detail(req, id);
    });
  }
}
