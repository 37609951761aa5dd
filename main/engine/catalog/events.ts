import type { Database } from 'better-sqlite3';
import type { EngineContext } from '../context';
import { EngineError, invalidFields, type FieldErrors, shown } from '../errors';
import { isPlainObject } from '../orders/fields';
import { hasErrors, insertRow, parseFields, updateRow, type FieldSpecs } from './fields';
import { NEW_EVENT_SETTINGS, eventSettings, isTimeZone, storeEventSettings } from './settings';

/** An event row as stored. */
export interface EventRecord {
  id: number;
  organizer_id: number;
  slug: string;
  name: string;
  currency: string;
  date_from: string | null;
  date_to: string | null;
  date_admission: string | null;
  presale_start: string | null;
  presale_end: string | null;
  location: string | null;
  geo_lat: string | null;
  geo_lon: string | null;
  timezone: string;
  has_subevents: number;
  live: number;
  testmode: number;
  is_public: number;
  meta_data: string;
  plugins: string;
  settings: string;
  extra: string;
  created: string;
}

/** Plugins an event may enable (pretix's visible plugins that have a meaning here). */
export const KNOWN_PLUGINS = [
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
export const DEFAULT_PLUGINS = [
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

export const SLUG_MESSAGE = 'The slug may only contain letters, numbers, dots and dashes.';

export function eventById(db: Database, eventId: number): EventRecord | undefined {
  return db.prepare('SELECT * FROM events WHERE id = ?').get(eventId) as EventRecord | undefined;
}

export function eventBySlug(db: Database, organizerId: number, slug: string): EventRecord | undefined {
  return db.prepare('SELECT * FROM events WHERE organizer_id = ? AND slug = ?').get(organizerId, slug) as
    EventRecord | undefined;
}

export function listEvents(db: Database, organizerId: number): EventRecord[] {
  return db
    .prepare('SELECT * FROM events WHERE organizer_id = ? ORDER BY slug')
    .all(organizerId) as EventRecord[];
}

function checkSlug(db: Database, organizerId: number, slug: string, errors: FieldErrors): void {
  if (slug.length < 2) errors.slug = ['Ensure this value has at least 2 characters (it has 1).'];
  else if (!/^[a-zA-Z0-9][a-zA-Z0-9.-]*$/.test(slug)) errors.slug = [SLUG_MESSAGE];
  else if (BANNED_SLUGS.has(slug.toLowerCase())) errors.slug = ['This field has an invalid value.'];
  else if (
    db
      .prepare('SELECT 1 FROM events WHERE organizer_id = ? AND lower(slug) = lower(?)')
      .get(organizerId, slug)
  )
    errors.slug = ['This slug has already been used for a different event.'];
}

function checkDates(
  values: Record<string, unknown>,
  current: Partial<EventRecord>,
  errors: FieldErrors,
): void {
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
export function createEvent(ctx: EngineContext, organizerId: number, body: unknown): EventRecord {
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
  return eventById(ctx.db, id)!;
}

function eventHasOrders(db: Database, eventId: number): boolean {
  return db.prepare('SELECT 1 FROM orders WHERE event_id = ? LIMIT 1').get(eventId) !== undefined;
}

/** Changes an event (PATCH). The slug cannot change; a single event cannot become a series or back. */
export function updateEvent(ctx: EngineContext, eventId: number, body: unknown): EventRecord {
  const current = eventById(ctx.db, eventId);
  if (!current) throw new EngineError('not_found', 'Not found.', { status: 404 });
  const { values, errors } = parseFields(body, EVENT_FIELDS, { partial: true, timeZone: current.timezone });
  const raw = isPlainObject(body) ? body : {};
  if (typeof values.slug === 'string' && values.slug !== current.slug)
    errors.slug = ['The event slug cannot be changed.'];
  delete values.slug;
  if ('has_subevents' in values && values.has_subevents !== current.has_subevents && !errors.has_subevents)
    errors.has_subevents = ['Once created an event cannot change between an series and a single event.'];
  if (values.live === 1 && current.live === 0) {
    const quotas = ctx.db.prepare('SELECT 1 FROM quotas WHERE event_id = ? LIMIT 1').get(eventId);
    if (!quotas) errors.live = ['You need to configure at least one quota to sell anything.'];
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
  return eventById(ctx.db, eventId)!;
}

export const EVENT_DELETE_REFUSED =
  "The event can not be deleted as it already contains orders. Please set 'live' to false to hide the event and take the shop offline instead.";

/** Deletes an event with everything in it, unless it has orders (403, pretix's words). */
export function deleteEvent(ctx: EngineContext, eventId: number): void {
  const current = eventById(ctx.db, eventId);
  if (!current) throw new EngineError('not_found', 'Not found.', { status: 404 });
  if (eventHasOrders(ctx.db, eventId))
    throw new EngineError('event_has_orders', EVENT_DELETE_REFUSED, { status: 403 });
  // Rows that point at catalog rows without cascading go first.
  ctx.db.prepare('DELETE FROM cart_positions WHERE event_id = ?').run(eventId);
  ctx.db.prepare('DELETE FROM events WHERE id = ?').run(eventId);
  ctx.audit({
    organizerId: current.organizer_id,
    eventId,
    objectType: 'event',
    objectId: eventId,
    actionType: 'pretix.event.deleted',
    data: { slug: current.slug },
  });
}

export { eventSettings };

function copyRows(
  db: Database,
  table: string,
  where: string,
  args: unknown[],
  overrides: (row: Record<string, unknown>) => Record<string, unknown>,
): Map<number, number> {
  const map = new Map<number, number>();
  const rows = db.prepare(`SELECT * FROM ${table} WHERE ${where} ORDER BY id`).all(...args) as Record<
    string,
    unknown
  >[];
  for (const row of rows) {
    const { id, ...rest } = row;
    const values = { ...rest, ...overrides(row) };
    const names = Object.keys(values);
    const newId = Number(
      db
        .prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`)
        .run(...names.map((n) => values[n])).lastInsertRowid,
    );
    map.set(id as number, newId);
  }
  return map;
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
): EventRecord {
  const source = eventById(ctx.db, sourceId);
  if (!source) throw new EngineError('not_found', 'Not found.', { status: 404 });
  const raw = isPlainObject(body) ? body : {};
  const created = createEvent(ctx, organizerId, {
    ...raw,
    plugins: raw.plugins ?? (JSON.parse(source.plugins) as string[]),
  });
  const db = ctx.db;
  const keep = (k: 'is_public' | 'testmode' | 'has_subevents') => (k in raw ? created[k] : source[k]);
  db.prepare(
    'UPDATE events SET is_public = ?, testmode = ?, has_subevents = ?, meta_data = ?, extra = ? WHERE id = ?',
  ).run(
    keep('is_public'),
    keep('testmode'),
    keep('has_subevents'),
    'meta_data' in raw ? created.meta_data : source.meta_data,
    source.extra,
    created.id,
  );
  const settings = JSON.parse(source.settings) as Record<string, unknown>;
  if (typeof raw.timezone === 'string') settings.timezone = raw.timezone;
  db.prepare('UPDATE events SET settings = ?, timezone = ? WHERE id = ?').run(
    JSON.stringify(settings),
    typeof settings.timezone === 'string' ? settings.timezone : created.timezone,
    created.id,
  );
  const eventId = created.id;
  const taxRules = copyRows(db, 'tax_rules', 'event_id = ?', [sourceId], () => ({ event_id: eventId }));
  const categories = copyRows(db, 'categories', 'event_id = ?', [sourceId], () => ({ event_id: eventId }));
  const items = copyRows(db, 'items', 'event_id = ?', [sourceId], (r) => ({
    event_id: eventId,
    category_id: r.category_id === null ? null : (categories.get(r.category_id as number) ?? null),
    tax_rule_id: r.tax_rule_id === null ? null : (taxRules.get(r.tax_rule_id as number) ?? null),
  }));
  const variations = new Map<number, number>();
  for (const [oldItem, newItem] of items) {
    for (const [o, n] of copyRows(db, 'item_variations', 'item_id = ?', [oldItem], () => ({
      item_id: newItem,
    })))
      variations.set(o, n);
  }
  for (const [oldItem, newItem] of items) {
    copyRows(db, 'item_addons', 'base_item_id = ?', [oldItem], (r) => ({
      base_item_id: newItem,
      addon_category_id: categories.get(r.addon_category_id as number),
    }));
    copyRows(db, 'item_bundles', 'base_item_id = ?', [oldItem], (r) => ({
      base_item_id: newItem,
      bundled_item_id: items.get(r.bundled_item_id as number),
      bundled_variation_id:
        r.bundled_variation_id === null ? null : (variations.get(r.bundled_variation_id as number) ?? null),
    }));
  }
  const quotas = copyRows(db, 'quotas', 'event_id = ? AND subevent_id IS NULL', [sourceId], () => ({
    event_id: eventId,
    paid_count: 0,
    pending_count: 0,
    closed: 0,
  }));
  for (const [oldQuota, newQuota] of quotas) {
    for (const r of db.prepare('SELECT item_id FROM quota_items WHERE quota_id = ?').all(oldQuota) as {
      item_id: number;
    }[])
      db.prepare('INSERT INTO quota_items (quota_id, item_id) VALUES (?, ?)').run(
        newQuota,
        items.get(r.item_id),
      );
    for (const r of db
      .prepare('SELECT variation_id FROM quota_variations WHERE quota_id = ?')
      .all(oldQuota) as {
      variation_id: number;
    }[])
      db.prepare('INSERT INTO quota_variations (quota_id, variation_id) VALUES (?, ?)').run(
        newQuota,
        variations.get(r.variation_id),
      );
  }
  const questions = copyRows(db, 'questions', 'event_id = ?', [sourceId], () => ({
    event_id: eventId,
    dependency_question_id: null,
  }));
  for (const [oldQ, newQ] of questions) {
    const dep = db.prepare('SELECT dependency_question_id AS d FROM questions WHERE id = ?').get(oldQ) as {
      d: number | null;
    };
    if (dep.d !== null)
      db.prepare('UPDATE questions SET dependency_question_id = ? WHERE id = ?').run(
        questions.get(dep.d) ?? null,
        newQ,
      );
    for (const r of db.prepare('SELECT item_id FROM question_items WHERE question_id = ?').all(oldQ) as {
      item_id: number;
    }[])
      db.prepare('INSERT INTO question_items (question_id, item_id) VALUES (?, ?)').run(
        newQ,
        items.get(r.item_id),
      );
    copyRows(db, 'question_options', 'question_id = ?', [oldQ], () => ({ question_id: newQ }));
  }
  const lists = copyRows(db, 'checkin_lists', 'event_id = ? AND subevent_id IS NULL', [sourceId], () => ({
    event_id: eventId,
  }));
  for (const [oldList, newList] of lists) {
    for (const r of db.prepare('SELECT item_id FROM checkin_list_items WHERE list_id = ?').all(oldList) as {
      item_id: number;
    }[])
      db.prepare('INSERT INTO checkin_list_items (list_id, item_id) VALUES (?, ?)').run(
        newList,
        items.get(r.item_id),
      );
  }
  ctx.audit({
    organizerId,
    eventId,
    objectType: 'event',
    objectId: eventId,
    actionType: 'pretix.object.cloned',
    data: { source: source.slug },
  });
  return eventById(db, eventId)!;
}
