import { eventDateProblems, eventFieldProblems, type EventInput, type EventRow } from '../../engine/catalog';
import type { EngineContext } from '../../engine/context';
import type { FieldErrors } from '../../engine/errors';
import { bodyDict, catalogField as field, complete, readFields } from './catalog-fields';
import { DRF, drf } from './drf';

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

/** What the catalog adds to a body's errors: its problems with fields whose own reading passed. */
function addProblems(errors: FieldErrors, problems: FieldErrors): void {
  for (const [field, messages] of Object.entries(problems)) if (!errors[field]) errors[field] = messages;
}

/** The wire's own limits beyond each field's reading: meta data as texts, coordinates on the globe. */
function checkWire(values: ReadEvent, errors: FieldErrors): void {
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

/**
 * A new event's body (POST events/, and the event a clone creates) for the organizer; the catalog's
 * problems with it are reported with the body's own.
 */
export function eventBody(ctx: EngineContext, organizerId: number, body: unknown): EventInput {
  const raw = bodyDict(body, 'invalid_event');
  const errors: FieldErrors = {};
  const values: ReadEvent = readFields(eventFields('UTC'), raw, errors);
  addProblems(errors, eventFieldProblems(ctx.db, organizerId, values));
  checkWire(values, errors);
  addProblems(errors, eventDateProblems(values));
  checkSeating(raw, true, errors);
  return complete(values, errors, 'invalid_event') as EventInput;
}

/** The body of POST events/{event}/clone/: a new event; `plugins: null` keeps the source's. */
export function eventCloneBody(ctx: EngineContext, organizerId: number, body: unknown): EventInput {
  const raw = bodyDict(body, 'invalid_event');
  const { plugins, ...rest } = raw;
  return eventBody(ctx, organizerId, plugins === null ? rest : raw);
}

/** A change to `current` (PATCH/PUT events/{event}/): times without an offset are in the event's zone. */
export function eventPatch(ctx: EngineContext, current: EventRow, body: unknown): Partial<EventInput> {
  const raw = bodyDict(body, 'invalid_event');
  const errors: FieldErrors = {};
  const values: ReadEvent = readFields(eventFields(current.timezone), raw, errors, true);
  addProblems(errors, eventFieldProblems(ctx.db, current.organizer_id, values, current));
  checkWire(values, errors);
  addProblems(errors, eventDateProblems(values, current));
  checkSeating(raw, false, errors);
  return complete(values, errors, 'invalid_event') as Partial<EventInput>;
}
