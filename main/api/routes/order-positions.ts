import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../../engine/errors';
import {
  loadOrders,
  cancelPosition,
  changePositionBlock,
  regeneratePositionSecret,
  updatePosition,
  findPositionInScope,
  ordersOfPositions,
  positionList,
  referenceExists,
  eventTimeZone,
  type OrderScope,
} from '../../engine/orders';
import { positionPdfData } from '../../engine/tickets';
import { actorOf, requireEvent, requireOrganizer, visibleEventIds, type ApiDeps } from '../context';
import { paginated } from '../pagination';
import { orderRenderOptions, renderPosition, type OrderRenderOptions } from '../resources/order';
import { includeCanceledPositions, positionListQuery } from '../schemas/order-lists';
import { blockBody, positionUpdateBody } from '../schemas/order-positions';
import { readOnlyRoutes } from './order-common';
import { pathId, queryValue } from '../schemas/request';

type Scope = OrderScope;

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
  const db = deps.engine.db;
  const { filter, ordering } = positionListQuery(req, (table, id) => referenceExists(db, table, id));
  return deps.engine.read(() => {
    const list = positionList(db, scope, filter, ordering);
    return paginated(req, list.count(), (limit, offset) =>
      renderPositions(req, deps, list.page({ limit, offset }), scope.eventId !== undefined),
    );
  });
}

/** The position named in the path within the scope; canceled ones only with include_canceled_positions. */
function findPosition(req: FastifyRequest, deps: ApiDeps, scope: Scope): number {
  return positionInScope(req, deps, scope).id;
}

function positionInScope(req: FastifyRequest, deps: ApiDeps, scope: Scope) {
  const id = pathId(req, 'id', 15);
  const row = findPositionInScope(deps.engine.db, scope, id);
  if (!row) throw notFound();
  if (row.canceled && !includeCanceledPositions(req)) throw notFound();
  return row;
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
  readOnlyRoutes(app, engine, [`${organizerBase}/`, `${organizerBase}/:id/`]);

  const detail = (req: FastifyRequest, id: number) => {
    const [resource] = renderPositions(req, deps, [id]);
    if (!resource) throw notFound();
    return resource;
  };

  app.patch(`${eventBase}/:id/`, async (req) => {
    const scope = eventScope(req);
    const { id, country } = positionInScope(req, deps, scope);
    const input = positionUpdateBody(req.body, {
      timeZone: eventTimeZone(engine.db, scope.eventId!),
      currentCountry: country,
    });
    engine.command((ctx) => updatePosition(ctx, { positionId: id, ...input }), actorOf(req));
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
      const { name } = blockBody(req.body);
      engine.command((ctx) => changePositionBlock(ctx, { positionId: id, name, action }), actorOf(req));
      return detail(req, id);
    });
  }
}
