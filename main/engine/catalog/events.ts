import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import {
  deleteEventRows,
  eventHasOrders,
  eventHasQuotas,
  eventSlugTaken,
  findEvent,
  setClonedEventColumns,
  setEventSettingsAndTimezone,
} from '../db/queries/catalog/events';
import { copyEventCatalog } from '../db/queries/catalog/clone';
import type { EventRow } from '../db/rows';
import { EngineError, invalidFields, type FieldErrors, shown } from '../errors';
import { isPlainObject } from '../orders/fields';
import { hasErrors, insertRow, parseFields, updateRow, type FieldSpecs } from './field-specs';
import { NEW_EVENT_SETTINGS, isTimeZone, storeEventSettings } from './settings';

/** Plugins an event may enable (pretix's visible plugins that have a meaning here). */
const KNOWN_PLUGINS = [
  'pretix.plugins.autocheckin',
  'pretix.plugins.badges',
  'pretix.plugins.banktransfer',
  'pretix.plugins.checkinlists',
  'pretix.plugins.manualpayment',
  'pretix.plugins.paypal',
  'pretix.plugins.paypal2',
  'pretix.plugins.pretixdroid',
  'pretix.plugins.reports',
  'pretix.plugins.returnurl',
  'pretix.plugins.sendmail',
  'pretix.plugins.statistics',
  'pretix.plugins.stripe',
  'pretix.plugins.ticketoutputpdf',
  'pretix.plugins.webcheckin',
] as const;

/** pretix's PRETIX_PLUGINS_DEFAULT: what a new event gets when the request names no plugins. */
const DEFAULT_PLUGINS = [
  'pretix.plugins.sendmail',
  'pretix.plugins.statistics',
  'pretix.plugins.checkinlists',
  'pretix.plugins.autocheckin',
];

/** Slugs pretix keeps for its own URLs (EventSlugBanlistValidator). */
const BANNED_SLUGS = new Set([
  'download',
  'healthcheck',
  'locale',
  'control',
  'redirect',
  'jsi18n',
  'metrics',
  '_global',
  '__debug__',
  'api',
  'events',
  'csp_report',
  'widget',
  'lead',
  'organizer',
  'organizers',
]);

const EVENT_FIELDS: FieldSpecs = {
  name: { kind: 'i18n', required: true },
  slug: { kind: 'text', required: true, maxLength: 50 },
  live: { kind: 'bool' },
  testmode: { kind: 'bool' },
  currency: { kind: 'text', maxLength: 10 },
  date_from: { kind: 'datetime', required: true },
  date_to: { kind: 'datetime', nullable: true },
  date_admission: { kind: 'datetime', nullable: true },
  is_public: { kind: 'bool' },
  presale_start: { kind: 'datetime', nullable: true },
  presale_end: { kind: 'datetime', nullable: true },
  location: { kind: 'i18n', nullable: true, allowBlank: true },
  geo_lat: { kind: 'decimal', nullable: true, money: false },
  geo_lon: { kind: 'decimal', nullable: true, money: false },
  has_subevents: { kind: 'bool' },
  meta_data: { kind: 'json' },
  plugins: { kind: 'stringlist' },
  timezone: { kind: 'text' },
  sales_channels: { kind: 'stringlist', column: 'extra.sales_channels' },
  all_sales_channels: { kind: 'bool', column: 'extra.all_sales_channels' },
  limit_sales_channels: { kind: 'stringlist', column: 'extra.limit_sales_channels' },
};

const SLUG_MESSAGE = 'The slug may only contain letters, numbers, dots and dashes.';

function checkSlug(db: ReadableDB, organizerId: number, slug: string, errors: FieldErrors): void {
  if (slug.length < 2) errors.slug = ['Ensure this value has at least 2 characters (it has 1).'];
  else if (!/^[a-zA-Z0-9][a-zA-Z0-9.-]*$/.test(slug)) errors.slug = [SLUG_MESSAGE];
  else if (BANNED_SLUGS.has(slug.toLowerCase())) errors.slug = ['This field has an invalid value.'];
  else if (eventSlugTaken(db, organizerId, slug))
    errors.slug = ['This slug has already been used for a different event.'];
}

function checkDates(values: Record<string, unknown>, current: Partial<EventRow>, errors: FieldErrors): void {
  const get = (k: 'date_from' | 'date_to' | 'presale_start' | 'presale_end') =>
    (k in values ? values[k] : current[k]) as string | null | undefined;
  const from = get('date_from');
  const to = get('date_to');
  if (from && to && new Date(to) < new Date(from) && !errors.date_to)
    errors.date_to = ['The end of the event has to be later than its start.'];
  const ps = get('presale_start');
  const pe = get('presale_end');
  if (ps && pe && new Date(pe) < new Date(ps) && !errors.presale_end)
    errors.presale_end = ['The end of the presale period has to be later than its start.'];
}

function checkCommon(values: Record<string, unknown>, errors: FieldErrors): void {
  if (typeof values.currency === 'string') {
    const currency = values.currency;
    let known = false;
    try {
      known = /^[A-Z]{3}$/.test(currency) && Intl.supportedValuesOf('currency').includes(currency);
    } catch {
      known = false;
    }
    if (!known) errors.currency = [`"${currency}" is not a valid choice.`];
  }
  if ('timezone' in values && !isTimeZone(values.timezone))
    errors.timezone = [`"${shown(values.timezone)}" is not a valid choice.`];
  if (typeof values.plugins === 'string') {
    for (const p of JSON.parse(values.plugins) as string[]) {
      if (!(KNOWN_PLUGINS as readonly string[]).includes(p)) {
        errors.plugins = [`Unknown plugin: '${p}'.`];
        break;
      }
    }
  }
  if (typeof values.meta_data === 'string') {
    const meta = JSON.parse(values.meta_data) as Record<string, unknown>;
    for (const [k, v] of Object.entries(meta)) {
      if (typeof v !== 'string') {
        errors.meta_data = [`Meta data property '${k}' needs a text value.`];
        break;
      }
    }
  }
  for (const [field, limit] of [
    ['geo_lat', 90],
    ['geo_lon', 180],
  ] as const) {
    const v = values[field];
    if (typeof v === 'string' && Math.abs(Number(v)) > limit)
      errors[field] = [
        `Ensure this value is ${Number(v) > 0 ? 'less' : 'greater'} than or equal to ${Number(v) > 0 ? limit : -limit}.`,
      ];
  }
}

function checkSeating(body: Record<string, unknown>, creating: boolean, errors: FieldErrors): void {
  if (body.seating_plan !== undefined && body.seating_plan !== null)
    errors.seating_plan = [`Invalid pk "${shown(body.seating_plan)}" - object does not exist.`];
  const mapping = body.seat_category_mapping;
  if (mapping !== undefined && mapping !== null && isPlainObject(mapping) && Object.keys(mapping).length > 0)
    errors.seat_category_mapping = [
      creating
        ? 'You cannot specify seat category mappings on event creation.'
        : 'Seating plans are not supported.',
    ];
}

/**
 * Creates an event (pretix's POST events/): it starts not live, with pretix's new-event settings, the
 * plugins asked for (or the default set), and the time zone asked for.
 */
export function createEvent(ctx: EngineContext, organizerId: number, body: unknown): EventRow {
  const { values, errors } = parseFields(body, EVENT_FIELDS, {});
  const raw = isPlainObject(body) ? body : {};
  if (typeof values.slug === 'string') checkSlug(ctx.db, organizerId, values.slug, errors);
  if (values.live === 1 && !errors.live)
    errors.live = [
      "Events cannot be created as 'live'. Quotas and payment must be added to the event before sales can go live.",
    ];
  checkCommon(values, errors);
  checkDates(values, {}, errors);
  checkSeating(raw, true, errors);
  if (hasErrors(errors)) throw invalidFields('invalid_event', errors);

  const timezone = typeof values.timezone === 'string' ? values.timezone : 'UTC';
  delete values.timezone;
  const plugins = typeof values.plugins === 'string' ? values.plugins : JSON.stringify(DEFAULT_PLUGINS);
  delete values.plugins;
  const id = insertRow(ctx.db, 'events', values, EVENT_FIELDS, {
    organizer_id: organizerId,
    timezone,
    plugins,
    settings: JSON.stringify({ ...NEW_EVENT_SETTINGS, timezone }),
    created: ctx.now.toISOString(),
  });
  ctx.audit({
    organizerId,
    eventId: id,
    objectType: 'event',
    objectId: id,
    actionType: 'pretix.event.added',
    data: raw,
  });
  return findEvent(ctx.db, id)!;
}

/** Changes an event (PATCH). The slug cannot change; a single event cannot become a series or back. */
export function updateEvent(ctx: EngineContext, eventId: number, body: unknown): EventRow {
  const current = findEvent(ctx.db, eventId);
  if (!current) throw new EngineError('not_found', 'Not found.', { kind: 'not_found' });
  const { values, errors } = parseFields(body, EVENT_FIELDS, { partial: true, timeZone: current.timezone });
  const raw = isPlainObject(body) ? body : {};
  if (typeof values.slug === 'string' && values.slug !== current.slug)
    errors.slug = ['The event slug cannot be changed.'];
  delete values.slug;
  if ('has_subevents' in values && values.has_subevents !== current.has_subevents && !errors.has_subevents)
    errors.has_subevents = ['Once created an event cannot change between an series and a single event.'];
  if (values.live === 1 && current.live === 0) {
    if (!eventHasQuotas(ctx.db, eventId))
      errors.live = ['You need to configure at least one quota to sell anything.'];
  }
  checkCommon(values, errors);
  checkDates(values, current, errors);
  checkSeating(raw, false, errors);
  if (hasErrors(errors)) throw invalidFields('invalid_event', errors);

  if (typeof values.timezone === 'string') {
    storeEventSettings(ctx.db, eventId, { timezone: values.timezone });
  }
  updateRow(ctx.db, 'events', eventId, values, EVENT_FIELDS);
  ctx.audit({
    organizerId: current.organizer_id,
    eventId,
    objectType: 'event',
    objectId: eventId,
    actionType: 'pretix.event.changed',
    data: raw,
  });
  return findEvent(ctx.db, eventId)!;
}

const EVENT_DELETE_REFUSED =
  "The event can not be deleted as it already contains orders. Please set 'live' to false to hide the event and take the shop offline instead.";

/** Deletes an event with everything in it, unless it has orders (403, pretix's words). */
export function deleteEvent(ctx: EngineContext, eventId: number): void {
  const current = findEvent(ctx.db, eventId);
  if (!current) throw new EngineError('not_found', 'Not found.', { kind: 'not_found' });
  if (eventHasOrders(ctx.db, eventId))
    throw new EngineError('event_has_orders', EVENT_DELETE_REFUSED, { kind: 'forbidden' });
  deleteEventRows(ctx.db, eventId);
  ctx.audit({
    organizerId: current.organizer_id,
    eventId,
    objectType: 'event',
    objectId: eventId,
    actionType: 'pretix.event.deleted',
    data: { slug: current.slug },
  });
}

/**
 * pretix's POST events/{event}/clone/: a new event from the request, with the source's settings, plugins,
 * tax rules, categories, items (variations, add-ons, bundles), quotas without a date, questions with their
 * options, and check-in lists without a date. Orders, vouchers and dates are not copied.
 */
export function cloneEvent(
  ctx: EngineContext,
  organizerId: number,
  sourceId: number,
  body: unknown,
): EventRow {
  const source = findEvent(ctx.db, sourceId);
  if (!source) throw new EngineError('not_found', 'Not found.', { kind: 'not_found' });
  const raw = isPlainObject(body) ? body : {};
  const created = createEvent(ctx, organizerId, {
    ...raw,
    plugins: raw.plugins ?? (JSON.parse(source.plugins) as string[]),
  });
  const db = ctx.db;
  const keep = (k: 'is_public' | 'testmode' | 'has_subevents') => (k in raw ? created[k] : source[k]);
  setClonedEventColumns(db, created.id, {
    is_public: keep('is_public'),
    testmode: keep('testmode'),
    has_subevents: keep('has_subevents'),
    meta_data: 'meta_data' in raw ? created.meta_data : source.meta_data,
    extra: source.extra,
  });
  const settings = JSON.parse(source.settings) as Record<string, unknown>;
  if (typeof raw.timezone === 'string') settings.timezone = raw.timezone;
  setEventSettingsAndTimezone(
    db,
    created.id,
    JSON.stringify(settings),
    typeof settings.timezone === 'string' ? settings.timezone : created.timezone,
  );
  const eventId = created.id;
  copyEventCatalog(db, sourceId, eventId);
  ctx.audit({
    organizerId,
    eventId,
    objectType: 'event',
    objectId: eventId,
    actionType: 'pretix.object.cloned',
    data: { source: source.slug },
  });
  return findEvent(db, eventId)!;
}
