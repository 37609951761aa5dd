import {
  EVENT_REFUSALS,
  eventHasQuotas,
  eventSlugTaken,
  isTimeZone,
  type EventInput,
  type EventRow,
} from '../../engine/catalog';
import type { EngineContext } from '../../engine/context';
import { type FieldErrors, shown } from '../../engine/errors';
import { bodyDict, catalogField as field, complete, readFields } from './catalog-fields';
import { DRF, drf } from './drf';

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

/** A text as the event serializer reads it: numbers and booleans become text, nothing is trimmed. */
function text(options: { maxLength?: number } = {}) {
  return drf.field<string>((input) => {
    if (typeof input !== 'string' && typeof input !== 'number' && typeof input !== 'boolean')
      return { error: DRF.string };
    const value = String(input);
    if (value.trim() === '') return { error: DRF.blank };
    if (options.maxLength !== undefined && value.length > options.maxLength)
      return { error: DRF.maxLength(options.maxLength) };
    return { value };
  });
}

/** The body of pretix's event endpoints (`EventSerializer`); times without an offset are in `timeZone`. */
function eventFields(timeZone: string) {
  const time = () => drf.datetime(timeZone).nullable().optional();
  return {
    name: field.i18n({ blankIsMissing: true }),
    slug: text({ maxLength: 50 }),
    live: drf.boolean().optional(),
    testmode: drf.boolean().optional(),
    currency: text({ maxLength: 10 }).optional(),
    date_from: drf.datetime(timeZone),
    date_to: time(),
    date_admission: time(),
    is_public: drf.boolean().optional(),
    presale_start: time(),
    presale_end: time(),
    location: field.i18n().nullable().optional(),
    geo_lat: drf.decimal().nullable().optional(),
    geo_lon: drf.decimal().nullable().optional(),
    has_subevents: drf.boolean().optional(),
    meta_data: field.dict().optional(),
    plugins: field.texts().optional(),
    timezone: text().optional(),
    sales_channels: field.texts().optional(),
    all_sales_channels: drf.boolean().optional(),
    limit_sales_channels: field.texts().optional(),
  };
}

type ReadEvent = Partial<Omit<EventInput, 'metaData'> & { metaData: Record<string, unknown> }>;

/** Which event slugs the organizer has used (the catalog's read model, in the command's transaction). */
export function slugsOfOrganizer(ctx: EngineContext, organizerId: number): (slug: string) => boolean {
  return (slug) => eventSlugTaken(ctx.db, organizerId, slug);
}

function checkSlug(slugTaken: (slug: string) => boolean, slug: string, errors: FieldErrors): void {
  if (slug.length < 2) errors.slug = ['Ensure this value has at least 2 characters (it has 1).'];
  else if (!/^[a-zA-Z0-9][a-zA-Z0-9.-]*$/.test(slug))
    errors.slug = ['The slug may only contain letters, numbers, dots and dashes.'];
  else if (BANNED_SLUGS.has(slug.toLowerCase())) errors.slug = ['This field has an invalid value.'];
  else if (slugTaken(slug)) errors.slug = [EVENT_REFUSALS.slugTaken];
}

function checkCommon(values: ReadEvent, errors: FieldErrors): void {
  if (values.currency !== undefined) {
    const currency = values.currency;
    let known = false;
    try {
      known = /^[A-Z]{3}$/.test(currency) && Intl.supportedValuesOf('currency').includes(currency);
    } catch {
      known = false;
    }
    if (!known) errors.currency = [`"${currency}" is not a valid choice.`];
  }
  if (values.timezone !== undefined && !isTimeZone(values.timezone))
    errors.timezone = [`"${shown(values.timezone)}" is not a valid choice.`];
  const unknownPlugin = values.plugins?.find((p) => !KNOWN_PLUGINS.includes(p));
  if (unknownPlugin !== undefined) errors.plugins = [`Unknown plugin: '${unknownPlugin}'.`];
  const notText = Object.entries(values.metaData ?? {}).find(([, v]) => typeof v !== 'string');
  if (notText) errors.meta_data = [`Meta data property '${notText[0]}' needs a text value.`];
  for (const [name, field, limit] of [
    ['geo_lat', values.geoLat, 90],
    ['geo_lon', values.geoLon, 180],
  ] as const) {
    const v = Number(field);
    if (typeof field === 'string' && Math.abs(v) > limit)
      errors[name] = [
        `Ensure this value is ${v > 0 ? 'less' : 'greater'} than or equal to ${v > 0 ? limit : -limit}.`,
      ];
  }
}

function checkDates(values: ReadEvent, current: EventRow | undefined, errors: FieldErrors): void {
  const at = (d: Date | null | undefined, stored: string | null | undefined) =>
    d !== undefined ? (d?.getTime() ?? null) : stored ? new Date(stored).getTime() : null;
  const from = at(values.dateFrom, current?.date_from);
  const to = at(values.dateTo, current?.date_to);
  if (from !== null && to !== null && to < from && !errors.date_to)
    errors.date_to = ['The end of the event has to be later than its start.'];
  const ps = at(values.presaleStart, current?.presale_start);
  const pe = at(values.presaleEnd, current?.presale_end);
  if (ps !== null && pe !== null && pe < ps && !errors.presale_end)
    errors.presale_end = ['The end of the presale period has to be later than its start.'];
}

function checkSeating(raw: Record<string, unknown>, creating: boolean, errors: FieldErrors): void {
  if (raw.seating_plan !== undefined && raw.seating_plan !== null)
    errors.seating_plan = [DRF.pkMissing(raw.seating_plan)];
  const mapping = raw.seat_category_mapping;
  if (
    typeof mapping === 'object' &&
    mapping !== null &&
    !Array.isArray(mapping) &&
    Object.keys(mapping).length > 0
  )
    errors.seat_category_mapping = [
      creating
        ? 'You cannot specify seat category mappings on event creation.'
        : 'Seating plans are not supported.',
    ];
}

/** A new event's body (POST events/, and the event a clone creates). */
export function eventBody(slugTaken: (slug: string) => boolean, body: unknown): EventInput {
  const raw = bodyDict(body, 'invalid_event');
  const errors: FieldErrors = {};
  const values: ReadEvent = readFields(eventFields('UTC'), raw, errors);
  if (values.slug !== undefined) checkSlug(slugTaken, values.slug, errors);
  if (values.live === true)
    errors.live = [
      "Events cannot be created as 'live'. Quotas and payment must be added to the event before sales can go live.",
    ];
  checkCommon(values, errors);
  checkDates(values, undefined, errors);
  checkSeating(raw, true, errors);
  return complete(values, errors, 'invalid_event') as EventInput;
}

/** The body of POST events/{event}/clone/: a new event; `plugins: null` keeps the source's. */
export function eventCloneBody(slugTaken: (slug: string) => boolean, body: unknown): EventInput {
  const raw = bodyDict(body, 'invalid_event');
  const { plugins, ...rest } = raw;
  return eventBody(slugTaken, plugins === null ? rest : raw);
}

/** A change to `current` (PATCH/PUT events/{event}/): times without an offset are in the event's zone. */
export function eventPatch(ctx: EngineContext, current: EventRow, body: unknown): Partial<EventInput> {
  const raw = bodyDict(body, 'invalid_event');
  const errors: FieldErrors = {};
  const values: ReadEvent = readFields(eventFields(current.timezone), raw, errors, true);
  if (values.slug !== undefined && values.slug !== current.slug) errors.slug = [EVENT_REFUSALS.slugFixed];
  if (
    values.hasSubevents !== undefined &&
    Number(values.hasSubevents) !== current.has_subevents &&
    !errors.has_subevents
  )
    errors.has_subevents = [EVENT_REFUSALS.seriesFixed];
  if (values.live === true && current.live === 0 && !eventHasQuotas(ctx.db, current.id))
    errors.live = [EVENT_REFUSALS.liveNeedsQuota];
  checkCommon(values, errors);
  checkDates(values, current, errors);
  checkSeating(raw, false, errors);
  return complete(values, errors, 'invalid_event') as Partial<EventInput>;
}
