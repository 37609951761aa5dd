import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  cloneEvent,
  createEvent,
  deleteEvent,
  eventSettings,
  eventsOfOrganizer,
  findEvent,
  findEventBySlug,
  patchEventSettings,
  updateEvent,
  type EventRow,
} from '../../engine/catalog';
import { eventBody, eventCloneBody, eventPatch, slugsOfOrganizer } from '../schemas/catalog-events';
import { settingsPatch, settingsResource } from '../schemas/catalog-settings';
import { requireOrganizer, visibleEventIds, type ApiDeps } from '../context';
import { requestBaseUrl } from '../resources/order';
import {
  bool,
  boolParam,
  command,
  created,
  dt,
  eventOf,
  i18n,
  json,
  noContent,
  paginateList,
  queryParam,
} from './catalog-common';

/** pretix's event resource (`EventSerializer`). */
export function eventResource(
  event: EventRow,
  organizerSlug: string,
  baseUrl: string,
): Record<string, unknown> {
  const extra = json<Record<string, unknown>>(event.extra, {});
  const limit = Array.isArray(extra.limit_sales_channels) ? extra.limit_sales_channels : [];
  const all = extra.all_sales_channels !== false;
  return {
    name: i18n(event.name),
    slug: event.slug,
    live: bool(event.live),
    testmode: bool(event.testmode),
    currency: event.currency,
    date_from: dt(event.date_from),
    date_to: dt(event.date_to),
    date_admission: dt(event.date_admission),
    is_public: bool(event.is_public),
    presale_start: dt(event.presale_start),
    presale_end: dt(event.presale_end),
    location: event.location === null ? null : i18n(event.location),
    geo_lat: event.geo_lat === null ? null : Number(event.geo_lat),
    geo_lon: event.geo_lon === null ? null : Number(event.geo_lon),
    has_subevents: bool(event.has_subevents),
    meta_data: json(event.meta_data, {}),
    seating_plan: null,
    plugins: [...json<string[]>(event.plugins, [])].sort(),
    seat_category_mapping: {},
    timezone: event.timezone,
    item_meta_properties: {},
    valid_keys: { pretix_sig1: [] },
    sales_channels: Array.isArray(extra.sales_channels) ? extra.sales_channels : ['web'],
    all_sales_channels: all,
    limit_sales_channels: all ? [] : limit,
    public_url: `${baseUrl}/${organizerSlug}/${event.slug}/`,
  };
}

function eventFilter(req: FastifyRequest, events: EventRow[]): EventRow[] {
  let out = events;
  for (const flag of ['live', 'is_public', 'has_subevents', 'testmode'] as const) {
    const v = boolParam(req, flag);
    if (v !== undefined) out = out.filter((e) => bool(e[flag]) === v);
  }
  const ends = queryParam(req, 'ends_after');
  if (ends) {
    const at = new Date(ends);
    if (!Number.isNaN(at.getTime()))
      out = out.filter((e) => new Date(e.date_to ?? e.date_from ?? 0).getTime() >= at.getTime());
  }
  const ordering = queryParam(req, 'ordering');
  if (ordering) {
    const desc = ordering.startsWith('-');
    const key = ordering.replace(/^-/, '') as 'date_from' | 'slug' | 'date_to';
    if (['date_from', 'slug', 'date_to'].includes(key)) {
      out = [...out].sort(
        (a, b) => String(a[key] ?? '').localeCompare(String(b[key] ?? '')) * (desc ? -1 : 1),
      );
    }
  }
  return out;
}

export function catalogEventRoutes(app: FastifyInstance, { engine }: ApiDeps): void {
  const base = '/api/v1/organizers/:organizer/events';

  app.get(`${base}/`, { config: { checkin: true } }, async (req) => {
    const organizer = requireOrganizer(engine, req);
    const baseUrl = requestBaseUrl(req);
    const visible = visibleEventIds(engine, req.principal);
    const events = eventFilter(
      req,
      eventsOfOrganizer(engine.db, organizer.id).filter((e) => !visible || visible.includes(e.id)),
    );
    return paginateList(
      req,
      events.map((e) => eventResource(e, organizer.slug, baseUrl)),
    );
  });

  app.post(`${base}/`, async (req, reply) => {
    const organizer = requireOrganizer(engine, req);
    const event = command(engine, req, (ctx) =>
      createEvent(ctx, organizer.id, eventBody(slugsOfOrganizer(ctx, organizer.id), req.body)),
    );
    return created(reply, eventResource(event, organizer.slug, requestBaseUrl(req)));
  });

  app.get(`${base}/:event/`, { config: { checkin: true } }, async (req) => {
    const organizer = requireOrganizer(engine, req);
    const row = eventOf(engine, req);
    return eventResource(findEvent(engine.db, row.id)!, organizer.slug, requestBaseUrl(req));
  });

  app.patch(`${base}/:event/`, async (req) => {
    const organizer = requireOrganizer(engine, req);
    const row = eventOf(engine, req);
    const event = command(engine, req, (ctx) => updateEvent(ctx, row.id, eventPatch(ctx, row, req.body)));
    return eventResource(event, organizer.slug, requestBaseUrl(req));
  });

  app.put(`${base}/:event/`, async (req) => {
    const organizer = requireOrganizer(engine, req);
    const row = eventOf(engine, req);
    const event = command(engine, req, (ctx) => updateEvent(ctx, row.id, eventPatch(ctx, row, req.body)));
    return eventResource(
      findEventBySlug(engine.db, organizer.id, event.slug)!,
      organizer.slug,
      requestBaseUrl(req),
    );
  });

  app.delete(`${base}/:event/`, async (req, reply) => {
    const row = eventOf(engine, req);
    command(engine, req, (ctx) => deleteEvent(ctx, row.id));
    return noContent(reply);
  });

  app.post(`${base}/:event/clone/`, async (req, reply) => {
    const organizer = requireOrganizer(engine, req);
    const row = eventOf(engine, req);
    const event = command(engine, req, (ctx) =>
      cloneEvent(ctx, organizer.id, row.id, eventCloneBody(slugsOfOrganizer(ctx, organizer.id), req.body)),
    );
    return created(reply, eventResource(event, organizer.slug, requestBaseUrl(req)));
  });

  app.get(`${base}/:event/settings/`, { config: { checkin: true } }, async (req) => {
    const row = eventOf(engine, req);
    return settingsResource(eventSettings(engine.db, row.id));
  });

  app.patch(`${base}/:event/settings/`, async (req) => {
    const row = eventOf(engine, req);
    command(engine, req, (ctx) => patchEventSettings(ctx, row.id, settingsPatch(ctx, row.id, req.body)));
    return settingsResource(eventSettings(engine.db, row.id));
  });
}
