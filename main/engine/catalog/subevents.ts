import type { EngineContext } from '../context';
import type { ReadableDB, WritableDB } from '../db/handles';
import { eventSeriesFlag } from '../db/queries/catalog/events';
import {
  deleteSubeventRow,
  findSubevent,
  setSubeventPrices,
  subeventInEvent,
  subeventOrderedOrInCart,
  type SubeventPriceOverride,
} from '../db/queries/catalog/subevents';
import type { SubeventRow } from '../db/rows';
import { forbidden, found, invalidFields, notFound, refusedList, type FieldErrors } from '../errors';
import { moneyText, type Money } from '../money';
import { eventOfObjectIn, type EventOfObject } from './event-objects';
import { eventDateProblems } from './events';
import { addResource, logChange, updateInput, type CatalogResource, type I18nText } from './stored-fields';

/**
 * Dates of an event series (pretix's SubEvent), with per-date price overrides and disabled products
 * (`subevent_item_prices`, `subevent_variation_prices`).
 */
export interface SubeventInput {
  name: I18nText;
  dateFrom: Date;
  dateTo?: Date | null;
  active?: boolean;
  dateAdmission?: Date | null;
  presaleStart?: Date | null;
  presaleEnd?: Date | null;
  location?: I18nText | null;
  geoLat?: string | null;
  geoLon?: string | null;
  isPublic?: boolean;
  frontpageText?: I18nText | null;
  comment?: string | null;
  metaData: Record<string, string>;
  /** This date's price (null: the product's) and whether the product is off sale on it. */
  itemPriceOverrides?: PriceOverride[];
  variationPriceOverrides?: PriceOverride[];
}

/** A product's or variation's price on one date. */
export interface PriceOverride {
  id: number;
  price: Money | null;
  disabled: boolean;
}

const SUBEVENT: CatalogResource<SubeventInput> = {
  table: 'subevents',
  extra: ['frontpageText', 'comment'],
  objectType: 'subevent',
  action: 'pretix.subevent',
};

type Stored = Pick<SubeventRow, 'date_from' | 'date_to' | 'presale_start' | 'presale_end'>;

/**
 * A date's price override names a product or variation of the date's event: pretix's words when it does
 * not, else undefined. The REST door asks it while reading a body.
 */
export function priceOverrideProblem(
  eventOf: EventOfObject,
  eventId: number,
  kind: 'item' | 'variation',
  id: number,
): string | undefined {
  return eventOf(kind, id) === eventId ? undefined : `One or more ${kind}s do not belong to this event.`;
}

/** pretix's checks of a date: its price overrides are the event's, it ends after it starts. */
function checkSubevent(
  db: ReadableDB,
  eventId: number,
  input: Partial<SubeventInput>,
  current: Stored | undefined,
): void {
  const errors: FieldErrors = {};
  const eventOf = eventOfObjectIn(db);
  for (const [kind, overrides] of [
    ['item', input.itemPriceOverrides],
    ['variation', input.variationPriceOverrides],
  ] as const) {
    const problem = overrides
      ?.map((o) => priceOverrideProblem(eventOf, eventId, kind, o.id))
      .find((p) => p !== undefined);
    if (problem && !errors.non_field_errors) errors.non_field_errors = [problem];
  }
  Object.assign(errors, eventDateProblems(input, current));
  if (Object.keys(errors).length > 0) throw invalidFields('invalid_subevent', errors);
}

function stored(overrides: PriceOverride[] | undefined): SubeventPriceOverride[] | undefined {
  return overrides?.map((o) => ({ ...o, price: o.price === null ? null : moneyText(o.price) }));
}

function writeOverrides(db: WritableDB, subeventId: number, input: Partial<SubeventInput>): void {
  const items = stored(input.itemPriceOverrides);
  const variations = stored(input.variationPriceOverrides);
  if (items) setSubeventPrices(db, subeventId, 'item', items);
  if (variations) setSubeventPrices(db, subeventId, 'variation', variations);
}

export function createSubevent(ctx: EngineContext, eventId: number, input: SubeventInput): number {
  const event = eventSeriesFlag(ctx.db, eventId);
  if (!event) throw notFound();
  if (event.has_subevents !== 1)
    throw refusedList('not_a_series', 'Subevents can only be created for event series.');
  checkSubevent(ctx.db, eventId, input, undefined);
  const { itemPriceOverrides = [], variationPriceOverrides = [], ...fields } = input;
  return addResource(ctx, SUBEVENT, eventId, input, {
    fields,
    writeBeside: (id) => writeOverrides(ctx.db, id, { itemPriceOverrides, variationPriceOverrides }),
  });
}

export function updateSubevent(
  ctx: EngineContext,
  eventId: number,
  id: number,
  input: Partial<SubeventInput>,
): void {
  const current = found(findSubevent(ctx.db, eventId, id));
  checkSubevent(ctx.db, eventId, input, current);
  const { itemPriceOverrides, variationPriceOverrides, ...fields } = input;
  updateInput(ctx.db, 'subevents', id, fields, SUBEVENT.extra);
  writeOverrides(ctx.db, id, { itemPriceOverrides, variationPriceOverrides });
  logChange(ctx, SUBEVENT, eventId, id, 'changed', input);
}

export function deleteSubevent(ctx: EngineContext, eventId: number, id: number): void {
  if (!subeventInEvent(ctx.db, eventId, id)) throw notFound();
  if (subeventOrderedOrInCart(ctx.db, id))
    throw forbidden(
      "The sub-event can not be deleted as it has already been used in orders. Please set 'active' to false instead to hide it from users.",
      'subevent_in_use',
    );
  deleteSubeventRow(ctx.db, id);
  logChange(ctx, SUBEVENT, eventId, id, 'deleted', {});
}
