import { z } from 'zod';
import { addToDeskCart, clearDeskCart, deskCart, removeDeskCartLine } from '../../engine/carts';
import type { EngineContext } from '../../engine/context';
import { readDeskSettings } from '../../engine/preferences';
import { defineMethods } from '../registry';

const id = z.number().int().positive();
/** The desk's carts are API carts (pretix wants their ids to end in "@api"), one per sale. */
const cartId = z.string().regex(/^desk-[0-9a-f]{8,64}@api$/, 'A desk cart id looks like desk-<hex>@api.');

const locale = (ctx: EngineContext) => readDeskSettings(ctx.db).locale;

export const cartMethods = defineMethods({
  'cart.get': {
    input: z.object({ cartId }),
    run: (env, input) => env.engine.read((ctx) => deskCart(ctx.db, input.cartId, locale(ctx))),
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
        addToDeskCart(ctx, input);
        return deskCart(ctx.db, input.cartId, locale(ctx));
      }, env.actor),
  },
  'cart.remove': {
    input: z.object({ cartId, lineId: id }),
    run: (env, input) =>
      env.engine.command((ctx) => {
        removeDeskCartLine(ctx, input);
        return deskCart(ctx.db, input.cartId, locale(ctx));
      }, env.actor),
  },
  'cart.clear': {
    input: z.object({ cartId }),
    run: (env, input) =>
      env.engine.command((ctx) => {
        clearDeskCart(ctx, input.cartId);
        return deskCart(ctx.db, input.cartId, locale(ctx));
      }, env.actor),
  },
});
