import type { FastifyInstance, FastifyRequest } from 'fastify';
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
import { eventsOfObjects as lookup } from '../schemas/catalog-fields';
import { AVAILABILITY_OK, computeQuotaAvailability } from '../../engine/quotas';
import type { ApiDeps } from '../context';
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
import {
  addonResource,
  bundleResource,
  categoryResource,
  itemResource,
  optionResource,
  questionResource,
  quotaResource,
  taxRuleResource,
  variationResource,
  type CatalogResourceRow as Row,
} from '../resources/catalog';
import { flagFilter, queryParam } from './catalog-common';
import { registerCrud, registerNested } from './catalog-crud';

function itemFilter(req: FastifyRequest, rows: Row[]): Row[] {
  let out = flagFilter(req, rows, ['active', 'admission', 'free_price', 'require_approval']);
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
    render: (_db, row) => taxRuleResource(row),
    create: (ctx, event, body) => createTaxRule(ctx, event.id, taxRuleBody(body)),
    update: (ctx, event, id, body) => updateTaxRule(ctx, event.id, id, taxRulePatch(body)),
    remove: (ctx, event, id) => deleteTaxRule(ctx, event.id, id),
  });

  registerCrud(app, engine, {
    path: 'categories',
    table: 'categories',
    order: 'position, id',
    filter: (req, rows) => flagFilter(req, rows, ['is_addon']),
    render: (_db, row) => categoryResource(row),
    create: (ctx, event, body) => createCategory(ctx, event.id, categoryBody(body)),
    update: (ctx, event, id, body) => updateCategory(ctx, event.id, id, categoryPatch(body)),
    remove: (ctx, event, id) => deleteCategory(ctx, event.id, id),
  });

  registerCrud(app, engine, {
    path: 'items',
    table: 'items',
    order: 'position, id',
    filter: itemFilter,
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
    render: (_db, row, parent) => variationResource(row, String(parent.default_price ?? '0.00')),
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
    filter: (req, all, db) => {
      let rows = all;
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
    order: 'position, id',
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
