import type { CartPositionRow } from '../rows';
import { readAll } from './statements';

/** A cart line (no add-ons) with its item's and variation's names, as the desk's cart lists it. */
export type DeskCartLineFields = Pick<
  CartPositionRow,
  'id' | 'item_id' | 'variation_id' | 'price' | 'expires'
> & {
  item: string;
  variation: string | null;
};

export const deskCartLines = readAll<[cartId: string], DeskCartLineFields>(
  `SELECT cp.id, cp.item_id, cp.variation_id, i.name AS item, v.value AS variation, cp.price, cp.expires FROM cart_positions cp JOIN items i ON i.id = cp.item_id LEFT JOIN item_variations v ON v.id = cp.variation_id WHERE cp.cart_id = ? AND cp.addon_to_id IS NULL ORDER BY cp.id`,
);

/** The lines of a cart that are not add-ons, with their events. */
export const topLevelCartLines = readAll<[cartId: string], Pick<CartPositionRow, 'id' | 'event_id'>>(
  'SELECT id, event_id FROM cart_positions WHERE cart_id = ? AND addon_to_id IS NULL ORDER BY id',
);
