import { createOrderFromBody } from '../../support/orders';
import type { Engine } from '../../../main/engine/engine';
import { fixtureEvent, fixtureItem, fixtureQuota } from '../../fixtures/catalog';

/** An event named "Summer Fest" with an admission ticket, a merchandise product and a quota for both. */
export function ticketEvent(engine: Engine, organizerId: number, settings: Record<string, unknown> = {}) {
  const eventId = fixtureEvent(engine, organizerId, { settings: { name_scheme: 'full', ...settings } });
  engine.db
    .prepare("UPDATE events SET name = ?, location = ?, timezone = 'Europe/Berlin' WHERE id = ?")
    .run(
      JSON.stringify({ en: 'Summer Fest', de: 'Sommerfest' }),
      JSON.stringify({ en: 'Open Air Stage' }),
      eventId,
    );
  const ticket = fixtureItem(engine, eventId, { name: 'Day Pass', price: '23.00' });
  const merch = fixtureItem(engine, eventId, { name: 'Mug', price: '9.00', admission: false });
  fixtureQuota(engine, eventId, null, { items: [ticket, merch] });
  return { eventId, ticket, merch };
}

export function placeOrder(
  engine: Engine,
  eventId: number,
  positions: { item: number; price: string; name?: string }[],
  status: 'n' | 'p' = 'p',
) {
  return engine.command((ctx) =>
    createOrderFromBody(ctx, {
      eventId,
      body: {
        email: 'buyer@example.org',
        status,
        payment_provider: 'manual',
        positions: positions.map((p) => ({
          item: p.item,
          price: p.price,
          ...(p.name ? { attendee_name_parts: { full_name: p.name } } : {}),
        })),
      },
    }),
  ).order;
}
