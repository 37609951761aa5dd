import { z } from 'zod';
import { addToDeskCart, clearDeskCart, deskCart, removeDeskCartLine, type Cart } from '../../engine/carts';
import type { EngineContext } from '../../engine/context';
import { readDeskSettings } from '../../engine/preferences';
import { id } from '../inputs';
import { defineMethods, type RpcEnv } from '../registry';

/** The desk's carts are API carts (pretix wants their ids to end in "@api"), one per sale. */
const cartId = z.string().regex(/^desk-[0-9a-f]{8,64}@api$/, 'A desk cart id looks like desk-<hex>@api.');

const locale = (ctx: EngineContext) => readDeskSettings(ctx.db).locale;

/** One change to a sale's cart, answered with the cart as it stands after it. */
function changeCart(env: RpcEnv, cartId: string, change: (ctx: EngineContext) => void): Cart {
  return env.engine.command((ctx) => {
    change(ctx);
    return deskCart(ctx.db, cartId, locale(ctx));
  }, env.actor);
}

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
    run: (env, input) => changeCart(env, input.cartId, (ctx) => addToDeskCart(ctx, input)),
  },
  'cart.remove': {
    input: z.object({ cartId, lineId: id }),
    run: (env, input) => changeCart(env, input.cartId, (ctx) => removeDeskCartLine(ctx, input)),
  },
  'cart.clear': {
    input: z.object({ cartId }),
    run: (env, input) => changeCart(env, input.cartId, (ctx) => clearDeskCart(ctx, input.cartId)),
  },
});
