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
import { EngineError, invalidFields } from '../errors';
import { NEW_EVENT_SETTINGS, storeEventSettings } from './settings';
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
} as const;

function refuse(field: string, message: string): never {
  throw invalidFields('invalid_event', { [field]: [message] });
}

/**
 * Creates an event (pretix's POST events/): it starts not live, with pretix's new-event settings, the
 * plugins asked for (or the default set), and the time zone asked for.
 */
export function createEvent(ctx: EngineContext, organizerId: number, input: EventInput): EventRow {
  if (eventSlugTaken(ctx.db, organizerId, input.slug)) refuse('slug', EVENT_REFUSALS.slugTaken);
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
  const { slug, ...fields } = input;
  if (slug !== undefined && slug !== current.slug) refuse('slug', EVENT_REFUSALS.slugFixed);
  if (fields.hasSubevents !== undefined && Number(fields.hasSubevents) !== current.has_subevents)
    refuse('has_subevents', EVENT_REFUSALS.seriesFixed);
  if (fields.live === true && current.live === 0 && !eventHasQuotas(ctx.db, eventId))
    refuse('live', EVENT_REFUSALS.liveNeedsQuota);
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
  const created = createEvent(ctx, organizerId, {
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
