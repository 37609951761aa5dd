import type { Database } from 'better-sqlite3';
import type {
  ApprovalEntry,
  Availability,
  DashboardStats,
  DeskMethod,
  EventSummary,
  OrderAction,
  OrderDetail,
  OrderHit,
  ProductTile,
  QuestionView,
  SetupEventView,
} from '../../shared/contract';
import { orderRefundable, paymentRefundable } from '../engine/boxoffice/refund';
import { takings } from '../engine/boxoffice/takings';
import { notFound } from '../engine/errors';
import { quotasOfEvent, readQuotaAvailability } from '../engine/quotas/availability';
import { money, moneyText, sumMoney } from '../engine/money';

/**
 * The desk's read models: what its screens show, read in one snapshot from the database. No writes here;
 * every change goes through an engine command.
 */

/** An i18n JSON column in the desk's language, falling back to English and then to any language. */
export function localized(value: string | null | undefined, locale = 'en'): string {
  if (!value) return '';
  try {
    const parsed = JSON.parse(value) as unknown;
    if (typeof parsed === 'string') return parsed;
    if (parsed && typeof parsed === 'object') {
      const map = parsed as Record<string, string>;
      return map[locale] ?? map.en ?? Object.values(map)[0] ?? '';
    }
  } catch {
    return value;
  }
  return '';
}

interface EventRow {
  id: number;
  slug: string;
  name: string;
  currency: string;
  date_from: string | null;
  has_subevents: number;
  live: number;
}

export function listEvents(db: Database, locale: string): EventSummary[] {
  const events = db
    .prepare(
      'SELECT id, slug, name, currency, date_from, has_subevents, live FROM events ORDER BY date_from, id',
    )
    .all() as EventRow[];
  const subevents = db.prepare(
    'SELECT id, name, date_from, active FROM subevents WHERE event_id = ? ORDER BY date_from, id',
  );
  return events.map((e) => ({
    id: e.id,
    slug: e.slug,
    name: localized(e.name, locale) || e.slug,
    currency: e.currency,
    dateFrom: e.date_from,
    hasSubevents: e.has_subevents === 1,
    live: e.live === 1,
    subevents: (subevents.all(e.id) as { id: number; name: string; date_from: string; active: number }[]).map(
      (s) => ({ id: s.id, name: localized(s.name, locale), dateFrom: s.date_from, active: s.active === 1 }),
    ),
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
function quotaStates(db: Database, eventId: number, subeventId: number | null, now: string): QuotaState[] {
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

function freeOf(q: QuotaState): number | null {
  return q.free;
}

/** How many places are "low": a tenth of the quota, at least 1 and at most 10. */
export function availabilityOf(free: number | null, size: number | null): Availability {
  if (free === null) return 'unlimited';
  if (free <= 0) return 'sold_out';
  const threshold = Math.min(10, Math.max(1, Math.ceil((size ?? 0) / 10)));
  return free <= threshold ? 'low' : 'ok';
}

export function questionsFor(db: Database, itemId: number, locale: string): QuestionView[] {
  const questions = db
    .prepare(
      `SELECT q.id, q.identifier, q.question, q.type, q.required FROM questions q
       JOIN question_items qi ON qi.question_id = q.id WHERE qi.item_id = ? AND q.hidden = 0
       ORDER BY q.position, q.id`,
    )
    .all(itemId) as { id: number; identifier: string; question: string; type: string; required: number }[];
  const options = db.prepare(
    'SELECT id, identifier, answer FROM question_options WHERE question_id = ? ORDER BY position, id',
  );
  return questions.map((q) => ({
    id: q.id,
    identifier: q.identifier,
    question: localized(q.question, locale),
    type: q.type,
    required: q.required === 1,
    options: (options.all(q.id) as { id: number; identifier: string; answer: string }[]).map((o) => ({
      id: o.id,
      identifier: o.identifier,
      answer: localized(o.answer, locale),
    })),
  }));
}

/** The sales screen's tiles: active items (and their variations) with price and live availability. */
export function salesTiles(
  db: Database,
  input: { eventId: number; subeventId: number | null },
  now: Date,
  locale: string,
): ProductTile[] {
  const quotas = quotaStates(db, input.eventId, input.subeventId, now.toISOString());
  const byId = new Map(quotas.map((q) => [q.id, q]));
  const itemQuotas = db.prepare(
    'SELECT qi.quota_id FROM quota_items qi JOIN quotas q ON q.id = qi.quota_id WHERE qi.item_id = ? AND q.subevent_id IS ?',
  );
  const variationQuotas = db.prepare(
    'SELECT qv.quota_id FROM quota_variations qv JOIN quotas q ON q.id = qv.quota_id WHERE qv.variation_id = ? AND q.subevent_id IS ?',
  );
  const items = db
    .prepare(
      `SELECT i.id, i.name, i.default_price, i.admission, i.require_approval,
         sp.price AS subevent_price, COALESCE(sp.disabled, 0) AS disabled
       FROM items i LEFT JOIN subevent_item_prices sp ON sp.item_id = i.id AND sp.subevent_id IS ?
       WHERE i.event_id = ? AND i.active = 1 AND i.require_bundling = 0
         AND (i.category_id IS NULL OR i.category_id NOT IN (SELECT id FROM categories WHERE is_addon = 1))
       ORDER BY i.position, i.id`,
    )
    .all(input.subeventId, input.eventId) as {
    id: number;
    name: string;
    default_price: string;
    admission: number;
    require_approval: number;
    subevent_price: string | null;
    disabled: number;
  }[];
  const variations = db.prepare(
    `SELECT v.id, v.value, v.default_price, v.require_approval, sp.price AS subevent_price, COALESCE(sp.disabled, 0) AS disabled
     FROM item_variations v LEFT JOIN subevent_variation_prices sp ON sp.variation_id = v.id AND sp.subevent_id IS ?
     WHERE v.item_id = ? AND v.active = 1 ORDER BY v.position, v.id`,
  );
  const tile = (quotaIds: number[]): Pick<ProductTile, 'free' | 'availability'> => {
    const states = quotaIds.map((id) => byId.get(id)).filter((q): q is QuotaState => q !== undefined);
    if (states.length === 0) return { free: 0, availability: 'no_quota' };
    let worst: QuotaState | undefined;
    let free: number | null = null;
    for (const q of states) {
      const f = freeOf(q);
      if (f !== null && (free === null || f < free)) {
        free = f;
        worst = q;
      }
    }
    return { free, availability: availabilityOf(free, worst?.size ?? null) };
  };
  const tiles: ProductTile[] = [];
  for (const item of items) {
    if (item.disabled) continue;
    const name = localized(item.name, locale);
    const questions = questionsFor(db, item.id, locale);
    const vars = variations.all(input.subeventId, item.id) as {
      id: number;
      value: string;
      default_price: string | null;
      require_approval: number;
      subevent_price: string | null;
      disabled: number;
    }[];
    if (vars.length === 0) {
      const ids = (itemQuotas.all(item.id, input.subeventId) as { quota_id: number }[]).map(
        (r) => r.quota_id,
      );
      tiles.push({
        itemId: item.id,
        variationId: null,
        name,
        price: moneyText(item.subevent_price ?? item.default_price),
        admission: item.admission === 1,
        requireApproval: item.require_approval === 1,
        questions,
        ...tile(ids),
      });
      continue;
    }
    for (const v of vars) {
      if (v.disabled) continue;
      const ids = (variationQuotas.all(v.id, input.subeventId) as { quota_id: number }[]).map(
        (r) => r.quota_id,
      );
      tiles.push({
        itemId: item.id,
        variationId: v.id,
        name: `${name} – ${localized(v.value, locale)}`,
        price: moneyText(v.subevent_price ?? v.default_price ?? item.default_price),
        admission: item.admission === 1,
        requireApproval: item.require_approval === 1 || v.require_approval === 1,
        questions,
        ...tile(ids),
      });
    }
  }
  return tiles;
}

interface OrderRow {
  id: number;
  code: string;
  event_id: number;
  event_name: string;
  currency: string;
  status: OrderStatus;
  require_approval: number;
  email: string | null;
  total: string;
  datetime: string;
  expires: string;
  comment: string;
}
type OrderStatus = 'n' | 'p' | 'e' | 'c';

const ORDER_COLUMNS = `o.id, o.code, o.event_id, e.name AS event_name, e.currency, o.status, o.require_approval,
  o.email, o.total, o.datetime, o.expires, o.comment`;

function attendeesOf(db: Database, orderId: number): string[] {
  return (
    db
      .prepare(
        "SELECT attendee_name_cached AS n FROM order_positions WHERE order_id = ? AND canceled = 0 AND COALESCE(attendee_name_cached, '') <> '' ORDER BY positionid",
      )
      .all(orderId) as { n: string }[]
  ).map((r) => r.n);
}

function hit(db: Database, row: OrderRow, matched: string, locale: string): OrderHit {
  return {
    code: row.code,
    eventId: row.event_id,
    eventName: localized(row.event_name, locale),
    status: row.status,
    requireApproval: row.require_approval === 1,
    email: row.email,
    total: row.total,
    datetime: row.datetime,
    attendees: attendeesOf(db, row.id),
    matched,
  };
}

/**
 * Search as you type: an exact ticket secret or order code first (a scanned barcode), then order codes,
 * attendee names and emails that contain the text. Newest orders first.
 */
export function searchOrders(db: Database, query: string, limit: number, locale: string): OrderHit[] {
  const q = query.trim();
  const found = new Map<number, OrderHit>();
  const add = (rows: OrderRow[], matched: string) => {
    for (const r of rows)
      if (!found.has(r.id) && found.size < limit) found.set(r.id, hit(db, r, matched, locale));
  };
  const base = `SELECT ${ORDER_COLUMNS} FROM orders o JOIN events e ON e.id = o.event_id`;
  if (q === '') {
    add(db.prepare(`${base} ORDER BY o.datetime DESC, o.id DESC LIMIT ?`).all(limit) as OrderRow[], 'recent');
    return [...found.values()];
  }
  add(
    db
      .prepare(`${base} WHERE o.id IN (SELECT order_id FROM order_positions WHERE secret = ?)`)
      .all(q) as OrderRow[],
    'secret',
  );
  add(db.prepare(`${base} WHERE o.code = ? COLLATE NOCASE`).all(q) as OrderRow[], 'code');
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  add(
    db
      .prepare(`${base} WHERE o.code LIKE ? ESCAPE '\\' ORDER BY o.datetime DESC LIMIT ?`)
      .all(like, limit) as OrderRow[],
    'code',
  );
  add(
    db
      .prepare(
        `${base} WHERE o.id IN (SELECT order_id FROM order_positions WHERE attendee_name_cached LIKE ? ESCAPE '\\')
         ORDER BY o.datetime DESC LIMIT ?`,
      )
      .all(like, limit) as OrderRow[],
    'name',
  );
  add(
    db
      .prepare(
        `${base} WHERE o.email LIKE ? ESCAPE '\\' OR o.id IN (SELECT order_id FROM order_positions WHERE attendee_email LIKE ? ESCAPE '\\')
         ORDER BY o.datetime DESC LIMIT ?`,
      )
      .all(like, like, limit) as OrderRow[],
    'email',
  );
  return [...found.values()];
}

export function orderIdByCode(db: Database, code: string): number {
  const row = db.prepare('SELECT id FROM orders WHERE code = ? COLLATE NOCASE').get(code) as
    { id: number } | undefined;
  if (!row) throw notFound(`There is no order ${code}.`);
  return row.id;
}

/** What pretix lets staff do with an order in its current state. */
export function actionsFor(status: OrderStatus, requireApproval: boolean, paidAmount: string): OrderAction[] {
  const actions: OrderAction[] = ['reprint', 'change_name'];
  if (status === 'n' && requireApproval) return ['approve', 'deny', 'change_name'];
  if (status === 'n') actions.push('mark_paid', 'extend', 'cancel');
  if (status === 'e') actions.push('mark_paid', 'extend');
  if (status === 'p') actions.push('cancel');
  if (money(paidAmount).gt(0)) actions.push('refund');
  if (status === 'c' || status === 'e') return actions.filter((a) => a !== 'reprint' && a !== 'change_name');
  return actions;
}

export function orderDetail(db: Database, code: string, locale: string): OrderDetail {
  const id = orderIdByCode(db, code);
  const row = db
    .prepare(`SELECT ${ORDER_COLUMNS} FROM orders o JOIN events e ON e.id = o.event_id WHERE o.id = ?`)
    .get(id) as OrderRow;
  const positions = db
    .prepare(
      `SELECT op.id, op.positionid, i.name AS item, v.value AS variation, op.price, op.attendee_name_cached,
         op.attendee_email, op.secret, op.canceled
       FROM order_positions op JOIN items i ON i.id = op.item_id LEFT JOIN item_variations v ON v.id = op.variation_id
       WHERE op.order_id = ? ORDER BY op.positionid`,
    )
    .all(id) as {
    id: number;
    positionid: number;
    item: string;
    variation: string | null;
    price: string;
    attendee_name_cached: string | null;
    attendee_email: string | null;
    secret: string;
    canceled: number;
  }[];
  const answers = db.prepare(
    `SELECT q.question, a.answer FROM question_answers a JOIN questions q ON q.id = a.question_id
     WHERE a.orderposition_id = ? ORDER BY q.position, q.id`,
  );
  const payments = db
    .prepare(
      'SELECT id, local_id, state, amount, provider, method, created FROM order_payments WHERE order_id = ? ORDER BY local_id',
    )
    .all(id) as {
    id: number;
    local_id: number;
    state: string;
    amount: string;
    provider: string | null;
    method: DeskMethod;
    created: string;
  }[];
  const refunds = db
    .prepare(
      'SELECT id, local_id, state, amount, provider, method, created, comment FROM order_refunds WHERE order_id = ? ORDER BY local_id',
    )
    .all(id) as {
    id: number;
    local_id: number;
    state: string;
    amount: string;
    provider: string | null;
    method: DeskMethod;
    created: string;
    comment: string | null;
  }[];
  const paid = sumMoney(payments.filter((p) => p.state === 'confirmed').map((p) => p.amount)).minus(
    sumMoney(refunds.filter((r) => r.state === 'done').map((r) => r.amount)),
  );
  return {
    ...hit(db, row, 'code', locale),
    currency: row.currency,
    expires: row.expires,
    comment: row.comment,
    positions: positions.map((p) => ({
      id: p.id,
      positionid: p.positionid,
      item: localized(p.item, locale),
      variation: p.variation === null ? null : localized(p.variation, locale),
      price: p.price,
      attendeeName: p.attendee_name_cached,
      attendeeEmail: p.attendee_email,
      secret: p.secret,
      canceled: p.canceled === 1,
      answers: (answers.all(p.id) as { question: string; answer: string }[]).map((a) => ({
        question: localized(a.question, locale),
        answer: a.answer,
      })),
    })),
    fees: (
      db
        .prepare('SELECT fee_type, value, canceled FROM order_fees WHERE order_id = ? ORDER BY id')
        .all(id) as {
        fee_type: string;
        value: string;
        canceled: number;
      }[]
    ).map((f) => ({ type: f.fee_type, value: f.value, canceled: f.canceled === 1 })),
    payments: payments.map((p) => ({
      id: p.id,
      localId: p.local_id,
      state: p.state,
      amount: p.amount,
      provider: p.provider,
      method: p.method,
      created: p.created,
      refundable: moneyText(paymentRefundable({ db }, p.id)),
    })),
    refunds: refunds.map((r) => ({
      id: r.id,
      localId: r.local_id,
      state: r.state,
      amount: r.amount,
      provider: r.provider,
      method: r.method,
      created: r.created,
      comment: r.comment,
    })),
    refundable: moneyText(orderRefundable({ db }, id)),
    checkins: (
      db
        .prepare(
          `SELECT l.name AS list, c.type, c.datetime, c.successful FROM checkins c
           JOIN checkin_lists l ON l.id = c.list_id JOIN order_positions op ON op.id = c.position_id
           WHERE op.order_id = ? ORDER BY c.datetime`,
        )
        .all(id) as { list: string; type: string; datetime: string; successful: number }[]
    ).map((c) => ({ list: c.list, type: c.type, datetime: c.datetime, successful: c.successful === 1 })),
    log: (
      db
        .prepare(
          `SELECT datetime, action_type, actor FROM audit_log
           WHERE (object_type = 'order' AND object_id = ?)
              OR (object_type IN ('orderposition', 'order_position') AND object_id IN (SELECT id FROM order_positions WHERE order_id = ?))
           ORDER BY id`,
        )
        .all(id, id) as { datetime: string; action_type: string; actor: string }[]
    ).map((l) => ({ datetime: l.datetime, action: l.action_type, actor: l.actor })),
    actions: actionsFor(row.status, row.require_approval === 1, moneyText(paid)),
  };
}

/** Orders waiting for approval, oldest first, with what they hold. */
export function approvalQueue(db: Database, locale: string): ApprovalEntry[] {
  const rows = db
    .prepare(
      `SELECT o.id, o.code, e.name AS event_name, o.datetime, o.total, o.email FROM orders o
       JOIN events e ON e.id = o.event_id WHERE o.status = 'n' AND o.require_approval = 1
       ORDER BY o.datetime, o.id`,
    )
    .all() as {
    id: number;
    code: string;
    event_name: string;
    datetime: string;
    total: string;
    email: string | null;
  }[];
  const lines = db.prepare(
    `SELECT i.name AS item, v.value AS variation, COUNT(*) AS count FROM order_positions op
     JOIN items i ON i.id = op.item_id LEFT JOIN item_variations v ON v.id = op.variation_id
     WHERE op.order_id = ? AND op.canceled = 0 GROUP BY op.item_id, op.variation_id ORDER BY MIN(op.positionid)`,
  );
  return rows.map((r) => ({
    code: r.code,
    eventName: localized(r.event_name, locale),
    datetime: r.datetime,
    total: r.total,
    email: r.email,
    lines: (lines.all(r.id) as { item: string; variation: string | null; count: number }[]).map((l) => ({
      item: l.variation
        ? `${localized(l.item, locale)} – ${localized(l.variation, locale)}`
        : localized(l.item, locale),
      count: l.count,
    })),
  }));
}

/**
 * The dashboard's figures for a range of days (UTC, both ends included) and one event or all: tickets
 * sold (live positions of paid orders placed in the range), takings net of refunds per method, per event
 * and per item as the engine counts them (boxoffice/takings.ts), tickets per hour.
 */
export function dashboardStats(
  db: Database,
  query: { eventId: number | null; from: string; to: string },
  locale: string,
): DashboardStats {
  const from = `${query.from}T00:00:00.000Z`;
  const toExclusive = new Date(Date.parse(`${query.to}T00:00:00.000Z`) + 86_400_000).toISOString();
  const eventFilter = query.eventId === null ? '' : 'AND o.event_id = ?';
  const params = (...extra: unknown[]) => (query.eventId === null ? extra : [...extra, query.eventId]);
  const sold = db
    .prepare(
      `SELECT op.item_id, COUNT(*) AS count FROM order_positions op JOIN orders o ON o.id = op.order_id
       WHERE o.status = 'p' AND op.canceled = 0 AND o.datetime >= ? AND o.datetime < ? ${eventFilter}
       GROUP BY op.item_id`,
    )
    .all(...params(from, toExclusive)) as { item_id: number; count: number }[];
  const counts = new Map(sold.map((r) => [r.item_id, r.count]));
  const money = takings(db, { eventId: query.eventId, from, to: toExclusive });
  const itemName = db.prepare('SELECT name FROM items WHERE id = ?');
  const nameOf = (itemId: number) =>
    localized((itemName.get(itemId) as { name: string } | undefined)?.name ?? '', locale);
  const eventName = db.prepare('SELECT name, slug FROM events WHERE id = ?');
  const itemIds = new Set<number | null>([...counts.keys(), ...money.perItem.map((r) => r.itemId)]);
  const perItem = [...itemIds].map((itemId) => ({
    itemId,
    item: itemId === null ? '' : nameOf(itemId),
    count: itemId === null ? 0 : (counts.get(itemId) ?? 0),
    revenue: moneyText(money.perItem.find((r) => r.itemId === itemId)?.net ?? 0),
  }));
  perItem.sort((a, b) => b.count - a.count || (a.itemId ?? Infinity) - (b.itemId ?? Infinity));
  const hours = db
    .prepare(
      `SELECT CAST(substr(o.datetime, 12, 2) AS INTEGER) AS hour, COUNT(*) AS n FROM order_positions op
       JOIN orders o ON o.id = op.order_id
       WHERE o.status = 'p' AND op.canceled = 0 AND o.datetime >= ? AND o.datetime < ? ${eventFilter}
       GROUP BY hour`,
    )
    .all(...params(from, toExclusive)) as { hour: number; n: number }[];
  const hourly = new Array<number>(24).fill(0);
  for (const h of hours) hourly[h.hour] = h.n;
  const currency =
    (
      db
        .prepare('SELECT currency FROM events WHERE id = COALESCE(?, (SELECT MIN(id) FROM events))')
        .get(query.eventId) as { currency: string } | undefined
    )?.currency ?? 'EUR';
  return {
    from: query.from,
    to: query.to,
    eventId: query.eventId,
    currency,
    ticketsSold: sold.reduce((n, r) => n + r.count, 0),
    takings: moneyText(money.net),
    perItem,
    byPaymentMethod: money.byMethod.map((m) => ({
      method: m.method,
      taken: moneyText(m.taken),
      refunded: moneyText(m.refunded),
      net: moneyText(m.net),
    })),
    byEvent: money.byEvent.map((e) => {
      const row = eventName.get(e.eventId) as { name: string; slug: string } | undefined;
      return {
        eventId: e.eventId,
        event: localized(row?.name, locale) || row?.slug || '',
        net: moneyText(e.net),
      };
    }),
    hourly,
  };
}

export function setupEvent(db: Database, eventId: number, now: Date, locale: string): SetupEventView {
  const event = listEvents(db, locale).find((e) => e.id === eventId);
  if (!event) throw notFound(`There is no event ${eventId}.`);
  const items = db
    .prepare(
      `SELECT id, name, default_price, active, admission, require_approval, tax_rule_id
       FROM items WHERE event_id = ? ORDER BY position, id`,
    )
    .all(eventId) as {
    id: number;
    name: string;
    default_price: string;
    active: number;
    admission: number;
    require_approval: number;
    tax_rule_id: number | null;
  }[];
  const variations = db.prepare(
    'SELECT id, value, default_price FROM item_variations WHERE item_id = ? ORDER BY position, id',
  );
  const quotas = db
    .prepare('SELECT id, name, subevent_id FROM quotas WHERE event_id = ? ORDER BY subevent_id, id')
    .all(eventId) as { id: number; name: string; subevent_id: number | null }[];
  const states = new Map<number, QuotaState>();
  for (const sub of new Set(quotas.map((q) => q.subevent_id))) {
    for (const s of quotaStates(db, eventId, sub, now.toISOString())) states.set(s.id, s);
  }
  return {
    ...event,
    items: items.map((i) => ({
      id: i.id,
      name: localized(i.name, locale),
      price: i.default_price,
      active: i.active === 1,
      admission: i.admission === 1,
      requireApproval: i.require_approval === 1,
      taxRuleId: i.tax_rule_id,
      variations: (variations.all(i.id) as { id: number; value: string; default_price: string | null }[]).map(
        (v) => ({
          id: v.id,
          value: localized(v.value, locale),
          price: v.default_price,
        }),
      ),
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
        free: freeOf(s),
        subeventId: q.subevent_id,
        items: (
          db.prepare('SELECT item_id FROM quota_items WHERE quota_id = ? ORDER BY item_id').all(q.id) as {
            item_id: number;
          }[]
        ).map((r) => r.item_id),
      };
    }),
    questions: (
      db
        .prepare(
          'SELECT id, question, type, required FROM questions WHERE event_id = ? ORDER BY position, id',
        )
        .all(eventId) as { id: number; question: string; type: string; required: number }[]
    ).map((q) => ({
      id: q.id,
      question: localized(q.question, locale),
      type: q.type,
      required: q.required === 1,
      items: (
        db.prepare('SELECT item_id FROM question_items WHERE question_id = ? ORDER BY item_id').all(q.id) as {
          item_id: number;
        }[]
      ).map((r) => r.item_id),
      options: (
        db
          .prepare('SELECT id, answer FROM question_options WHERE question_id = ? ORDER BY position, id')
          .all(q.id) as { id: number; answer: string }[]
      ).map((o) => ({ id: o.id, answer: localized(o.answer, locale) })),
    })),
    taxRules: (
      db.prepare('SELECT id, name, rate FROM tax_rules WHERE event_id = ? ORDER BY id').all(eventId) as {
        id: number;
        name: string;
        rate: string;
      }[]
    ).map((t) => ({ id: t.id, name: localized(t.name, locale), rate: t.rate })),
    checkinLists: (
      db
        .prepare('SELECT id, name, all_products FROM checkin_lists WHERE event_id = ? ORDER BY id')
        .all(eventId) as {
        id: number;
        name: string;
        all_products: number;
      }[]
    ).map((l) => ({ id: l.id, name: l.name, allProducts: l.all_products === 1 })),
  };
}
