import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import {
  addonsOfSecret,
  annulScan,
  eventDatesAndZone,
  failedScanByNonce,
  hasSuccessfulScanWithNonce,
  insertScan,
  itemCheckinFlags,
  orderOfPosition,
  organizerIdOfEvent,
  positionOfEvent,
  positionsById,
  positionsBySecret,
  rawReferenceExists,
  scansByNonce,
  subeventDates,
  successfulCheckinsOnList,
  touchOrderModified,
  variationCheckinFlags,
  type EarlierCheckin,
  type ScannedPosition,
} from '../db/queries/checkin/scans';
import { EngineError, invalidFields, refusedList } from '../errors';
import type { JsonValue } from '../json';
import {
  answeredQuestionIds,
  checkinQuestionsFor,
  cleanAnswer,
  saveAnswers,
  type CleanAnswer,
} from './checkin-questions';
import { getCheckinList, listAdmitsProduct, type CheckinList } from './lists';
import { RuleEvaluator, rulesAreEmpty } from './rules';

/** Why a scan is refused; pretixSCAN maps each to its own screen. */
export type RefusalReason =
  | 'invalid'
  | 'revoked'
  | 'canceled'
  | 'blocked'
  | 'invalid_time'
  | 'product'
  | 'unapproved'
  | 'unpaid'
  | 'rules'
  | 'ambiguous'
  | 'already_redeemed'
  | 'error';

export const FAILED_CHECKIN_REASONS = [
  'invalid',
  'canceled',
  'unpaid',
  'product',
  'rules',
  'revoked',
  'blocked',
  'invalid_time',
  'already_redeemed',
  'ambiguous',
  'unapproved',
  'exchange',
  'error',
  'annulled',
] as const;

export type CheckinType = 'entry' | 'exit';

export interface RedeemInput {
  organizerId: number;
  /** The scanned code: a secret, or on the legacy endpoint for trusted callers a position id. */
  secret: string;
  /** The lists (check-in list ids) to redeem on, one per event. */
  lists: number[];
  type?: CheckinType;
  /** When the scan happened (offline uploads); default now. */
  datetime?: Date;
  force?: boolean;
  ignoreUnpaid?: boolean;
  /** Whether the scanner asks questions itself (default true): unanswered questions make it `incomplete`. */
  questionsSupported?: boolean;
  canceledSupported?: boolean;
  nonce?: string;
  /** Answers given at the door, by question id. */
  answers?: Record<string, JsonValue>;
  /** The scanning device (devices.id) and its gate. */
  deviceId?: number | null;
  gateId?: number | null;
  /** Events the caller may see (a device limited to some events); undefined: all of the organizer. */
  visibleEventIds?: number[];
  /** Legacy per-list endpoint: a numeric input may be a position id; `+` retried as spaces. */
  legacy?: { trusted: boolean };
}

export interface RedeemResult {
  status: 'ok' | 'error' | 'incomplete';
  /** The HTTP status pretix answers with: 201, 400 or 404. */
  httpStatus: 201 | 400 | 404;
  reason?: RefusalReason;
  reasonExplanation: string | null;
  requireAttention: boolean;
  checkinTexts: string[];
  positionId: number | null;
  list: CheckinList;
  /** All lists of the request; the position's check-ins are shown for these. */
  listIds: number[];
  /** Questions still to answer, when `incomplete`. */
  questionIds: number[];
  /** The check-in created (absent for a repeated nonce or a refusal). */
  checkinId?: number;
}

/** pretix's media types a scan may come from (`source_type`; `barcode` when none is given). */
export const SOURCE_TYPES = ['barcode', 'nfc_uid', 'nfc_mf0aes'] as const;

/**
 * The requested lists as pretix's redeem serializer and view check them: each one the caller's (the door
 * parsed and looked them up; a list deleted since is unknown again here), at least one, one per event.
 */
function resolveLists(
  db: ReadableDB,
  organizerId: number,
  ids: number[],
  visibleEventIds?: number[],
): CheckinList[] {
  const lists: CheckinList[] = [];
  for (const id of ids) {
    const list = getCheckinList(db, id);
    if (!list || !listVisible(db, list, organizerId, visibleEventIds))
      throw invalidFields('invalid', { lists: [`Invalid pk "${id}" - object does not exist.`] });
    lists.push(list);
  }
  if (lists.length === 0) throw refusedList('no_list', 'No check-in list passed.');
  const events = new Set(lists.map((l) => l.event_id));
  if (events.size !== lists.length)
    throw refusedList('two_lists', 'Selecting two check-in lists from the same event is unsupported.');
  return lists;
}

function listVisible(
  db: ReadableDB,
  list: CheckinList,
  organizerId: number,
  visibleEventIds: number[] | undefined,
): boolean {
  return (
    organizerIdOfEvent(db, list.event_id) === organizerId &&
    (visibleEventIds === undefined || visibleEventIds.includes(list.event_id))
  );
}

/** The event of a list the caller may redeem on (the organizer's, among the events it sees), if any. */
export function eventOfRedeemableList(
  db: ReadableDB,
  input: { organizerId: number; listId: number; visibleEventIds?: number[] },
): number | undefined {
  const list = getCheckinList(db, input.listId);
  return list && listVisible(db, list, input.organizerId, input.visibleEventIds) ? list.event_id : undefined;
}

function findCandidates(
  db: ReadableDB,
  code: string,
  lists: CheckinList[],
  legacyTrusted: boolean,
): ScannedPosition[] {
  // The lists' positions, as pretix's CheckinList.position_query scopes them: the list's event and, for a
  // list bound to one date, that date only. A ticket of another date is not found at all (reason invalid).
  const found = positionsBySecret(db, lists, code);
  const addonLists = lists.filter((l) => l.addon_match);
  if (addonLists.length) {
    for (const a of addonsOfSecret(db, addonLists, code))
      if (!found.some((f) => f.id === a.id)) found.push(a);
  }
  if (legacyTrusted && /^\d+$/.test(code)) {
    for (const p of positionsById(db, lists, Number(code)))
      if (!found.some((f) => f.id === p.id)) found.push(p);
  }
  return found;
}

function touchOrder(ctx: EngineContext, orderId: number): void {
  touchOrderModified(ctx.db, orderId, ctx.now.toISOString());
}

function successfulCheckins(db: ReadableDB, positionId: number, listId: number): EarlierCheckin[] {
  return successfulCheckinsOnList(db, positionId, listId);
}

function itemFlags(db: ReadableDB, p: ScannedPosition): { attention: boolean; texts: string[] } {
  const item = itemCheckinFlags(db, p.item_id);
  const variation = p.variation_id ? variationCheckinFlags(db, p.variation_id) : undefined;
  const attention =
    p.order_checkin_attention === 1 || item.checkin_attention === 1 || variation?.checkin_attention === 1;
  const texts = [p.order_checkin_text, variation?.checkin_text ?? null, item.checkin_text].filter(
    (t): t is string => typeof t === 'string' && t.trim() !== '',
  );
  return { attention, texts };
}

function formatInZone(date: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}

interface Refusal {
  reason: RefusalReason;
  explanation: string | null;
}

/** The checks of pretix's `perform_checkin` before the entry rule, in its order; the first failure wins. */
function firstFailure(
  db: ReadableDB,
  p: ScannedPosition,
  list: CheckinList,
  type: CheckinType,
  at: Date,
  options: { ignoreUnpaid: boolean; canceledSupported: boolean; gateId: number | null },
): Refusal | undefined {
  const event = eventDatesAndZone(db, p.event_id);
  if (p.canceled === 1 || (p.order_status !== 'p' && p.order_status !== 'n'))
    return { reason: options.canceledSupported ? 'canceled' : 'unpaid', explanation: null };
  const blocked = p.blocked ? (JSON.parse(p.blocked) as unknown) : null;
  if (Array.isArray(blocked) && blocked.length > 0) return { reason: 'blocked', explanation: null };
  if (type === 'entry') {
    if (p.valid_from && new Date(p.valid_from).getTime() > at.getTime())
      return {
        reason: 'invalid_time',
        explanation: `This ticket is only valid after ${formatInZone(new Date(p.valid_from), event.timezone)}.`,
      };
    if (p.valid_until && new Date(p.valid_until).getTime() < at.getTime())
      return {
        reason: 'invalid_time',
        explanation: `This ticket was only valid before ${formatInZone(new Date(p.valid_until), event.timezone)}.`,
      };
  }
  if (!list.all_products && !list.limit_products.includes(p.item_id))
    return { reason: 'product', explanation: null };
  if (list.subevent_id !== null && p.subevent_id !== list.subevent_id)
    return { reason: 'product', explanation: null };
  if (p.order_status !== 'p' && p.require_approval === 1) return { reason: 'unapproved', explanation: null };
  if (
    p.order_status !== 'p' &&
    p.valid_if_pending !== 1 &&
    !(options.ignoreUnpaid && list.include_pending && p.order_status === 'n')
  )
    return { reason: 'unpaid', explanation: null };
  if (type === 'entry' && !rulesAreEmpty(list.rules)) {
    const dates = p.subevent_id ? subeventDates(db, p.subevent_id) : event;
    const earlier = successfulCheckins(db, p.id, list.id);
    const evaluator = new RuleEvaluator({
      product: p.item_id,
      variation: p.variation_id,
      gate: options.gateId,
      now: at,
      timezone: event.timezone,
      entries: earlier
        .filter((c) => c.type === 'entry')
        .map((c) => new Date(c.datetime))
        .sort((a, b) => a.getTime() - b.getTime()),
      lastType: earlier[0]?.type ?? null,
      dates,
    });
    if (!evaluator.passes(list.rules)) return { reason: 'rules', explanation: evaluator.explain(list.rules) };
  }
  return undefined;
}

/** The scan itself: what was scanned, how, when and where; every check-in row of one redeem shares it. */
interface Scan {
  type: CheckinType;
  at: Date;
  nonce: string | null;
  deviceId: number | null;
  gateId: number | null;
  rawBarcode: string;
}

function storeFailed(
  ctx: EngineContext,
  scan: Scan,
  refusal: {
    listId: number;
    positionId: number | null;
    reason: string;
    explanation: string | null;
    forced: boolean;
  },
): number {
  const row = { ...scan, ...refusal };
  return insertScan(ctx.db, {
    list_id: row.listId,
    position_id: row.positionId,
    type: row.type,
    datetime: row.at.toISOString(),
    created: ctx.now.toISOString(),
    nonce: row.nonce,
    device_id: row.deviceId,
    gate_id: row.gateId,
    forced: row.forced ? 1 : 0,
    error_reason: row.reason,
    error_explanation: row.explanation,
    raw_barcode: row.rawBarcode,
    successful: 0,
    raw_item_id: null,
    raw_variation_id: null,
    raw_subevent_id: null,
  });
}

/**
 * Redeems a scanned ticket on one or more check-in lists (one per event), as pretix's checkinrpc/redeem.
 * Request errors throw (4xx, nothing changed); a refusal is a result with its reason and is recorded as a
 * failed check-in, committed with any answers given.
 */
export function redeem(ctx: EngineContext, input: RedeemInput): RedeemResult {
  const legacy = input.legacy !== undefined;
  const type = input.type ?? 'entry';
  const lists = resolveLists(ctx.db, input.organizerId, input.lists, input.visibleEventIds);
  const code = input.secret;
  const at = input.datetime ?? ctx.now;
  const force = input.force ?? false;
  const ignoreUnpaid = input.ignoreUnpaid ?? false;
  const questionsSupported = input.questionsSupported ?? true;
  const canceledSupported = input.canceledSupported ?? true;
  const nonce = input.nonce || null;
  const deviceId = input.deviceId ?? null;
  const gateId = input.gateId ?? null;
  const answersInput = input.answers ?? {};
  const scan: Scan = { type, at, nonce, deviceId, gateId, rawBarcode: code };
  const listIds = lists.map((l) => l.id);
  const base = { listIds, questionIds: [] as number[] };

  let candidates = findCandidates(ctx.db, code, lists, legacy && input.legacy!.trusted);
  if (candidates.length === 0 && legacy && code.includes('+'))
    candidates = findCandidates(ctx.db, code.replace(/\+/g, ' '), lists, false);

  if (candidates.length === 0) {
    storeFailed(ctx, scan, {
      listId: lists[0]!.id,
      positionId: null,
      reason: 'invalid',
      explanation: null,
      forced: force,
    });
    return {
      ...base,
      status: 'error',
      httpStatus: 404,
      reason: 'invalid',
      reasonExplanation: null,
      requireAttention: false,
      checkinTexts: [],
      positionId: null,
      list: lists[0]!,
    };
  }

  const listOf = (p: ScannedPosition) => lists.find((l) => l.event_id === p.event_id)!;
  let position = candidates[0]!;
  if (candidates.length > 1) {
    const admitted = candidates.filter((c) => listAdmitsProduct(listOf(c), c));
    if (admitted.length === 1) position = admitted[0]!;
    else if (admitted.length > 1) {
      const list = listOf(admitted[0]!);
      storeFailed(ctx, scan, {
        listId: list.id,
        positionId: admitted[0]!.id,
        reason: 'ambiguous',
        explanation: null,
        forced: force,
      });
      const flags = itemFlags(ctx.db, admitted[0]!);
      return {
        ...base,
        status: 'error',
        httpStatus: 400,
        reason: 'ambiguous',
        reasonExplanation: null,
        requireAttention: flags.attention,
        checkinTexts: flags.texts,
        positionId: admitted[0]!.id,
        list,
      };
    }
  }
  const list = listOf(position);
  const flags = itemFlags(ctx.db, position);
  const answer = (
    status: RedeemResult['status'],
    httpStatus: RedeemResult['httpStatus'],
    extra: Partial<RedeemResult> = {},
  ): RedeemResult => ({
    ...base,
    status,
    httpStatus,
    reasonExplanation: null,
    requireAttention: flags.attention,
    checkinTexts: flags.texts,
    positionId: position.id,
    list,
    ...extra,
  });

  const refusal = firstFailure(ctx.db, position, list, type, at, { ignoreUnpaid, canceledSupported, gateId });
  // A canceled ticket keeps its answers untouched; pretix stops before looking at them.
  const canceled =
    refusal && (refusal.reason === 'canceled' || (!canceledSupported && position.canceled === 1));

  // Answers given at the door are validated and kept even when the scan fails afterwards.
  let missing: number[] = [];
  if (type === 'entry' && !(canceled && !force)) {
    const questions = checkinQuestionsFor(ctx.db, position.event_id, position.item_id);
    if (questions.length) {
      const stored = answeredQuestionIds(ctx.db, position.id);
      const given = new Map<number, CleanAnswer>();
      for (const q of questions) {
        if (!(String(q.id) in answersInput)) continue;
        const clean = cleanAnswer(ctx.db, q, answersInput[String(q.id)]);
        if (clean !== undefined) given.set(q.id, clean);
      }
      missing = questions.filter((q) => !given.has(q.id) && !stored.has(q.id)).map((q) => q.id);
      if (saveAnswers(ctx, position.id, given)) touchOrder(ctx, position.order_id);
    }
  }

  const earlier = successfulCheckins(ctx.db, position.id, list.id);
  if (refusal && !force) {
    storeFailed(ctx, scan, {
      listId: list.id,
      positionId: position.id,
      reason: refusal.reason,
      explanation: refusal.explanation,
      forced: false,
    });
    ctx.audit({
      eventId: position.event_id,
      objectType: 'order',
      objectId: position.order_id,
      actionType: 'pretix.event.checkin.denied',
      data: {
        position: position.id,
        positionid: position.positionid,
        reason: refusal.reason,
        list: list.id,
        type,
      },
    });
    return answer('error', 400, { reason: refusal.reason, reasonExplanation: refusal.explanation });
  }
  if (missing.length && questionsSupported && !force)
    return answer('incomplete', 400, { questionIds: missing });

  const entryAllowed =
    type === 'exit' ||
    list.allow_multiple_entries ||
    earlier.length === 0 ||
    earlier.every((c) => c.type === 'exit') ||
    (list.allow_entry_after_exit && earlier[0]!.type === 'exit');

  if (nonce) {
    const newest = earlier[0];
    const sameNonce = hasSuccessfulScanWithNonce(ctx.db, {
      positionId: position.id,
      listId: list.id,
      type,
      deviceId,
      nonce,
    });
    if ((newest && newest.nonce === nonce) || sameNonce) return answer('ok', 201);
  }

  if (!entryAllowed && !force) {
    storeFailed(ctx, scan, {
      listId: list.id,
      positionId: position.id,
      reason: 'already_redeemed',
      explanation: null,
      forced: false,
    });
    return answer('error', 400, { reason: 'already_redeemed' });
  }

  const forced = force && (!entryAllowed || refusal !== undefined);
  const checkinId = insertScan(ctx.db, {
    list_id: list.id,
    position_id: position.id,
    type,
    datetime: at.toISOString(),
    created: ctx.now.toISOString(),
    nonce,
    device_id: deviceId,
    gate_id: gateId,
    forced: forced ? 1 : 0,
    raw_barcode: code,
    successful: 1,
    error_reason: null,
    error_explanation: null,
    raw_item_id: null,
    raw_variation_id: null,
    raw_subevent_id: null,
  });
  touchOrder(ctx, position.order_id);
  ctx.audit({
    eventId: position.event_id,
    objectType: 'order',
    objectId: position.order_id,
    actionType: 'pretix.event.checkin',
    data: {
      position: position.id,
      positionid: position.positionid,
      first: earlier.length === 0,
      forced: force || position.order_status !== 'p',
      datetime: at.toISOString(),
      type,
      list: list.id,
    },
  });
  return answer('ok', 201, { checkinId });
}

/** Turns the successful check-in carrying a nonce into a failed one (`annulled`), as pretix's checkinrpc/annul. */
export function annulCheckin(
  ctx: EngineContext,
  input: {
    organizerId: number;
    lists: number[];
    nonce: string;
    datetime?: Date;
    errorExplanation?: string | null;
    deviceId?: number | null;
    visibleEventIds?: number[];
  },
): void {
  const lists = resolveLists(ctx.db, input.organizerId, input.lists, input.visibleEventIds);
  const at = input.datetime ?? ctx.now;
  const rows = scansByNonce(
    ctx.db,
    input.nonce,
    lists.map((l) => l.id),
  );
  if (rows.length === 0) throw new EngineError('not_found', 'Not found.', { kind: 'not_found' });
  if (rows.length > 1) throw invalidFields('invalid', { non_field_errors: ['Multiple check-ins found.'] });
  const ci = rows[0]!;
  if ((ci.device_id ?? null) !== (input.deviceId ?? null))
    throw invalidFields('invalid', {
      non_field_errors: ['Only check-ins created by the same device can be annulled.'],
    });
  if (ci.successful !== 1)
    throw invalidFields('invalid', {
      non_field_errors: ['This check-in was not successful and cannot be annulled.'],
    });
  if (at.getTime() - new Date(ci.datetime).getTime() > 15 * 60_000)
    throw invalidFields('invalid', {
      non_field_errors: ['Check-ins can only be annulled within 15 minutes of the check-in.'],
    });
  const explanation = input.errorExplanation ?? null;
  annulScan(ctx.db, ci.id, explanation);
  const order = { order_id: orderOfPosition(ctx.db, ci.position_id) };
  touchOrder(ctx, order.order_id);
  ctx.audit({
    objectType: 'order',
    objectId: order.order_id,
    actionType: 'pretix.event.checkin.annulled',
    data: { checkin: ci.id, position: ci.position_id, explanation },
  });
}

/** A scan that a scanner refused offline, as its `failed_checkins` upload says (parsed at the door). */
export interface FailedCheckinInput {
  rawBarcode: string;
  errorReason: Exclude<(typeof FAILED_CHECKIN_REASONS)[number], 'annulled'>;
  type: CheckinType;
  /** A position of the list's event. */
  positionId: number | null;
  rawItemId: number | null;
  rawVariationId: number | null;
  rawSubeventId: number | null;
  /** When the scan happened; default now. */
  datetime?: Date;
  nonce: string | null;
  errorExplanation: string | null;
}

/** What a failed check-in upload may name: a position of the list's event, any item, variation or date. */
export function failedCheckinLookups(db: ReadableDB, list: CheckinList) {
  return {
    positionExists: (id: number) => positionOfEvent(db, id, list.event_id) !== undefined,
    itemExists: (id: number) => rawReferenceExists(db, 'items', id),
    variationExists: (id: number) => rawReferenceExists(db, 'item_variations', id),
    subeventExists: (id: number) => rawReferenceExists(db, 'subevents', id),
  };
}

/** Records a scan that a scanner refused offline (`failed_checkins` upload). */
export function recordFailedCheckin(
  ctx: EngineContext,
  input: {
    list: CheckinList;
    data: FailedCheckinInput;
    deviceId?: number | null;
    gateId?: number | null;
  },
): number {
  const d = input.data;
  // A re-uploaded refusal (same nonce from the same device on the same list) is accepted and not stored twice.
  if (d.nonce) {
    const existing = failedScanByNonce(ctx.db, input.list.id, d.nonce, input.deviceId ?? null);
    if (existing !== undefined) return existing;
  }
  const id = insertScan(ctx.db, {
    list_id: input.list.id,
    position_id: d.positionId,
    type: d.type,
    datetime: (d.datetime ?? ctx.now).toISOString(),
    created: ctx.now.toISOString(),
    nonce: d.nonce,
    device_id: input.deviceId ?? null,
    gate_id: input.gateId ?? null,
    error_reason: d.errorReason,
    error_explanation: d.errorExplanation,
    raw_barcode: d.rawBarcode,
    raw_item_id: d.rawItemId,
    raw_variation_id: d.rawVariationId,
    raw_subevent_id: d.rawSubeventId,
    successful: 0,
    forced: 0,
  });
  ctx.audit({
    eventId: input.list.event_id,
    objectType: 'checkin',
    objectId: id,
    actionType: 'pretix.event.checkin.unknown',
    data: { list: input.list.id, reason: d.errorReason, position: d.positionId },
  });
  return id;
}
