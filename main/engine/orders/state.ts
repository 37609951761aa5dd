import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import { defaultTaxRuleId } from '../catalog/items';
import { eventSettings, type EventSettings } from '../catalog/settings';
import { notFound } from '../errors';
import { Decimal, moneyText, ZERO, type Money } from '../money';
import { computeTax } from '../pricing/tax';
import { QuotaLedger, quotasForProduct } from '../quotas/availability';
import { eventTimeZone } from './order-event';
import { computeExpiry } from './expiry';

/**
 * What every order transition needs: the stored order row, pretix's payment sums, the payment deadline
 * computed afresh, the "is everything still available" check of a revived order, and cancellation.
 */
export type OrderStatus = 'n' | 'p' | 'e' | 'c';

export interface OrderRow {
  id: number;
  organizer_id: number;
  event_id: number;
  code: string;
  status: OrderStatus;
  require_approval: number;
  valid_if_pending: number;
  total: string;
  expires: string;
  cancellation_date: string | null;
}

export function orderRow(ctx: EngineContext, orderId: number): OrderRow {
  const row = ctx.db
    .prepare(
      `SELECT id, organizer_id, event_id, code, status, require_approval, valid_if_pending, total, expires,
              cancellation_date
       FROM orders WHERE id = ?`,
    )
    .get(orderId) as OrderRow | undefined;
  if (!row) throw notFound();
  return row;
}

/** One audit row on the order, in pretix's action types. */
export function auditOrder(
  ctx: EngineContext,
  order: OrderRow,
  actionType: string,
  data: unknown = {},
): void {
  ctx.audit({
    organizerId: order.organizer_id,
    eventId: order.event_id,
    objectType: 'order',
    objectId: order.id,
    actionType,
    data,
  });
}

/** Saves columns of the order and bumps `last_modified`, as every save of a pretix order does. */
export function saveOrder(ctx: EngineContext, orderId: number, changes: Record<string, unknown>): void {
  const keys = Object.keys(changes);
  const sets = [...keys.map((k) => `${k} = ?`), 'last_modified = ?'].join(', ');
  ctx.db
    .prepare(`UPDATE orders SET ${sets} WHERE id = ?`)
    .run(...keys.map((k) => changes[k]), ctx.now.toISOString(), orderId);
}

/** pretix's `payment_refund_sum`: confirmed or refunded payments minus refunds that are done, in transit or created. */
export function paymentRefundSum(ctx: { db: ReadableDB }, orderId: number): Money {
  const paid = ctx.db
    .prepare(`SELECT amount FROM order_payments WHERE order_id = ? AND state IN ('confirmed', 'refunded')`)
    .all(orderId) as { amount: string }[];
  const refunded = ctx.db
    .prepare(
      `SELECT amount FROM order_refunds WHERE order_id = ? AND state IN ('done', 'transit', 'created')`,
    )
    .all(orderId) as { amount: string }[];
  let sum = ZERO;
  for (const p of paid) sum = sum.plus(p.amount);
  for (const r of refunded) sum = sum.minus(r.amount);
  return sum;
}

/** pretix's `pending_sum`: what is still owed (negative when overpaid); a canceled order owes nothing. */
export function pendingSum(ctx: EngineContext, order: OrderRow): Money {
  const total = order.status === 'c' ? ZERO : new Decimal(order.total);
  return total.minus(paymentRefundSum(ctx, order.id));
}

function eventRow(ctx: EngineContext, eventId: number): { date_from: string | null; date_to: string | null } {
  return ctx.db.prepare('SELECT date_from, date_to FROM events WHERE id = ?').get(eventId) as {
    date_from: string | null;
    date_to: string | null;
  };
}

/** pretix's `set_expires(now, subevents)`: a fresh payment deadline, capped by the last payment date. */
export function freshExpiry(ctx: EngineContext, order: OrderRow): Date {
  const settings = eventSettings(ctx.db, order.event_id);
  const event = eventRow(ctx, order.event_id);
  const sub = ctx.db
    .prepare(
      `SELECT MIN(s.date_from) AS d FROM order_positions op JOIN subevents s ON s.id = op.subevent_id
       WHERE op.order_id = ? AND op.canceled = 0`,
    )
    .get(order.id) as { d: string | null };
  return computeExpiry(ctx.now, settings, eventTimeZone(ctx.db, order.event_id), {
    date_from: sub.d ?? event.date_from,
    date_to: sub.d ? null : event.date_to,
  });
}

/** The end of the last day payments are accepted (setting `payment_term_last`), if one is configured. */
export function lastPaymentDeadline(
  ctx: EngineContext,
  order: OrderRow,
  settings: EventSettings,
): Date | null {
  if (!settings.payment_term_last) return null;
  const event = eventRow(ctx, order.event_id);
  // With an unbounded term, computeExpiry returns exactly the cap the last payment date imposes.
  const capped = computeExpiry(
    ctx.now,
    { ...settings, payment_term_mode: 'minutes', payment_term_minutes: 1e9 },
    eventTimeZone(ctx.db, order.event_id),
    event,
  );
  return capped.getTime() < ctx.now.getTime() + 1e9 * 60_000 - 1000 ? capped : null;
}

function i18nText(raw: string | null): string {
  if (!raw) return '';
  try {
    const v = JSON.parse(raw) as unknown;
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      if (typeof obj.en === 'string') return obj.en;
      const first = Object.values(obj).find((x) => typeof x === 'string');
      if (typeof first === 'string') return first;
    }
  } catch {
    return raw;
  }
  return raw;
}

interface ActivePosition {
  id: number;
  item_id: number;
  variation_id: number | null;
  subevent_id: number | null;
  voucher_id: number | null;
  item_name: string;
  variation_value: string | null;
}

function activePositions(ctx: EngineContext, orderId: number): ActivePosition[] {
  return ctx.db
    .prepare(
      `SELECT op.id, op.item_id, op.variation_id, op.subevent_id, op.voucher_id, i.name AS item_name,
              v.value AS variation_value
       FROM order_positions op JOIN items i ON i.id = op.item_id
       LEFT JOIN item_variations v ON v.id = op.variation_id
       WHERE op.order_id = ? AND op.canceled = 0 ORDER BY op.positionid, op.id`,
    )
    .all(orderId) as ActivePosition[];
}

/**
 * pretix's `Order._is_still_available`: every non-canceled position needs one unit in each of its quotas
 * (availability computed once per quota, waiting list not counted); a product without any quota is no
 * longer available. With `force` the quota part is skipped. Voucher usage is checked when reviving a
 * canceled order. Returns true or pretix's message.
 */
export function isStillAvailable(
  ctx: EngineContext,
  order: OrderRow,
  options: { force?: boolean; checkVoucherUsage?: boolean } = {},
): true | string {
  const positions = activePositions(ctx, order.id);
  if (options.checkVoucherUsage && !options.force) {
    const uses = new Map<number, number>();
    for (const p of positions)
      if (p.voucher_id !== null) uses.set(p.voucher_id, (uses.get(p.voucher_id) ?? 0) + 1);
    for (const [voucherId, n] of uses) {
      const v = ctx.db
        .prepare('SELECT code, max_usages, redeemed FROM vouchers WHERE id = ?')
        .get(voucherId) as { code: string; max_usages: number; redeemed: number } | undefined;
      if (v && v.redeemed + n > v.max_usages) return `The voucher "${v.code}" has been used in the meantime.`;
    }
  }
  if (options.force) return true;
  const ledger = new QuotaLedger(ctx);
  for (const p of positions) {
    const name = p.variation_value
      ? `${i18nText(p.item_name)} - ${i18nText(p.variation_value)}`
      : i18nText(p.item_name);
    const quotas = quotasForProduct(ctx.db, order.event_id, p.item_id, p.variation_id, p.subevent_id);
    if (quotas.length === 0 || !quotas.every((q) => ledger.take(q))) {
      return `The ordered product "${name}" is no longer available.`;
    }
  }
  return true;
}

/**
 * pretix's `Order._can_be_paid`: approval and the last payment date (unless forced), then for an expired
 * order the late-payment setting and the availability check. Pending orders pass without a quota check.
 */
export function canBePaid(
  ctx: EngineContext,
  order: OrderRow,
  options: { force?: boolean; ignoreDate?: boolean },
): true | string {
  const settings = eventSettings(ctx.db, order.event_id);
  if (!options.force) {
    if (order.require_approval) return 'This order is not yet approved by the event organizer.';
    const last = lastPaymentDeadline(ctx, order, settings);
    if (last && !options.ignoreDate && ctx.now > last) {
      return 'The payment can not be accepted as the last date of payments configured in the payment settings is over.';
    }
  }
  if (order.status === 'n') return true;
  if (!settings.payment_term_accept_late && !options.ignoreDate && !options.force) {
    return 'The payment can not be accepted as the order is expired and you configured that no late payments should be accepted in the payment settings.';
  }
  return isStillAvailable(ctx, order, { force: options.force });
}

/** Gives back one voucher use per position (never below zero), as cancel and deny do. */
export function releaseVouchers(ctx: EngineContext, positionIds: number[]): void {
  const voucher = ctx.db.prepare('SELECT voucher_id FROM order_positions WHERE id = ?');
  const release = ctx.db.prepare('UPDATE vouchers SET redeemed = MAX(redeemed - 1, 0) WHERE id = ?');
  for (const id of positionIds) {
    const row = voucher.get(id) as { voucher_id: number | null } | undefined;
    if (row?.voucher_id) release.run(row.voucher_id);
  }
}

export function activePositionIds(ctx: EngineContext, orderId: number): number[] {
  return (
    ctx.db.prepare('SELECT id FROM order_positions WHERE order_id = ? AND canceled = 0').all(orderId) as {
      id: number;
    }[]
  ).map((r) => r.id);
}

/** The tax of a cancellation fee per the event setting `tax_rule_cancellation` (none, or the default rule). */
export function cancellationFeeTax(
  ctx: EngineContext,
  eventId: number,
  value: Money,
): { rate: string; tax: string; ruleId: number | null } {
  const settings = eventSettings(ctx.db, eventId);
  const mode = settings.tax_rule_cancellation;
  const defaultRule = mode === 'default' ? defaultTaxRuleId(ctx.db, eventId) : null;
  if (defaultRule !== null) {
    const rule = ctx.db
      .prepare('SELECT id, rate, price_includes_tax FROM tax_rules WHERE id = ? AND event_id = ?')
      .get(defaultRule, eventId) as { id: number; rate: string; price_includes_tax: number } | undefined;
    if (rule) {
      const currency = (
        ctx.db.prepare('SELECT currency FROM events WHERE id = ?').get(eventId) as { currency: string }
      ).currency;
      const t = computeTax(rule, value, currency, 'gross');
      return { rate: moneyText(t.rate), tax: moneyText(t.tax), ruleId: rule.id };
    }
  }
  return { rate: '0.00', tax: '0.00', ruleId: null };
}
