import type { WritableDB } from '../../handles';
import type { ItemBundleRow, ItemRow, ItemAddonRow, QuestionRow } from '../../rows';

type CopiedTable =
  | 'tax_rules'
  | 'categories'
  | 'items'
  | 'item_variations'
  | 'item_addons'
  | 'item_bundles'
  | 'quotas'
  | 'questions'
  | 'question_options'
  | 'checkin_lists';

/** Copies the rows `where` selects, with `overrides` applied; returns old id → new id. */
function copyRows<Row extends { id: number }>(
  db: WritableDB,
  table: CopiedTable,
  where: string,
  args: unknown[],
  overrides: (row: Row) => Record<string, unknown>,
): Map<number, number> {
  const map = new Map<number, number>();
  const rows = db.prepare(`SELECT * FROM ${table} WHERE ${where} ORDER BY id`).all(...args) as Row[];
  for (const row of rows) {
    const { id, ...rest } = row;
    const values: Record<string, unknown> = { ...rest, ...overrides(row) };
    const names = Object.keys(values);
    const newId = Number(
      db
        .prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`)
        .run(...names.map((n) => values[n])).lastInsertRowid,
    );
    map.set(id, newId);
  }
  return map;
}

/** Copies the link rows of one owner (a quota's items, a question's items, …) to its copy. */
function copyLinks(
  db: WritableDB,
  table: 'quota_items' | 'quota_variations' | 'question_items' | 'checkin_list_items',
  ownerColumn: 'quota_id' | 'question_id' | 'list_id',
  memberColumn: 'item_id' | 'variation_id',
  from: number,
  to: number,
  members: Map<number, number>,
): void {
  const rows = db
    .prepare(`SELECT ${memberColumn} AS member FROM ${table} WHERE ${ownerColumn} = ?`)
    .all(from) as {
    member: number;
  }[];
  for (const r of rows)
    db.prepare(`INSERT INTO ${table} (${ownerColumn}, ${memberColumn}) VALUES (?, ?)`).run(
      to,
      members.get(r.member),
    );
}

/**
 * Copies an event's catalog into another event (pretix's event clone): tax rules, categories, items
 * (variations, add-ons, bundles), quotas without a date (counters at zero), questions with their
 * options and dependencies, and check-in lists without a date. Orders, vouchers and dates are not copied.
 */
export function copyEventCatalog(db: WritableDB, sourceId: number, eventId: number): void {
  const taxRules = copyRows(db, 'tax_rules', 'event_id = ?', [sourceId], () => ({ event_id: eventId }));
  const categories = copyRows(db, 'categories', 'event_id = ?', [sourceId], () => ({ event_id: eventId }));
  const items = copyRows<ItemRow>(db, 'items', 'event_id = ?', [sourceId], (r) => ({
    event_id: eventId,
    category_id: r.category_id === null ? null : (categories.get(r.category_id) ?? null),
    tax_rule_id: r.tax_rule_id === null ? null : (taxRules.get(r.tax_rule_id) ?? null),
  }));
  const variations = new Map<number, number>();
  for (const [oldItem, newItem] of items) {
    for (const [o, n] of copyRows(db, 'item_variations', 'item_id = ?', [oldItem], () => ({
      item_id: newItem,
    })))
      variations.set(o, n);
  }
  for (const [oldItem, newItem] of items) {
    copyRows<ItemAddonRow>(db, 'item_addons', 'base_item_id = ?', [oldItem], (r) => ({
      base_item_id: newItem,
      addon_category_id: categories.get(r.addon_category_id),
    }));
    copyRows<ItemBundleRow>(db, 'item_bundles', 'base_item_id = ?', [oldItem], (r) => ({
      base_item_id: newItem,
      bundled_item_id: items.get(r.bundled_item_id),
      bundled_variation_id:
        r.bundled_variation_id === null ? null : (variations.get(r.bundled_variation_id) ?? null),
    }));
  }
  const quotas = copyRows(db, 'quotas', 'event_id = ? AND subevent_id IS NULL', [sourceId], () => ({
    event_id: eventId,
    paid_count: 0,
    pending_count: 0,
    closed: 0,
  }));
  for (const [oldQuota, newQuota] of quotas) {
    copyLinks(db, 'quota_items', 'quota_id', 'item_id', oldQuota, newQuota, items);
    copyLinks(db, 'quota_variations', 'quota_id', 'variation_id', oldQuota, newQuota, variations);
  }
  const questions = copyRows(db, 'questions', 'event_id = ?', [sourceId], () => ({
    event_id: eventId,
    dependency_question_id: null,
  }));
  for (const [oldQ, newQ] of questions) {
    const dep = db.prepare('SELECT dependency_question_id AS d FROM questions WHERE id = ?').get(oldQ) as {
      d: QuestionRow['dependency_question_id'];
    };
    if (dep.d !== null)
      db.prepare('UPDATE questions SET dependency_question_id = ? WHERE id = ?').run(
        questions.get(dep.d) ?? null,
        newQ,
      );
    copyLinks(db, 'question_items', 'question_id', 'item_id', oldQ, newQ, items);
    copyRows(db, 'question_options', 'question_id = ?', [oldQ], () => ({ question_id: newQ }));
  }
  const lists = copyRows(db, 'checkin_lists', 'event_id = ? AND subevent_id IS NULL', [sourceId], () => ({
    event_id: eventId,
  }));
  for (const [oldList, newList] of lists)
    copyLinks(db, 'checkin_list_items', 'list_id', 'item_id', oldList, newList, items);
}
