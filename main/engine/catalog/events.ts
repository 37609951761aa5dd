import type { EngineContext } from '../context';
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
import type { ReadableDB } from '../db/handles';
import { EngineError, invalidFields, shown, type FieldErrors } from '../errors';
import { isTimeZone, NEW_EVENT_SETTINGS, storeEventSettings } from './settings';
import { insertInput, updateInput, type ExtraFields, type I18nText } from './stored-fields';

/** pretix's PRETIX_PLUGINS_DEFAULT: what a new event gets when the request names no plugins. */
const DEFAULT_PLUGINS = [
  'pretix.plugins.sendmail',
  'pretix.plugins.statistics',
  'pretix.plugins.checkinlists',
  'pretix.plugins.autocheckin',
];

/** An event as pretix's `EventSerializer` writes it (the REST door reads it from the request). */
export interface EventInput {
  name: I18nText;
  slug: string;
  live?: boolean;
  testmode?: boolean;
  currency?: string;
  dateFrom: Date;
  dateTo?: Date | null;
  dateAdmission?: Date | null;
  isPublic?: boolean;
  presaleStart?: Date | null;
  presaleEnd?: Date | null;
  location?: I18nText | null;
  geoLat?: string | null;
  geoLon?: string | null;
  hasSubevents?: boolean;
  metaData?: Record<string, string>;
  plugins?: string[];
  timezone?: string;
  salesChannels?: string[];
  allSalesChannels?: boolean;
  limitSalesChannels?: string[];
}

/** Fields kept in the event row's `extra` JSON. */
const EVENT_EXTRA: ExtraFields<EventInput> = ['salesChannels', 'allSalesChannels', 'limitSalesChannels'];

/** The room's words when an event change breaks its rules (the REST door reports them with its own). */
export const EVENT_REFUSALS = {
  slugTaken: 'This slug has already been used for a different event.',
  slugFixed: 'The event slug cannot be changed.',
  seriesFixed: 'Once created an event cannot change between an series and a single event.',
  liveNeedsQuota: 'You need to configure at least one quota to sell anything.',
  liveOnCreation:
    "Events cannot be created as 'live'. Quotas and payment must be added to the event before sales can go live.",
} as const;

/** Plugins an event may enable (pretix's visible plugins that have a meaning here). */
const KNOWN_PLUGINS: readonly string[] = [
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

function slugProblem(db: ReadableDB, organizerId: number, slug: string): string | undefined {
  if (slug.length < 2) return 'Ensure this value has at least 2 characters (it has 1).';
  if (!/^[a-zA-Z0-9][a-zA-Z0-9.-]*$/.test(slug))
    return 'The slug may only contain letters, numbers, dots and dashes.';
  if (BANNED_SLUGS.has(slug.toLowerCase())) return 'This field has an invalid value.';
  if (eventSlugTaken(db, organizerId, slug)) return EVENT_REFUSALS.slugTaken;
  return undefined;
}

function isCurrency(code: string): boolean {
  try {
    return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code);
  } catch {
    return false;
  }
}

/**
 * pretix's checks of an event's own fields, each field's problem in the order pretix reports them: the
 * slug (free and well formed for a new event, unchanged for one that exists), whether it is a series
 * (fixed once created), going live (never on creation, only with a quota), the currency, time zone and
 * plugins. `current` is the event changed, undefined for a new one. The REST door asks it while reading a
 * body, so that its answer lists these with the body's other errors.
 */
export function eventFieldProblems(
  db: ReadableDB,
  organizerId: number,
  input: Omit<Partial<EventInput>, 'metaData'>,
  current?: EventRow,
): FieldErrors {
  const errors: FieldErrors = {};
  const add = (field: string, problem: string | undefined) => {
    if (problem !== undefined) errors[field] = [problem];
  };
  if (input.slug !== undefined)
    add(
      'slug',
      current
        ? input.slug !== current.slug
          ? EVENT_REFUSALS.slugFixed
          : undefined
        : slugProblem(db, organizerId, input.slug),
    );
  if (current && input.hasSubevents !== undefined && Number(input.hasSubevents) !== current.has_subevents)
    add('has_subevents', EVENT_REFUSALS.seriesFixed);
  if (input.live === true && !current) add('live', EVENT_REFUSALS.liveOnCreation);
  if (input.live === true && current?.live === 0 && !eventHasQuotas(db, current.id))
    add('live', EVENT_REFUSALS.liveNeedsQuota);
  if (input.currency !== undefined && !isCurrency(input.currency))
    add('currency', `"${input.currency}" is not a valid choice.`);
  if (input.timezone !== undefined && !isTimeZone(input.timezone))
    add('timezone', `"${shown(input.timezone)}" is not a valid choice.`);
  const unknownPlugin = input.plugins?.find((p) => !KNOWN_PLUGINS.includes(p));
  if (unknownPlugin !== undefined) add('plugins', `Unknown plugin: '${unknownPlugin}'.`);
  return errors;
}

/**
 * An event ends after it starts and its presale ends after it starts: pretix's words per field, the
 * times not given taken from `current` (the event or date changed, undefined for a new one).
 */
export function eventDateProblems(
  input: Pick<Partial<EventInput>, 'dateFrom' | 'dateTo' | 'presaleStart' | 'presaleEnd'>,
  current?: Pick<EventRow, 'date_from' | 'date_to' | 'presale_start' | 'presale_end'>,
): FieldErrors {
  const at = (d: Date | null | undefined, stored: string | null | undefined) =>
    d !== undefined ? (d?.getTime() ?? null) : stored ? new Date(stored).getTime() : null;
  const errors: FieldErrors = {};
  const from = at(input.dateFrom, current?.date_from);
  const to = at(input.dateTo, current?.date_to);
  if (from !== null && to !== null && to < from)
    errors.date_to = ['The end of the event has to be later than its start.'];
  const ps = at(input.presaleStart, current?.presale_start);
  const pe = at(input.presaleEnd, current?.presale_end);
  if (ps !== null && pe !== null && pe < ps)
    errors.presale_end = ['The end of the presale period has to be later than its start.'];
  return errors;
}

function checkEvent(db: ReadableDB, organizerId: number, input: Partial<EventInput>, current?: EventRow) {
  const errors = {
    ...eventFieldProblems(db, organizerId, input, current),
    ...eventDateProblems(input, current),
  };
  if (Object.keys(errors).length > 0) throw invalidFields('invalid_event', errors);
}

/**
 * Creates an event (pretix's POST events/): it starts not live, with pretix's new-event settings, the
 * plugins asked for (or the default set), and the time zone asked for.
 */
export function createEvent(ctx: EngineContext, organizerId: number, input: EventInput): EventRow {
  checkEvent(ctx.db, organizerId, input);
  return insertEvent(ctx, organizerId, input);
}

function insertEvent(ctx: EngineContext, organizerId: number, input: EventInput): EventRow {
  const { timezone = 'UTC', plugins = DEFAULT_PLUGINS, ...fields } = input;
  const id = insertInput(ctx.db, 'events', fields, EVENT_EXTRA, {
    organizer_id: organizerId,
    timezone,
    plugins: JSON.stringify(plugins),
    settings: JSON.stringify({ ...NEW_EVENT_SETTINGS, timezone }),
    created: ctx.now.toISOString(),
  });
  ctx.audit({
    organizerId,
    eventId: id,
    objectType: 'event',
    objectId: id,
    actionType: 'pretix.event.added',
    data: input,
  });
  return findEvent(ctx.db, id)!;
}

/** Changes an event (PATCH). The slug cannot change; a single event cannot become a series or back. */
export function updateEvent(ctx: EngineContext, eventId: number, input: Partial<EventInput>): EventRow {
  const current = findEvent(ctx.db, eventId);
  if (!current) throw new EngineError('not_found', 'Not found.', { kind: 'not_found' });
  checkEvent(ctx.db, current.organizer_id, input, current);
  const { slug: _slug, ...fields } = input;
  if (fields.timezone !== undefined) storeEventSettings(ctx.db, eventId, { timezone: fields.timezone });
  updateInput(ctx.db, 'events', eventId, fields, EVENT_EXTRA);
  ctx.audit({
    organizerId: current.organizer_id,
    eventId,
    objectType: 'event',
    objectId: eventId,
    actionType: 'pretix.event.changed',
    data: input,
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
  input: EventInput,
): EventRow {
  const source = findEvent(ctx.db, sourceId);
  if (!source) throw new EngineError('not_found', 'Not found.', { kind: 'not_found' });
  // The source's plugins are taken as they are; only those asked for are checked.
  checkEvent(ctx.db, organizerId, input);
  const created = insertEvent(ctx, organizerId, {
    ...input,
    plugins: input.plugins ?? (JSON.parse(source.plugins) as string[]),
  });
  const db = ctx.db;
  const keep = (k: 'is_public' | 'testmode' | 'has_subevents', given: boolean | undefined) =>
    given !== undefined ? created[k] : source[k];
  setClonedEventColumns(db, created.id, {
    is_public: keep('is_public', input.isPublic),
    testmode: keep('testmode', input.testmode),
    has_subevents: keep('has_subevents', input.hasSubevents),
    meta_data: input.metaData !== undefined ? created.meta_data : source.meta_data,
    extra: source.extra,
  });
  const settings = JSON.parse(source.settings) as Record<string, unknown>;
  if (input.timezone !== undefined) settings.timezone = input.timezone;
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
