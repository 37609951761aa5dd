import type { ReadableDB, WritableDB } from '../../handles';
import type { CategoryRow, ItemAddonRow, ItemBundleRow, ItemRow, ItemVariationRow } from '../../rows';
import { readColumn, readExists, readOne } from '../statements';

// ---------------------------------------------------------------- categories

export function deleteCategoryRow(db: WritableDB, id: number): void {
  db.prepare('DELETE FROM categories WHERE id = ?').run(id);
}

// ---------------------------------------------------------------- items

export const findItem = readOne<[itemId: number], ItemRow>('SELECT * FROM items WHERE id = ?');

export const variationById = readOne<[id: number], ItemVariationRow>(
  'SELECT * FROM item_variations WHERE id = ?',
);

/** An item's variations in pretix's order. */
export function variationsInOrder(db: ReadableDB, itemId: number): ItemVariationRow[] {
  const sql = 'SELECT * FROM item_variations WHERE item_id = ? ORDER BY position, id';
  return db.prepare<[number], ItemVariationRow>(sql).all(itemId);
}

export const itemEvent = readOne<[itemId: number], Pick<ItemRow, 'id' | 'event_id'>>(
  'SELECT id, event_id FROM items WHERE id = ?',
);

export function itemExtra(db: ReadableDB, itemId: number): string {
  return (db.prepare('SELECT extra FROM items WHERE id = ?').get(itemId) as Pick<ItemRow, 'extra'>).extra;
}

/** Whether order or cart positions hold the item. */
export function itemOrderedOrInCart(db: ReadableDB, itemId: number): boolean {
  return (
    (db.prepare('SELECT 1 FROM order_positions WHERE item_id = ? LIMIT 1').get(itemId) ??
      db.prepare('SELECT 1 FROM cart_positions WHERE item_id = ? LIMIT 1').get(itemId)) !== undefined
  );
}

/** The quotas that count the item or one of its variations. */
export function quotaIdsOfItem(db: ReadableDB, itemId: number): number[] {
  return (
    db
      .prepare(
        `SELECT quota_id FROM quota_items WHERE item_id = ?
         UNION SELECT qv.quota_id FROM quota_variations qv JOIN item_variations v ON v.id = qv.variation_id WHERE v.item_id = ?`,
      )
      .all(itemId, itemId) as { quota_id: number }[]
  ).map((r) => r.quota_id);
}

/** Deletes an item and the bundles it is part of (either side). */
export function deleteItemRow(db: WritableDB, itemId: number): void {
  db.prepare('DELETE FROM item_bundles WHERE bundled_item_id = ? OR base_item_id = ?').run(itemId, itemId);
  db.prepare('DELETE FROM items WHERE id = ?').run(itemId);
}

// ---------------------------------------------------------------- variations

export const itemHasVariations = readExists<[itemId: number]>(
  'SELECT 1 FROM item_variations WHERE item_id = ?',
);

export function variationItemId(db: ReadableDB, variationId: number): number | undefined {
  const row = db.prepare('SELECT item_id FROM item_variations WHERE id = ?').get(variationId) as
    Pick<ItemVariationRow, 'item_id'> | undefined;
  return row?.item_id;
}

export function variationOfItem(db: ReadableDB, itemId: number, variationId: number): boolean {
  return (
    db.prepare('SELECT 1 FROM item_variations WHERE id = ? AND item_id = ?').get(variationId, itemId) !==
    undefined
  );
}

export function variationCount(db: ReadableDB, itemId: number): number {
  return (
    db.prepare('SELECT COUNT(*) AS n FROM item_variations WHERE item_id = ?').get(itemId) as { n: number }
  ).n;
}

/** Whether order or cart positions hold the variation. */
export function variationOrderedOrInCart(db: ReadableDB, variationId: number): boolean {
  return (
    (db.prepare('SELECT 1 FROM order_positions WHERE variation_id = ? LIMIT 1').get(variationId) ??
      db.prepare('SELECT 1 FROM cart_positions WHERE variation_id = ? LIMIT 1').get(variationId)) !==
    undefined
  );
}

export const quotaIdsOfVariation = readColumn<[variationId: number], number>(
  'SELECT quota_id FROM quota_variations WHERE variation_id = ?',
);

export function deleteVariationRow(db: WritableDB, variationId: number): void {
  db.prepare('DELETE FROM item_variations WHERE id = ?').run(variationId);
}

// ---------------------------------------------------------------- add-ons

export type AddonColumns = Omit<ItemAddonRow, 'id' | 'base_item_id'>;

export function findAddon(db: ReadableDB, itemId: number, id: number): ItemAddonRow | undefined {
  return db.prepare('SELECT * FROM item_addons WHERE id = ? AND base_item_id = ?').get(id, itemId) as
    ItemAddonRow | undefined;
}

export const itemHasAddonOfCategory = readExists<[itemId: number, categoryId: number]>(
  'SELECT 1 FROM item_addons WHERE base_item_id = ? AND addon_category_id = ?',
);

export function insertAddonRow(db: WritableDB, itemId: number, a: AddonColumns): number {
  return Number(
    db
      .prepare(
        `INSERT INTO item_addons (base_item_id, addon_category_id, min_count, max_count, position, price_included, multi_allowed)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        itemId,
        a.addon_category_id,
        a.min_count,
        a.max_count,
        a.position,
        a.price_included,
        a.multi_allowed,
      ).lastInsertRowid,
  );
}

/**
 * Runs `check` with the add-on slot's own category hidden (negated), so that validating the slot against
 * the item's other slots does not find the slot itself; the category is put back whatever happens.
 */
export function withAddonCategoryHidden<T>(
  db: WritableDB,
  id: number,
  categoryId: number,
  check: () => T,
): T {
  db.prepare('UPDATE item_addons SET addon_category_id = -addon_category_id WHERE id = ?').run(id);
  try {
    return check();
  } finally {
    db.prepare('UPDATE item_addons SET addon_category_id = ? WHERE id = ?').run(categoryId, id);
  }
}

export function updateAddonRow(db: WritableDB, id: number, a: AddonColumns): void {
  db.prepare(
    'UPDATE item_addons SET addon_category_id = ?, min_count = ?, max_count = ?, position = ?, price_included = ?, multi_allowed = ? WHERE id = ?',
  ).run(a.addon_category_id, a.min_count, a.max_count, a.position, a.price_included, a.multi_allowed, id);
}

/** Deletes the add-on slot of the item; false when there was none. */
export function deleteAddonRow(db: WritableDB, itemId: number, id: number): boolean {
  return db.prepare('DELETE FROM item_addons WHERE id = ? AND base_item_id = ?').run(id, itemId).changes > 0;
}

// ---------------------------------------------------------------- bundles

export type BundleColumns = Omit<ItemBundleRow, 'id' | 'base_item_id'>;

export function findBundle(db: ReadableDB, itemId: number, id: number): ItemBundleRow | undefined {
  return db.prepare('SELECT * FROM item_bundles WHERE id = ? AND base_item_id = ?').get(id, itemId) as
    ItemBundleRow | undefined;
}

export const itemHasBundles = readExists<[itemId: number]>(
  'SELECT 1 FROM item_bundles WHERE base_item_id = ?',
);

export function insertBundleRow(db: WritableDB, itemId: number, b: BundleColumns): number {
  return Number(
    db
      .prepare(
        'INSERT INTO item_bundles (base_item_id, bundled_item_id, bundled_variation_id, count, designated_price) VALUES (?, ?, ?, ?, ?)',
      )
      .run(itemId, b.bundled_item_id, b.bundled_variation_id, b.count, b.designated_price).lastInsertRowid,
  );
}

export function updateBundleRow(db: WritableDB, id: number, b: BundleColumns): void {
  db.prepare(
    'UPDATE item_bundles SET bundled_item_id = ?, bundled_variation_id = ?, count = ?, designated_price = ? WHERE id = ?',
  ).run(b.bundled_item_id, b.bundled_variation_id, b.count, b.designated_price, id);
}

/** Deletes the bundle of the item; false when there was none. */
export function deleteBundleRow(db: WritableDB, itemId: number, id: number): boolean {
  return db.prepare('DELETE FROM item_bundles WHERE id = ? AND base_item_id = ?').run(id, itemId).changes > 0;
}

/** Whether the item is in an add-on category. */
export function itemIsAddon(db: ReadableDB, itemId: number): boolean {
  const row = db
    .prepare('SELECT c.is_addon FROM items i JOIN categories c ON c.id = i.category_id WHERE i.id = ?')
    .get(itemId) as Pick<CategoryRow, 'is_addon'> | undefined;
  return row?.is_addon === 1;
}
