import type { ReadableDB } from '../db/handles';
import {
  allEvents,
  checkinListsOfEvent,
  itemsOfEvent,
  optionsOfQuestion,
  questionsOfEvent,
  quotaIdsOfItem,
  quotaIdsOfVariation,
  questionText,
  quotaNamesOfEvent,
  sellableItems,
  sellableVariations,
  subeventsOfEvent,
  taxRulesOfEvent,
  variationsOfItem,
  visibleQuestionsOfItem,
} from '../db/queries/desk-catalog';
import { quotaItemIds } from '../db/queries/catalog/quotas';
import { questionItemIds } from '../db/queries/catalog/resources';
import { notFound } from '../errors';
import { moneyText } from '../money';
import { quotasOfEvent, readQuotaAvailability } from '../quotas/availability';
import { i18nText } from '../i18n';

/**
 * The catalog as the desk's screens show it: events, the sales screen's tiles with live availability
 * and the Setup screen's view of an event. Read models only; every change goes through a command.
 */

export interface EventSummary {
  id: number;
  slug: string;
  name: string;
  currency: string;
  dateFrom: string | null;
  hasSubevents: boolean;
  live: boolean;
  subevents: { id: number; name: string; dateFrom: string; active: boolean }[];
}

export type Availability = 'ok' | 'low' | 'sold_out' | 'unlimited';

export interface QuestionView {
  id: number;
  identifier: string;
  question: string;
  type: string;
  required: boolean;
  options: { id: number; identifier: string; answer: string }[];
}

export interface ProductTile {
  itemId: number;
  variationId: number | null;
  name: string;
  price: string;
  admission: boolean;
  requireApproval: boolean;
  /** Free places across the item's quotas (the smallest); null where no quota limits it. */
  free: number | null;
  /** What no quota covers cannot be sold, as in pretix. */
  availability: Availability | 'no_quota';
  questions: QuestionView[];
}

export interface SetupEventView extends EventSummary {
  items: {
    id: number;
    name: string;
    price: string;
    active: boolean;
    admission: boolean;
    requireApproval: boolean;
    taxRuleId: number | null;
    variations: { id: number; value: string; price: string | null }[];
  }[];
  quotas: {
    id: number;
    name: string;
    size: number | null;
    paid: number;
    pending: number;
    reserved: number;
    free: number | null;
    subeventId: number | null;
    items: number[];
  }[];
  questions: {
    id: number;
    question: string;
    type: string;
    required: boolean;
    items: number[];
    options: { id: number; answer: string }[];
  }[];
  taxRules: { id: number; name: string; rate: string }[];
  checkinLists: { id: number; name: string; allProducts: boolean }[];
}

export function deskEvents(db: ReadableDB, locale: string): EventSummary[] {
  return allEvents(db).map((e) => ({
    id: e.id,
    slug: e.slug,
    name: i18nText(e.name, locale) || e.slug,
    currency: e.currency,
    dateFrom: e.date_from,
    hasSubevents: e.has_subevents === 1,
    live: e.live === 1,
    subevents: subeventsOfEvent(db, e.id).map((s) => ({
      id: s.id,
      name: i18nText(s.name, locale),
      dateFrom: s.date_from,
      active: s.active === 1,
    })),
  }));
}

interface QuotaState {
  id: number;
  size: number | null;
  paid: number;
  pending: number;
  /** Held by unexpired carts and by vouchers that block quota. */
  reserved: number;
  /** What a sale could still take now (0 when closed); null when unlimited. */
  free: number | null;
}

/** Each quota as the engine counts it when it checks a sale (quotas/availability.ts). */
function quotaStates(db: ReadableDB, eventId: number, subeventId: number | null, now: string): QuotaState[] {
  return quotasOfEvent(db, eventId, subeventId).map((q) => {
    const a = readQuotaAvailability(db, q, now);
    return {
      id: q.id,
      size: q.size,
      paid: a.paidOrders,
      pending: a.pendingOrders,
      reserved: a.cartPositions + a.blockingVouchers,
      free: a.available === null ? null : Math.max(0, a.available),
    };
  });
}

/** How many places are "low": a tenth of the quota, at least 1 and at most 10. */
export function availabilityOf(free: number | null, size: number | null): Availability {
  if (free === null) return 'unlimited';
  if (free <= 0) return 'sold_out';
  const threshold = Math.min(10, Math.max(1, Math.ceil((size ?? 0) / 10)));
  return free <= threshold ? 'low' : 'ok';
}

export function questionsFor(db: ReadableDB, itemId: number, locale: string): QuestionView[] {
  return visibleQuestionsOfItem(db, itemId).map((q) => ({
    id: q.id,
    identifier: q.identifier,
    question: i18nText(q.question, locale),
    type: q.type,
    required: q.required === 1,
    options: optionsOfQuestion(db, q.id).map((o) => ({
      id: o.id,
      identifier: o.identifier,
      answer: i18nText(o.answer, locale),
    })),
  }));
}

/** A question's text in the desk's language; undefined when there is no such question. */
export function questionTextOf(db: ReadableDB, questionId: number, locale: string): string | undefined {
  const text = questionText(db, questionId);
  return text === undefined ? undefined : i18nText(text, locale);
}

/** The sales screen's tiles: active items (and their variations) with price and live availability. */
export function salesTiles(
  db: ReadableDB,
  input: { eventId: number; subeventId: number | null },
  now: Date,
  locale: string,
): ProductTile[] {
  const quotas = quotaStates(db, input.eventId, input.subeventId, now.toISOString());
  const byId = new Map(quotas.map((q) => [q.id, q]));
  const tile = (quotaIds: number[]): Pick<ProductTile, 'free' | 'availability'> => {
    const states = quotaIds.map((id) => byId.get(id)).filter((q): q is QuotaState => q !== undefined);
    if (states.length === 0) return { free: 0, availability: 'no_quota' };
    let worst: QuotaState | undefined;
    let free: number | null = null;
    for (const q of states) {
      if (q.free !== null && (free === null || q.free < free)) {
        free = q.free;
        worst = q;
      }
    }
    return { free, availability: availabilityOf(free, worst?.size ?? null) };
  };
  const tiles: ProductTile[] = [];
  for (const item of sellableItems(db, input.eventId, input.subeventId)) {
    if (item.disabled) continue;
    const name = i18nText(item.name, locale);
    const questions = questionsFor(db, item.id, locale);
    const vars = sellableVariations(db, item.id, input.subeventId);
    if (vars.length === 0) {
      tiles.push({
        itemId: item.id,
        variationId: null,
        name,
        price: moneyText(item.subevent_price ?? item.default_price),
        admission: item.admission === 1,
        requireApproval: item.require_approval === 1,
        questions,
        ...tile(quotaIdsOfItem(db, item.id, input.subeventId)),
      });
      continue;
    }
    for (const v of vars) {
      if (v.disabled) continue;
      tiles.push({
        itemId: item.id,
        variationId: v.id,
        name: `${name} – ${i18nText(v.value, locale)}`,
        price: moneyText(v.subevent_price ?? v.default_price ?? item.default_price),
        admission: item.admission === 1,
        requireApproval: item.require_approval === 1 || v.require_approval === 1,
        questions,
        ...tile(quotaIdsOfVariation(db, v.id, input.subeventId)),
      });
    }
  }
  return tiles;
}

/** The Setup screen's view of one event: its items, quotas with live counts, questions, taxes, lists. */
export function setupEvent(db: ReadableDB, eventId: number, now: Date, locale: string): SetupEventView {
  const event = deskEvents(db, locale).find((e) => e.id === eventId);
  if (!event) throw notFound(`There is no event ${eventId}.`);
  const quotas = quotaNamesOfEvent(db, eventId);
  const states = new Map<number, QuotaState>();
  for (const sub of new Set(quotas.map((q) => q.subevent_id))) {
    for (const s of quotaStates(db, eventId, sub, now.toISOString())) states.set(s.id, s);
  }
  return {
    ...event,
    items: itemsOfEvent(db, eventId).map((i) => ({
      id: i.id,
      name: i18nText(i.name, locale),
      price: i.default_price,
      active: i.active === 1,
      admission: i.admission === 1,
      requireApproval: i.require_approval === 1,
      taxRuleId: i.tax_rule_id,
      variations: variationsOfItem(db, i.id).map((v) => ({
        id: v.id,
        value: i18nText(v.value, locale),
        price: v.default_price,
      })),
    })),
    quotas: quotas.map((q) => {
      const s = states.get(q.id)!;
      return {
        id: q.id,
        name: q.name,
        size: s.size,
        paid: s.paid,
        pending: s.pending,
        reserved: s.reserved,
        free: s.free,
        subeventId: q.subevent_id,
        items: quotaItemIds(db, q.id),
      };
    }),
    questions: questionsOfEvent(db, eventId).map((q) => ({
      id: q.id,
      question: i18nText(q.question, locale),
      type: q.type,
      required: q.required === 1,
      items: questionItemIds(db, q.id),
      options: optionsOfQuestion(db, q.id).map((o) => ({ id: o.id, answer: i18nText(o.answer, locale) })),
    })),
    taxRules: taxRulesOfEvent(db, eventId).map((t) => ({
      id: t.id,
      name: i18nText(t.name, locale),
      rate: t.rate,
    })),
    checkinLists: checkinListsOfEvent(db, eventId).map((l) => ({
      id: l.id,
      name: l.name,
      allProducts: l.all_products === 1,
    })),
  };
}
