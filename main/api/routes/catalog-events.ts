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
import { eventBody, eventCloneBody, eventPatch } from '../schemas/catalog-events';
import { settingsPatch, settingsResource } from '../schemas/catalog-settings';
import { requireOrganizer, visibleEventIds, type ApiDeps } from '../context';
import { requestBaseUrl } from '../resources/order';
import { eventResource } from '../resources/catalog';
import { command, created, eventOf, flagFilter, noContent, paginateList, queryParam } from './catalog-common';

function eventFilter(req: FastifyRequest, events: EventRow[]): EventRow[] {
  let out = flagFilter(req, events, ['live', 'is_public', 'has_subevents', 'testmode']);
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
      createEvent(ctx, organizer.id, eventBody(ctx, organizer.id, req.body)),
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
      cloneEvent(ctx, organizer.id, row.id, eventCloneBody(ctx, organizer.id, req.body)),
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
