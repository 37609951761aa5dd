import type { ItemRow, ItemVariationRow, SubeventItemPriceRow, SubeventVariationPriceRow } from '../rows';
import { readOne } from './statements';

export const itemDefaultPrice = readOne<[itemId: number], Pick<ItemRow, 'default_price'>>(
  'SELECT default_price FROM items WHERE id = ?',
);

export const variationDefaultPrice = readOne<[variationId: number], Pick<ItemVariationRow, 'default_price'>>(
  'SELECT default_price FROM item_variations WHERE id = ?',
);

/** A date's own price for an item, and whether the date offers the item at all. */
export const subeventItemSettings = readOne<
  [subeventId: number, itemId: number],
  Pick<SubeventItemPriceRow, 'price' | 'disabled'>
>('SELECT price, disabled FROM subevent_item_prices WHERE subevent_id = ? AND item_id = ?');

/** A date's own price for a variation, and whether the date offers the variation at all. */
export const subeventVariationSettings = readOne<
  [subeventId: number, variationId: number],
  Pick<SubeventVariationPriceRow, 'price' | 'disabled'>
>('SELECT price, disabled FROM subevent_variation_prices WHERE subevent_id = ? AND variation_id = ?');
