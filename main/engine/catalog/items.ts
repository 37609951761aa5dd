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
import { eventIdOf } from '../db/queries/catalog/tables';
import type { ItemAddonRow, ItemBundleRow, ItemRow } from '../db/rows';
import { EngineError, forbidden, found, invalidFields, notFound, type FieldErrors } from '../errors';
import { Decimal, moneyText, type Money } from '../money';
import { recountQuota } from '../quotas/counters';
import { eventOfObjectIn, missingObject, type EventOfObject } from './event-objects';
import { deleteVouchersOf } from './vouchers';
import { insertInput, requireRow, updateInput, type ExtraFields, type I18nText } from './stored-fields';

/**
 * Items with their variations, add-ons and bundles: pretix's catalog commands, with pretix's validation
 * (base/models/items.py `clean_*`, api/serializers/item.py).
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

/** Who may buy a product or variation: pretix's sales channels. */
interface SalesChannels {
  salesChannels?: string[];
  allSalesChannels?: boolean;
  limitSalesChannels?: string[];
}

/** A product (pretix's Item); `category` and `taxRule` are objects of the same event. */
export interface ItemInput extends SalesChannels {
  name: I18nText;
  internalName?: string | null;
  active?: boolean;
  description?: I18nText | null;
  defaultPrice?: Money;
  freePrice?: boolean;
  freePriceSuggestion?: Money | null;
  admission?: boolean;
  personalized?: boolean;
  position?: number;
  availableFrom?: Date | null;
  availableUntil?: Date | null;
  requireVoucher?: boolean;
  hideWithoutVoucher?: boolean;
  allowCancel?: boolean;
  requireBundling?: boolean;
  minPerOrder?: number | null;
  maxPerOrder?: number | null;
  checkinAttention?: boolean;
  checkinText?: string | null;
  originalPrice?: Money | null;
  requireApproval?: boolean;
  generateTickets?: boolean | null;
  allowWaitinglist?: boolean;
  issueGiftcard?: boolean;
  showQuotaLeft?: boolean | null;
  hiddenIfAvailable?: number | null;
  hiddenIfItemAvailable?: number | null;
  validityMode?: 'fixed' | 'dynamic' | null;
  validityFixedFrom?: Date | null;
  validityFixedUntil?: Date | null;
  validityDynamicDurationMinutes?: number | null;
  validityDynamicDurationHours?: number | null;
  validityDynamicDurationDays?: number | null;
  validityDynamicDurationMonths?: number | null;
  validityDynamicStartChoice?: boolean;
  validityDynamicStartChoiceDayLimit?: number | null;
  hasVariations?: boolean;
  metaData?: Record<string, unknown>;
  category?: number | null;
  taxRule?: number | null;
}

/** A new product with the variations, add-on slots and bundles it is created with. */
export interface NewItemInput extends ItemInput {
  variations?: VariationInput[];
  addons?: AddonInput[];
  bundles?: BundleInput[];
}

/** A variation of a product (pretix's ItemVariation); without a price it sells at the product's. */
export interface VariationInput extends SalesChannels {
  value: I18nText;
  active?: boolean;
  description?: I18nText | null;
  position?: number;
  defaultPrice?: Money | null;
  originalPrice?: Money | null;
  requireApproval?: boolean;
  availableFrom?: Date | null;
  availableUntil?: Date | null;
  checkinAttention?: boolean;
  checkinText?: string | null;
  hideWithoutVoucher?: boolean;
  metaData?: Record<string, unknown>;
}

/** An add-on slot: between `minCount` (0) and `maxCount` (1) products of an add-on category. */
export interface AddonInput {
  addonCategory: number;
  minCount?: number;
  maxCount?: number;
  position?: number;
  priceIncluded?: boolean;
  multiAllowed?: boolean;
}

/** A bundled product (a variation of it when it has variations), `count` (1) at `designatedPrice` (0). */
export interface BundleInput {
  bundledItem: number;
  bundledVariation?: number | null;
  count?: number;
  designatedPrice?: Money | null;
}

const ITEM_EXTRA: ExtraFields<ItemInput> = [
  'freePriceSuggestion',
  'allSalesChannels',
  'limitSalesChannels',
  'allowWaitinglist',
  'issueGiftcard',
  'showQuotaLeft',
  'hiddenIfAvailable',
  'hiddenIfItemAvailable',
  'validityMode',
  'validityFixedFrom',
  'validityFixedUntil',
  'validityDynamicDurationMinutes',
  'validityDynamicDurationHours',
  'validityDynamicDurationDays',
  'validityDynamicDurationMonths',
  'validityDynamicStartChoice',
  'validityDynamicStartChoiceDayLimit',
  'hasVariations',
];

const VARIATION_EXTRA: ExtraFields<VariationInput> = [
  'salesChannels',
  'allSalesChannels',
  'limitSalesChannels',
  'hideWithoutVoucher',
];

function requireItem(db: ReadableDB, eventId: number, itemId: number): void {
  requireRow(db, 'items', eventId, itemId);
}

function refuse(list: 'addons' | 'bundles', message: string): EngineError {
  return invalidFields('invalid', { [list]: [message] });
}

/** pretix's `ItemAddOn.clean_*`: the category of this event, once per item, sensible counts. */
function checkAddons(db: ReadableDB, eventId: number, itemId: number | null, addons: AddonInput[]): void {
  const seen = new Set<number>();
  for (const a of addons) {
    if (eventIdOf(db, 'category', a.addonCategory) !== eventId)
      throw refuse('addons', "The add-on's category must belong to the same event as the item.");
    const existing = itemId !== null && itemHasAddonOfCategory(db, itemId, a.addonCategory);
    if (seen.has(a.addonCategory) || existing)
      throw refuse('addons', 'The item already has an add-on of this category.');
    seen.add(a.addonCategory);
    const { minCount = 0, maxCount = 1 } = a;
    if (minCount < 0) throw refuse('addons', 'The minimum count needs to be equal to or greater than zero.');
    if (maxCount < 0) throw refuse('addons', 'The maximum count needs to be equal to or greater than zero.');
    if (maxCount < minCount)
      throw refuse('addons', 'The maximum count needs to be greater than the minimum count.');
  }
}

/** pretix's `ItemBundle.clean_*`: another product of this event, without bundles, its variation if any. */
function checkBundles(db: ReadableDB, eventId: number, itemId: number | null, bundles: BundleInput[]): void {
  for (const b of bundles) {
    const bundled = itemEvent(db, b.bundledItem);
    if (bundled?.event_id !== eventId)
      throw refuse('bundles', 'The bundled item must belong to the same event as the item.');
    if (itemId !== null && bundled.id === itemId)
      throw refuse('bundles', 'The bundled item must not be the same item as the bundling one.');
    if (itemHasBundles(db, bundled.id))
      throw refuse('bundles', 'The bundled item must not have bundles on its own.');
    const variation = b.bundledVariation ?? null;
    if (variation !== null && variationItemId(db, variation) !== bundled.id)
      throw refuse('bundles', 'The chosen variation does not belong to this item.');
    if (itemHasVariations(db, bundled.id) && variation === null)
      throw refuse('bundles', 'You need to choose a variation if the bundled item has variations.');
    if ((b.count ?? 1) < 1) throw refuse('bundles', 'The count needs to be equal to or greater than zero.');
  }
}

function addonColumns(a: AddonInput): AddonColumns {
  return {
    addon_category_id: a.addonCategory,
    min_count: a.minCount ?? 0,
    max_count: a.maxCount ?? 1,
    position: a.position ?? 0,
    price_included: a.priceIncluded ? 1 : 0,
    multi_allowed: a.multiAllowed ? 1 : 0,
  };
}

function bundleColumns(b: BundleInput): BundleColumns {
  return {
    bundled_item_id: b.bundledItem,
    bundled_variation_id: b.bundledVariation ?? null,
    count: b.count ?? 1,
    designated_price: moneyText(b.designatedPrice ?? 0),
  };
}

const FOREIGN_OF_ITEM = {
  category: "The item's category must belong to the same event as the item.",
  tax_rule: "The item's tax rule must belong to the same event as the item.",
} as const;

/**
 * An item's category or tax rule must be an object of the item's event: undefined when it is, else
 * pretix's words for the field (an unknown id does not exist; another event's is named as such).
 */
export function itemObjectProblem(
  eventOf: EventOfObject,
  eventId: number,
  field: 'category' | 'tax_rule',
  id: number,
): string | undefined {
  const owner = eventOf(field, id);
  if (owner === eventId) return undefined;
  return owner === undefined ? missingObject(id) : FOREIGN_OF_ITEM[field];
}

/** An item created as one without variations takes none: pretix's words under `variations`, or undefined. */
export function itemVariationsProblem(
  withoutVariations: boolean,
  variationCount: number,
): string | undefined {
  return withoutVariations && variationCount > 0
    ? 'You cannot create variations for an item without variations.'
    : undefined;
}

/** The checks of the objects an item names and of its variations, each field's problem in one answer. */
function checkItemFields(db: ReadableDB, eventId: number, input: Partial<NewItemInput>): void {
  const eventOf = eventOfObjectIn(db);
  const errors: FieldErrors = {};
  for (const [field, id] of [
    ['category', input.category],
    ['tax_rule', input.taxRule],
  ] as const) {
    const problem =
      id === undefined || id === null ? undefined : itemObjectProblem(eventOf, eventId, field, id);
    if (problem) errors[field] = [problem];
  }
  const variations = itemVariationsProblem(input.hasVariations === false, input.variations?.length ?? 0);
  if (variations) errors.variations = [variations];
  if (Object.keys(errors).length > 0) throw invalidFields('invalid', errors);
}

/** Checks of an item that need the item as a whole (pretix's `Item.clean_*`), on the item as it would be. */
function checkItem(input: Partial<ItemInput>, current: ItemRow | undefined): void {
  const time = (d: Date | null | undefined, stored: string | null | undefined) =>
    d !== undefined ? (d?.toISOString() ?? null) : (stored ?? null);
  const min = input.minPerOrder !== undefined ? input.minPerOrder : (current?.min_per_order ?? null);
  const max = input.maxPerOrder !== undefined ? input.maxPerOrder : (current?.max_per_order ?? null);
  const from = time(input.availableFrom, current?.available_from);
  const until = time(input.availableUntil, current?.available_until);
  if (from && until && new Date(until) < new Date(from))
    throw invalidFields('invalid', {
      non_field_errors: ["The item's availability cannot end before it starts."],
    });
  if (min !== null && max !== null && min > max)
    throw invalidFields('invalid', {
      non_field_errors: ['The maximum number per order can not be lower than the minimum number per order.'],
    });
}

/** The item's own fields as stored: category and tax rule by id, a voucher required when hidden without. */
function itemRow(input: Partial<ItemInput>) {
  const { category, taxRule, ...fields } = input;
  const fixed: Record<string, unknown> = {};
  if (category !== undefined) fixed.category_id = category;
  if (taxRule !== undefined) fixed.tax_rule_id = taxRule;
  if (fields.hideWithoutVoucher === true) fields.requireVoucher = true;
  return { fields, fixed };
}

/**
 * Creates an item with its variations, add-ons and bundles (pretix's POST items/). Returns the item's id.
 */
export function createItem(ctx: EngineContext, eventId: number, input: NewItemInput): number {
  checkItemFields(ctx.db, eventId, input);
  const { variations = [], addons = [], bundles = [], ...item } = input;
  checkItem(item, undefined);
  checkAddons(ctx.db, eventId, null, addons);
  checkBundles(ctx.db, eventId, null, bundles);
  const { fields, fixed } = itemRow(item);
  if (item.taxRule === undefined) {
    // pretix gives a new item the event's default tax rule, if one is marked as default.
    const rules = taxRulesOfEvent(ctx.db, eventId);
    const preferred = rules.find((r) => (JSON.parse(r.extra) as { default?: boolean }).default === true);
    if (preferred) fixed.tax_rule_id = preferred.id;
  }
  if (variations.length > 0) fields.hasVariations = true;
  const id = insertInput(ctx.db, 'items', fields, ITEM_EXTRA, { ...fixed, event_id: eventId });
  variations.forEach((v, i) =>
    insertInput(ctx.db, 'item_variations', { position: i, ...v }, VARIATION_EXTRA, { item_id: id }),
  );
  for (const a of addons) insertAddonRow(ctx.db, id, addonColumns(a));
  for (const b of bundles) insertBundleRow(ctx.db, id, bundleColumns(b));
  audit(ctx, eventId, 'item', id, 'pretix.event.item.added', input);
  return id;
}

export function updateItem(
  ctx: EngineContext,
  eventId: number,
  itemId: number,
  input: Partial<ItemInput>,
): void {
  requireItem(ctx.db, eventId, itemId);
  checkItemFields(ctx.db, eventId, input);
  checkItem(input, findItem(ctx.db, itemId));
  // Whether an item has variations is fixed at creation (pretix ignores a change).
  const { hasVariations: _fixed, ...changes } = input;
  const { fields, fixed } = itemRow(changes);
  updateInput(ctx.db, 'items', itemId, fields, ITEM_EXTRA, fixed);
  audit(ctx, eventId, 'item', itemId, 'pretix.event.item.changed', input);
}

/**
 * Removes a product or a variation with what pretix removes with it: the vouchers bound to it (a voucher
 * must not widen to the whole shop); the quotas it counted in are recounted afterwards.
 */
function removeSellable(
  ctx: EngineContext,
  column: 'item_id' | 'variation_id',
  id: number,
  quotas: number[],
  deleteRow: (db: WritableDB, id: number) => void,
): void {
  deleteVouchersOf(ctx, column, id);
  deleteRow(ctx.db, id);
  for (const q of quotas) recountQuota(ctx, q);
}

export function deleteItem(ctx: EngineContext, eventId: number, itemId: number): void {
  requireItem(ctx.db, eventId, itemId);
  if (itemOrderedOrInCart(ctx.db, itemId))
    throw forbidden(
      'This item cannot be deleted because it has already been ordered by a user or currently is in a users\'s cart. Please set the item as "inactive" instead.',
      'item_in_use',
    );
  removeSellable(ctx, 'item_id', itemId, quotaIdsOfItem(ctx.db, itemId), deleteItemRow);
  audit(ctx, eventId, 'item', itemId, 'pretix.event.item.deleted', {});
}

// ---------------------------------------------------------------- variations

function requireVariation(db: ReadableDB, itemId: number, variationId: number): void {
  if (!variationOfItem(db, itemId, variationId)) throw notFound();
}

export function createVariation(
  ctx: EngineContext,
  eventId: number,
  itemId: number,
  input: VariationInput,
): number {
  requireItem(ctx.db, eventId, itemId);
  const hasVariations =
    itemHasVariations(ctx.db, itemId) ||
    (JSON.parse(itemExtra(ctx.db, itemId)) as { has_variations?: boolean }).has_variations === true;
  if (!hasVariations)
    throw forbidden(
      'This variation cannot be created because the item does not have variations. Changing a product without variations to a product with variations is not allowed.',
      'item_without_variations',
    );
  const id = insertInput(ctx.db, 'item_variations', input, VARIATION_EXTRA, { item_id: itemId });
  audit(ctx, eventId, 'item', itemId, 'pretix.event.item.variation.added', { id, ...input });
  return id;
}

export function updateVariation(
  ctx: EngineContext,
  eventId: number,
  itemId: number,
  id: number,
  input: Partial<VariationInput>,
): void {
  requireItem(ctx.db, eventId, itemId);
  requireVariation(ctx.db, itemId, id);
  updateInput(ctx.db, 'item_variations', id, input, VARIATION_EXTRA);
  audit(ctx, eventId, 'item', itemId, 'pretix.event.item.variation.changed', { id, ...input });
}

export function deleteVariation(ctx: EngineContext, eventId: number, itemId: number, id: number): void {
  requireItem(ctx.db, eventId, itemId);
  requireVariation(ctx.db, itemId, id);
  if (variationOrderedOrInCart(ctx.db, id))
    throw forbidden(
      "This variation cannot be deleted because it has already been ordered by a user or currently is in a users's cart. Please set the variation as 'inactive' instead.",
      'variation_in_use',
    );
  if (variationCount(ctx.db, itemId) <= 1)
    throw forbidden(
      'This variation cannot be deleted because it is the only variation. Changing a product with variations to a product without variations is not allowed.',
      'only_variation',
    );
  removeSellable(ctx, 'variation_id', id, quotaIdsOfVariation(ctx.db, id), deleteVariationRow);
  audit(ctx, eventId, 'item', itemId, 'pretix.event.item.variation.deleted', { id });
}

// ---------------------------------------------------------------- add-ons and bundles

/** How an item's add-on slots or bundles are checked, stored and read back. */
interface NestedKind<Input, Row> {
  kind: 'addons' | 'bundles';
  /** The stored one, undefined when the item has none with this id. */
  find(db: ReadableDB, itemId: number, id: number): Row | undefined;
  asInput(row: Row): Input;
  /** The checks of new or changed ones; `changing` is the stored one a change replaces. */
  check(
    db: WritableDB,
    eventId: number,
    itemId: number,
    inputs: Input[],
    changing?: { id: number; stored: Input },
  ): void;
  insert(db: WritableDB, itemId: number, input: Input): number;
  update(db: WritableDB, id: number, input: Input): void;
  remove(db: WritableDB, itemId: number, id: number): boolean;
}

const ADDONS: NestedKind<AddonInput, ItemAddonRow> = {
  kind: 'addons',
  find: findAddon,
  check: (db, eventId, itemId, addons, changing) => {
    if (!changing) return checkAddons(db, eventId, itemId, addons);
    // A changed slot is checked against the other slots only: its own category is no duplicate of itself.
    withAddonCategoryHidden(db, changing.id, changing.stored.addonCategory, () =>
      checkAddons(db, eventId, itemId, addons),
    );
  },
  asInput: (row) => ({
    addonCategory: row.addon_category_id,
    minCount: row.min_count,
    maxCount: row.max_count,
    position: row.position,
    priceIncluded: row.price_included === 1,
    multiAllowed: row.multi_allowed === 1,
  }),
  insert: (db, itemId, a) => insertAddonRow(db, itemId, addonColumns(a)),
  update: (db, id, a) => updateAddonRow(db, id, addonColumns(a)),
  remove: deleteAddonRow,
};

const BUNDLES: NestedKind<BundleInput, ItemBundleRow> = {
  kind: 'bundles',
  find: findBundle,
  check: checkBundles,
  asInput: (row) => ({
    bundledItem: row.bundled_item_id,
    bundledVariation: row.bundled_variation_id,
    count: row.count,
    designatedPrice: new Decimal(row.designated_price),
  }),
  insert: (db, itemId, b) => insertBundleRow(db, itemId, bundleColumns(b)),
  update: (db, id, b) => updateBundleRow(db, id, bundleColumns(b)),
  remove: deleteBundleRow,
};

/** The commands of an item's add-on slots or bundles: each checked as pretix checks it, then stored. */
function nestedCommands<Input extends object, Row>(nested: NestedKind<Input, Row>) {
  const audit = (ctx: EngineContext, eventId: number, itemId: number, what: string, data: object) =>
    ctx.audit({
      eventId,
      objectType: 'item',
      objectId: itemId,
      actionType: `pretix.event.item.${nested.kind}.${what}`,
      data,
    });
  return {
    /** Adds one to the item; returns its id. */
    create(ctx: EngineContext, eventId: number, itemId: number, input: Input): number {
      requireItem(ctx.db, eventId, itemId);
      nested.check(ctx.db, eventId, itemId, [input]);
      const id = nested.insert(ctx.db, itemId, input);
      audit(ctx, eventId, itemId, 'added', { id, ...input });
      return id;
    },
    /** Changes the given fields of one (404 when the item has none with this id). */
    update(ctx: EngineContext, eventId: number, itemId: number, id: number, input: Partial<Input>): void {
      requireItem(ctx.db, eventId, itemId);
      const stored = nested.asInput(found(nested.find(ctx.db, itemId, id)));
      const changed: Input = { ...stored, ...input };
      nested.check(ctx.db, eventId, itemId, [changed], { id, stored });
      nested.update(ctx.db, id, changed);
      audit(ctx, eventId, itemId, 'changed', { id, ...input });
    },
    /** Removes one (404 when the item has none with this id). */
    remove(ctx: EngineContext, eventId: number, itemId: number, id: number): void {
      requireItem(ctx.db, eventId, itemId);
      if (!nested.remove(ctx.db, itemId, id)) throw notFound();
      audit(ctx, eventId, itemId, 'removed', { id });
    },
  };
}

export const { create: createAddon, update: updateAddon, remove: deleteAddon } = nestedCommands(ADDONS);
export const { create: createBundle, update: updateBundle, remove: deleteBundle } = nestedCommands(BUNDLES);
