import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Engine } from '../../engine/engine';
import { notFound } from '../../engine/errors';
import { loadOrder, orderIdByCode } from '../../engine/orders';
import { requireEvent, requireOrganizer } from '../context';
import { orderRenderOptions, renderOrder, withPdfData } from '../resources/order';
import { pathParam } from '../schemas/request';

/** What the order endpoints share: the order in the path, its resource, read-only organizer routes. */

/** The order named by the path's `:code` in the path's event; 404 when there is none. */
export function orderInPath(engine: Engine, req: FastifyRequest): { orderId: number; eventId: number } {
  const { event } = requireEvent(engine, req);
  const orderId = orderIdByCode(engine.db, event.id, pathParam(req, 'code'));
  if (orderId === undefined) throw notFound();
  return { orderId, eventId: event.id };
}

/** The order resource as the event-level endpoints answer with it (with `pdf_data` when asked). */
export function eventOrderResource(engine: Engine, req: FastifyRequest, orderId: number, eventId: number) {
  const order = loadOrder(engine.db, orderId);
  if (!order) throw notFound();
  return renderOrder(order, withPdfData(req, engine.db, orderRenderOptions(req, engine.db, eventId)));
}

/**
 * pretix's organizer-level order and position view sets are read-only: once the caller is authenticated,
 * every write method on `urls` answers 405.
 */
export function readOnlyRoutes(app: FastifyInstance, engine: Engine, urls: string[]): void {
  for (const url of urls) {
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
}
