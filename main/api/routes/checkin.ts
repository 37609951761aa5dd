import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Engine } from '../../engine/engine';
import { parseIsoDateTime } from '../../engine/clock';
import { EngineError, notFound, refusedList } from '../../engine/errors';
import {
  annulCheckin,
  checkinFilterChoiceExists,
  listOfOrganizer,
  checkinListStatus,
  createCheckinList,
  deleteCheckinList,
  eventCheckins,
  FAILED_CHECKIN_REASONS,
  getCheckinList,
  listCheckinLists,
  recordFailedCheckin,
  redeem,
  requireCheckinList,
  searchPositions,
  updateCheckinList,
  type CheckinFilters,
  type CheckinList,
  checkinListLookups,
  eventOfRedeemableList,
  failedCheckinLookups,
  type CheckinRecord,
  type RedeemResult,
  type SearchFilters,
} from '../../engine/checkin';
import {
  actorOf,
  requireEvent,
  requireOrganizer,
  visibleEventIds,
  type ApiDeps,
  type ApiPrincipal,
} from '../context';
import { paginated, paginateList } from '../pagination';
import {
  checkinListResource,
  checkinPositionResources,
  listExcerpt,
  questionResources,
} from '../resources/checkin';
import { apiDatetime } from '../resources/order';
import { bodyObject, pathId, pathParam, queryValues, type QueryValues } from '../schemas/request';
import { queryBoolean } from '../schemas/drf';
import {
  annulBody,
  checkinListBody,
  failedCheckinBody,
  redeemBody,
  type RedeemListLookups,
} from '../schemas/checkin';

type Query = QueryValues;

function renderCheckin(r: CheckinRecord): CheckinRecord {
  return { ...r, datetime: apiDatetime(r.datetime)!, created: apiDatetime(r.created)! };
}

function queryOf(req: FastifyRequest): Query {
  return queryValues(req);
}

/** All values of a query parameter (repeated keys and comma-separated `__in` lists). */
function values(q: Query, key: string): string[] {
  const v = q[key];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function single(q: Query, key: string): string | undefined {
  const all = values(q, key);
  return all[all.length - 1];
}

function flag(q: Query, key: string): boolean | undefined {
  const v = single(q, key);
  if (v === undefined) return undefined;
  return v === 'true' || v === 'True' || v === '1';
}

function idsParam(q: Query, key: string): number[] | undefined {
  const exact = values(q, key);
  const listed = values(q, `${key}__in`).flatMap((v) => v.split(','));
  const all = [...exact, ...listed].filter((v) => v !== '');
  if (!all.length) return undefined;
  return all.map(Number).filter((n) => Number.isInteger(n));
}

function listIdParam(req: FastifyRequest): number {
  return pathId(req, 'list');
}

function searchFilters(q: Query): SearchFilters {
  const hasCheckin = flag(q, 'has_checkin');
  const orderStatus = [
    ...values(q, 'order__status'),
    ...values(q, 'order__status__in').flatMap((v) => v.split(',')),
  ];
  return {
    search: single(q, 'search') || undefined,
    ignoreStatus: flag(q, 'ignore_status') ?? false,
    hasCheckin,
    order: single(q, 'order') || undefined,
    item: idsParam(q, 'item'),
    variation: idsParam(q, 'variation'),
    subevent: idsParam(q, 'subevent'),
    addonTo: idsParam(q, 'addon_to'),
    secret: single(q, 'secret') || undefined,
    attendeeName: single(q, 'attendee_name') || undefined,
    orderStatus: orderStatus.length ? orderStatus : undefined,
    ordering: single(q, 'ordering') || undefined,
  };
}

function filterError(key: string, message: string): EngineError {
  return new EngineError('invalid_filter', message, { kind: 'invalid', body: { [key]: [message] } });
}

/** django-filter's BooleanFilter: only true/false (any case) and 1/0 filter; anything else is ignored. */
function boolFilter(q: Query, key: string): boolean | undefined {
  return queryBoolean(single(q, key));
}

/** A filter given in the query, read by its parser; a value it cannot read is a 400 with its message. */
function filterValue<T>(
  q: Query,
  key: string,
  filter: { parse(raw: string): T | undefined; message(raw: string): string },
): T | undefined {
  const raw = single(q, key);
  if (!raw) return undefined;
  const value = filter.parse(raw);
  if (value === undefined) throw filterError(key, filter.message(raw));
  return value;
}

/**
 * pretix's CheckinFilter (api/views/checkin.py): `successful`, `error_reason`, `list`, `type`, `gate`,
 * `device`, `auto_checked_in`, `created_since`/`created_before`, `datetime_since`/`datetime_before`, and
 * `ordering` by `created`, `datetime` or `id` (unknown terms ignored, as DRF's OrderingFilter does).
 * Unknown choices and ids are 400 in django-filter's words.
 */
function checkinFilters(engine: Engine, timezone: string, q: Query): CheckinFilters {
  const choice = (raw: string) => `Select a valid choice. ${raw} is not one of the available choices.`;
  const idChoice = (key: 'list' | 'gate' | 'device') => ({
    parse: (raw: string) =>
      /^\d{1,15}$/.test(raw) && checkinFilterChoiceExists(engine.db, key, Number(raw))
        ? Number(raw)
        : undefined,
    message: () => 'Select a valid choice. That choice is not one of the available choices.',
  });
  const dateTime = {
    parse: (raw: string) => parseIsoDateTime(raw, timezone)?.toISOString(),
    message: () => 'Enter a valid date/time.',
  };
  const filters: CheckinFilters = {
    successful: boolFilter(q, 'successful'),
    autoCheckedIn: boolFilter(q, 'auto_checked_in'),
    errorReason: filterValue(q, 'error_reason', {
      parse: (raw) => ((FAILED_CHECKIN_REASONS as readonly string[]).includes(raw) ? raw : undefined),
      message: choice,
    }),
    type: filterValue(q, 'type', {
      parse: (raw) => (raw === 'entry' || raw === 'exit' ? raw : undefined),
      message: choice,
    }),
    list: filterValue(q, 'list', idChoice('list')),
    gateId: filterValue(q, 'gate', idChoice('gate')),
    deviceId: filterValue(q, 'device', idChoice('device')),
    createdSince: filterValue(q, 'created_since', dateTime),
    createdBefore: filterValue(q, 'created_before', dateTime),
    datetimeSince: filterValue(q, 'datetime_since', dateTime),
    datetimeBefore: filterValue(q, 'datetime_before', dateTime),
  };
  const ordering: NonNullable<CheckinFilters['ordering']> = [];
  for (const raw of (single(q, 'ordering') ?? '').split(',')) {
    const term = raw.trim();
    const desc = term.startsWith('-');
    const field = desc ? term.slice(1) : term;
    if (field === 'created' || field === 'datetime' || field === 'id') ordering.push({ field, desc });
  }
  if (ordering.length) filters.ordering = ordering;
  return filters;
}

function expandOf(q: Query): string[] {
  return values(q, 'expand');
}

/** The JSON pretix answers a redeem with, and its status code. */
function redeemResponse(
  engine: Engine,
  req: FastifyRequest,
  result: RedeemResult,
): { status: number; body: unknown } {
  const q = queryOf(req);
  const list = listExcerpt(engine.db, result.list);
  if (result.httpStatus === 404)
    return {
      status: 404,
      body: {
        detail: 'Not found.',
        status: 'error',
        reason: 'invalid',
        reason_explanation: null,
        require_attention: false,
        checkin_texts: [],
        list,
      },
    };
  const position = result.positionId
    ? checkinPositionResources(engine.db, [result.positionId], {
        listIds: result.listIds,
        expand: expandOf(q),
        pdfData: flag(q, 'pdf_data') ?? false,
      })[0]
    : null;
  const body: Record<string, unknown> = { status: result.status };
  if (result.status === 'error') {
    body.reason = result.reason;
    body.reason_explanation = result.reasonExplanation;
  }
  body.require_attention = result.requireAttention;
  body.checkin_texts = result.checkinTexts;
  body.position = position;
  body.list = list;
  if (result.status === 'incomplete') body.questions = questionResources(engine.db, result.questionIds);
  return { status: result.httpStatus, body };
}

function deviceOf(principal: ApiPrincipal | undefined): { deviceId: number | null; gateId: number | null } {
  return { deviceId: principal?.device?.pk ?? null, gateId: principal?.device?.gateId ?? null };
}

function excludeOf(q: Query): string[] {
  return values(q, 'exclude');
}

export function checkinRoutes(app: FastifyInstance, { engine }: ApiDeps): void {
  const listLookups = (event: { id: number; timezone: string }) => ({
    ...checkinListLookups(engine.db),
    timeZone: event.timezone,
  });
  const redeemableLists = (organizerId: number, visible?: number[]): RedeemListLookups => ({
    eventOfList: (listId) =>
      eventOfRedeemableList(engine.db, { organizerId, listId, visibleEventIds: visible }),
  });

  const EVENT = '/api/v1/organizers/:organizer/events/:event';
  const scanner = { config: { checkin: true } };

  app.get(`${EVENT}/checkinlists/`, scanner, async (req) => {
    const { event } = requireEvent(engine, req);
    const q = queryOf(req);
    const subevent = single(q, 'subevent');
    const subeventMatch = single(q, 'subevent_match');
    const lists = listCheckinLists(engine.db, event.id, {
      subeventId: subevent === undefined ? undefined : subevent === '' ? null : Number(subevent),
      subeventMatch: subeventMatch ? Number(subeventMatch) : undefined,
    });
    const exclude = excludeOf(q);
    return paginateList(
      req,
      lists.map((l) => checkinListResource(engine.db, l, exclude)),
    );
  });

  app.post(`${EVENT}/checkinlists/`, async (req, reply) => {
    const { event } = requireEvent(engine, req);
    const data = checkinListBody(bodyObject(req), listLookups(event), 'create');
    const list = engine.command((ctx) => createCheckinList(ctx, { eventId: event.id, data }), actorOf(req));
    return reply.status(201).send(checkinListResource(engine.db, list));
  });

  app.get(`${EVENT}/checkinlists/:list/`, scanner, async (req) => {
    const { event } = requireEvent(engine, req);
    const list = requireCheckinList(engine.db, event.id, listIdParam(req));
    return checkinListResource(engine.db, list, excludeOf(queryOf(req)));
  });

  for (const method of ['patch', 'put'] as const) {
    app[method](`${EVENT}/checkinlists/:list/`, async (req) => {
      const { event } = requireEvent(engine, req);
      const listId = listIdParam(req);
      const data = checkinListBody(bodyObject(req), listLookups(event), 'update');
      const list = engine.command(
        (ctx) => updateCheckinList(ctx, { eventId: event.id, listId, data }),
        actorOf(req),
      );
      return checkinListResource(engine.db, list);
    });
  }

  app.delete(`${EVENT}/checkinlists/:list/`, async (req, reply) => {
    const { event } = requireEvent(engine, req);
    const listId = listIdParam(req);
    engine.command((ctx) => deleteCheckinList(ctx, { eventId: event.id, listId }), actorOf(req));
    return reply.status(204).send();
  });

  app.get(`${EVENT}/checkinlists/:list/status/`, scanner, async (req) => {
    const { event } = requireEvent(engine, req);
    const list = requireCheckinList(engine.db, event.id, listIdParam(req));
    return checkinListStatus(engine.db, list);
  });

  app.get(`${EVENT}/checkinlists/:list/positions/`, scanner, async (req) => {
    const { event } = requireEvent(engine, req);
    const list = requireCheckinList(engine.db, event.id, listIdParam(req));
    const q = queryOf(req);
    const found = searchPositions(engine.db, [list], searchFilters(q));
    return paginated(req, found.count, (limit, offset) =>
      checkinPositionResources(engine.db, found.load(limit, offset), {
        listIds: [list.id],
        expand: expandOf(q),
        pdfData: flag(q, 'pdf_data') ?? false,
      }),
    );
  });

  app.get(`${EVENT}/checkinlists/:list/positions/:position/`, scanner, async (req) => {
    const { event } = requireEvent(engine, req);
    const list = requireCheckinList(engine.db, event.id, listIdParam(req));
    const positionId = pathId(req, 'position');
    const q = queryOf(req);
    const found = searchPositions(engine.db, [list], { ...searchFilters(q), positionId });
    const ids = found.load(1, 0);
    if (!ids.length) throw notFound();
    return checkinPositionResources(engine.db, ids, {
      listIds: [list.id],
      expand: expandOf(q),
      pdfData: flag(q, 'pdf_data') ?? false,
    })[0];
  });

  app.post(`${EVENT}/checkinlists/:list/positions/:position/redeem/`, scanner, async (req, reply) => {
    const { organizer, event } = requireEvent(engine, req);
    const list = requireCheckinList(engine.db, event.id, listIdParam(req));
    const code = pathParam(req, 'position');
    const body = bodyObject(req);
    const q = queryOf(req);
    const brand = req.principal?.device?.softwareBrand ?? '';
    const untrusted = flag(q, 'untrusted_input') === true || brand.toLowerCase().includes('pretixscan');
    const request = redeemBody({ ...body, secret: code, lists: [list.id] }, redeemableLists(organizer.id), {
      legacy: true,
      timeZone: event.timezone,
    });
    const result = engine.command(
      (ctx) =>
        redeem(ctx, {
          organizerId: organizer.id,
          ...request,
          canceledSupported: body.canceled_supported === true,
          ...deviceOf(req.principal),
          legacy: { trusted: !untrusted },
        }),
      actorOf(req),
    );
    const response = redeemResponse(engine, req, result);
    return reply.status(response.status).send(response.body);
  });

  app.post(`${EVENT}/checkinlists/:list/failed_checkins/`, scanner, async (req, reply) => {
    const { event } = requireEvent(engine, req);
    const list = requireCheckinList(engine.db, event.id, listIdParam(req));
    const data = failedCheckinBody(bodyObject(req), failedCheckinLookups(engine.db, list));
    const id = engine.command(
      (ctx) => recordFailedCheckin(ctx, { list, data, ...deviceOf(req.principal) }),
      actorOf(req),
    );
    const record = eventCheckins(engine.db, event.id, { id }).load(1, 0)[0]!;
    return reply.status(201).send(renderCheckin(record));
  });

  app.get(`${EVENT}/checkins/`, async (req) => {
    const { event } = requireEvent(engine, req);
    const found = eventCheckins(engine.db, event.id, checkinFilters(engine, event.timezone, queryOf(req)));
    return paginated(req, found.count, (limit, offset) => found.load(limit, offset).map(renderCheckin));
  });

  app.get(`${EVENT}/checkins/:id/`, async (req) => {
    const { event } = requireEvent(engine, req);
    const record = eventCheckins(engine.db, event.id, { id: pathId(req) }).load(1, 0)[0];
    if (!record) throw notFound();
    return renderCheckin(record);
  });

  const ORG = '/api/v1/organizers/:organizer';

  app.post(`${ORG}/checkinrpc/redeem/`, scanner, async (req, reply) => {
    const organizer = requireOrganizer(engine, req);
    const visible = visibleEventIds(engine, req.principal);
    const request = redeemBody(bodyObject(req), redeemableLists(organizer.id, visible), {
      legacy: false,
      timeZone: 'UTC',
    });
    const result = engine.command(
      (ctx) =>
        redeem(ctx, {
          organizerId: organizer.id,
          ...request,
          canceledSupported: true,
          ...deviceOf(req.principal),
          visibleEventIds: visible,
        }),
      actorOf(req),
    );
    const response = redeemResponse(engine, req, result);
    return reply.status(response.status).send(response.body);
  });

  app.get(`${ORG}/checkinrpc/search/`, scanner, async (req) => {
    const organizer = requireOrganizer(engine, req);
    const q = queryOf(req);
    const requested = values(q, 'list');
    if (requested.length === 0) throw refusedList('no_list', 'No check-in list passed.');
    const visible = visibleEventIds(engine, req.principal);
    const lists: CheckinList[] = [];
    const missing: string[] = [];
    for (const raw of requested) {
      const list = /^\d+$/.test(raw) ? getCheckinList(engine.db, Number(raw)) : undefined;
      if (
        !list ||
        !listOfOrganizer(engine.db, list.id, organizer.id) ||
        (visible && !visible.includes(list.event_id))
      )
        missing.push(raw);
      else lists.push(list);
    }
    if (missing.length)
      throw new EngineError(
        'permission_denied',
        `You requested lists that do not exist or that you do not have access to: ${missing.join(', ')}`,
        { kind: 'forbidden' },
      );
    if (new Set(lists.map((l) => l.event_id)).size !== lists.length)
      throw refusedList('two_lists', 'Selecting two check-in lists from the same event is unsupported.');
    const found = searchPositions(engine.db, lists, searchFilters(q));
    return paginated(req, found.count, (limit, offset) =>
      checkinPositionResources(engine.db, found.load(limit, offset), {
        listIds: lists.map((l) => l.id),
        expand: expandOf(q),
      }),
    );
  });

  app.post(`${ORG}/checkinrpc/annul/`, scanner, async (req) => {
    const organizer = requireOrganizer(engine, req);
    const visible = visibleEventIds(engine, req.principal);
    const request = annulBody(bodyObject(req), redeemableLists(organizer.id, visible));
    engine.command(
      (ctx) =>
        annulCheckin(ctx, {
          organizerId: organizer.id,
          ...request,
          deviceId: req.principal?.device?.pk ?? null,
          visibleEventIds: visible,
        }),
      actorOf(req),
    );
    return { status: 'ok' };
  });
}
