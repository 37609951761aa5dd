import type { FastifyInstance, FastifyRequest } from 'fastify';
import { eventSettings } from '../../engine/catalog';
import { notFound } from '../../engine/errors';
import {
  eventTimeZone,
  loadOrder,
  loadOrders,
  deleteOrder,
  regenerateOrderSecrets,
  updateOrder,
  eventLocales,
  findOrderOfOrganizer,
  orderList,
  type OrderScope,
} from '../../engine/orders';
import { actorOf, requireEvent, requireOrganizer, visibleEventIds, type ApiDeps } from '../context';
import { paginated, setPageGenerated } from '../pagination';
import {
  forOrderPage,
  orderRenderOptions,
  withPdfData,
  renderOrder,
  type OrderRenderOptions,
} from '../resources/order';
import { orderListQuery } from '../schemas/order-lists';
import { eventOrderResource, orderInPath, readOnlyRoutes } from './order-common';
import { orderUpdateBody } from '../schemas/orders';
import { pathParam } from '../schemas/request';

function listOrders(deps: ApiDeps, req: FastifyRequest, scope: OrderScope) {
  const { engine } = deps;
  const generated = engine.clock.now();
  const tz = scope.eventId !== undefined ? eventTimeZone(engine.db, scope.eventId) : 'UTC';
  const { filter, ordering } = orderListQuery(req, tz);
  const result = engine.read(() => {
    const list = orderList(engine.db, scope, filter, ordering);
    return paginated(req, list.count(), (limit, offset) => {
      const orders = loadOrders(engine.db, list.page({ limit, offset }));
      const options = new Map<number, OrderRenderOptions>();
      return orders.map((o) => {
        if (!options.has(o.eventId)) {
          const base = orderRenderOptions(req, engine.db, o.eventId);
          const event = scope.eventId !== undefined ? withPdfData(req, engine.db, base) : base;
          options.set(
            o.eventId,
            forOrderPage(
              event,
              orders.filter((other) => other.eventId === o.eventId),
            ),
          );
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

  app.get(`${eventBase}/`, async (req, reply) => {
    const { event, organizer } = requireEvent(engine, req);
    const { result, generated } = listOrders(deps, req, { eventId: event.id, organizerId: organizer.id });
    setPageGenerated(reply, generated);
    return result;
  });

  app.get('/api/v1/organizers/:organizer/orders/', async (req, reply) => {
    const organizer = requireOrganizer(engine, req);
    const { result, generated } = listOrders(deps, req, {
      organizerId: organizer.id,
      eventIds: visibleEventIds(engine, req.principal),
    });
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
  readOnlyRoutes(app, engine, [`${organizerBase}/`, `${organizerBase}/:code/`]);

  app.post(`${eventBase}/`, async (req, reply) => {
    const { event } = requireEvent(engine, req);
    const order = await deps.placeOrder({ eventId: event.id, body: req.body, actor: actorOf(req) });
    reply.status(201);
    return renderOrder(order, withPdfData(req, engine.db, orderRenderOptions(req, engine.db, event.id)));
  });

  app.get(`${eventBase}/:code/`, async (req) => {
    const { orderId, eventId } = orderInPath(engine, req);
    return engine.read(() => eventOrderResource(engine, req, orderId, eventId));
  });

  app.patch(`${eventBase}/:code/`, async (req) => {
    const { orderId, eventId } = orderInPath(engine, req);
    const changes = orderUpdateBody(req.body, {
      locales: eventLocales(engine.db, eventId),
      nameScheme: eventSettings(engine.db, eventId).name_scheme,
    });
    engine.command((ctx) => updateOrder(ctx, { orderId, changes }), actorOf(req));
    return eventOrderResource(engine, req, orderId, eventId);
  });

  app.put(`${eventBase}/:code/`, async (req, reply) => {
    requireEvent(engine, req);
    return reply.status(405).send({ detail: 'Method "PUT" not allowed.' });
  });

  app.delete(`${eventBase}/:code/`, async (req, reply) => {
    const { orderId } = orderInPath(engine, req);
    engine.command((ctx) => deleteOrder(ctx, { orderId }), actorOf(req));
    return reply.status(204).send();
  });

  app.post(`${eventBase}/:code/regenerate_secrets/`, async (req) => {
    const { orderId, eventId } = orderInPath(engine, req);
    engine.command((ctx) => regenerateOrderSecrets(ctx, { orderId }), actorOf(req));
    return eventOrderResource(engine, req, orderId, eventId);
  });
}
