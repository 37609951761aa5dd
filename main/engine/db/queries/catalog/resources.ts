import type { ReadableDB } from '../../handles';
import type { SubeventItemPriceRow, SubeventVariationPriceRow, VoucherRow } from '../../rows';
import type { CatalogTable } from './tables';
import { readAll, readColumn } from '../statements';

/**
 * Whole rows of the catalog's tables as the REST door renders them into pretix's resources. Table, parent
 * column and order come from the door's route table, never from a request.
 */
export type CatalogRecord = Record<string, unknown> & { id: number };
export type CatalogResourceTable = CatalogTable | 'item_addons' | 'item_bundles' | 'question_options';

/** One row of an event's table, or undefined when the event has no such row. */
export function catalogRecord(
  db: ReadableDB,
  table: CatalogResourceTable,
  eventId: number,
  id: number,
): CatalogRecord | undefined {
  return db.prepare(`SELECT * FROM ${table} WHERE id = ? AND event_id = ?`).get(id, eventId) as
    CatalogRecord | undefined;
}

/** Every row of an event's table, in the given order. */
export function catalogRecords(
  db: ReadableDB,
  table: CatalogResourceTable,
  eventId: number,
  order = 'id',
): CatalogRecord[] {
  return db
    .prepare(`SELECT * FROM ${table} WHERE event_id = ? ORDER BY ${order}`)
    .all(eventId) as CatalogRecord[];
}

/** One row of a table whose rows belong to a parent row (variations of an item, options of a question). */
export function childRecord(
  db: ReadableDB,
  table: CatalogResourceTable,
  parentColumn: string,
  parentId: number,
  id: number,
): CatalogRecord | undefined {
  return db.prepare(`SELECT * FROM ${table} WHERE id = ? AND ${parentColumn} = ?`).get(id, parentId) as
    CatalogRecord | undefined;
}

/** Every row of a parent row's children, in the given order. */
export function childRecords(
  db: ReadableDB,
  table: CatalogResourceTable,
  parentColumn: string,
  parentId: number,
  order: string,
): CatalogRecord[] {
  return db
    .prepare(`SELECT * FROM ${table} WHERE ${parentColumn} = ? ORDER BY ${order}`)
    .all(parentId) as CatalogRecord[];
}

/** An item's variations, add-ons and bundles, as its resource nests them. */
export function nestedRecordsOfItem(
  db: ReadableDB,
  itemId: number,
): Record<'variations' | 'addons' | 'bundles', CatalogRecord[]> {
  return {
    variations: childRecords(db, 'item_variations', 'item_id', itemId, 'position, id'),
    addons: childRecords(db, 'item_addons', 'base_item_id', itemId, 'position, id'),
    bundles: childRecords(db, 'item_bundles', 'base_item_id', itemId, 'id'),
  };
}

/** A tax rule's rate as decimal text, undefined when there is no such rule. */
export function taxRuleRate(db: ReadableDB, taxRuleId: number): string | undefined {
  return (
    db.prepare('SELECT rate FROM tax_rules WHERE id = ?').get(taxRuleId) as { rate: string } | undefined
  )?.rate;
}

/** The products a question is asked for, by id. */
export const questionItemIds = readColumn<[questionId: number], number>(
  'SELECT item_id FROM question_items WHERE question_id = ? ORDER BY item_id',
);

export const optionRecordsOfQuestion = readAll<[questionId: number], CatalogRecord>(
  'SELECT * FROM question_options WHERE question_id = ? ORDER BY position, id',
);

/** A date's own product and variation prices and availability. */
export function subeventPrices(
  db: ReadableDB,
  subeventId: number,
): {
  items: Pick<SubeventItemPriceRow, 'item_id' | 'price' | 'disabled'>[];
  variations: Pick<SubeventVariationPriceRow, 'variation_id' | 'price' | 'disabled'>[];
} {
  const items = db
    .prepare(
      'SELECT item_id, price, disabled FROM subevent_item_prices WHERE subevent_id = ? ORDER BY item_id',
    )
    .all(subeventId) as Pick<SubeventItemPriceRow, 'item_id' | 'price' | 'disabled'>[];
  const variations = db
    .prepare(
      'SELECT variation_id, price, disabled FROM subevent_variation_prices WHERE subevent_id = ? ORDER BY variation_id',
    )
    .all(subeventId) as Pick<SubeventVariationPriceRow, 'variation_id' | 'price' | 'disabled'>[];
  return { items, variations };
}

/** An event's dates, earliest first. */
export const subeventRecordsOfEvent = readAll<[eventId: number], CatalogRecord>(
  'SELECT * FROM subevents WHERE event_id = ? ORDER BY date_from, id',
);

/** A date (a subevents row) with the slug of its event. */
export type SubeventWithEventSlug = CatalogRecord & { event_slug: string };

/** Every date of an organizer's events, earliest first. */
export const subeventsOfOrganizer = readAll<[organizerId: number], SubeventWithEventSlug>(
  `SELECT s.*, e.slug AS event_slug FROM subevents s JOIN events e ON e.id = s.event_id WHERE e.organizer_id = ? ORDER BY s.date_from, s.id`,
);

export const vouchersOfEvent = readAll<[eventId: number], VoucherRow>(
  'SELECT * FROM vouchers WHERE event_id = ? ORDER BY id',
);

/** An event's slug by id. */
export function eventSlug(db: ReadableDB, eventId: number): string | undefined {
  return (db.prepare('SELECT slug FROM events WHERE id = ?').get(eventId) as { slug: string } | undefined)
    ?.slug;
}
