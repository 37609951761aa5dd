import type { EngineContext } from '../context';
import type { ReadableDB, WritableDB } from '../db/handles';
import { eventSeriesFlag } from '../db/queries/catalog/events';
import {
  deleteSubeventRow,
  findSubevent,
  setSubeventItemPrices,
  setSubeventVariationPrices,
  subeventInEvent,
  subeventOrderedOrInCart,
  type SubeventPriceOverride,
} from '../db/queries/catalog/subevents';
import { eventIdOf } from '../db/queries/catalog/tables';
import { EngineError, invalidFields, notFound, refusedList, type FieldErrors, shown } from '../errors';
import { moneyText } from '../money';
import { isPlainObject, parseBoolean, parseDecimal, parsePk, typeName } from '../orders/fields';
import { hasErrors, insertRow, parseFields, updateRow, type FieldSpecs } from './field-specs';

/**
 * Dates of an event series (pretix's SubEvent), with per-date price overrides and disabled products
 * (`subevent_item_prices`, `subevent_variation_prices`).
 */
const SUBEVENT_FIELDS: FieldSpecs = {
  name: { kind: 'i18n', required: true },
  date_from: { kind: 'datetime', required: true },
  date_to: { kind: 'datetime', nullable: true },
  active: { kind: 'bool' },
  date_admission: { kind: 'datetime', nullable: true },
  presale_start: { kind: 'datetime', nullable: true },
  presale_end: { kind: 'datetime', nullable: true },
  location: { kind: 'i18n', nullable: true, allowBlank: true },
  geo_lat: { kind: 'decimal', nullable: true, money: false },
  geo_lon: { kind: 'decimal', nullable: true, money: false },
  is_public: { kind: 'bool' },
  frontpage_text: { kind: 'i18n', nullable: true, allowBlank: true, column: 'extra.frontpage_text' },
  comment: { kind: 'text', nullable: true, allowBlank: true, column: 'extra.comment' },
  meta_data: { kind: 'json', required: true },
};

type Override = SubeventPriceOverride;

function parseOverrides(
  db: ReadableDB,
  eventId: number,
  input: unknown,
  key: 'item' | 'variation',
  field: string,
  errors: FieldErrors,
): Override[] | undefined {
  if (input === undefined) return undefined;
  if (!Array.isArray(input)) {
    errors[field] = [`Expected a list of items but got type "${typeName(input)}".`];
    return undefined;
  }
  const out: Override[] = [];
  const perElement: FieldErrors[] = [];
  let bad = false;
  for (const raw of input) {
    const e: FieldErrors = {};
    perElement.push(e);
    if (!isPlainObject(raw)) {
      e.non_field_errors = [`Invalid data. Expected a dictionary, but got ${typeName(raw)}.`];
      bad = true;
      continue;
    }
    // pretix drops entries that name no product (validate_item_price_overrides).
    if (raw[key] === undefined) continue;
    const pk = parsePk(raw[key]);
    if (pk.error !== undefined) {
      e[key] = [pk.error];
      bad = true;
      continue;
    }
    const ownerEvent = eventIdOf(db, key, pk.value);
    if (ownerEvent === undefined) {
      e[key] = [`Invalid pk "${pk.value}" - object does not exist.`];
      bad = true;
      continue;
    }
    if (ownerEvent !== eventId) {
      errors.non_field_errors = [
        key === 'item'
          ? 'One or more items do not belong to this event.'
          : 'One or more variations do not belong to this event.',
      ];
      continue;
    }
    let price: string | null = null;
    if (raw.price !== undefined && raw.price !== null) {
      const p = parseDecimal(raw.price);
      if (p.error !== undefined) {
        e.price = [p.error];
        bad = true;
        continue;
      }
      price = moneyText(p.value);
    }
    let disabled = false;
    if (raw.disabled !== undefined) {
      const d = parseBoolean(raw.disabled);
      if (d.error !== undefined) {
        e.disabled = [d.error];
        bad = true;
        continue;
      }
      disabled = d.value;
    }
    out.push({ id: pk.value, price, disabled });
  }
  if (bad) errors[field] = perElement;
  return out;
}

function checkDates(
  values: Record<string, unknown>,
  current: Record<string, unknown>,
  errors: FieldErrors,
): void {
  const get = (k: string) => (k in values ? values[k] : current[k]) as string | null | undefined;
  const from = get('date_from');
  const to = get('date_to');
  if (from && to && new Date(to) < new Date(from))
    errors.date_to = ['The end of the event has to be later than its start.'];
  const ps = get('presale_start');
  const pe = get('presale_end');
  if (ps && pe && new Date(pe) < new Date(ps))
    errors.presale_end = ['The end of the presale period has to be later than its start.'];
}

function writeOverrides(
  db: WritableDB,
  subeventId: number,
  items: Override[] | undefined,
  variations: Override[] | undefined,
): void {
  if (items) setSubeventItemPrices(db, subeventId, items);
  if (variations) setSubeventVariationPrices(db, subeventId, variations);
}

function parseSubevent(
  ctx: EngineContext,
  eventId: number,
  body: unknown,
  current: Record<string, unknown> | undefined,
) {
  const raw = isPlainObject(body) ? body : {};
  const { values, errors } = parseFields(body, SUBEVENT_FIELDS, { partial: current !== undefined });
  const items = parseOverrides(
    ctx.db,
    eventId,
    raw.item_price_overrides,
    'item',
    'item_price_overrides',
    errors,
  );
  const variations = parseOverrides(
    ctx.db,
    eventId,
    raw.variation_price_overrides,
    'variation',
    'variation_price_overrides',
    errors,
  );
  if (raw.seating_plan !== undefined && raw.seating_plan !== null)
    errors.seating_plan = [`Invalid pk "${shown(raw.seating_plan)}" - object does not exist.`];
  checkDates(values, current ?? {}, errors);
  if (typeof values.meta_data === 'string') {
    for (const [k, v] of Object.entries(JSON.parse(values.meta_data) as Record<string, unknown>))
      if (typeof v !== 'string') errors.meta_data = [`Meta data property '${k}' needs a text value.`];
  }
  if (hasErrors(errors)) throw invalidFields('invalid_subevent', errors);
  return { raw, values, items, variations };
}

export function createSubevent(ctx: EngineContext, eventId: number, body: unknown): number {
  const event = eventSeriesFlag(ctx.db, eventId);
  if (!event) throw notFound();
  if (event.has_subevents !== 1)
    throw refusedList('not_a_series', 'Subevents can only be created for event series.');
  const { raw, values, items, variations } = parseSubevent(ctx, eventId, body, undefined);
  const id = insertRow(ctx.db, 'subevents', values, SUBEVENT_FIELDS, { event_id: eventId });
  writeOverrides(ctx.db, id, items ?? [], variations ?? []);
  ctx.audit({
    eventId,
    objectType: 'subevent',
    objectId: id,
    actionType: 'pretix.subevent.added',
    data: raw,
  });
  return id;
}

export function updateSubevent(ctx: EngineContext, eventId: number, id: number, body: unknown): void {
  const current = findSubevent(ctx.db, eventId, id) as Record<string, unknown> | undefined;
  if (!current) throw notFound();
  const { raw, values, items, variations } = parseSubevent(ctx, eventId, body, current);
  updateRow(ctx.db, 'subevents', id, values, SUBEVENT_FIELDS);
  writeOverrides(ctx.db, id, items, variations);
  ctx.audit({
    eventId,
    objectType: 'subevent',
    objectId: id,
    actionType: 'pretix.subevent.changed',
    data: raw,
  });
}

export function deleteSubevent(ctx: EngineContext, eventId: number, id: number): void {
  if (!subeventInEvent(ctx.db, eventId, id)) throw notFound();
  if (subeventOrderedOrInCart(ctx.db, id))
    throw new EngineError(
      'subevent_in_use',
      "The sub-event can not be deleted as it has already been used in orders. Please set 'active' to false instead to hide it from users.",
      { kind: 'forbidden' },
    );
  deleteSubeventRow(ctx.db, id);
  ctx.audit({
    eventId,
    objectType: 'subevent',
    objectId: id,
    actionType: 'pretix.subevent.deleted',
    data: {},
  });
}
