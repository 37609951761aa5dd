import type { ReadableDB, WritableDB } from '../../handles';
import type { SubeventRow } from '../../rows';
import { readOne } from '../statements';

/** A per-date price override (or disabling) of one product or variation. */
export interface SubeventPriceOverride {
  id: number;
  price: string | null;
  disabled: boolean;
}

export const subeventById = readOne<[id: number], SubeventRow>('SELECT * FROM subevents WHERE id = ?');

export function findSubevent(db: ReadableDB, eventId: number, id: number): SubeventRow | undefined {
  return db.prepare('SELECT * FROM subevents WHERE id = ? AND event_id = ?').get(id, eventId) as
    SubeventRow | undefined;
}

export function subeventInEvent(db: ReadableDB, eventId: number, id: number): boolean {
  return db.prepare('SELECT 1 FROM subevents WHERE id = ? AND event_id = ?').get(id, eventId) !== undefined;
}

/** Whether order or cart positions are for the date. */
export function subeventOrderedOrInCart(db: ReadableDB, id: number): boolean {
  return (
    (db.prepare('SELECT 1 FROM order_positions WHERE subevent_id = ? LIMIT 1').get(id) ??
      db.prepare('SELECT 1 FROM cart_positions WHERE subevent_id = ? LIMIT 1').get(id)) !== undefined
  );
}

export function deleteSubeventRow(db: WritableDB, id: number): void {
  db.prepare('DELETE FROM subevents WHERE id = ?').run(id);
}

/** The statements replacing a date's price overrides, by what they override. */
const PRICE_OVERRIDES = {
  item: {
    clear: 'DELETE FROM subevent_item_prices WHERE subevent_id = ?',
    insert:
      'INSERT OR REPLACE INTO subevent_item_prices (subevent_id, item_id, price, disabled) VALUES (?, ?, ?, ?)',
  },
  variation: {
    clear: 'DELETE FROM subevent_variation_prices WHERE subevent_id = ?',
    insert:
      'INSERT OR REPLACE INTO subevent_variation_prices (subevent_id, variation_id, price, disabled) VALUES (?, ?, ?, ?)',
  },
};

/** Replaces the date's price overrides of its products (`item`) or of their variations (`variation`). */
export function setSubeventPrices(
  db: WritableDB,
  subeventId: number,
  kind: keyof typeof PRICE_OVERRIDES,
  overrides: SubeventPriceOverride[],
): void {
  db.prepare(PRICE_OVERRIDES[kind].clear).run(subeventId);
  const ins = db.prepare(PRICE_OVERRIDES[kind].insert);
  for (const o of overrides) ins.run(subeventId, o.id, o.price, o.disabled ? 1 : 0);
}
