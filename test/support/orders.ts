import type { Engine } from '../../main/engine/engine';
import { createOrder } from '../../main/engine/orders/create';

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
    createOrder(ctx, {
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
