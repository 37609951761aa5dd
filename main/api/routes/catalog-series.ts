import type { Database } from 'better-sqlite3';
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
  subeventPrices,
  vouchersOfEvent,
} from '../../engine/catalog';
import { requireOrganizer, visibleEventIds, type ApiDeps } from '../context';
import { setPageGenerated } from '../pagination';
import {
  bool,
  boolParam,
  command,
  created,
  dt,
  eventOf,
  i18n,
  json,
  paginateList,
  queryParam,
} from './catalog-common';
import { registerCrud, type Row } from './catalog-items';
import { eventsOfObjects as lookup } from '../schemas/catalog-fields';
import {
  subeventBody,
  subeventPatch,
  voucherBody,
  voucherListBody,
  voucherPatch,
} from '../schemas/catalog-series';

/** pretix's sub-event resource (`SubEventSerializer`). */
export function subeventResource(db: Database, row: Row, eventSlug: string): Record<string, unknown> {
  const extra = json<Record<string, unknown>>(String(row.extra ?? '{}'), {});
  const { items, variations } = subeventPrices(db, row.id);
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: row.id,
    name: i18n(str(row.name)),
    date_from: dt(str(row.date_from)),
    date_to: dt(str(row.date_to)),
    active: bool(Number(row.active)),
    date_admission: dt(str(row.date_admission)),
    presale_start: dt(str(row.presale_start)),
    presale_end: dt(str(row.presale_end)),
    location: row.location === null ? null : i18n(str(row.location)),
    geo_lat: row.geo_lat === null ? null : Number(row.geo_lat),
    geo_lon: row.geo_lon === null ? null : Number(row.geo_lon),
    event: eventSlug,
    is_public: bool(Number(row.is_public)),
    frontpage_text: 'frontpage_text' in extra ? extra.frontpage_text : null,
    seating_plan: null,
    item_price_overrides: items.map((o) => ({
      item: o.item_id,
      disabled: o.disabled === 1,
      available_from: null,
      available_until: null,
      price: o.price,
    })),
    variation_price_overrides: variations.map((o) => ({
      variation: o.variation_id,
      disabled: o.disabled === 1,
      available_from: null,
      available_until: null,
      price: o.price,
    })),
    meta_data: json(str(row.meta_data), {}),
    seat_category_mapping: {},
    comment: 'comment' in extra ? extra.comment : null,
  };
}

/** pretix's voucher resource (`VoucherSerializer`). */
export function voucherResource(v: VoucherRow): Record<string, unknown> {
  return {
    id: v.id,
    code: v.code,
    max_usages: v.max_usages,
    redeemed: v.redeemed,
    min_usages: v.min_usages,
    valid_until: dt(v.valid_until),
    block_quota: bool(v.block_quota),
    allow_ignore_quota: bool(v.allow_ignore_quota),
    price_mode: v.price_mode,
    value: v.value,
    item: v.item_id,
    variation: v.variation_id,
    quota: v.quota_id,
    tag: v.tag,
    comment: v.comment,
    subevent: v.subevent_id,
    show_hidden_items: bool(v.show_hidden_items),
    seat: null,
    all_addons_included: bool(v.all_addons_included),
    all_bundles_included: bool(v.all_bundles_included),
    budget: v.budget,
  };
}

function subeventFilter(req: FastifyRequest, rows: Row[]): Row[] {
  let out = rows;
  const active = boolParam(req, 'active');
  if (active !== undefined) out = out.filter((r) => bool(Number(r.active)) === active);
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
  for (const [param, column] of [
    ['block_quota', 'block_quota'],
    ['allow_ignore_quota', 'allow_ignore_quota'],
  ] as const) {
    const value = boolParam(req, param);
    if (value !== undefined) out = out.filter((v) => bool(v[column]) === value);
  }
  return out;
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
