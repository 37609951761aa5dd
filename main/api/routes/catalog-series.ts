import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  createSubevent,
  createVoucher,
  createVouchers,
  deleteSubevent,
  deleteVoucher,
  findVoucher,
  updateSubevent,
  updateVoucher,
  type VoucherRow,
  eventSlug,
  subeventRecordsOfEvent,
  subeventsOfOrganizer,
  vouchersOfEvent,
} from '../../engine/catalog';
import { requireOrganizer, visibleEventIds, type ApiDeps } from '../context';
import { setPageGenerated } from '../pagination';
import { subeventResource, voucherResource, type CatalogResourceRow as Row } from '../resources/catalog';
import { command, created, eventOf, flagFilter, paginateList, queryParam } from './catalog-common';
import { registerCrud } from './catalog-crud';
import { eventsOfObjects as lookup } from '../schemas/catalog-fields';
import {
  subeventBody,
  subeventPatch,
  voucherBody,
  voucherListBody,
  voucherPatch,
} from '../schemas/catalog-series';

function subeventFilter(req: FastifyRequest, rows: Row[]): Row[] {
  let out = flagFilter(req, rows, ['active']);
  const after = queryParam(req, 'date_from_after') ?? queryParam(req, 'date_from__gte');
  if (after) out = out.filter((r) => new Date(String(r.date_from)) >= new Date(after));
  const before = queryParam(req, 'date_from_before') ?? queryParam(req, 'date_from__lte');
  if (before) out = out.filter((r) => new Date(String(r.date_from)) <= new Date(before));
  return out;
}

function voucherFilter(req: FastifyRequest, rows: VoucherRow[]): VoucherRow[] {
  let out = rows;
  const code = queryParam(req, 'code');
  if (code !== undefined) out = out.filter((v) => v.code === code.toUpperCase());
  const tag = queryParam(req, 'tag');
  if (tag !== undefined) out = out.filter((v) => v.tag === tag);
  const subevent = queryParam(req, 'subevent');
  if (subevent !== undefined) out = out.filter((v) => String(v.subevent_id) === subevent);
  for (const [param, column] of [
    ['max_usages', 'max_usages'],
    ['redeemed', 'redeemed'],
  ] as const) {
    const value = queryParam(req, param);
    if (value !== undefined) out = out.filter((v) => String(v[column]) === value);
  }
  return flagFilter(req, out, ['block_quota', 'allow_ignore_quota']);
}

export function catalogSeriesRoutes(app: FastifyInstance, { engine }: ApiDeps): void {
  registerCrud(app, engine, {
    path: 'subevents',
    table: 'subevents',
    pageGenerated: true,
    list: (db, event, req) => subeventFilter(req, subeventRecordsOfEvent(db, event.id)),
    render: (db, row) => {
      return subeventResource(db, row, eventSlug(db, Number(row.event_id)) ?? '');
    },
    create: (ctx, event, body) => createSubevent(ctx, event.id, subeventBody(lookup(ctx), event.id, body)),
    update: (ctx, event, id, body) =>
      updateSubevent(ctx, event.id, id, subeventPatch(lookup(ctx), event.id, body)),
    remove: (ctx, event, id) => deleteSubevent(ctx, event.id, id),
  });

  app.get('/api/v1/organizers/:organizer/subevents/', { config: { checkin: true } }, async (req, reply) => {
    const organizer = requireOrganizer(engine, req);
    setPageGenerated(reply, engine.clock.now());
    return engine.read((ctx) => {
      const rows = subeventsOfOrganizer(ctx.db, organizer.id);
      const visible = visibleEventIds(engine, req.principal);
      return paginateList(
        req,
        subeventFilter(
          req,
          rows.filter((r) => !visible || visible.includes(Number(r.event_id))),
        ).map((r) => subeventResource(ctx.db, r, String(r.event_slug))),
      );
    });
  });

  registerCrud(app, engine, {
    path: 'vouchers',
    table: 'vouchers',
    list: (db, event, req) => voucherFilter(req, vouchersOfEvent(db, event.id)) as unknown as Row[],
    render: (_db, row) => voucherResource(row as unknown as VoucherRow),
    create: (ctx, event, body) => createVoucher(ctx, event.id, voucherBody(lookup(ctx), body)),
    update: (ctx, event, id, body) => updateVoucher(ctx, event.id, id, voucherPatch(lookup(ctx), body)),
    remove: (ctx, event, id) => deleteVoucher(ctx, event.id, id),
  });

  app.post('/api/v1/organizers/:organizer/events/:event/vouchers/batch_create/', async (req, reply) => {
    const event = eventOf(engine, req);
    const body = command(engine, req, (ctx) =>
      createVouchers(ctx, event.id, voucherListBody(lookup(ctx), req.body)).map((id) =>
        voucherResource(findVoucher(ctx.db, event.id, id)!),
      ),
    );
    return created(reply, body);
  });
}
