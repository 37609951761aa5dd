import type { Database } from 'better-sqlite3';
import { money, type Money } from '../money';

/**
 * pretix's `get_listed_price`: the item's default price, overridden by the sub-event's price for the
 * item, then by the variation's default price, then by the sub-event's price for the variation. Each
 * later source wins only where it is set.
 */
export function getListedPrice(
  db: Database,
  itemId: number,
  variationId: number | null,
  subeventId: number | null,
): Money {
  const item = db.prepare('SELECT default_price FROM items WHERE id = ?').get(itemId) as
    { default_price: string } | undefined;
  let price = money(item?.default_price ?? '0');
  if (subeventId !== null) {
    const override = db
      .prepare('SELECT price FROM subevent_item_prices WHERE subevent_id = ? AND item_id = ?')
      .get(subeventId, itemId) as { price: string | null } | undefined;
    if (override?.price !== undefined && override.price !== null) price = money(override.price);
  }
  if (variationId !== null) {
    const variation = db
      .prepare('SELECT default_price FROM item_variations WHERE id = ?')
      .get(variationId) as { default_price: string | null } | undefined;
    if (variation?.default_price !== undefined && variation.default_price !== null) {
      price = money(variation.default_price);
    }
    if (subeventId !== null) {
      const override = db
        .prepare('SELECT price FROM subevent_variation_prices WHERE subevent_id = ? AND variation_id = ?')
        .get(subeventId, variationId) as { price: string | null } | undefined;
      if (override?.price !== undefined && override.price !== null) price = money(override.price);
    }
  }
  return price;
}
