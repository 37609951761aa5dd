import { z } from 'zod';
import {
  createEvent,
  createItem,
  createQuestion,
  createQuestionOption,
  createQuota,
  createSubevent,
  createTaxRule,
  createVariation,
  deleteItem,
  deleteQuestion,
  deleteQuestionOption,
  deleteQuota,
  deleteSubevent,
  deleteTaxRule,
  deleteVariation,
  findEvent,
  updateEvent,
  updateItem,
  updateQuestion,
  updateQuestionOption,
  updateQuota,
  updateSubevent,
  updateTaxRule,
  updateVariation,
  type EventRow,
} from '../../engine/catalog';
import {
  checkinListLookups,
  createCheckinList,
  deleteCheckinList,
  updateCheckinList,
} from '../../engine/checkin';
import { checkinListBody } from '../../api/schemas/checkin';
import { eventBody, eventPatch, slugsOfOrganizer } from '../../api/schemas/catalog-events';
import type { EngineContext } from '../../engine/context';
import { invalidFields, notFound } from '../../engine/errors';
import { parseMoney } from '../../engine/money';
import { ensureDefaultOrganizer } from '../../engine/organizers';
import { SETUP_KINDS, type SetupKind } from '../../../shared/contract';
import * as items from '../../api/schemas/catalog-items';
import * as questions from '../../api/schemas/catalog-questions';
import * as series from '../../api/schemas/catalog-series';
import { quotaBody, quotaPatch } from '../../api/schemas/catalog-quotas';
import { eventsOfObjects as lookup } from '../../api/schemas/catalog-fields';
import { defineMethods } from '../registry';

const id = z.number().int().positive();
/** A pretix API request body: the catalog commands validate it field by field in pretix's words. */
const body = z.record(z.string(), z.unknown());

function requireEvent(ctx: EngineContext, eventId: number): EventRow {
  const event = findEvent(ctx.db, eventId);
  if (!event) throw notFound(`There is no event ${eventId}.`);
  return event;
}

function itemOf(parentId: number | null): number {
  if (parentId === null) throw notFound('A variation needs its item.');
  return parentId;
}

const PRICE_FIELDS: Partial<Record<SetupKind, string[]>> = {
  item: ['default_price'],
  variation: ['default_price'],
};

/**
 * The desk sells nothing below zero: a negative price is refused here, although pretix's API (which the
 * REST door follows) accepts one. Tax rates are held to pretix's 0–100 % by the engine for every door.
 */
function refuseNegativePrices(kind: SetupKind, data: Record<string, unknown>): void {
  for (const field of PRICE_FIELDS[kind] ?? []) {
    const value = data[field];
    const parsed = typeof value === 'string' || typeof value === 'number' ? parseMoney(value) : undefined;
    if (parsed?.isNegative()) {
      throw invalidFields(
        'negative_price',
        { [field]: ['A price cannot be negative.'] },
        'A price cannot be negative.',
      );
    }
  }
}

/** What a check-in list's fields name, in the event's time zone, to read them as the REST door does. */
function listLookups(ctx: EngineContext, eventId: number) {
  return { ...checkinListLookups(ctx.db), timeZone: findEvent(ctx.db, eventId)?.timezone ?? 'UTC' };
}

function questionOf(parentId: number | null): number {
  if (parentId === null) throw notFound('A choice needs its question.');
  return parentId;
}

/**
 * Setup writes through the catalog and check-in commands, with pretix's request bodies, so the desk
 * validates exactly as the REST API does.
 */
function create(
  ctx: EngineContext,
  kind: SetupKind,
  eventId: number,
  parentId: number | null,
  data: Record<string, unknown>,
): number {
  if (kind !== 'event') requireEvent(ctx, eventId);
  switch (kind) {
    case 'event': {
      const organizerId = ensureDefaultOrganizer(ctx).id;
      return createEvent(ctx, organizerId, eventBody(slugsOfOrganizer(ctx, organizerId), data)).id;
    }
    case 'subevent':
      return createSubevent(ctx, eventId, series.subeventBody(lookup(ctx), eventId, data));
    case 'item':
      return createItem(ctx, eventId, items.itemBody(lookup(ctx), eventId, data));
    case 'variation':
      return createVariation(ctx, eventId, itemOf(parentId), items.variationBody(data));
    case 'quota':
      return createQuota(ctx, eventId, quotaBody(lookup(ctx), eventId, data));
    case 'question':
      return createQuestion(ctx, eventId, questions.questionBody(lookup(ctx), eventId, data));
    case 'tax_rule':
      return createTaxRule(ctx, eventId, items.taxRuleBody(data));
    case 'checkin_list':
      return createCheckinList(ctx, {
        eventId,
        data: checkinListBody(data, listLookups(ctx, eventId), 'create'),
      }).id;
    case 'question_option':
      return createQuestionOption(ctx, eventId, questionOf(parentId), questions.optionBody(data));
  }
}

function update(
  ctx: EngineContext,
  kind: SetupKind,
  eventId: number,
  parentId: number | null,
  objectId: number,
  data: Record<string, unknown>,
): void {
  requireEvent(ctx, eventId);
  switch (kind) {
    case 'event':
      updateEvent(ctx, objectId, eventPatch(ctx, requireEvent(ctx, objectId), data));
      return;
    case 'subevent':
      return updateSubevent(ctx, eventId, objectId, series.subeventPatch(lookup(ctx), eventId, data));
    case 'item':
      return updateItem(ctx, eventId, objectId, items.itemPatch(lookup(ctx), eventId, data));
    case 'variation':
      return updateVariation(ctx, eventId, itemOf(parentId), objectId, items.variationPatch(data));
    case 'quota':
      return updateQuota(ctx, eventId, objectId, quotaPatch(lookup(ctx), eventId, data));
    case 'question':
      return updateQuestion(ctx, eventId, objectId, questions.questionPatch(lookup(ctx), eventId, data));
    case 'tax_rule':
      return updateTaxRule(ctx, eventId, objectId, items.taxRulePatch(data));
    case 'checkin_list':
      updateCheckinList(ctx, {
        eventId,
        listId: objectId,
        data: checkinListBody(data, listLookups(ctx, eventId), 'update'),
      });
      return;
    case 'question_option':
      return updateQuestionOption(ctx, eventId, questionOf(parentId), objectId, questions.optionPatch(data));
  }
}

function remove(
  ctx: EngineContext,
  kind: Exclude<SetupKind, 'event'>,
  eventId: number,
  parentId: number | null,
  objectId: number,
): void {
  requireEvent(ctx, eventId);
  switch (kind) {
    case 'subevent':
      return deleteSubevent(ctx, eventId, objectId);
    case 'item':
      return deleteItem(ctx, eventId, objectId);
    case 'variation':
      return deleteVariation(ctx, eventId, itemOf(parentId), objectId);
    case 'quota':
      return deleteQuota(ctx, eventId, objectId);
    case 'question':
      return deleteQuestion(ctx, eventId, objectId);
    case 'tax_rule':
      return deleteTaxRule(ctx, eventId, objectId);
    case 'checkin_list':
      return deleteCheckinList(ctx, { eventId, listId: objectId });
    case 'question_option':
      return deleteQuestionOption(ctx, eventId, questionOf(parentId), objectId);
  }
}

const kind = z.enum(SETUP_KINDS);

export const setupMethods = defineMethods({
  'setup.create': {
    input: z.object({ kind, eventId: id.nullable(), parentId: id.nullable(), body }),
    run: (env, input) => ({
      id: env.engine.command((ctx) => {
        refuseNegativePrices(input.kind, input.body);
        return create(ctx, input.kind, input.eventId ?? 0, input.parentId, input.body);
      }, env.actor),
    }),
  },
  'setup.update': {
    input: z.object({ kind, eventId: id, parentId: id.nullable(), id, body }),
    run(env, input) {
      env.engine.command((ctx) => {
        refuseNegativePrices(input.kind, input.body);
        return update(ctx, input.kind, input.eventId, input.parentId, input.id, input.body);
      }, env.actor);
      return { id: input.id };
    },
  },
  'setup.delete': {
    input: z.object({ kind: kind.exclude(['event']), eventId: id, parentId: id.nullable(), id }),
    run(env, input) {
      env.engine.command(
        (ctx) => remove(ctx, input.kind, input.eventId, input.parentId, input.id),
        env.actor,
      );
      return { id: input.id };
    },
  },
});
