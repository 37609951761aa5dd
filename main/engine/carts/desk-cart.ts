import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import { organizerOfEvent } from '../db/queries/desk-catalog';
import { deskCartLines, topLevelCartLines } from '../db/queries/desk-carts';
import { invalidFields, notFound, refused, type FieldErrors } from '../errors';
import { moneyText, sumMoney } from '../money';
import { productName } from '../orders/desk-orders';
import { getListedPrice } from '../pricing/listed-price';
import { createCartPositions, deleteCartPosition } from './carts';
import { CART_POSITION_DEFAULTS, cartRequestLookups, type CartPositionRequest } from './validate';

/** Places of one product the desk reserves in a cart. */
export interface DeskCartAddition {
  cartId: string;
  eventId: number;
  subeventId: number | null;
  itemId: number;
  variationId: number | null;
  count: number;
}

/** The desk's reservation as a cart position request, its rows looked up as the REST door does. */
function deskCartRequest(db: ReadableDB, input: DeskCartAddition, price: string): CartPositionRequest {
  const lookups = cartRequestLookups(db, input.eventId);
  const errors: FieldErrors = {};
  const item = lookups.item(input.itemId);
  if (!item || 'error' in item)
    errors.item = [item?.error ?? `Invalid pk "${input.itemId}" - object does not exist.`];
  const variation = input.variationId === null ? null : lookups.variation(input.variationId);
  if (variation === undefined)
    errors.variation = [`Invalid pk "${input.variationId}" - object does not exist.`];
  const subevent = lookups.subevent(input.subeventId);
  if (!subevent || 'error' in subevent)
    errors.subevent = [subevent?.error ?? `Invalid pk "${input.subeventId}" - object does not exist.`];
  if (!item || 'error' in item || variation === undefined || !subevent || 'error' in subevent)
    throw invalidFields('invalid', errors);
  return {
    item: item.value,
    variation,
    subevent: subevent.value,
    price,
    ...CART_POSITION_DEFAULTS,
    cartId: input.cartId,
  };
}

/**
 * The desk's cart: places reserved while a sale is put together, one cart per sale. Reservations are
 * ordinary cart positions, so they hold quota exactly as an API cart does.
 */

export interface CartLine {
  id: number;
  itemId: number;
  variationId: number | null;
  name: string;
  price: string;
  expires: string;
}

export interface Cart {
  cartId: string;
  lines: CartLine[];
  total: string;
  /** The earliest expiry of the cart's reservations. */
  expires: string | null;
}

export function deskCart(db: ReadableDB, cartId: string, locale: string): Cart {
  const rows = deskCartLines(db, cartId);
  return {
    cartId,
    lines: rows.map((r) => ({
      id: r.id,
      itemId: r.item_id,
      variationId: r.variation_id,
      name: productName(r.item, r.variation, locale),
      price: r.price,
      expires: r.expires,
    })),
    total: moneyText(sumMoney(rows.map((r) => r.price))),
    expires: rows.map((r) => r.expires).sort()[0] ?? null,
  };
}

/**
 * Command: reserves `count` places of a product at its listed price, all or nothing: one refused place
 * rolls the whole request back.
 */
export function addToDeskCart(ctx: EngineContext, input: DeskCartAddition): void {
  const organizerId = organizerOfEvent(ctx.db, input.eventId);
  if (organizerId === undefined) throw notFound(`There is no event ${input.eventId}.`);
  const price = moneyText(getListedPrice(ctx.db, input.itemId, input.variationId, input.subeventId));
  const request = deskCartRequest(ctx.db, input, price);
  const outcomes = createCartPositions(
    ctx,
    { organizerId, eventId: input.eventId },
    Array.from({ length: input.count }, () => ({ ...request })),
  );
  const failed = outcomes.find((o) => !o.ok);
  if (failed && !failed.ok) {
    if (failed.plain) throw refused('quota', failed.plain);
    throw invalidFields('invalid', failed.errors as FieldErrors);
  }
}

/** Command: gives back one line of the cart. */
export function removeDeskCartLine(ctx: EngineContext, input: { cartId: string; lineId: number }): void {
  const line = topLevelCartLines(ctx.db, input.cartId).find((l) => l.id === input.lineId);
  if (!line) throw notFound('That line is not in this cart.');
  deleteCartPosition(ctx, line.event_id, line.id);
}

/** Command: gives back every line of the cart. */
export function clearDeskCart(ctx: EngineContext, cartId: string): void {
  for (const line of topLevelCartLines(ctx.db, cartId)) deleteCartPosition(ctx, line.event_id, line.id);
}
