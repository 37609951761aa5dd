import { z } from 'zod';
import { createCartPositions, deleteCartPosition } from '../../engine/carts/carts';
import type { EngineContext } from '../../engine/context';
import { invalidFields, notFound, refused, type FieldErrors } from '../../engine/errors';
import { moneyText, sumMoney } from '../../engine/money';
import { getListedPrice } from '../../engine/pricing';
import type { Cart } from '../../../shared/contract';
import { readDeskSettings } from '../desk-settings';
import { localized } from '../queries';
import { defineMethods } from '../registry';

const id = z.number().int().positive();
/** The desk's carts are API carts (pretix wants their ids to end in "@api"), one per sale. */
const cartId = z.string().regex(/^desk-[0-9a-f]{8,64}@api$/, 'A desk cart id looks like desk-<hex>@api.');

interface LineRow {
  id: number;
  item_id: number;
  variation_id: number | null;
  item: string;
  variation: string | null;
  price: string;
  expires: string;
}

export function readCart(ctx: EngineContext, cart: string, locale: string): Cart {
  const rows = ctx.db
    .prepare(
      `SELECT cp.id, cp.item_id, cp.variation_id, i.name AS item, v.value AS variation, cp.price, cp.expires
       FROM cart_positions cp JOIN items i ON i.id = cp.item_id LEFT JOIN item_variations v ON v.id = cp.variation_id
       WHERE cp.cart_id = ? AND cp.addon_to_id IS NULL ORDER BY cp.id`,
    )
    .all(cart) as LineRow[];
  const expires = rows.map((r) => r.expires).sort()[0] ?? null;
  return {
    cartId: cart,
    lines: rows.map((r) => ({
      id: r.id,
      itemId: r.item_id,
      variationId: r.variation_id,
      name: r.variation
        ? `${localized(r.item, locale)} – ${localized(r.variation, locale)}`
        : localized(r.item, locale),
      price: r.price,
      expires: r.expires,
    })),
    total: moneyText(sumMoney(rows.map((r) => r.price))),
    expires,
  };
}

function linesOf(ctx: EngineContext, cart: string): { id: number; event_id: number }[] {
  return ctx.db
    .prepare('SELECT id, event_id FROM cart_positions WHERE cart_id = ? AND addon_to_id IS NULL ORDER BY id')
    .all(cart) as { id: number; event_id: number }[];
}

const locale = (ctx: EngineContext) => readDeskSettings(ctx.db).locale;

export const cartMethods = defineMethods({
  'cart.get': {
    input: z.object({ cartId }),
    run: (env, input) => env.engine.read((ctx) => readCart(ctx, input.cartId, locale(ctx))),
  },
  'cart.add': {
    input: z.object({
      cartId,
      eventId: id,
      subeventId: id.nullable(),
      itemId: id,
      variationId: id.nullable(),
      count: z.number().int().min(1).max(50),
    }),
    run: (env, input) =>
      env.engine.command((ctx) => {
        const event = ctx.db.prepare('SELECT organizer_id FROM events WHERE id = ?').get(input.eventId) as
          { organizer_id: number } | undefined;
        if (!event) throw notFound(`There is no event ${input.eventId}.`);
        const price = moneyText(getListedPrice(ctx.db, input.itemId, input.variationId, input.subeventId));
        const request = {
          cart_id: input.cartId,
          item: input.itemId,
          variation: input.variationId,
          subevent: input.subeventId,
          price,
        };
        const outcomes = createCartPositions(
          ctx,
          { organizerId: event.organizer_id, eventId: input.eventId },
          Array.from({ length: input.count }, () => ({ ...request })),
        );
        // All or nothing at the desk: one refused ticket rolls the whole request back.
        const failed = outcomes.find((o) => !o.ok);
        if (failed && !failed.ok) {
          if (failed.plain) throw refused('quota', failed.plain);
          throw invalidFields('invalid', failed.errors as FieldErrors);
        }
        return readCart(ctx, input.cartId, locale(ctx));
      }, env.actor),
  },
  'cart.remove': {
    input: z.object({ cartId, lineId: id }),
    run: (env, input) =>
      env.engine.command((ctx) => {
        const line = linesOf(ctx, input.cartId).find((l) => l.id === input.lineId);
        if (!line) throw notFound('That line is not in this cart.');
        deleteCartPosition(ctx, line.event_id, line.id);
        return readCart(ctx, input.cartId, locale(ctx));
      }, env.actor),
  },
  'cart.clear': {
    input: z.object({ cartId }),
    run: (env, input) =>
      env.engine.command((ctx) => {
        for (const line of linesOf(ctx, input.cartId)) deleteCartPosition(ctx, line.event_id, line.id);
        return readCart(ctx, input.cartId, locale(ctx));
      }, env.actor),
  },
});
