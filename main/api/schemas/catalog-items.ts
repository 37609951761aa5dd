import {
  itemObjectProblem,
  itemVariationsProblem,
  taxRateProblem,
  type AddonInput,
  type BundleInput,
  type CatalogObjectKind,
  type ItemInput,
  type NewItemInput,
  type VariationInput,
} from '../../engine/catalog';
import { invalidFields, type FieldErrors } from '../../engine/errors';
import {
  bodyDict,
  bodyReaders,
  catalogField as field,
  complete,
  readBody,
  readFields,
  type EventOfObject,
  type Fields,
  type Shape,
} from './catalog-fields';
import { DRF, drf } from './drf';

/**
 * Bodies of pretix's tax rule, category, item, variation, add-on and bundle endpoints
 * (api/serializers/item.py), read into the catalog room's typed inputs.
 */

const taxRuleFields = {
  name: field.i18n({ blankIsMissing: true }),
  internal_name: drf.string({ allowBlank: true, maxLength: 190 }).nullable().optional(),
  // pretix's TaxRule.rate: max_digits 10; the catalog holds it between 0.00 and 100.00.
  rate: field.money({ digits: 10 }).superRefine((rate, ctx) => {
    const refusal = taxRateProblem(rate);
    if (refusal !== undefined) ctx.addIssue({ code: 'custom', message: refusal, input: rate });
  }),
  price_includes_tax: drf.boolean().optional(),
  keep_gross_if_rate_changes: drf.boolean().optional(),
  eu_reverse_charge: drf.boolean().optional(),
  home_country: drf.string({ allowBlank: true }).nullable().optional(),
  code: drf.string({ allowBlank: true }).nullable().optional(),
  default: drf.boolean().optional(),
};

export const { body: taxRuleBody, patch: taxRulePatch } = bodyReaders(taxRuleFields);

const categoryFields = {
  name: field.i18n({ blankIsMissing: true }),
  internal_name: drf.string({ allowBlank: true, maxLength: 255 }).nullable().optional(),
  description: field.i18n().optional(),
  position: drf.integer({ min: 0 }).optional(),
  is_addon: drf.boolean().optional(),
};

export const { body: categoryBody, patch: categoryPatch } = bodyReaders(categoryFields);

const channels = {
  sales_channels: field.texts().optional(),
  all_sales_channels: drf.boolean().optional(),
  limit_sales_channels: field.texts().optional(),
};

/** An item's category or tax rule, checked by the catalog's rule while the body is read. */
function ownObject(eventOf: EventOfObject, eventId: number, kind: 'category' | 'tax_rule') {
  return drf
    .pk()
    .superRefine((id, ctx) => {
      const problem = itemObjectProblem(eventOf, eventId, kind, id);
      if (problem) ctx.addIssue({ code: 'custom', input: id, message: problem });
    })
    .nullable()
    .optional();
}

function itemFields(eventOf: EventOfObject, eventId: number) {
  const nullableInt = drf.integer().nullable().optional();
  return {
    name: field.i18n({ blankIsMissing: true }),
    internal_name: drf.string({ allowBlank: true, maxLength: 255 }).nullable().optional(),
    active: drf.boolean().optional(),
    description: field.i18n().nullable().optional(),
    default_price: field.money().optional(),
    free_price: drf.boolean().optional(),
    free_price_suggestion: field.money().nullable().optional(),
    admission: drf.boolean().optional(),
    personalized: drf.boolean().optional(),
    position: drf.integer({ min: 0 }).optional(),
    available_from: drf.datetime().nullable().optional(),
    available_until: drf.datetime().nullable().optional(),
    require_voucher: drf.boolean().optional(),
    hide_without_voucher: drf.boolean().optional(),
    allow_cancel: drf.boolean().optional(),
    require_bundling: drf.boolean().optional(),
    min_per_order: drf.integer({ min: 0 }).nullable().optional(),
    max_per_order: drf.integer({ min: 0 }).nullable().optional(),
    checkin_attention: drf.boolean().optional(),
    checkin_text: drf.string({ allowBlank: true }).nullable().optional(),
    original_price: field.money().nullable().optional(),
    require_approval: drf.boolean().optional(),
    generate_tickets: drf.boolean().nullable().optional(),
    ...channels,
    allow_waitinglist: drf.boolean().optional(),
    issue_giftcard: drf.boolean().optional(),
    show_quota_left: drf.boolean().nullable().optional(),
    hidden_if_available: nullableInt,
    hidden_if_item_available: nullableInt,
    validity_mode: drf.choice(['fixed', 'dynamic']).nullable().optional(),
    validity_fixed_from: drf.datetime().nullable().optional(),
    validity_fixed_until: drf.datetime().nullable().optional(),
    validity_dynamic_duration_minutes: nullableInt,
    validity_dynamic_duration_hours: nullableInt,
    validity_dynamic_duration_days: nullableInt,
    validity_dynamic_duration_months: nullableInt,
    validity_dynamic_start_choice: drf.boolean().optional(),
    validity_dynamic_start_choice_day_limit: nullableInt,
    has_variations: drf.boolean().optional(),
    meta_data: field.dict().optional(),
    category: ownObject(eventOf, eventId, 'category'),
    tax_rule: ownObject(eventOf, eventId, 'tax_rule'),
  };
}

const variationFields = {
  value: field.i18n({ blankIsMissing: true }),
  active: drf.boolean().optional(),
  description: field.i18n().nullable().optional(),
  position: drf.integer({ min: 0 }).optional(),
  default_price: field.money().nullable().optional(),
  original_price: field.money().nullable().optional(),
  require_approval: drf.boolean().optional(),
  available_from: drf.datetime().nullable().optional(),
  available_until: drf.datetime().nullable().optional(),
  checkin_attention: drf.boolean().optional(),
  checkin_text: drf.string({ allowBlank: true }).nullable().optional(),
  ...channels,
  hide_without_voucher: drf.boolean().optional(),
  meta_data: field.dict().optional(),
};

const addonFields = (exists: (kind: CatalogObjectKind, id: number) => boolean) => ({
  addon_category: field.pkOf((id) => exists('category', id)),
  min_count: drf.integer().optional(),
  max_count: drf.integer().optional(),
  position: drf.integer().optional(),
  price_included: drf.boolean().optional(),
  multi_allowed: drf.boolean().optional(),
});

const bundleFields = (exists: (kind: CatalogObjectKind, id: number) => boolean) => ({
  bundled_item: field.pkOf((id) => exists('item', id)),
  bundled_variation: field
    .pkOf((id) => exists('variation', id))
    .nullable()
    .optional(),
  count: drf.integer().optional(),
  designated_price: field.money().nullable().optional(),
});

/**
 * Add-on slots or bundles of an item. Their errors come under the list's name, one entry for the first
 * bad one (as the item serializer answers for a nested create): `{"addons": [{"max_count": [...]}]}`.
 */
function nestedList<S extends Shape>(name: string, shape: S, input: unknown, partial = false): Fields<S>[] {
  if (!Array.isArray(input)) throw invalidFields('invalid', { [name]: [DRF.list(input)] });
  return input.map((entry) => {
    const errors: FieldErrors = {};
    const values = readFields(shape, isDict(entry) ? entry : {}, errors, partial);
    if (Object.keys(errors).length > 0) throw invalidFields('invalid', { [name]: [errors] });
    return values as Fields<S>;
  });
}

function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function existing(eventOf: EventOfObject) {
  return (kind: CatalogObjectKind, id: number) => eventOf(kind, id) !== undefined;
}

export function addonBody(eventOf: EventOfObject, body: unknown): AddonInput {
  return nestedList('addons', addonFields(existing(eventOf)), [body])[0]!;
}

export function addonPatch(eventOf: EventOfObject, body: unknown): Partial<AddonInput> {
  return nestedList('addons', addonFields(existing(eventOf)), [body], true)[0]!;
}

export function bundleBody(eventOf: EventOfObject, body: unknown): BundleInput {
  return nestedList('bundles', bundleFields(existing(eventOf)), [body])[0]!;
}

export function bundlePatch(eventOf: EventOfObject, body: unknown): Partial<BundleInput> {
  return nestedList('bundles', bundleFields(existing(eventOf)), [body], true)[0]!;
}

export const { body: variationBody, patch: variationPatch } = bodyReaders(variationFields);

/** pretix's POST items/: the item with its variations, add-on slots and bundles. */
export function itemBody(eventOf: EventOfObject, eventId: number, body: unknown): NewItemInput {
  const raw = bodyDict(body);
  const errors: FieldErrors = {};
  const item = readFields(itemFields(eventOf, eventId), raw, errors);
  let variations: VariationInput[] = [];
  if (raw.variations !== undefined && raw.variations !== null) {
    if (!Array.isArray(raw.variations)) errors.variations = [DRF.list(raw.variations)];
    else {
      const perVariation = raw.variations.map((v) => {
        const e: FieldErrors = {};
        variations.push(readFields(variationFields, bodyDictOrEmpty(v, e), e) as VariationInput);
        return e;
      });
      if (perVariation.some((e) => Object.keys(e).length > 0)) errors.variations = perVariation;
    }
  }
  const withoutVariations = itemVariationsProblem(raw.has_variations === false, variations.length);
  if (withoutVariations && !errors.variations) errors.variations = [withoutVariations];
  const checked = complete<ItemInput>(item, errors);
  const exists = existing(eventOf);
  const addons =
    raw.addons !== undefined && raw.addons !== null
      ? nestedList('addons', addonFields(exists), raw.addons)
      : [];
  const bundles =
    raw.bundles !== undefined && raw.bundles !== null
      ? nestedList('bundles', bundleFields(exists), raw.bundles)
      : [];
  variations = variations.length > 0 ? variations : [];
  return { ...checked, variations, addons, bundles };
}

function bodyDictOrEmpty(value: unknown, errors: FieldErrors): Record<string, unknown> {
  if (isDict(value)) return value;
  errors.non_field_errors = [DRF.dict(value)];
  return {};
}

/** pretix's PATCH items/{id}/: the item's own fields; nested objects have their own endpoints. */
export function itemPatch(eventOf: EventOfObject, eventId: number, body: unknown): Partial<ItemInput> {
  const raw = bodyDict(body);
  if (raw.variations !== undefined || raw.addons !== undefined || raw.bundles !== undefined)
    throw invalidFields('nested_update', {
      non_field_errors: [
        'Updating add-ons, bundles, or variations via PATCH/PUT is not supported. Please use the dedicated nested endpoint.',
      ],
    });
  // Whether an item has variations is fixed at creation (pretix ignores a change).
  const { has_variations: _fixed, ...fields } = itemFields(eventOf, eventId);
  return readBody(fields, raw, undefined, true);
}
