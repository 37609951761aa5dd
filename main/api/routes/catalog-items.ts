import type { Database } from 'better-sqlite3';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EngineContext } from '../../engine/context';
import type { Engine } from '../../engine/engine';
import { notFound } from '../../engine/errors';
import {
  createAddon,
  createBundle,
  createCategory,
  createItem,
  createQuestion,
  createQuestionOption,
  createQuota,
  createTaxRule,
  createVariation,
  deleteAddon,
  deleteBundle,
  deleteCategory,
  deleteItem,
  deleteQuestion,
  deleteQuestionOption,
  deleteQuota,
  deleteTaxRule,
  deleteVariation,
  quotaMembers,
  updateAddon,
  updateBundle,
  updateCategory,
  updateItem,
  updateQuestion,
  updateQuestionOption,
  updateQuota,
  updateTaxRule,
  updateVariation,
  type QuotaRow,
} from '../../engine/catalog';
import {
  addonRecordsOfItem,
  bundleRecordsOfItem,
  catalogRecord,
  catalogRecords,
  childRecord,
  childRecords,
  optionRecordsOfQuestion,
  questionItemIds,
  taxRuleRate,
  variationRecordsOfItem,
  type CatalogRecord,
  type CatalogResourceTable,
} from '../../engine/catalog';
import { eventsOfObjects as lookup } from '../schemas/catalog-fields';
import { AVAILABILITY_OK, computeQuotaAvailability } from '../../engine/quotas';
import { actorOf, type ApiDeps, type EventRow } from '../context';
import { quotaBody, quotaPatch } from '../schemas/catalog-quotas';
import { optionBody, optionPatch, questionBody, questionPatch } from '../schemas/catalog-questions';
import {
  addonBody,
  addonPatch,
  bundleBody,
  bundlePatch,
  categoryBody,
  categoryPatch,
  itemBody,
  itemPatch,
  taxRuleBody,
  taxRulePatch,
  variationBody,
  variationPatch,
} from '../schemas/catalog-items';
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
  noContent,
  paginateList,
  pathId,
  queryParam,
} from './catalog-common';

export type Row = CatalogRecord;

function s(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}
function n(v: unknown): number {
  return Number(v);
}
function extraOf(row: Row): Record<string, unknown> {
  return json<Record<string, unknown>>(s(row.extra), {});
}
function pick<T>(extra: Record<string, unknown>, key: string, fallback: T): T {
  return key in extra ? (extra[key] as T) : fallback;
}

// ---------------------------------------------------------------- resources

export function taxRuleResource(row: Row): Record<string, unknown> {
  const extra = extraOf(row);
  return {
    id: row.id,
    name: i18n(s(row.name)),
    internal_name: s(row.internal_name),
    rate: s(row.rate),
    price_includes_tax: bool(n(row.price_includes_tax)),
    eu_reverse_charge: pick(extra, 'eu_reverse_charge', false),
    home_country: pick(extra, 'home_country', ''),
    keep_gross_if_rate_changes: bool(n(row.keep_gross_if_rate_changes)),
    custom_rules: null,
    code: pick(extra, 'code', null),
    default: pick(extra, 'default', false),
  };
}

export function categoryResource(row: Row): Record<string, unknown> {
  return {
    id: row.id,
    name: i18n(s(row.name)),
    internal_name: s(row.internal_name),
    description: i18n(s(row.description)),
    position: n(row.position),
    is_addon: bool(n(row.is_addon)),
    cross_selling_mode: null,
    cross_selling_condition: null,
    cross_selling_match_products: [],
  };
}

function salesChannels(row: Row, extra: Record<string, unknown>) {
  const all = pick(extra, 'all_sales_channels', true);
  return {
    sales_channels: json<string[]>(s(row.sales_channels), pick(extra, 'sales_channels', ['web'])),
    all_sales_channels: all,
    limit_sales_channels: all ? [] : pick(extra, 'limit_sales_channels', []),
  };
}

export function variationResource(row: Row, itemPrice: string): Record<string, unknown> {
  const extra = extraOf(row);
  const channels = salesChannels(
    { ...row, sales_channels: JSON.stringify(pick(extra, 'sales_channels', ['web'])) },
    extra,
  );
  return {
    id: row.id,
    value: i18n(s(row.value)),
    active: bool(n(row.active)),
    description: i18n(s(row.description)),
    position: n(row.position),
    default_price: s(row.default_price),
    price: s(row.default_price) ?? itemPrice,
    original_price: s(row.original_price),
    free_price_suggestion: null,
    require_approval: bool(n(row.require_approval)),
    require_membership: false,
    require_membership_hidden: false,
    require_membership_types: [],
    ...channels,
    available_from: dt(s(row.available_from)),
    available_from_mode: 'hide',
    available_until: dt(s(row.available_until)),
    available_until_mode: 'hide',
    hide_without_voucher: pick(extra, 'hide_without_voucher', false),
    checkin_attention: bool(n(row.checkin_attention)),
    checkin_text: s(row.checkin_text),
    meta_data: json(s(row.meta_data), {}),
  };
}

function addonResource(row: Row): Record<string, unknown> {
  return {
    id: row.id,
    addon_category: row.addon_category_id,
    min_count: n(row.min_count),
    max_count: n(row.max_count),
    position: n(row.position),
    price_included: bool(n(row.price_included)),
    multi_allowed: bool(n(row.multi_allowed)),
  };
}

function bundleResource(row: Row): Record<string, unknown> {
  return {
    id: row.id,
    bundled_item: row.bundled_item_id,
    bundled_variation: row.bundled_variation_id ?? null,
    count: n(row.count),
    designated_price: s(row.designated_price),
  };
}

export function itemResource(db: Database, row: Row): Record<string, unknown> {
  const extra = extraOf(row);
  const price = s(row.default_price) ?? '0.00';
  const variations = variationRecordsOfItem(db, row.id);
  const addons = addonRecordsOfItem(db, row.id);
  const bundles = bundleRecordsOfItem(db, row.id);
  const taxRate = row.tax_rule_id ? (taxRuleRate(db, Number(row.tax_rule_id)) ?? '0.00') : '0.00';
  return {
    id: row.id,
    category: row.category_id ?? null,
    name: i18n(s(row.name)),
    internal_name: s(row.internal_name),
    active: bool(n(row.active)),
    ...salesChannels(row, extra),
    description: i18n(s(row.description)),
    default_price: price,
    free_price: bool(n(row.free_price)),
    free_price_suggestion: pick(extra, 'free_price_suggestion', null),
    tax_rate: taxRate,
    tax_rule: row.tax_rule_id ?? null,
    admission: bool(n(row.admission)),
    personalized: bool(n(row.personalized)),
    position: n(row.position),
    picture: null,
    available_from: dt(s(row.available_from)),
    available_from_mode: 'hide',
    available_until: dt(s(row.available_until)),
    available_until_mode: 'hide',
    hidden_if_available: pick(extra, 'hidden_if_available', null),
    hidden_if_item_available: pick(extra, 'hidden_if_item_available', null),
    hidden_if_item_available_mode: 'hide',
    require_voucher: bool(n(row.require_voucher)),
    hide_without_voucher: bool(n(row.hide_without_voucher)),
    allow_cancel: bool(n(row.allow_cancel)),
    require_bundling: bool(n(row.require_bundling)),
    min_per_order: row.min_per_order ?? null,
    max_per_order: row.max_per_order ?? null,
    checkin_attention: bool(n(row.checkin_attention)),
    checkin_text: s(row.checkin_text),
    has_variations: variations.length > 0 || pick(extra, 'has_variations', false),
    variations: variations.map((v) => variationResource(v, price)),
    addons: addons.map(addonResource),
    bundles: bundles.map(bundleResource),
    original_price: s(row.original_price),
    require_approval: bool(n(row.require_approval)),
    generate_tickets:
      row.generate_tickets === null || row.generate_tickets === undefined
        ? null
        : bool(n(row.generate_tickets)),
    allow_waitinglist: pick(extra, 'allow_waitinglist', true),
    issue_giftcard: pick(extra, 'issue_giftcard', false),
    show_quota_left: pick(extra, 'show_quota_left', null),
    meta_data: json(s(row.meta_data), {}),
    require_membership: false,
    require_membership_types: [],
    require_membership_hidden: false,
    grant_membership_type: null,
    grant_membership_duration_like_event: true,
    grant_membership_duration_days: 0,
    grant_membership_duration_months: 0,
    validity_mode: pick(extra, 'validity_mode', null),
    validity_fixed_from: dt(pick<string | null>(extra, 'validity_fixed_from', null)),
    validity_fixed_until: dt(pick<string | null>(extra, 'validity_fixed_until', null)),
    validity_dynamic_duration_minutes: pick(extra, 'validity_dynamic_duration_minutes', null),
    validity_dynamic_duration_hours: pick(extra, 'validity_dynamic_duration_hours', null),
    validity_dynamic_duration_days: pick(extra, 'validity_dynamic_duration_days', null),
    validity_dynamic_duration_months: pick(extra, 'validity_dynamic_duration_months', null),
    validity_dynamic_start_choice: pick(extra, 'validity_dynamic_start_choice', false),
    validity_dynamic_start_choice_day_limit: pick(extra, 'validity_dynamic_start_choice_day_limit', null),
    media_policy: null,
    media_type: null,
  };
}

export function quotaResource(db: Database, row: QuotaRow): Record<string, unknown> {
  const members = quotaMembers(db, row.id);
  return {
    id: row.id,
    name: row.name,
    size: row.size,
    items: members.items,
    variations: members.variations,
    subevent: row.subevent_id,
    closed: bool(row.closed),
    close_when_sold_out: bool(row.close_when_sold_out),
    release_after_exit: bool(row.release_after_exit),
    ignore_for_event_availability: bool(row.ignore_for_event_availability),
  };
}

function optionResource(row: Row): Record<string, unknown> {
  return {
    id: row.id,
    identifier: s(row.identifier),
    answer: i18n(s(row.answer)),
    position: n(row.position),
  };
}

export function questionResource(db: Database, row: Row): Record<string, unknown> {
  const extra = extraOf(row);
  const items = questionItemIds(db, row.id);
  const options = optionRecordsOfQuestion(db, row.id);
  const dependencyValues = json<string[]>(s(row.dependency_values), []);
  return {
    id: row.id,
    question: i18n(s(row.question)),
    type: row.type,
    required: bool(n(row.required)),
    items,
    options: options.map(optionResource),
    position: n(row.position),
    ask_during_checkin: bool(n(row.ask_during_checkin)),
    show_during_checkin: bool(n(row.show_during_checkin)),
    identifier: s(row.identifier),
    help_text: i18n(s(row.help_text)),
    hidden: bool(n(row.hidden)),
    print_on_invoice: bool(n(row.print_on_invoice)),
    valid_number_min: s(row.valid_number_min),
    valid_number_max: s(row.valid_number_max),
    valid_date_min: s(row.valid_date_min),
    valid_date_max: s(row.valid_date_max),
    valid_datetime_min: dt(s(row.valid_datetime_min)),
    valid_datetime_max: dt(s(row.valid_datetime_max)),
    valid_string_length_max: row.valid_string_length_max ?? null,
    valid_file_portrait: pick(extra, 'valid_file_portrait', false),
    dependency_question: row.dependency_question_id ?? null,
    dependency_value: dependencyValues[0] ?? null,
    dependency_values: dependencyValues,
  };
}

// ---------------------------------------------------------------- routes

export interface CrudSpec {
  path: string;
  table: CatalogResourceTable;
  list(db: Database, event: EventRow, req: FastifyRequest): Row[];
  render(db: Database, row: Row): Record<string, unknown>;
  create(ctx: EngineContext, event: EventRow, body: unknown): number;
  update(ctx: EngineContext, event: EventRow, id: number, body: unknown): void;
  remove(ctx: EngineContext, event: EventRow, id: number): void;
  /** The list carries X-Page-Generated (pretix sets it on sub-event lists). */
  pageGenerated?: boolean;
  /** Renders a whole list page at once (lists that add computed fields). */
  renderList?(ctx: EngineContext, rows: Row[], req: FastifyRequest): Record<string, unknown>[];
}

function load(db: Database, table: CatalogResourceTable, eventId: number, id: number): Row {
  const row = catalogRecord(db, table, eventId, id);
  if (!row) throw notFound();
  return row;
}

export function registerCrud(app: FastifyInstance, engine: Engine, spec: CrudSpec): void {
  const base = `/api/v1/organizers/:organizer/events/:event/${spec.path}`;
  // Reading the catalog is part of a scanner's sync; changing it is not.
  const config = { config: { checkin: true } };
  app.get(`${base}/`, config, async (req, reply) => {
    const event = eventOf(engine, req);
    if (spec.pageGenerated) setPageGenerated(reply, engine.clock.now());
    if (spec.renderList) {
      const renderList = spec.renderList;
      return engine.command((ctx) => {
        const page = paginateList(req, spec.list(ctx.db, event, req));
        return { ...page, results: renderList(ctx, page.results, req) };
      }, actorOf(req));
    }
    return engine.read((ctx) =>
      paginateList(
        req,
        spec.list(ctx.db, event, req).map((r) => spec.render(ctx.db, r)),
      ),
    );
  });
  app.get(`${base}/:id/`, config, async (req) => {
    const event = eventOf(engine, req);
    const id = pathId(req);
    return engine.read((ctx) => spec.render(ctx.db, load(ctx.db, spec.table, event.id, id)));
  });
  app.post(`${base}/`, async (req, reply) => {
    const event = eventOf(engine, req);
    const body = command(engine, req, (ctx) => {
      const id = spec.create(ctx, event, req.body);
      return spec.render(ctx.db, load(ctx.db, spec.table, event.id, id));
    });
    return created(reply, body);
  });
  const update = async (req: FastifyRequest) => {
    const event = eventOf(engine, req);
    const id = pathId(req);
    return command(engine, req, (ctx) => {
      load(ctx.db, spec.table, event.id, id);
      spec.update(ctx, event, id, req.body);
      return spec.render(ctx.db, load(ctx.db, spec.table, event.id, id));
    });
  };
  app.patch(`${base}/:id/`, update);
  app.put(`${base}/:id/`, update);
  app.delete(`${base}/:id/`, async (req, reply) => {
    const event = eventOf(engine, req);
    const id = pathId(req);
    command(engine, req, (ctx) => spec.remove(ctx, event, id));
    return noContent(reply);
  });
}

interface NestedSpec {
  parentTable: CatalogResourceTable;
  parentPath: string;
  path: string;
  table: CatalogResourceTable;
  parentColumn: string;
  order: string;
  render(db: Database, row: Row, parent: Row): Record<string, unknown>;
  create(ctx: EngineContext, eventId: number, parentId: number, body: unknown): number;
  update(ctx: EngineContext, eventId: number, parentId: number, id: number, body: unknown): void;
  remove(ctx: EngineContext, eventId: number, parentId: number, id: number): void;
}

function registerNested(app: FastifyInstance, engine: Engine, spec: NestedSpec): void {
  const base = `/api/v1/organizers/:organizer/events/:event/${spec.parentPath}/:parent/${spec.path}`;
  const loadChild = (db: Database, parentId: number, id: number) => {
    const row = childRecord(db, spec.table, spec.parentColumn, parentId, id);
    if (!row) throw notFound();
    return row;
  };
  const config = { config: { checkin: true } };
  app.get(`${base}/`, config, async (req) => {
    const event = eventOf(engine, req);
    const parentId = pathId(req, 'parent');
    return engine.read((ctx) => {
      const parent = load(ctx.db, spec.parentTable, event.id, parentId);
      const rows = childRecords(ctx.db, spec.table, spec.parentColumn, parentId, spec.order);
      return paginateList(
        req,
        rows.map((r) => spec.render(ctx.db, r, parent)),
      );
    });
  });
  app.get(`${base}/:id/`, config, async (req) => {
    const event = eventOf(engine, req);
    const parentId = pathId(req, 'parent');
    const id = pathId(req);
    return engine.read((ctx) => {
      const parent = load(ctx.db, spec.parentTable, event.id, parentId);
      return spec.render(ctx.db, loadChild(ctx.db, parentId, id), parent);
    });
  });
  app.post(`${base}/`, async (req, reply) => {
    const event = eventOf(engine, req);
    const parentId = pathId(req, 'parent');
    const body = command(engine, req, (ctx) => {
      load(ctx.db, spec.parentTable, event.id, parentId);
      const id = spec.create(ctx, event.id, parentId, req.body);
      return spec.render(
        ctx.db,
        loadChild(ctx.db, parentId, id),
        load(ctx.db, spec.parentTable, event.id, parentId),
      );
    });
    return created(reply, body);
  });
  const update = async (req: FastifyRequest) => {
    const event = eventOf(engine, req);
    const parentId = pathId(req, 'parent');
    const id = pathId(req);
    return command(engine, req, (ctx) => {
      load(ctx.db, spec.parentTable, event.id, parentId);
      loadChild(ctx.db, parentId, id);
      spec.update(ctx, event.id, parentId, id, req.body);
      return spec.render(
        ctx.db,
        loadChild(ctx.db, parentId, id),
        load(ctx.db, spec.parentTable, event.id, parentId),
      );
    });
  };
  app.patch(`${base}/:id/`, update);
  app.put(`${base}/:id/`, update);
  app.delete(`${base}/:id/`, async (req, reply) => {
    const event = eventOf(engine, req);
    const parentId = pathId(req, 'parent');
    const id = pathId(req);
    command(engine, req, (ctx) => {
      load(ctx.db, spec.parentTable, event.id, parentId);
      spec.remove(ctx, event.id, parentId, id);
    });
    return noContent(reply);
  });
}

function listOf(db: Database, table: CatalogResourceTable, eventId: number, order = 'id'): Row[] {
  return catalogRecords(db, table, eventId, order);
}

function itemFilter(req: FastifyRequest, rows: Row[]): Row[] {
  let out = rows;
  for (const flag of ['active', 'admission', 'free_price', 'require_approval'] as const) {
    const v = boolParam(req, flag);
    if (v !== undefined) out = out.filter((r) => bool(n(r[flag])) === v);
  }
  const category = queryParam(req, 'category');
  if (category !== undefined) out = out.filter((r) => String(r.category_id) === category);
  const tax = queryParam(req, 'tax_rate');
  if (tax !== undefined) out = out.filter((r) => r.tax_rule_id !== null);
  return out;
}

export function catalogItemRoutes(app: FastifyInstance, { engine }: ApiDeps): void {
  registerCrud(app, engine, {
    path: 'taxrules',
    table: 'tax_rules',
    list: (db, event) => listOf(db, 'tax_rules', event.id),
    render: (_db, row) => taxRuleResource(row),
    create: (ctx, event, body) => createTaxRule(ctx, event.id, taxRuleBody(body)),
    update: (ctx, event, id, body) => updateTaxRule(ctx, event.id, id, taxRulePatch(body)),
    remove: (ctx, event, id) => deleteTaxRule(ctx, event.id, id),
  });

  registerCrud(app, engine, {
    path: 'categories',
    table: 'categories',
    list: (db, event, req) => {
      const rows = listOf(db, 'categories', event.id, 'position, id');
      const addon = boolParam(req, 'is_addon');
      return addon === undefined ? rows : rows.filter((r) => bool(n(r.is_addon)) === addon);
    },
    render: (_db, row) => categoryResource(row),
    create: (ctx, event, body) => createCategory(ctx, event.id, categoryBody(body)),
    update: (ctx, event, id, body) => updateCategory(ctx, event.id, id, categoryPatch(body)),
    remove: (ctx, event, id) => deleteCategory(ctx, event.id, id),
  });

  registerCrud(app, engine, {
    path: 'items',
    table: 'items',
    list: (db, event, req) => itemFilter(req, listOf(db, 'items', event.id, 'position, id')),
    render: (db, row) => itemResource(db, row),
    create: (ctx, event, body) => createItem(ctx, event.id, itemBody(lookup(ctx), event.id, body)),
    update: (ctx, event, id, body) => updateItem(ctx, event.id, id, itemPatch(lookup(ctx), event.id, body)),
    remove: (ctx, event, id) => deleteItem(ctx, event.id, id),
  });

  registerNested(app, engine, {
    parentTable: 'items',
    parentPath: 'items',
    path: 'variations',
    table: 'item_variations',
    parentColumn: 'item_id',
    order: 'position, id',
    render: (_db, row, parent) => variationResource(row, s(parent.default_price) ?? '0.00'),
    create: (ctx, eventId, itemId, body) => createVariation(ctx, eventId, itemId, variationBody(body)),
    update: (ctx, eventId, itemId, id, body) =>
      updateVariation(ctx, eventId, itemId, id, variationPatch(body)),
    remove: (ctx, eventId, itemId, id) => deleteVariation(ctx, eventId, itemId, id),
  });

  registerNested(app, engine, {
    parentTable: 'items',
    parentPath: 'items',
    path: 'addons',
    table: 'item_addons',
    parentColumn: 'base_item_id',
    order: 'position, id',
    render: (_db, row) => addonResource(row),
    create: (ctx, eventId, itemId, body) => createAddon(ctx, eventId, itemId, addonBody(lookup(ctx), body)),
    update: (ctx, eventId, itemId, id, body) =>
      updateAddon(ctx, eventId, itemId, id, addonPatch(lookup(ctx), body)),
    remove: (ctx, eventId, itemId, id) => deleteAddon(ctx, eventId, itemId, id),
  });

  registerNested(app, engine, {
    parentTable: 'items',
    parentPath: 'items',
    path: 'bundles',
    table: 'item_bundles',
    parentColumn: 'base_item_id',
    order: 'id',
    render: (_db, row) => bundleResource(row),
    create: (ctx, eventId, itemId, body) => createBundle(ctx, eventId, itemId, bundleBody(lookup(ctx), body)),
    update: (ctx, eventId, itemId, id, body) =>
      updateBundle(ctx, eventId, itemId, id, bundlePatch(lookup(ctx), body)),
    remove: (ctx, eventId, itemId, id) => deleteBundle(ctx, eventId, itemId, id),
  });

  registerCrud(app, engine, {
    path: 'quotas',
    table: 'quotas',
    list: (db, event, req) => {
      let rows = listOf(db, 'quotas', event.id, 'id');
      const subevent = queryParam(req, 'subevent');
      if (subevent !== undefined) rows = rows.filter((r) => String(r.subevent_id) === subevent);
      const items = queryParam(req, 'items__in');
      if (items !== undefined) {
        const wanted = new Set(items.split(',').map((v) => Number(v)));
        rows = rows.filter((r) => quotaMembers(db, r.id).items.some((i) => wanted.has(i)));
      }
      return rows;
    },
    render: (db, row) => quotaResource(db, row as unknown as QuotaRow),
    renderList: (ctx, rows, req) => {
      const list = rows.map((r) => quotaResource(ctx.db, r as unknown as QuotaRow));
      if (queryParam(req, 'with_availability') !== 'true') return list;
      // pretix's with_availability: the state and units left as the quota counts them now.
      const availability = computeQuotaAvailability(
        ctx,
        rows.map((r) => r.id),
      );
      return list.map((q, i) => {
        const a = availability.get(rows[i]!.id);
        return { ...q, available: a?.state === AVAILABILITY_OK, available_number: a?.available ?? null };
      });
    },
    create: (ctx, event, body) => createQuota(ctx, event.id, quotaBody(lookup(ctx), event.id, body)),
    update: (ctx, event, id, body) => updateQuota(ctx, event.id, id, quotaPatch(lookup(ctx), event.id, body)),
    remove: (ctx, event, id) => deleteQuota(ctx, event.id, id),
  });

  registerCrud(app, engine, {
    path: 'questions',
    table: 'questions',
    list: (db, event) => listOf(db, 'questions', event.id, 'position, id'),
    render: (db, row) => questionResource(db, row),
    create: (ctx, event, body) => createQuestion(ctx, event.id, questionBody(lookup(ctx), event.id, body)),
    update: (ctx, event, id, body) =>
      updateQuestion(ctx, event.id, id, questionPatch(lookup(ctx), event.id, body)),
    remove: (ctx, event, id) => deleteQuestion(ctx, event.id, id),
  });

  registerNested(app, engine, {
    parentTable: 'questions',
    parentPath: 'questions',
    path: 'options',
    table: 'question_options',
    parentColumn: 'question_id',
    order: 'position, id',
    render: (_db, row) => optionResource(row),
    create: (ctx, eventId, qid, body) => createQuestionOption(ctx, eventId, qid, optionBody(body)),
    update: (ctx, eventId, qid, id, body) => updateQuestionOption(ctx, eventId, qid, id, optionPatch(body)),
    remove: (ctx, eventId, qid, id) => deleteQuestionOption(ctx, eventId, qid, id),
  });
}
