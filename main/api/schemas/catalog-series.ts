import type { PriceOverride, SubeventInput } from '../../engine/catalog';
import type { FieldErrors } from '../../engine/errors';
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
    if (eventOf(key, pk.value) !== eventId) {
      errors.non_field_errors = [`One or more ${key}s do not belong to this event.`];
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
