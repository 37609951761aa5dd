import type { Engine } from '../../engine/engine';
import { createOrder, type OrderData } from '../../engine/orders';
import { readOrderCreate } from '../schemas/order-create';

/** One `POST …/orders/` as the engine needs it: plain data, so it can cross to the order writer's thread. */
export interface OrderCreation {
  eventId: number;
  /** The request's JSON body, read by pretix's order serializer rules inside the command. */
  body: unknown;
  actor: string;
}

/**
 * Creates the order in a group commit (concurrent creations share one durable commit, each still atomic on
 * its own); resolves with what was stored once the commit is durable.
 */
export async function placeCreation(engine: Engine, creation: OrderCreation): Promise<OrderData> {
  const { eventId, body, actor } = creation;
  const created = await engine.commandGrouped(
    (ctx) => createOrder(ctx, { eventId, request: readOrderCreate(ctx, eventId, body) }),
    actor,
  );
  return created.order;
}
