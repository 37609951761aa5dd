import type { Database } from 'better-sqlite3';
import type { EngineContext } from '../context';
import { EngineError, invalidFields, refusedList, shown, numeric } from '../errors';
import {
  answeredQuestionIds,
  checkinQuestionsFor,
  cleanAnswer,
  saveAnswers,
  type CleanAnswer,
} from './answers';
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
  secret: unknown;
  lists: unknown;
  type?: unknown;
  /** When the scan happened (offline uploads); default now. */
  datetime?: unknown;
  force?: unknown;
  ignoreUnpaid?: unknown;
  questionsSupported?: unknown;
  canceledSupported?: boolean;
  nonce?: unknown;
  answers?: unknown;
  /** `barcode` (default) or an NFC medium type. */
  sourceType?: unknown;
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

interface PositionRow {
  id: number;
  order_id: number;
  positionid: number;
  item_id: number;
  variation_id: number | null;
  subevent_id: number | null;
  addon_to_id: number | null;
  canceled: number;
  blocked: string | null;
  valid_from: string | null;
  valid_until: string | null;
  event_id: number;
  order_status: string;
  require_approval: number;
  valid_if_pending: number;
  order_checkin_attention: number;
  order_checkin_text: string | null;
}

const POSITION_SELECT = `
  SELECT op.id, op.order_id, op.positionid, op.item_id, op.variation_id, op.subevent_id, op.addon_to_id,
         op.canceled, op.blocked, op.valid_from, op.valid_until, o.event_id, o.status AS order_status,
         o.require_approval, o.valid_if_pending, o.checkin_attention AS order_checkin_attention,
         o.checkin_text AS order_checkin_text
  FROM order_positions op JOIN orders o ON o.id = op.order_id`;

const TRUE_VALUES = new Set<unknown>([true, 1, '1', 'true', 'True', 'TRUE', 'yes', 'on']);
const FALSE_VALUES = new Set<unknown>([false, 0, '0', 'false', 'False', 'FALSE', 'no', 'off']);

/** DRF's BooleanField: its true and false spellings, else a field error. */
function bool(field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (TRUE_VALUES.has(value)) return true;
  if (FALSE_VALUES.has(value)) return false;
  throw invalidFields('invalid', { [field]: ['Must be a valid boolean.'] });
}

/** pretix's media types a scan may come from. */
const SOURCE_TYPES = ['barcode', 'nfc_uid', 'nfc_mf0aes'];

function parseType(value: unknown, legacy: boolean): CheckinType {
  if (value === undefined || value === null) return 'entry';
  if (value === 'entry' || value === 'exit') return value;
  if (legacy) throw refusedList('invalid_type', 'Invalid check-in type.');
  throw invalidFields('invalid', { type: [`"${shown(value)}" is not a valid choice.`] });
}

function parseDatetime(value: unknown, now: Date): Date {
  if (value === undefined || value === null || value === '') return now;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
    throw invalidFields('invalid', {
      datetime: [
        'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
      ],
    });
  return new Date(value);
}

/** Resolves and checks the requested lists as pretix's redeem serializer and view do. */
export function resolveLists(
  db: Database,
  organizerId: number,
  raw: unknown,
  visibleEventIds?: number[],
): CheckinList[] {
  if (raw === undefined || raw === null)
    throw invalidFields('required', { lists: ['This field is required.'] });
  if (!Array.isArray(raw))
    throw invalidFields('invalid', {
      lists: ['Expected a list of items but got type "' + typeof raw + '".'],
    });
  const lists: CheckinList[] = [];
  for (const id of raw) {
    const n = typeof id === 'number' ? id : typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : NaN;
    const list = Number.isInteger(n) ? getCheckinList(db, n) : undefined;
    const event = list
      ? (db.prepare('SELECT organizer_id FROM events WHERE id = ?').get(list.event_id) as {
          organizer_id: number;
        })
      : undefined;
    if (
      !list ||
      !event ||
      event.organizer_id !== organizerId ||
      (visibleEventIds !== undefined && !visibleEventIds.includes(list.event_id))
    )
      throw invalidFields('invalid', {
        lists: [
          Number.isInteger(n)
            ? `Invalid pk "${shown(id)}" - object does not exist.`
            : `Incorrect type. Expected pk value, received ${typeof id}.`,
        ],
      });
    lists.push(list);
  }
  if (lists.length === 0) throw refusedList('no_list', 'No check-in list passed.');
  const events = new Set(lists.map((l) => l.event_id));
  if (events.size !== lists.length)
    throw refusedList('two_lists', 'Selecting two check-in lists from the same event is unsupported.');
  return lists;
}

function findCandidates(
  db: Database,
  code: string,
  lists: CheckinList[],
  legacyTrusted: boolean,
): PositionRow[] {
  // The lists' positions, as pretix's CheckinList.position_query scopes them: the list's event and, for a
  // list bound to one date, that date only. A ticket of another date is not found at all (reason invalid).
  const onLists = (of: CheckinList[]) => ({
    sql: `(${of.map(() => '(o.event_id = ? AND (? IS NULL OR op.subevent_id = ?))').join(' OR ')})`,
    params: of.flatMap((l) => [l.event_id, l.subevent_id, l.subevent_id]),
  });
  const scope = onLists(lists);
  const found = db
    .prepare(`${POSITION_SELECT} WHERE ${scope.sql} AND op.secret = ? ORDER BY op.id`)
    .all(...scope.params, code) as PositionRow[];
  const addonLists = lists.filter((l) => l.addon_match);
  if (addonLists.length) {
    const addonScope = onLists(addonLists);
    const addons = db
      .prepare(
        `${POSITION_SELECT} WHERE ${addonScope.sql}
           AND op.addon_to_id IN (SELECT id FROM order_positions WHERE secret = ?) ORDER BY op.id`,
      )
      .all(...addonScope.params, code) as PositionRow[];
    for (const a of addons) if (!found.some((f) => f.id === a.id)) found.push(a);
  }
  if (legacyTrusted && /^\d+$/.test(code)) {
    const byId = db
      .prepare(`${POSITION_SELECT} WHERE ${scope.sql} AND op.id = ?`)
      .all(...scope.params, Number(code)) as PositionRow[];
    for (const p of byId) if (!found.some((f) => f.id === p.id)) found.push(p);
  }
  return found;
}

function touchOrder(ctx: EngineContext, orderId: number): void {
  ctx.db.prepare('UPDATE orders SET last_modified = ? WHERE id = ?').run(ctx.now.toISOString(), orderId);
}

interface CheckinRow {
  id: number;
  type: CheckinType;
  datetime: string;
  nonce: string | null;
  device_id: number | null;
}

function successfulCheckins(db: Database, positionId: number, listId: number): CheckinRow[] {
  return db
    .prepare(
      `SELECT id, type, datetime, nonce, device_id FROM checkins
       WHERE position_id = ? AND list_id = ? AND successful = 1 ORDER BY datetime DESC, id DESC`,
    )
    .all(positionId, listId) as CheckinRow[];
}

function itemFlags(db: Database, p: PositionRow): { attention: boolean; texts: string[] } {
  const item = db
    .prepare('SELECT checkin_attention, checkin_text FROM items WHERE id = ?')
    .get(p.item_id) as {
    checkin_attention: number;
    checkin_text: string | null;
  };
  const variation = p.variation_id
    ? (db
        .prepare('SELECT checkin_attention, checkin_text FROM item_variations WHERE id = ?')
        .get(p.variation_id) as { checkin_attention: number; checkin_text: string | null } | undefined)
    : undefined;
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
  db: Database,
  p: PositionRow,
  list: CheckinList,
  type: CheckinType,
  at: Date,
  options: { ignoreUnpaid: boolean; canceledSupported: boolean; gateId: number | null },
): Refusal | undefined {
  const event = db
    .prepare('SELECT timezone, date_from, date_to, date_admission FROM events WHERE id = ?')
    .get(p.event_id) as {
    timezone: string;
    date_from: string | null;
    date_to: string | null;
    date_admission: string | null;
  };
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
    const dates = p.subevent_id
      ? (db
          .prepare('SELECT date_from, date_to, date_admission FROM subevents WHERE id = ?')
          .get(p.subevent_id) as {
          date_from: string | null;
          date_to: string | null;
          date_admission: string | null;
        })
      : event;
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

function storeFailed(
  ctx: EngineContext,
  row: {
    listId: number;
    positionId: number | null;
    type: CheckinType;
    at: Date;
    nonce: string | null;
    deviceId: number | null;
    gateId: number | null;
    reason: string;
    explanation: string | null;
    forced: boolean;
    rawBarcode: string | null;
  },
): number {
  return Number(
    ctx.db
      .prepare(
        `INSERT INTO checkins (list_id, position_id, type, datetime, created, nonce, device_id, gate_id, forced,
           successful, error_reason, error_explanation, raw_barcode)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
      )
      .run(
        row.listId,
        row.positionId,
        row.type,
        row.at.toISOString(),
        ctx.now.toISOString(),
        row.nonce,
        row.deviceId,
        row.gateId,
        row.forced ? 1 : 0,
        row.reason,
        row.explanation,
        row.rawBarcode,
      ).lastInsertRowid,
  );
}

/**
 * Redeems a scanned ticket on one or more check-in lists (one per event), as pretix's checkinrpc/redeem.
 * Request errors throw (4xx, nothing changed); a refusal is a result with its reason and is recorded as a
 * failed check-in, committed with any answers given.
 */
export function redeem(ctx: EngineContext, input: RedeemInput): RedeemResult {
  const legacy = input.legacy !== undefined;
  const type = parseType(input.type, legacy);
  const lists = resolveLists(ctx.db, input.organizerId, input.lists, input.visibleEventIds);
  if (input.secret === undefined || input.secret === null)
    throw invalidFields('required', { secret: ['This field is required.'] });
  if (typeof input.secret !== 'string' && typeof input.secret !== 'number')
    throw invalidFields('invalid', { secret: ['Not a valid string.'] });
  const code = String(input.secret);
  if (!code) throw invalidFields('invalid', { secret: ['This field may not be blank.'] });
  const at = parseDatetime(input.datetime, ctx.now);
  const force = bool('force', input.force, false);
  const ignoreUnpaid = bool('ignore_unpaid', input.ignoreUnpaid, false);
  const questionsSupported = bool('questions_supported', input.questionsSupported, true);
  if (
    input.sourceType !== undefined &&
    input.sourceType !== null &&
    (typeof input.sourceType !== 'string' || !SOURCE_TYPES.includes(input.sourceType))
  )
    throw invalidFields('invalid', { source_type: [`"${shown(input.sourceType)}" is not a valid choice.`] });
  const canceledSupported = input.canceledSupported ?? true;
  const nonce =
    input.nonce === undefined || input.nonce === null || input.nonce === ''
      ? null
      : shown(input.nonce).slice(0, 190);
  const deviceId = input.deviceId ?? null;
  const gateId = input.gateId ?? null;
  const answersInput =
    input.answers && typeof input.answers === 'object' && !Array.isArray(input.answers)
      ? (input.answers as Record<string, unknown>)
      : {};
  const listIds = lists.map((l) => l.id);
  const base = { listIds, questionIds: [] as number[] };

  let candidates = findCandidates(ctx.db, code, lists, legacy && input.legacy!.trusted);
  if (candidates.length === 0 && legacy && code.includes('+'))
    candidates = findCandidates(ctx.db, code.replace(/\+/g, ' '), lists, false);

  if (candidates.length === 0) {
    storeFailed(ctx, {
      listId: lists[0]!.id,
      positionId: null,
      type,
      at,
      nonce,
      deviceId,
      gateId,
      reason: 'invalid',
      explanation: null,
      forced: force,
      rawBarcode: code,
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

  const listOf = (p: PositionRow) => lists.find((l) => l.event_id === p.event_id)!;
  let position = candidates[0]!;
  if (candidates.length > 1) {
    const admitted = candidates.filter((c) => listAdmitsProduct(listOf(c), c));
    if (admitted.length === 1) position = admitted[0]!;
    else if (admitted.length > 1) {
      const list = listOf(admitted[0]!);
      storeFailed(ctx, {
        listId: list.id,
        positionId: admitted[0]!.id,
        type,
        at,
        nonce,
        deviceId,
        gateId,
        reason: 'ambiguous',
        explanation: null,
        forced: force,
        rawBarcode: code,
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
    storeFailed(ctx, {
      listId: list.id,
      positionId: position.id,
      type,
      at,
      nonce,
      deviceId,
      gateId,
      reason: refusal.reason,
      explanation: refusal.explanation,
      forced: false,
      rawBarcode: code,
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
    const sameNonce = ctx.db
      .prepare(
        `SELECT 1 FROM checkins WHERE position_id = ? AND list_id = ? AND type = ? AND device_id IS ? AND nonce = ?
           AND successful = 1`,
      )
      .get(position.id, list.id, type, deviceId, nonce);
    if ((newest && newest.nonce === nonce) || sameNonce) return answer('ok', 201);
  }

  if (!entryAllowed && !force) {
    storeFailed(ctx, {
      listId: list.id,
      positionId: position.id,
      type,
      at,
      nonce,
      deviceId,
      gateId,
      reason: 'already_redeemed',
      explanation: null,
      forced: false,
      rawBarcode: code,
    });
    return answer('error', 400, { reason: 'already_redeemed' });
  }

  const forced = force && (!entryAllowed || refusal !== undefined);
  const checkinId = Number(
    ctx.db
      .prepare(
        `INSERT INTO checkins (list_id, position_id, type, datetime, created, nonce, device_id, gate_id, forced,
           successful, raw_barcode)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
      )
      .run(
        list.id,
        position.id,
        type,
        at.toISOString(),
        ctx.now.toISOString(),
        nonce,
        deviceId,
        gateId,
        forced ? 1 : 0,
        code,
      ).lastInsertRowid,
  );
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
    lists: unknown;
    nonce: unknown;
    datetime?: unknown;
    errorExplanation?: unknown;
    deviceId?: number | null;
    visibleEventIds?: number[];
  },
): void {
  const lists = resolveLists(ctx.db, input.organizerId, input.lists, input.visibleEventIds);
  if (typeof input.nonce !== 'string' || !input.nonce)
    throw invalidFields('required', { nonce: ['This field is required.'] });
  const at = parseDatetime(input.datetime, ctx.now);
  const rows = ctx.db
    .prepare(
      `SELECT c.id, c.successful, c.device_id, c.datetime, c.position_id FROM checkins c
       WHERE c.nonce = ? AND c.list_id IN (${lists.map(() => '?').join(',')}) AND c.position_id IS NOT NULL`,
    )
    .all(input.nonce, ...lists.map((l) => l.id)) as {
    id: number;
    successful: number;
    device_id: number | null;
    datetime: string;
    position_id: number;
  }[];
  if (rows.length === 0) throw new EngineError('not_found', 'Not found.', { status: 404 });
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
  const explanation = typeof input.errorExplanation === 'string' ? input.errorExplanation : null;
  ctx.db
    .prepare(
      "UPDATE checkins SET successful = 0, error_reason = 'annulled', error_explanation = ? WHERE id = ?",
    )
    .run(explanation, ci.id);
  const order = ctx.db.prepare('SELECT order_id FROM order_positions WHERE id = ?').get(ci.position_id) as {
    order_id: number;
  };
  touchOrder(ctx, order.order_id);
  ctx.audit({
    objectType: 'order',
    objectId: order.order_id,
    actionType: 'pretix.event.checkin.annulled',
    data: { checkin: ci.id, position: ci.position_id, explanation },
  });
}

/** Records a scan that a scanner refused offline (`failed_checkins` upload). */
export function recordFailedCheckin(
  ctx: EngineContext,
  input: {
    list: CheckinList;
    data: Record<string, unknown>;
    deviceId?: number | null;
    gateId?: number | null;
  },
): number {
  const d = input.data;
  const errors: Record<string, string[]> = {};
  if (d.raw_barcode === undefined || d.raw_barcode === null) errors.raw_barcode = ['This field is required.'];
  else if (typeof d.raw_barcode !== 'string' || !d.raw_barcode)
    errors.raw_barcode = ['This field may not be blank.'];
  if (d.error_reason === undefined) errors.error_reason = ['This field is required.'];
  else if (
    !(FAILED_CHECKIN_REASONS as readonly unknown[]).includes(d.error_reason) ||
    d.error_reason === 'annulled'
  )
    errors.error_reason = [`"${shown(d.error_reason)}" is not a valid choice.`];
  let type: CheckinType = 'entry';
  if (d.type !== undefined && d.type !== null) {
    if (d.type !== 'entry' && d.type !== 'exit') errors.type = [`"${shown(d.type)}" is not a valid choice.`];
    else type = d.type;
  }
  let positionId: number | null = null;
  if (d.position !== undefined && d.position !== null) {
    const p = ctx.db
      .prepare(
        'SELECT op.id FROM order_positions op JOIN orders o ON o.id = op.order_id WHERE op.id = ? AND o.event_id = ?',
      )
      .get(numeric(d.position), input.list.event_id) as { id: number } | undefined;
    if (!p) errors.position = [`Invalid pk "${shown(d.position)}" - object does not exist.`];
    else positionId = p.id;
  }
  const rawId = (field: string, table: string): number | null => {
    const v = d[field];
    if (v === undefined || v === null) return null;
    const row = ctx.db.prepare(`SELECT id FROM ${table} WHERE id = ?`).get(numeric(v));
    if (!row) {
      errors[field] = [`Invalid pk "${shown(v)}" - object does not exist.`];
      return null;
    }
    return numeric(v);
  };
  const rawItem = rawId('raw_item', 'items');
  const rawVariation = rawId('raw_variation', 'item_variations');
  const rawSubevent = rawId('raw_subevent', 'subevents');
  let at = ctx.now;
  try {
    at = parseDatetime(d.datetime, ctx.now);
  } catch (e) {
    if (e instanceof EngineError) errors.datetime = ['Datetime has wrong format.'];
  }
  if (Object.keys(errors).length) throw invalidFields('invalid', errors);
  // A re-uploaded refusal (same nonce from the same device on the same list) is accepted and not stored twice.
  if (typeof d.nonce === 'string' && d.nonce) {
    const existing = ctx.db
      .prepare(
        'SELECT id FROM checkins WHERE list_id = ? AND nonce = ? AND device_id IS ? AND successful = 0',
      )
      .get(input.list.id, d.nonce, input.deviceId ?? null) as { id: number } | undefined;
    if (existing) return existing.id;
  }
  const id = Number(
    ctx.db
      .prepare(
        `INSERT INTO checkins (list_id, position_id, type, datetime, created, nonce, device_id, gate_id, successful,
           error_reason, error_explanation, raw_barcode, raw_item_id, raw_variation_id, raw_subevent_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.list.id,
        positionId,
        type,
        at.toISOString(),
        ctx.now.toISOString(),
        typeof d.nonce === 'string' ? d.nonce : null,
        input.deviceId ?? null,
        input.gateId ?? null,
        d.error_reason as string,
        typeof d.error_explanation === 'string' ? d.error_explanation : null,
        d.raw_barcode as string,
        rawItem,
        rawVariation,
        rawSubevent,
      ).lastInsertRowid,
  );
  ctx.audit({
    eventId: input.list.event_id,
    objectType: 'checkin',
    objectId: id,
    actionType: 'pretix.event.checkin.unknown',
    data: { list: input.list.id, reason: d.error_reason, position: positionId },
  });
  return id;
}
