import type { Money } from '../money';
import { voucherOfPosition } from '../db/queries/orders/order';
import { countVoucherRedemption } from '../db/queries/orders/place';
import { openPaymentRowsOfOrder } from '../db/queries/orders/payment';
import { deskPayment, type DeskMethod } from '../boxoffice/methods';
import type { EngineContext } from '../context';
import { EngineError, refused } from '../errors';
import { Decimal } from '../money';
import { confirmPaymentCore, insertPayment, paymentByLocalId, type Outcome } from '../payments/payments';
import { holdOrderInQuotas, releaseOrderFromQuotas } from '../quotas/counters';
import { cancelAllowed, cancelOpenPayments, cancelOrderCore } from './cancel';
import { eventTimeZone } from './order-event';
import { zonedTime } from './expiry';
import {
  activePositionIds,
  auditOrder,
  freshExpiry,
  isStillAvailable,
  orderRow,
  paymentRefundSum,
  pendingSum,
  releaseVouchers,
  saveOrder,
  type OrderHead,
  type OrderStatus,
} from './state';

/**
 * The state actions of an order after it was created (pretix's `mark_paid`, `mark_pending`,
 * `mark_canceled`, `mark_expired`, `mark_refunded`, `reactivate`, `extend`, `approve`, `deny`). Each is one
 * engine command; status changes are bracketed by the quota counters and logged in pretix's action types.
 */

/**
 * `mark_paid`: a pending or expired order is paid through a confirmed `manual` payment of the amount
 * still owed — an open manual payment of exactly that amount is reused, otherwise open payments are
 * canceled and a new one is created. An expired order is re-checked against its quotas; on failure the
 * payment stays confirmed and the order unchanged (returned as `error`).
 */
export function markOrderPaid(
  ctx: EngineContext,
  input: { orderId: number; deskMethod?: DeskMethod },
): Outcome<null> {
  const order = orderRow(ctx, input.orderId);
  if (order.status !== 'n' && order.status !== 'e') {
    throw refused('invalid_order_state', 'The order is not pending or expired.');
  }
  const owed = pendingSum(ctx, order);
  const open = openPaymentRowsOfOrder(ctx.db, order.id);
  // The desk says how the customer paid: a `boxoffice` payment by that method instead of `manual`.
  const desk = input.deskMethod ? deskPayment(input.deskMethod) : null;
  let payment = desk
    ? undefined
    : open.find((p) => p.provider === 'manual' && new Decimal(p.amount).equals(owed));
  if (!payment) {
    cancelOpenPayments(ctx, order);
    payment = insertPayment(ctx, order.id, {
      state: 'created',
      amount: owed,
      provider: desk?.provider ?? 'manual',
      info: desk ? JSON.stringify(desk.info) : undefined,
    });
  }
  const error = confirmPaymentCore(ctx, paymentByLocalId(ctx, order.id, payment.local_id));
  return { result: null, error };
}

/** Moves the order to `status`, bracketed by the quota counters, and logs `actionType`. */
function changeStatus(ctx: EngineContext, order: OrderHead, status: OrderStatus, actionType: string): void {
  releaseOrderFromQuotas(ctx, order.id);
  saveOrder(ctx, order.id, { status });
  holdOrderInQuotas(ctx, order.id);
  auditOrder(ctx, order, actionType);
}

/** `mark_pending`: a paid order goes back to pending; the deadline is left as it is. */
export function markOrderPending(ctx: EngineContext, input: { orderId: number }): void {
  const order = orderRow(ctx, input.orderId);
  if (order.status !== 'p') throw refused('invalid_order_state', 'The order is not paid.');
  changeStatus(ctx, order, 'n', 'pretix.event.order.unpaid');
}

/** `mark_expired`: only pending orders; expiry frees the quota but keeps voucher uses. */
export function markOrderExpired(ctx: EngineContext, input: { orderId: number }): void {
  const order = orderRow(ctx, input.orderId);
  if (order.status !== 'n') throw refused('invalid_order_state', 'The order is not pending.');
  changeStatus(ctx, order, 'e', 'pretix.event.order.expired');
}

/** `mark_canceled`, keeping a cancellation fee when one is given. */
export function markOrderCanceled(
  ctx: EngineContext,
  input: { orderId: number; cancellationFee?: Money | null; comment?: string | null },
): void {
  const order = orderRow(ctx, input.orderId);
  if (!cancelAllowed(ctx, order)) {
    throw refused('cancel_not_allowed', 'The order is not allowed to be canceled.');
  }
  cancelOrderCore(ctx, order.id, {
    cancellationFee: input.cancellationFee ?? null,
    comment: input.comment ?? null,
  });
}

/** `mark_refunded`: only paid orders; today's pretix cancels them (there is no status "refunded" any more). */
export function markOrderRefunded(ctx: EngineContext, input: { orderId: number }): void {
  const order = orderRow(ctx, input.orderId);
  if (order.status !== 'p') throw refused('invalid_order_state', 'The order is not paid.');
  cancelOrderCore(ctx, order.id);
}

/**
 * `reactivate`: a canceled order comes back if its products are still available and its vouchers still
 * have uses; paid if payments cover it and it needs no approval, pending otherwise, with a fresh deadline.
 */
export function reactivateOrder(ctx: EngineContext, input: { orderId: number }): void {
  const order = orderRow(ctx, input.orderId);
  if (order.status !== 'c') {
    throw refused('invalid_order_state', 'The order is not allowed to be reactivated.');
  }
  const available = isStillAvailable(ctx, order, { checkVoucherUsage: true });
  if (available !== true) throw refused('unavailable', available);
  const paid = paymentRefundSum(ctx, order.id).greaterThanOrEqualTo(order.total) && !order.require_approval;
  const expires = freshExpiry(ctx, order);
  releaseOrderFromQuotas(ctx, order.id);
  saveOrder(ctx, order.id, {
    status: paid ? 'p' : 'n',
    cancellation_date: null,
    expires: expires.toISOString(),
  });
  holdOrderInQuotas(ctx, order.id);
  for (const id of activePositionIds(ctx, order.id)) {
    const voucherId = voucherOfPosition(ctx.db, id);
    if (voucherId) countVoucherRedemption(ctx.db, voucherId);
  }
  auditOrder(ctx, order, 'pretix.event.order.reactivated', { expires: expires.toISOString() });
}

/** A date `YYYY-MM-DD` that exists in the calendar, as its parts. */
function calendarDate(text: string): { year: number; month: number; day: number } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const check = new Date(Date.UTC(date.year, date.month - 1, date.day));
  if (
    check.getUTCFullYear() !== date.year ||
    check.getUTCMonth() !== date.month - 1 ||
    check.getUTCDate() !== date.day
  ) {
    return undefined;
  }
  return date;
}

/** Whether `text` is a date `YYYY-MM-DD` that exists in the calendar. */
export function isCalendarDate(text: string): boolean {
  return calendarDate(text) !== undefined;
}

/**
 * `extend`: `expires` is a date (YYYY-MM-DD, else "New date is invalid."); the deadline becomes 23:59:59 of that day in the event's time
 * zone. A pending order only gets the new date; an expired one is revived to pending after the quota check
 * (skipped with `force`). Paid and canceled orders are refused (pretix would revive them; reactivate is
 * the way back for a canceled order).
 */
export function extendOrder(
  ctx: EngineContext,
  input: { orderId: number; expires: string; force?: boolean },
): void {
  const date = calendarDate(input.expires);
  if (!date) throw refused('invalid_date', 'New date is invalid.');
  const order = orderRow(ctx, input.orderId);
  const newExpiry = zonedTime(
    { ...date, hour: 23, minute: 59, second: 59 },
    eventTimeZone(ctx.db, order.event_id),
  );
  if (newExpiry < ctx.now) throw refused('date_in_past', 'The new expiry date needs to be in the future.');
  if (order.status === 'p' || order.status === 'c') {
    throw refused('invalid_order_state', 'The order is not pending or expired.');
  }
  const force = input.force ?? false;
  const wasExpired = order.status !== 'n';
  if (wasExpired) {
    const available = isStillAvailable(ctx, order, { force });
    if (available !== true) throw refused('unavailable', available);
  }
  releaseOrderFromQuotas(ctx, order.id);
  saveOrder(ctx, order.id, { expires: newExpiry.toISOString(), ...(wasExpired ? { status: 'n' } : {}) });
  holdOrderInQuotas(ctx, order.id);
  if (new Date(order.expires).getTime() !== newExpiry.getTime()) {
    auditOrder(ctx, order, 'pretix.event.order.expirychanged', {
      expires: newExpiry.toISOString(),
      force,
      state_change: wasExpired,
    });
  }
}

function requirePendingApproval(ctx: EngineContext, orderId: number) {
  const order = orderRow(ctx, orderId);
  if (!order.require_approval || order.status !== 'n') {
    throw refused('not_pending_approval', 'This order is not pending approval.');
  }
  return order;
}

/**
 * `approve`: the order no longer needs approval and gets a fresh deadline; a free order is paid at once
 * through a confirmed `free` payment.
 */
export function approveOrder(ctx: EngineContext, input: { orderId: number }): void {
  const order = requirePendingApproval(ctx, input.orderId);
  saveOrder(ctx, order.id, { require_approval: 0, expires: freshExpiry(ctx, order).toISOString() });
  auditOrder(ctx, order, 'pretix.event.order.approved');
  if (new Decimal(order.total).isZero()) {
    const payment = insertPayment(ctx, order.id, {
      state: 'created',
      amount: new Decimal(0),
      provider: 'free',
    });
    const error = confirmPaymentCore(ctx, payment, { ignoreDate: true });
    if (error) {
      throw new EngineError(
        'unavailable',
        'Some of the products you selected were no longer available. Please see below for details.',
      );
    }
  }
}

/** `deny`: the order is canceled (require_approval stays set, no cancellation date); voucher uses come back. */
export function denyOrder(ctx: EngineContext, input: { orderId: number; comment?: string }): void {
  const order = requirePendingApproval(ctx, input.orderId);
  const comment = input.comment ?? '';
  releaseOrderFromQuotas(ctx, order.id);
  saveOrder(ctx, order.id, { status: 'c' });
  releaseVouchers(ctx, activePositionIds(ctx, order.id));
  holdOrderInQuotas(ctx, order.id);
  auditOrder(ctx, order, 'pretix.event.order.denied', { comment });
}

/** The state actions by the name of their endpoint in pretix's REST API (`POST …/orders/<code>/<name>/`). */
export const orderStateActions = {
  mark_paid: markOrderPaid,
  mark_pending: markOrderPending,
  mark_expired: markOrderExpired,
  mark_canceled: markOrderCanceled,
  mark_refunded: markOrderRefunded,
  reactivate: reactivateOrder,
  extend: extendOrder,
  approve: approveOrder,
  deny: denyOrder,
} as const;
