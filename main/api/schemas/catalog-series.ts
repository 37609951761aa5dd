import {
  priceOverrideProblem,
  voucherListError,
  type PriceOverride,
  type SubeventInput,
  type VoucherInput,
} from '../../engine/catalog';
import { EngineError, invalidFields, type FieldErrors } from '../../engine/errors';
import {
  bodyDict,
  catalogField as field,
  complete,
  readField,
  readFields,
  type EventOfObject,
} from './catalog-fields';
import { DRF, drf } from './drf';

/** Bodies of pretix's sub-event and voucher endpoints (`SubEventSerializer`, `VoucherSerializer`). */
const subeventFields = {
  name: field.i18n({ blankIsMissing: true }),
  date_from: drf.datetime(),
  date_to: drf.datetime().nullable().optional(),
  active: drf.boolean().optional(),
  date_admission: drf.datetime().nullable().optional(),
  presale_start: drf.datetime().nullable().optional(),
  presale_end: drf.datetime().nullable().optional(),
  location: field.i18n().nullable().optional(),
  geo_lat: drf.decimal().nullable().optional(),
  geo_lon: drf.decimal().nullable().optional(),
  is_public: drf.boolean().optional(),
  frontpage_text: field.i18n().nullable().optional(),
  comment: drf.string({ allowBlank: true }).nullable().optional(),
  meta_data: field.metaData(),
};

const overrideFields = {
  price: field.money().nullable().optional(),
  disabled: drf.boolean().optional(),
};

/**
 * Price overrides of one date (`item_price_overrides` / `variation_price_overrides`): per-entry errors as
 * DRF lists them; an entry naming a product of another event makes the whole body fail.
 */
function overrides(
  eventOf: EventOfObject,
  eventId: number,
  input: unknown,
  key: 'item' | 'variation',
  errors: FieldErrors,
): PriceOverride[] | undefined {
  const name = `${key}_price_overrides`;
  if (input === undefined) return undefined;
  if (!Array.isArray(input)) {
    errors[name] = [DRF.list(input)];
    return undefined;
  }
  const out: PriceOverride[] = [];
  const perEntry = input.map((raw: unknown) => {
    const e: FieldErrors = {};
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      e.non_field_errors = [DRF.dict(raw)];
      return e;
    }
    const entry = raw as Record<string, unknown>;
    // pretix drops entries that name no product (validate_item_price_overrides).
    if (entry[key] === undefined) return e;
    const pk = readField(
      key,
      field.pkOf((id) => eventOf(key, id) !== undefined),
      entry[key],
      e,
    );
    if (!pk.ok) return e;
    const foreign = priceOverrideProblem(eventOf, eventId, key, pk.value);
    if (foreign !== undefined) {
      errors.non_field_errors = [foreign];
      return e;
    }
    const values = readFields(overrideFields, entry, e);
    if (Object.keys(e).length === 0)
      out.push({ id: pk.value, price: values.price ?? null, disabled: values.disabled ?? false });
    return e;
  });
  if (perEntry.some((e) => Object.keys(e).length > 0)) errors[name] = perEntry;
  return out;
}

function readSubevent(eventOf: EventOfObject, eventId: number, body: unknown, partial: boolean) {
  const raw = bodyDict(body);
  const errors: FieldErrors = {};
  const fields: Partial<SubeventInput> = readFields(subeventFields, raw, errors, partial);
  const items = overrides(eventOf, eventId, raw.item_price_overrides, 'item', errors);
  const variations = overrides(eventOf, eventId, raw.variation_price_overrides, 'variation', errors);
  if (items) fields.itemPriceOverrides = items;
  if (variations) fields.variationPriceOverrides = variations;
  if (raw.seating_plan !== undefined && raw.seating_plan !== null)
    errors.seating_plan = [DRF.pkMissing(raw.seating_plan)];
  return complete(fields, errors, 'invalid_subevent');
}

export function subeventBody(eventOf: EventOfObject, eventId: number, body: unknown): SubeventInput {
  return readSubevent(eventOf, eventId, body, false) as SubeventInput;
}

export function subeventPatch(
  eventOf: EventOfObject,
  eventId: number,
  body: unknown,
): Partial<SubeventInput> {
  return readSubevent(eventOf, eventId, body, true);
}

function voucherFields(eventOf: EventOfObject) {
  const exists = (kind: 'item' | 'variation' | 'quota' | 'subevent') =>
    field
      .pkOf((id) => eventOf(kind, id) !== undefined)
      .nullable()
      .optional();
  return {
    code: drf
      .string({ maxLength: 255 })
      .transform((code) => code.trim().toUpperCase())
      .refine((code) => code.length >= 5, DRF.minLength(5))
      .optional(),
    max_usages: drf.integer({ min: 0 }).optional(),
    min_usages: drf.integer({ min: 1 }).optional(),
    valid_until: drf.datetime().nullable().optional(),
    block_quota: drf.boolean().optional(),
    allow_ignore_quota: drf.boolean().optional(),
    price_mode: drf.choice(['none', 'set', 'subtract', 'percent']).optional(),
    value: field.money().nullable().optional(),
    tag: drf.string({ allowBlank: true, maxLength: 255 }).nullable().optional(),
    comment: drf.string({ allowBlank: true }).optional(),
    show_hidden_items: drf.boolean().optional(),
    all_addons_included: drf.boolean().optional(),
    all_bundles_included: drf.boolean().optional(),
    budget: field.money().nullable().optional(),
    item: exists('item'),
    variation: exists('variation'),
    quota: exists('quota'),
    subevent: exists('subevent'),
  };
}

function readVoucher(eventOf: EventOfObject, body: unknown, partial: boolean): Partial<VoucherInput> {
  const raw = bodyDict(body);
  const errors: FieldErrors = {};
  const fields = readFields(voucherFields(eventOf), raw, errors, partial);
  if (raw.seat !== undefined && raw.seat !== null && raw.seat !== '')
    errors.seat = ['Seating plans are not supported.'];
  return complete(fields, errors, 'invalid_voucher');
}

export function voucherBody(eventOf: EventOfObject, body: unknown): VoucherInput {
  return readVoucher(eventOf, body, false);
}

export function voucherPatch(eventOf: EventOfObject, body: unknown): Partial<VoucherInput> {
  return readVoucher(eventOf, body, true);
}

/** pretix's batch_create body: a list of vouchers, each read as one; the errors as one entry per voucher. */
export function voucherListBody(eventOf: EventOfObject, body: unknown): VoucherInput[] {
  if (!Array.isArray(body))
    throw new EngineError('invalid', 'Expected a list.', {
      kind: 'invalid',
      body: { non_field_errors: [DRF.list(body)] },
    });
  const errors: FieldErrors[] = [];
  const codes = new Set<string>();
  const vouchers = body.map((entry: unknown) => {
    try {
      const voucher = voucherBody(eventOf, entry);
      if (voucher.code !== undefined && codes.has(voucher.code))
        throw invalidFields('duplicate', { code: ['Duplicate voucher code in request.'] });
      if (voucher.code !== undefined) codes.add(voucher.code);
      errors.push({});
      return voucher;
    } catch (e) {
      if (!(e instanceof EngineError) || Array.isArray(e.body) || 'detail' in e.body) throw e;
      errors.push(e.body as FieldErrors);
      return undefined;
    }
  });
  if (errors.some((e) => Object.keys(e).length > 0)) throw voucherListError(errors);
  return vouchers as VoucherInput[];
}
