import type { ReadableDB, WritableDB } from '../handles';
import type { CartPositionRow, EventRow, ItemBundleRow } from '../rows';
import { insertRow } from './common';
import { readAll, readColumn, readOne } from './statements';

/** Only carts whose id ends in `@api` are visible through the API. */
const API_CARTS = "substr(cart_id, -4) = '@api'";

export type CartEvent = Pick<EventRow, 'id' | 'organizer_id' | 'has_subevents' | 'timezone'>;

export const findCartEvent = readOne<[eventId: number], CartEvent>(
  'SELECT id, organizer_id, has_subevents, timezone FROM events WHERE id = ?',
);

export function eventOrganizerId(db: ReadableDB, eventId: number): number | undefined {
  return db
    .prepare<[number], Pick<EventRow, 'organizer_id'>>('SELECT organizer_id FROM events WHERE id = ?')
    .get(eventId)?.organizer_id;
}

export function cartIdTaken(db: ReadableDB, cartId: string): boolean {
  return Boolean(db.prepare('SELECT 1 FROM cart_positions WHERE cart_id = ? LIMIT 1').get(cartId));
}

/** The columns a new cart position sets; the others keep their defaults. */
export type NewCartPosition = Pick<
  CartPositionRow,
  | 'event_id'
  | 'cart_id'
  | 'item_id'
  | 'variation_id'
  | 'subevent_id'
  | 'price'
  | 'includes_tax'
  | 'attendee_name_cached'
  | 'attendee_name_parts'
  | 'attendee_email'
  | 'voucher_id'
  | 'addon_to_id'
  | 'is_bundled'
  | 'sales_channel'
  | 'datetime'
  | 'expires'
>;

export function insertCartPosition(db: WritableDB, row: NewCartPosition): number {
  return insertRow(db, 'cart_positions', row);
}

export function countApiCartPositionsOfEvent(db: ReadableDB, eventId: number): number {
  return db
    .prepare<[number], { n: number }>(
      `SELECT COUNT(*) AS n FROM cart_positions WHERE event_id = ? AND ${API_CARTS}`,
    )
    .get(eventId)!.n;
}

/** A page of the event's API cart positions; `orderBy` is SQL built from known column names only. */
export function apiCartPositionsPage(
  db: ReadableDB,
  eventId: number,
  page: { limit: number; offset: number; orderBy: string },
): CartPositionRow[] {
  return db
    .prepare<[number, number, number], CartPositionRow>(
      `SELECT * FROM cart_positions WHERE event_id = ? AND ${API_CARTS}
       ORDER BY ${page.orderBy} LIMIT ? OFFSET ?`,
    )
    .all(eventId, page.limit, page.offset);
}

export function findApiCartPosition(
  db: ReadableDB,
  eventId: number,
  id: number,
): CartPositionRow | undefined {
  return db
    .prepare<[number, number], CartPositionRow>(
      `SELECT * FROM cart_positions WHERE id = ? AND event_id = ? AND ${API_CARTS}`,
    )
    .get(id, eventId);
}

/** A cart position of the event, whichever cart holds it. */
export function findCartPosition(db: ReadableDB, eventId: number, id: number): CartPositionRow | undefined {
  return db
    .prepare<[number, number], CartPositionRow>('SELECT * FROM cart_positions WHERE id = ? AND event_id = ?')
    .get(id, eventId);
}

export const cartPositionsUnder = readAll<[parentId: number], CartPositionRow>(
  'SELECT * FROM cart_positions WHERE addon_to_id = ? ORDER BY id',
);

/** Deletes a cart position's add-ons and bundled positions, then the position; returns how many went. */
export function deleteCartPositionWithChildren(db: WritableDB, id: number): number {
  return (
    db.prepare('DELETE FROM cart_positions WHERE addon_to_id = ?').run(id).changes +
    db.prepare('DELETE FROM cart_positions WHERE id = ?').run(id).changes
  );
}

export const expiredParentCartPositionIds = readColumn<[expiredBefore: string], number>(
  'SELECT id FROM cart_positions WHERE expires < ? AND addon_to_id IS NULL',
);

export const addonCategoriesOf = readColumn<[itemId: number], number>(
  'SELECT addon_category_id FROM item_addons WHERE base_item_id = ?',
);

export const bundlesOf = readAll<
  [itemId: number],
  Pick<ItemBundleRow, 'bundled_item_id' | 'bundled_variation_id'>
>('SELECT bundled_item_id, bundled_variation_id FROM item_bundles WHERE base_item_id = ?');
