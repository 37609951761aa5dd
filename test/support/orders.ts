import type { Engine } from '../../main/engine/engine';
import { readOrderCreate } from '../../main/api/schemas/order-create';
import type { EngineContext } from '../../main/engine/context';
import { createOrder } from '../../main/engine/orders/create';

/** Places an order from the body of pretix's `POST …/orders/`, read as the REST door reads it. */
export function createOrderFromBody(ctx: EngineContext, input: { eventId: number; body: unknown }) {
  return createOrder(ctx, {
    eventId: input.eventId,
    request: readOrderCreate(ctx, input.eventId, input.body),
  });
}

/**
 * A paid box-office sale of `tickets` tickets of `itemId` at 25.00 through the engine, one command, as a
 * till sells it. Returns the created order.
 */
export function sellPaidTickets(
  engine: Engine,
  eventId: number,
  itemId: number,
  tickets = 1,
  email?: string,
) {
  return engine.command((ctx) =>
    createOrderFromBody(ctx, {
      eventId,
      body: {
        status: 'p',
        payment_provider: 'boxoffice',
        ...(email ? { email } : {}),
        positions: Array.from({ length: tickets }, () => ({ item: itemId, price: '25.00' })),
      },
    }),
  ).order;
}
