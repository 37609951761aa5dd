import type { Engine } from '../../engine/engine';
import { createOrder } from '../../engine/orders';
import { renderOrder, renderOptionsOf, withPdfDataIf, type OrderRenderQuery } from '../resources/order';
import { readOrderCreate } from '../schemas/order-create';

/** One `POST …/orders/` as the engine needs it: plain data, so it can cross to the order writer's thread. */
export interface OrderCreation {
  eventId: number;
  /** The request's JSON body, read by pretix's order serializer rules inside the command. */
  body: unknown;
  actor: string;
  query: OrderRenderQuery;
}

/**
 * Creates the order in a group commit (concurrent creations share one durable commit, each still atomic on
 * its own) and answers pretix's order resource as JSON text, once the commit is durable.
 */
export async function createOrderAnswer(engine: Engine, creation: OrderCreation): Promise<string> {
  const { eventId, body, actor, query } = creation;
  const created = await engine.commandGrouped(
    (ctx) => createOrder(ctx, { eventId, request: readOrderCreate(ctx, eventId, body) }),
    actor,
  );
  const options = withPdfDataIf(query.pdfData, engine.db, renderOptionsOf(query, engine.db, eventId));
  return JSON.stringify(renderOrder(created.order, options));
}
