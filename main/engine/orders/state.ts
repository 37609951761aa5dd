import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import { defaultTaxRuleId } from '../catalog/tax-rules';
import { eventSettings, type EventSettings } from '../catalog/settings';
import { notFound } from '../errors';
import { Decimal, moneyText, ZERO, type Money } from '../money';
import { computeTax } from '../pricing/tax';
import { QuotaLedger, quotasForProduct } from '../quotas/availability';
import { eventTimeZone } from './order-event';
import { computeExpiry } from './expiry';
import {
  earliestPositionSubeventDate,
  eventCurrency,
  eventDates,
  findEventTaxRule,
  findOrderHead,
  livePositionIds,
  livePositionsOfOrder,
  paidAmounts,
  refundingAmounts,
  releaseVoucherRedemption,
  updateOrderColumns,
  voucherOfPosition,
  voucherUsage,
  type OrderHead,
  type OrderStatus,
} from '../db/queries/orders/order';
import type { OrderRow } from '../db/rows';
import { i18nText } from '../i18n';

/**
 * What every order transition needs: the stored order row, pretix's payment sums, the payment deadline
 * computed afresh, the "is everything still available" check of a revived order, and cancellation.
 */
export type { OrderHead, OrderStatus };

export function orderRow(ctx: { db: ReadableDB }, orderId: number): OrderHead {
  const row = findOrderHead(ctx.db, orderId);
  if (!row) throw notFound();
  return row;
}

/** One audit row on the order, in pretix's action types. */
export function auditOrder(
  ctx: EngineContext,
  order: Pick<OrderHead, 'id' | 'organizer_id' | 'event_id'>,
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
export function saveOrder(
  ctx: EngineContext,
  orderId: number,
  changes: Partial<Omit<OrderRow, 'id' | 'last_modified'>>,
): void {
  updateOrderColumns(ctx.db, orderId, changes, ctx.now.toISOString());
}

/** pretix's `payment_refund_sum`: confirmed or refunded payments minus refunds that are done, in transit or created. */
export function paymentRefundSum(ctx: { db: ReadableDB }, orderId: number): Money {
  let sum = ZERO;
  for (const amount of paidAmounts(ctx.db, orderId)) sum = sum.plus(amount);
  for (const amount of refundingAmounts(ctx.db, orderId)) sum = sum.minus(amount);
  return sum;
}

/** pretix's `pending_sum`: what is still owed (negative when overpaid); a canceled order owes nothing. */
export function pendingSum(ctx: EngineContext, order: OrderHead): Money {
  const total = order.status === 'c' ? ZERO : new Decimal(order.total);
  return total.minus(paymentRefundSum(ctx, order.id));
}

/** pretix's `set_expires(now, subevents)`: a fresh payment deadline, capped by the last payment date. */
export function freshExpiry(ctx: EngineContext, order: OrderHead): Date {
  const settings = eventSettings(ctx.db, order.event_id);
  const event = eventDates(ctx.db, order.event_id);
  const subeventDate = earliestPositionSubeventDate(ctx.db, order.id);
  return computeExpiry(ctx.now, settings, eventTimeZone(ctx.db, order.event_id), {
    date_from: subeventDate ?? event.date_from,
    date_to: subeventDate ? null : event.date_to,
  });
}

/** The end of the last day payments are accepted (setting `payment_term_last`), if one is configured. */
export function lastPaymentDeadline(
  ctx: EngineContext,
  order: OrderHead,
  settings: EventSettings,
): Date | null {
  if (!settings.payment_term_last) return null;
  const event = eventDates(ctx.db, order.event_id);
  // With an unbounded term, computeExpiry returns exactly the cap the last payment date imposes.
  const capped = computeExpiry(
    ctx.now,
    { ...settings, payment_term_mode: 'minutes', payment_term_minutes: 1e9 },
    eventTimeZone(ctx.db, order.event_id),
    event,
  );
  return capped.getTime() < ctx.now.getTime() + 1e9 * 60_000 - 1000 ? capped : null;
}

/**
 * pretix's `Order._is_still_available`: every non-canceled position needs one unit in each of its quotas
 * (availability computed once per quota, waiting list not counted); a product without any quota is no
 * longer available. With `force` the quota part is skipped. Voucher usage is checked when reviving a
 * canceled order. Returns true or pretix's message.
 */
export function isStillAvailable(
  ctx: EngineContext,
  order: OrderHead,
  options: { force?: boolean; checkVoucherUsage?: boolean } = {},
): true | string {
  const positions = livePositionsOfOrder(ctx.db, order.id);
  if (options.checkVoucherUsage && !options.force) {
    const uses = new Map<number, number>();
    for (const p of positions)
      if (p.voucher_id !== null) uses.set(p.voucher_id, (uses.get(p.voucher_id) ?? 0) + 1);
    for (const [voucherId, n] of uses) {
      const v = voucherUsage(ctx.db, voucherId);
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
  order: OrderHead,
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
  for (const id of positionIds) {
    const voucherId = voucherOfPosition(ctx.db, id);
    if (voucherId) releaseVoucherRedemption(ctx.db, voucherId);
  }
}

export function activePositionIds(ctx: EngineContext, orderId: number): number[] {
  return livePositionIds(ctx.db, orderId);
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
    const rule = findEventTaxRule(ctx.db, defaultRule, eventId);
    if (rule) {
      const currency = eventCurrency(ctx.db, eventId);
      const t = computeTax(rule, value, currency, 'gross');
      return { rate: moneyText(t.rate), tax: moneyText(t.tax), ruleId: rule.id };
    }
  }
  return { rate: '0.00', tax: '0.00', ruleId: null };
}
