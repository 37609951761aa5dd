import type { ReadableDB } from '../db/handles';
import {
  itemDefaultPrice,
  subeventItemSettings,
  subeventVariationSettings,
  variationDefaultPrice,
} from '../db/queries/pricing';
import type { ItemRow } from '../db/rows';
import { money, type Money } from '../money';

/** An item row the caller has read already, so that its price is not read again. */
export type ListedItem = Pick<ItemRow, 'id' | 'default_price'>;

/**
 * pretix's `get_listed_price`: the item's default price, overridden by the sub-event's price for the
 * item, then by the variation's default price, then by the sub-event's price for the variation. Each
 * later source wins only where it is set.
 */
export function getListedPrice(
  db: ReadableDB,
  item: number | ListedItem,
  variationId: number | null,
  subeventId: number | null,
): Money {
  const itemId = typeof item === 'number' ? item : item.id;
  const defaultPrice =
    typeof item === 'number' ? itemDefaultPrice(db, item)?.default_price : item.default_price;
  let price = money(defaultPrice ?? '0');
  if (subeventId !== null) {
    const override = subeventItemSettings(db, subeventId, itemId);
    if (override?.price !== undefined && override.price !== null) price = money(override.price);
  }
  if (variationId !== null) {
    const variation = variationDefaultPrice(db, variationId);
    if (variation?.default_price !== undefined && variation.default_price !== null) {
      price = money(variation.default_price);
    }
    if (subeventId !== null) {
      const override = subeventVariationSettings(db, subeventId, variationId);
      if (override?.price !== undefined && override.price !== null) price = money(override.price);
    }
  }
  return price;
}
