import type { EngineContext } from '../context';
import type { ReadableDB, WritableDB } from '../db/handles';
import {
  deleteAddonRow,
  deleteBundleRow,
  deleteItemRow,
  deleteVariationRow,
  findAddon,
  findBundle,
  findItem,
  insertAddonRow,
  insertBundleRow,
  itemEvent,
  itemExtra,
  itemHasAddonOfCategory,
  itemHasBundles,
  itemHasVariations,
  itemOrderedOrInCart,
  quotaIdsOfItem,
  quotaIdsOfVariation,
  updateAddonRow,
  updateBundleRow,
  variationCount,
  variationItemId,
  variationOfItem,
  variationOrderedOrInCart,
  withAddonCategoryHidden,
  type AddonColumns,
  type BundleColumns,
} from '../db/queries/catalog/items';
import { taxRulesOfEvent } from '../db/queries/catalog/tax-rules';
import { catalogRowExists, eventIdOf } from '../db/queries/catalog/tables';
import { EngineError, invalidFields, notFound, type FieldErrors } from '../errors';
import { isPlainObject, parsePk, typeName } from '../orders/fields';
import { recountQuota } from '../quotas/counters';
import { deleteVouchersOf } from './vouchers';
import { requireRow } from './stored-fields';
import {
  hasErrors,
  insertRow,
  parseEventPk,
  parseFields,
  throwIfErrors,
  updateRow,
  type FieldSpecs,
} from './field-specs';

/**
 * Tax rules, categories, items with their variations, add-ons and bundles: pretix's catalog commands,
 * with pretix's validation (base/models/items.py `clean_*`, api/serializers/item.py).
 */

function audit(
  ctx: EngineContext,
  eventId: number,
  objectType: string,
  objectId: number,
  actionType: string,
  data: unknown,
) {
  ctx.audit({ eventId, objectType, objectId, actionType, data });
}

function asBody(body: unknown): Record<string, unknown> {
  return isPlainObject(body) ? body : {};
}

// ---------------------------------------------------------------- items

const ITEM_FIELDS: FieldSpecs = {
  name: { kind: 'i18n', required: true },
  internal_name: { kind: 'text', nullable: true, allowBlank: true, maxLength: 255 },
  active: { kind: 'bool' },
  description: { kind: 'i18n', nullable: true, allowBlank: true },
  default_price: { kind: 'decimal' },
  free_price: { kind: 'bool' },
  free_price_suggestion: { kind: 'decimal', nullable: true, column: 'extra.free_price_suggestion' },
  admission: { kind: 'bool' },
  personalized: { kind: 'bool' },
  position: { kind: 'int', min: 0 },
  available_from: { kind: 'datetime', nullable: true },
  available_until: { kind: 'datetime', nullable: true },
  require_voucher: { kind: 'bool' },
  hide_without_voucher: { kind: 'bool' },
  allow_cancel: { kind: 'bool' },
  require_bundling: { kind: 'bool' },
  min_per_order: { kind: 'int', nullable: true, min: 0 },
  max_per_order: { kind: 'int', nullable: true, min: 0 },
  checkin_attention: { kind: 'bool' },
  checkin_text: { kind: 'text', nullable: true, allowBlank: true },
  original_price: { kind: 'decimal', nullable: true },
  require_approval: { kind: 'bool' },
  generate_tickets: { kind: 'bool', nullable: true },
  sales_channels: { kind: 'stringlist' },
  all_sales_channels: { kind: 'bool', column: 'extra.all_sales_channels' },
  limit_sales_channels: { kind: 'stringlist', column: 'extra.limit_sales_channels' },
  allow_waitinglist: { kind: 'bool', column: 'extra.allow_waitinglist' },
  issue_giftcard: { kind: 'bool', column: 'extra.issue_giftcard' },
  show_quota_left: { kind: 'bool', nullable: true, column: 'extra.show_quota_left' },
  hidden_if_available: { kind: 'int', nullable: true, column: 'extra.hidden_if_available' },
  hidden_if_item_available: { kind: 'int', nullable: true, column: 'extra.hidden_if_item_available' },
  validity_mode: {
    kind: 'choice',
    nullable: true,
    choices: ['fixed', 'dynamic'],
    column: 'extra.validity_mode',
  },
  validity_fixed_from: { kind: 'datetime', nullable: true, column: 'extra.validity_fixed_from' },
  validity_fixed_until: { kind: 'datetime', nullable: true, column: 'extra.validity_fixed_until' },
  validity_dynamic_duration_minutes: {
    kind: 'int',
    nullable: true,
    column: 'extra.validity_dynamic_duration_minutes',
  },
  validity_dynamic_duration_hours: {
    kind: 'int',
    nullable: true,
    column: 'extra.validity_dynamic_duration_hours',
  },
  validity_dynamic_duration_days: {
    kind: 'int',
    nullable: true,
    column: 'extra.validity_dynamic_duration_days',
  },
  validity_dynamic_duration_months: {
    kind: 'int',
    nullable: true,
    column: 'extra.validity_dynamic_duration_months',
  },
  validity_dynamic_start_choice: { kind: 'bool', column: 'extra.validity_dynamic_start_choice' },
  validity_dynamic_start_choice_day_limit: {
    kind: 'int',
    nullable: true,
    column: 'extra.validity_dynamic_start_choice_day_limit',
  },
  has_variations: { kind: 'bool', column: 'extra.has_variations' },
  meta_data: { kind: 'json' },
};

const VARIATION_FIELDS: FieldSpecs = {
  value: { kind: 'i18n', required: true },
  active: { kind: 'bool' },
  description: { kind: 'i18n', nullable: true, allowBlank: true },
  position: { kind: 'int', min: 0 },
  default_price: { kind: 'decimal', nullable: true },
  original_price: { kind: 'decimal', nullable: true },
  require_approval: { kind: 'bool' },
  available_from: { kind: 'datetime', nullable: true },
  available_until: { kind: 'datetime', nullable: true },
  checkin_attention: { kind: 'bool' },
  checkin_text: { kind: 'text', nullable: true, allowBlank: true },
  sales_channels: { kind: 'stringlist', column: 'extra.sales_channels' },
  all_sales_channels: { kind: 'bool', column: 'extra.all_sales_channels' },
  limit_sales_channels: { kind: 'stringlist', column: 'extra.limit_sales_channels' },
  hide_without_voucher: { kind: 'bool', column: 'extra.hide_without_voucher' },
  meta_data: { kind: 'json' },
};

interface AddonInput {
  addon_category: number;
  min_count: number;
  max_count: number;
  position: number;
  price_included: boolean;
  multi_allowed: boolean;
}

interface BundleInput {
  bundled_item: number;
  bundled_variation: number | null;
  count: number;
  designated_price: string;
}

function requireItem(db: ReadableDB, eventId: number, itemId: number): void {
  requireRow(db, 'items', eventId, itemId);
}

function intOf(input: unknown, fallback: number): { value: number } | { error: string } {
  if (input === undefined) return { value: fallback };
  if (typeof input === 'number' && Number.isInteger(input)) return { value: input };
  if (typeof input === 'string' && /^-?\d+$/.test(input.trim())) return { value: Number(input) };
  return { error: 'A valid integer is required.' };
}

function boolOf(input: unknown, fallback: boolean): boolean {
  if (input === undefined || input === null) return fallback;
  return input === true || input === 'true' || input === 1;
}

/** Add-on slots of an item, validated as pretix's `ItemAddOn.clean_*` (errors under `addons`). */
function parseAddons(db: ReadableDB, eventId: number, itemId: number | null, input: unknown): AddonInput[] {
  if (!Array.isArray(input))
    throw invalidFields('invalid', {
      addons: [`Expected a list of items but got type "${typeName(input)}".`],
    });
  const out: AddonInput[] = [];
  const seen = new Set<number>();
  for (const raw of input) {
    const a = isPlainObject(raw) ? raw : {};
    const category = parsePk(a.addon_category);
    if (a.addon_category === undefined)
      throw invalidFields('invalid', { addons: [{ addon_category: ['This field is required.'] }] });
    if (category.error !== undefined)
      throw invalidFields('invalid', { addons: [{ addon_category: [category.error] }] });
    const categoryEvent = eventIdOf(db, 'category', category.value);
    if (categoryEvent === undefined)
      throw invalidFields('invalid', {
        addons: [{ addon_category: [`Invalid pk "${category.value}" - object does not exist.`] }],
      });
    if (categoryEvent !== eventId)
      throw invalidFields('invalid', {
        addons: ["The add-on's category must belong to the same event as the item."],
      });
    const existing = itemId !== null && itemHasAddonOfCategory(db, itemId, category.value);
    if (seen.has(category.value) || existing)
      throw invalidFields('invalid', { addons: ['The item already has an add-on of this category.'] });
    seen.add(category.value);
    const min = intOf(a.min_count, 0);
    const max = intOf(a.max_count, 1);
    const position = intOf(a.position, 0);
    for (const [k, r] of Object.entries({ min_count: min, max_count: max, position }))
      if ('error' in r) throw invalidFields('invalid', { addons: [{ [k]: [r.error] }] });
    const minCount = (min as { value: number }).value;
    const maxCount = (max as { value: number }).value;
    if (minCount < 0)
      throw invalidFields('invalid', {
        addons: ['The minimum count needs to be equal to or greater than zero.'],
      });
    if (maxCount < 0)
      throw invalidFields('invalid', {
        addons: ['The maximum count needs to be equal to or greater than zero.'],
      });
    if (maxCount < minCount)
      throw invalidFields('invalid', {
        addons: ['The maximum count needs to be greater than the minimum count.'],
      });
    out.push({
      addon_category: category.value,
      min_count: minCount,
      max_count: maxCount,
      position: (position as { value: number }).value,
      price_included: boolOf(a.price_included, false),
      multi_allowed: boolOf(a.multi_allowed, false),
    });
  }
  return out;
}

/** Bundled items, validated as pretix's `ItemBundle.clean_*` (errors under `bundles`). */
function parseBundles(db: ReadableDB, eventId: number, itemId: number | null, input: unknown): BundleInput[] {
  if (!Array.isArray(input))
    throw invalidFields('invalid', {
      bundles: [`Expected a list of items but got type "${typeName(input)}".`],
    });
  const out: BundleInput[] = [];
  for (const raw of input) {
    const b = isPlainObject(raw) ? raw : {};
    if (b.bundled_item === undefined)
      throw invalidFields('invalid', { bundles: [{ bundled_item: ['This field is required.'] }] });
    const pk = parsePk(b.bundled_item);
    if (pk.error !== undefined) throw invalidFields('invalid', { bundles: [{ bundled_item: [pk.error] }] });
    const bundled = itemEvent(db, pk.value);
    if (!bundled)
      throw invalidFields('invalid', {
        bundles: [{ bundled_item: [`Invalid pk "${pk.value}" - object does not exist.`] }],
      });
    if (bundled.event_id !== eventId)
      throw invalidFields('invalid', {
        bundles: ['The bundled item must belong to the same event as the item.'],
      });
    if (itemId !== null && bundled.id === itemId)
      throw invalidFields('invalid', {
        bundles: ['The bundled item must not be the same item as the bundling one.'],
      });
    if (itemHasBundles(db, bundled.id))
      throw invalidFields('invalid', { bundles: ['The bundled item must not have bundles on its own.'] });
    const hasVariations = itemHasVariations(db, bundled.id);
    let variation: number | null = null;
    if (b.bundled_variation !== undefined && b.bundled_variation !== null) {
      const v = parsePk(b.bundled_variation);
      if (v.error !== undefined)
        throw invalidFields('invalid', { bundles: [{ bundled_variation: [v.error] }] });
      const variationItem = variationItemId(db, v.value);
      if (variationItem === undefined)
        throw invalidFields('invalid', {
          bundles: [{ bundled_variation: [`Invalid pk "${v.value}" - object does not exist.`] }],
        });
      if (variationItem !== bundled.id)
        throw invalidFields('invalid', { bundles: ['The chosen variation does not belong to this item.'] });
      variation = v.value;
    }
    if (hasVariations && variation === null)
      throw invalidFields('invalid', {
        bundles: ['You need to choose a variation if the bundled item has variations.'],
      });
    const count = intOf(b.count, 1);
    if ('error' in count) throw invalidFields('invalid', { bundles: [{ count: [count.error] }] });
    if (count.value < 1)
      throw invalidFields('invalid', { bundles: ['The count needs to be equal to or greater than zero.'] });
    let designated = '0.00';
    if (b.designated_price !== undefined && b.designated_price !== null) {
      const text = String(b.designated_price);
      if (!/^-?\d+(\.\d{1,2})?$/.test(text.trim()))
        throw invalidFields('invalid', { bundles: [{ designated_price: ['A valid number is required.'] }] });
      designated = Number(text).toFixed(2);
    }
    out.push({
      bundled_item: bundled.id,
      bundled_variation: variation,
      count: count.value,
      designated_price: designated,
    });
  }
  return out;
}

function addonColumns(a: AddonInput): AddonColumns {
  return {
    addon_category_id: a.addon_category,
    min_count: a.min_count,
    max_count: a.max_count,
    position: a.position,
    price_included: a.price_included ? 1 : 0,
    multi_allowed: a.multi_allowed ? 1 : 0,
  };
}

function bundleColumns(b: BundleInput): BundleColumns {
  return {
    bundled_item_id: b.bundled_item,
    bundled_variation_id: b.bundled_variation,
    count: b.count,
    designated_price: b.designated_price,
  };
}

/** Checks of an item's own fields that need the item as a whole (pretix's `Item.clean_*`). */
function checkItem(
  db: ReadableDB,
  eventId: number,
  body: Record<string, unknown>,
  values: Record<string, unknown>,
  current: Record<string, unknown>,
  errors: FieldErrors,
): void {
  for (const [field, table, column] of [
    ['category', 'categories', 'category_id'],
    ['tax_rule', 'tax_rules', 'tax_rule_id'],
  ] as const) {
    if (body[field] === undefined) continue;
    const r = parseEventPk(db, table, eventId, body[field], { nullable: true });
    if (r.error !== undefined) {
      const exists = typeof body[field] === 'number' && catalogRowExists(db, table, body[field]);
      errors[field] = [
        exists
          ? field === 'category'
            ? "The item's category must belong to the same event as the item."
            : "The item's tax rule must belong to the same event as the item."
          : r.error,
      ];
    } else values[column] = r.value;
  }
  const merged = { ...current, ...values };
  const min = merged.min_per_order as number | null | undefined;
  const max = merged.max_per_order as number | null | undefined;
  if (
    min !== null &&
    min !== undefined &&
    max !== null &&
    max !== undefined &&
    min > max &&
    !errors.max_per_order
  )
    errors.non_field_errors = [
      'The maximum number per order can not be lower than the minimum number per order.',
    ];
  const from = merged.available_from as string | null | undefined;
  const until = merged.available_until as string | null | undefined;
  if (from && until && new Date(until) < new Date(from))
    errors.non_field_errors = ["The item's availability cannot end before it starts."];
  if (values.hide_without_voucher === 1) values.require_voucher = 1;
  const sales = values.sales_channels;
  if (typeof sales === 'string') values.sales_channels = sales;
}

/** Variations given at item creation, each validated with DRF's per-element errors. */
function parseNestedVariations(input: unknown): { values: Record<string, unknown>[]; errors?: FieldErrors } {
  if (!Array.isArray(input))
    return {
      values: [],
      errors: { variations: [`Expected a list of items but got type "${typeName(input)}".`] },
    };
  const values: Record<string, unknown>[] = [];
  const perElement: (FieldErrors | Record<string, never>)[] = [];
  let bad = false;
  for (const v of input) {
    const r = parseFields(v, VARIATION_FIELDS);
    values.push(r.values);
    perElement.push(r.errors);
    if (hasErrors(r.errors)) bad = true;
  }
  return bad ? { values, errors: { variations: perElement } } : { values };
}

/**
 * Creates an item with its variations, add-ons and bundles (pretix's POST items/). Returns the item's id.
 */
export function createItem(ctx: EngineContext, eventId: number, body: unknown): number {
  const raw = asBody(body);
  const { values, errors } = parseFields(body, ITEM_FIELDS);
  checkItem(ctx.db, eventId, raw, values, {}, errors);
  let variations: Record<string, unknown>[] = [];
  if (raw.variations !== undefined && raw.variations !== null) {
    const r = parseNestedVariations(raw.variations);
    if (r.errors) Object.assign(errors, r.errors);
    variations = r.values;
  }
  if (raw.has_variations === false && variations.length > 0 && !errors.variations)
    errors.variations = ['You cannot create variations for an item without variations.'];
  throwIfErrors(errors);
  const addons =
    raw.addons !== undefined && raw.addons !== null ? parseAddons(ctx.db, eventId, null, raw.addons) : [];
  const bundles =
    raw.bundles !== undefined && raw.bundles !== null ? parseBundles(ctx.db, eventId, null, raw.bundles) : [];

  const fixed: Record<string, unknown> = { event_id: eventId };
  for (const c of ['category_id', 'tax_rule_id', 'require_voucher'])
    if (c in values) {
      fixed[c] = values[c];
      delete values[c];
    }
  if (!('tax_rule_id' in fixed)) {
    // pretix gives a new item the event's default tax rule, if one is marked as default.
    const rules = taxRulesOfEvent(ctx.db, eventId);
    const preferred = rules.find((r) => (JSON.parse(r.extra) as { default?: boolean }).default === true);
    if (preferred && raw.tax_rule === undefined) fixed.tax_rule_id = preferred.id;
  }
  if (variations.length > 0) values.has_variations = 1;
  const id = insertRow(ctx.db, 'items', values, ITEM_FIELDS, fixed);
  variations.forEach((v, i) => {
    if (!('position' in v)) v.position = i;
    insertRow(ctx.db, 'item_variations', v, VARIATION_FIELDS, { item_id: id });
  });
  for (const a of addons) insertAddonRow(ctx.db, id, addonColumns(a));
  for (const b of bundles) insertBundleRow(ctx.db, id, bundleColumns(b));
  audit(ctx, eventId, 'item', id, 'pretix.event.item.added', raw);
  return id;
}

export function updateItem(ctx: EngineContext, eventId: number, itemId: number, body: unknown): void {
  requireItem(ctx.db, eventId, itemId);
  const raw = asBody(body);
  if (raw.variations !== undefined || raw.addons !== undefined || raw.bundles !== undefined)
    throw invalidFields('nested_update', {
      non_field_errors: [
        'Updating add-ons, bundles, or variations via PATCH/PUT is not supported. Please use the dedicated nested endpoint.',
      ],
    });
  const current = findItem(ctx.db, itemId) as unknown as Record<string, unknown>;
  const { values, errors } = parseFields(body, ITEM_FIELDS, { partial: true });
  // Whether an item has variations is fixed at creation (pretix refuses to switch it).
  delete values.has_variations;
  checkItem(ctx.db, eventId, raw, values, current, errors);
  throwIfErrors(errors);
  const fixed: Record<string, unknown> = {};
  for (const c of ['category_id', 'tax_rule_id', 'require_voucher'])
    if (c in values) {
      fixed[c] = values[c];
      delete values[c];
    }
  updateRow(ctx.db, 'items', itemId, values, ITEM_FIELDS, fixed);
  audit(ctx, eventId, 'item', itemId, 'pretix.event.item.changed', raw);
}

export function deleteItem(ctx: EngineContext, eventId: number, itemId: number): void {
  requireItem(ctx.db, eventId, itemId);
  if (itemOrderedOrInCart(ctx.db, itemId))
    throw new EngineError(
      'item_in_use',
      'This item cannot be deleted because it has already been ordered by a user or currently is in a users\'s cart. Please set the item as "inactive" instead.',
      { kind: 'forbidden' },
    );
  const quotas = quotaIdsOfItem(ctx.db, itemId);
  deleteVouchersOf(ctx, 'item_id', itemId);
  deleteItemRow(ctx.db, itemId);
  for (const q of quotas) recountQuota(ctx, q);
  audit(ctx, eventId, 'item', itemId, 'pretix.event.item.deleted', {});
}

// ---------------------------------------------------------------- variations

function requireVariation(db: ReadableDB, itemId: number, variationId: number): void {
  if (!variationOfItem(db, itemId, variationId)) throw notFound();
}

export function createVariation(ctx: EngineContext, eventId: number, itemId: number, body: unknown): number {
  requireItem(ctx.db, eventId, itemId);
  const hasVariations =
    itemHasVariations(ctx.db, itemId) ||
    (JSON.parse(itemExtra(ctx.db, itemId)) as { has_variations?: boolean }).has_variations === true;
  if (!hasVariations)
    throw new EngineError(
      'item_without_variations',
      'This variation cannot be created because the item does not have variations. Changing a product without variations to a product with variations is not allowed.',
      { kind: 'forbidden' },
    );
  const { values, errors } = parseFields(body, VARIATION_FIELDS);
  throwIfErrors(errors);
  const id = insertRow(ctx.db, 'item_variations', values, VARIATION_FIELDS, { item_id: itemId });
  audit(ctx, eventId, 'item', itemId, 'pretix.event.item.variation.added', { id, ...asBody(body) });
  return id;
}

export function updateVariation(
  ctx: EngineContext,
  eventId: number,
  itemId: number,
  id: number,
  body: unknown,
): void {
  requireItem(ctx.db, eventId, itemId);
  requireVariation(ctx.db, itemId, id);
  const { values, errors } = parseFields(body, VARIATION_FIELDS, { partial: true });
  throwIfErrors(errors);
  updateRow(ctx.db, 'item_variations', id, values, VARIATION_FIELDS);
  audit(ctx, eventId, 'item', itemId, 'pretix.event.item.variation.changed', { id, ...asBody(body) });
}

export function deleteVariation(ctx: EngineContext, eventId: number, itemId: number, id: number): void {
  requireItem(ctx.db, eventId, itemId);
  requireVariation(ctx.db, itemId, id);
  if (variationOrderedOrInCart(ctx.db, id))
    throw new EngineError(
      'variation_in_use',
      "This variation cannot be deleted because it has already been ordered by a user or currently is in a users's cart. Please set the variation as 'inactive' instead.",
      { kind: 'forbidden' },
    );
  if (variationCount(ctx.db, itemId) <= 1)
    throw new EngineError(
      'only_variation',
      'This variation cannot be deleted because it is the only variation. Changing a product with variations to a product without variations is not allowed.',
      { kind: 'forbidden' },
    );
  const quotas = quotaIdsOfVariation(ctx.db, id);
  deleteVouchersOf(ctx, 'variation_id', id);
  deleteVariationRow(ctx.db, id);
  for (const q of quotas) recountQuota(ctx, q);
  audit(ctx, eventId, 'item', itemId, 'pretix.event.item.variation.deleted', { id });
}

// ---------------------------------------------------------------- add-ons and bundles

/** Adds one add-on slot or bundle to an item: validated as a one-element list, then stored. */
function createNested<Input>(
  ctx: EngineContext,
  eventId: number,
  itemId: number,
  body: unknown,
  kind: 'addons' | 'bundles',
  parse: (db: ReadableDB, eventId: number, itemId: number, input: unknown) => Input[],
  insert: (db: WritableDB, itemId: number, input: Input) => number,
): number {
  requireItem(ctx.db, eventId, itemId);
  const [input] = parse(ctx.db, eventId, itemId, [body]);
  const id = insert(ctx.db, itemId, input!);
  audit(ctx, eventId, 'item', itemId, `pretix.event.item.${kind}.added`, { id, ...asBody(body) });
  return id;
}

/** Removes one add-on slot or bundle of an item (404 when the item has none with this id). */
function deleteNested(
  ctx: EngineContext,
  eventId: number,
  itemId: number,
  id: number,
  kind: 'addons' | 'bundles',
  remove: (db: WritableDB, itemId: number, id: number) => boolean,
): void {
  requireItem(ctx.db, eventId, itemId);
  if (!remove(ctx.db, itemId, id)) throw notFound();
  audit(ctx, eventId, 'item', itemId, `pretix.event.item.${kind}.removed`, { id });
}

export function createAddon(ctx: EngineContext, eventId: number, itemId: number, body: unknown): number {
  return createNested(ctx, eventId, itemId, body, 'addons', parseAddons, (db, item, a) =>
    insertAddonRow(db, item, addonColumns(a)),
  );
}

export function updateAddon(
  ctx: EngineContext,
  eventId: number,
  itemId: number,
  id: number,
  body: unknown,
): void {
  requireItem(ctx.db, eventId, itemId);
  const current = findAddon(ctx.db, itemId, id);
  if (!current) throw notFound();
  const raw = asBody(body);
  const merged = {
    addon_category: current.addon_category_id,
    min_count: current.min_count,
    max_count: current.max_count,
    position: current.position,
    price_included: current.price_included === 1,
    multi_allowed: current.multi_allowed === 1,
    ...raw,
  };
  // Validate against the other slots only: the slot's own category is not a duplicate of itself.
  const [addon] = withAddonCategoryHidden(
    ctx.db,
    id,
    current.addon_category_id,
    () => parseAddons(ctx.db, eventId, itemId, [merged]) as [AddonInput],
  );
  updateAddonRow(ctx.db, id, addonColumns(addon));
  audit(ctx, eventId, 'item', itemId, 'pretix.event.item.addons.changed', { id, ...raw });
}

export function deleteAddon(ctx: EngineContext, eventId: number, itemId: number, id: number): void {
  deleteNested(ctx, eventId, itemId, id, 'addons', deleteAddonRow);
}

export function createBundle(ctx: EngineContext, eventId: number, itemId: number, body: unknown): number {
  return createNested(ctx, eventId, itemId, body, 'bundles', parseBundles, (db, item, b) =>
    insertBundleRow(db, item, bundleColumns(b)),
  );
}

export function updateBundle(
  ctx: EngineContext,
  eventId: number,
  itemId: number,
  id: number,
  body: unknown,
): void {
  requireItem(ctx.db, eventId, itemId);
  const current = findBundle(ctx.db, itemId, id);
  if (!current) throw notFound();
  const raw = asBody(body);
  const [bundle] = parseBundles(ctx.db, eventId, itemId, [
    {
      bundled_item: current.bundled_item_id,
      bundled_variation: current.bundled_variation_id,
      count: current.count,
      designated_price: current.designated_price,
      ...raw,
    },
  ]) as [BundleInput];
  updateBundleRow(ctx.db, id, bundleColumns(bundle));
  audit(ctx, eventId, 'item', itemId, 'pretix.event.item.bundles.changed', { id, ...raw });
}

export function deleteBundle(ctx: EngineContext, eventId: number, itemId: number, id: number): void {
  deleteNested(ctx, eventId, itemId, id, 'bundles', deleteBundleRow);
}
