import type { ReadableDB } from '../handles';
import type { ItemRow, ItemVariationRow, SubeventItemPriceRow, SubeventVariationPriceRow } from '../rows';

export function itemDefaultPrice(db: ReadableDB, itemId: number): Pick<ItemRow, 'default_price'> | undefined {
  return db
    .prepare<[number], Pick<ItemRow, 'default_price'>>('SELECT default_price FROM items WHERE id = ?')
    .get(itemId);
}

export function subeventItemPrice(
  db: ReadableDB,
  subeventId: number,
  itemId: number,
): Pick<SubeventItemPriceRow, 'price'> | undefined {
  return db
    .prepare<[number, number], Pick<SubeventItemPriceRow, 'price'>>(
      'SELECT price FROM subevent_item_prices WHERE subevent_id = ? AND item_id = ?',
    )
    .get(subeventId, itemId);
}

export function variationDefaultPrice(
  db: ReadableDB,
  variationId: number,
): Pick<ItemVariationRow, 'default_price'> | undefined {
  return db
    .prepare<[number], Pick<ItemVariationRow, 'default_price'>>(
      'SELECT default_price FROM item_variations WHERE id = ?',
    )
    .get(variationId);
}

export function subeventVariationPrice(
  db: ReadableDB,
  subeventId: number,
  variationId: number,
): Pick<SubeventVariationPriceRow, 'price'> | undefined {
  return db
    .prepare<[number, number], Pick<SubeventVariationPriceRow, 'price'>>(
      'SELECT price FROM subevent_variation_prices WHERE subevent_id = ? AND variation_id = ?',
    )
    .get(subeventId, variationId);
}
