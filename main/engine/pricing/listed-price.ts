import type { ReadableDB } from '../db/handles';
import {
  itemDefaultPrice,
  subeventItemSettings,
  subeventVariationSettings,
  variationDefaultPrice,
} from '../db/queries/pricing';
import { money, type Money } from '../money';

/**
 * pretix's `get_listed_price`: the item's default price, overridden by the sub-event's price for the
 * item, then by the variation's default price, then by the sub-event's price for the variation. Each
 * later source wins only where it is set.
 */
export function getListedPrice(
  db: ReadableDB,
  itemId: number,
  variationId: number | null,
  subeventId: number | null,
): Money {
  const item = itemDefaultPrice(db, itemId);
  let price = money(item?.default_price ?? '0');
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
