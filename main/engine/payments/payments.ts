import {
  findPaymentByLocalId,
  insertAdminRefund,
  insertPaymentRow,
  lastLocalId,
  refundingAmountsOfPayment,
  setPaymentConfirmed,
  setPaymentState,
  type Payment,
  type PaymentState,
} from '../db/queries/orders/payment';
import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import { EngineError, invalidFields, notFound, refused } from '../errors';
import { Decimal, moneyText, type Money } from '../money';
import { cancelOrderCore } from '../orders/cancel';
import { holdOrderInQuotas, releaseOrderFromQuotas } from '../quotas/counters';
import {
  auditOrder,
  canBePaid,
  freshExpiry,
  orderRow,
  paymentRefundSum,
  pendingSum,
  saveOrder,
  type OrderHead,
} from '../orders/state';

export const PAYMENT_STATES = ['created', 'pending', 'confirmed', 'failed', 'canceled', 'refunded'] as const;
export type { PaymentState };

export type { Payment };

/**
 * Providers of a box office. None of them can send money back by itself (pretix's base provider answers
 * "not supported" for automatic refunds), so refunds are recorded as refund objects instead.
 */
function providerSupportsRefunds(provider: string | null): { full: boolean; partial: boolean } {
  void provider;
  return { full: false, partial: false };
}

export function paymentByLocalId(ctx: EngineContext, orderId: number, localId: number): Payment {
  const row = findPaymentByLocalId(ctx.db, orderId, localId);
  if (!row) throw notFound();
  return row;
}

function nextLocalId(ctx: EngineContext, table: 'order_payments' | 'order_refunds', orderId: number): number {
  return lastLocalId(ctx.db, table, orderId) + 1;
}

export function insertPayment(
  ctx: EngineContext,
  orderId: number,
  fields: {
    state: PaymentState;
    amount: Money;
    provider: string;
    info?: string;
    paymentDate?: string | null;
  },
): Payment {
  const localId = nextLocalId(ctx, 'order_payments', orderId);
  insertPaymentRow(ctx.db, {
    order_id: orderId,
    local_id: localId,
    state: fields.state,
    amount: moneyText(fields.amount),
    created: ctx.now.toISOString(),
    payment_date: fields.paymentDate ?? null,
    provider: fields.provider,
    info: fields.info ?? '{}',
  });
  return paymentByLocalId(ctx, orderId, localId);
}

/**
 * pretix's `OrderPayment.confirm`: the payment becomes confirmed (a no-op if it already is); then, if the
 * order is pending or expired and payments minus refunds now cover its total, the order is marked paid
 * after `_can_be_paid`. When that check fails, the payment stays confirmed, the order is unchanged, a
 * `quotaexceeded` entry is logged and the failure is returned (not thrown), so that the caller commits
 * the confirmation and then reports the error, as pretix does.
 */
export function confirmPaymentCore(
  ctx: EngineContext,
  payment: Payment,
  options: { force?: boolean; ignoreDate?: boolean; paymentDate?: string } = {},
): EngineError | undefined {
  if (payment.state === 'confirmed') return undefined;
  setPaymentConfirmed(ctx.db, payment.id, options.paymentDate ?? ctx.now.toISOString());
  const order = orderRow(ctx, payment.order_id);
  auditOrder(ctx, order, 'pretix.event.order.payment.confirmed', {
    local_id: payment.local_id,
    provider: payment.provider,
  });
  if (order.status === 'p' || order.status === 'c') return undefined;
  const paid = paymentRefundSum(ctx, order.id);
  if (paid.lessThan(order.total)) return undefined;
  const check = canBePaid(ctx, order, { force: options.force, ignoreDate: options.ignoreDate });
  if (check !== true) {
    auditOrder(ctx, order, 'pretix.event.order.quotaexceeded', { message: check });
    return refused('cannot_be_paid', check);
  }
  markOrderPaid(ctx, order, payment, Boolean(options.force), paid);
  return undefined;
}

function markOrderPaid(
  ctx: EngineContext,
  order: OrderHead,
  payment: Payment,
  force: boolean,
  paid: Money,
): void {
  releaseOrderFromQuotas(ctx, order.id);
  saveOrder(ctx, order.id, { status: 'p' });
  holdOrderInQuotas(ctx, order.id);
  auditOrder(ctx, order, 'pretix.event.order.paid', {
    provider: payment.provider,
    info: safeJson(payment.info),
    date: ctx.now.toISOString(),
    force,
  });
  if (paid.greaterThan(order.total)) auditOrder(ctx, order, 'pretix.event.order.overpaid', {});
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
}

/** A command's outcome when pretix commits part of the work and still answers with an error. */
export interface Outcome<T> {
  result: T;
  error?: EngineError;
}

/** A payment as `POST …/orders/{code}/payments/` records it. */
export interface PaymentInput {
  state: PaymentState;
  amount: Money;
  provider: string;
  paymentDate?: string | null;
  info?: Record<string, unknown>;
  /** Confirm with pretix's force semantics (skip the order checks). */
  force?: boolean;
}

/**
 * `POST …/orders/{code}/payments/`. A payment created as confirmed is stored pending and then confirmed
 * with force semantics; a failure to mark the order paid is swallowed (pretix answers 201 anyway).
 */
export function createPayment(ctx: EngineContext, input: { orderId: number } & PaymentInput): Payment {
  const order = orderRow(ctx, input.orderId);
  const confirm = input.state === 'confirmed';
  let payment = insertPayment(ctx, order.id, {
    state: confirm ? 'pending' : input.state,
    amount: input.amount,
    provider: input.provider,
    info: input.info ? JSON.stringify(input.info) : '{}',
    paymentDate: input.paymentDate ?? null,
  });
  if (confirm) {
    confirmPaymentCore(ctx, payment, { force: input.force });
    payment = paymentByLocalId(ctx, order.id, payment.local_id);
  }
  auditOrder(ctx, order, 'pretix.event.order.payment.started', {
    local_id: payment.local_id,
    provider: payment.provider,
  });
  return payment;
}

/** `POST …/payments/{id}/confirm/`: only created or pending payments; `force` skips the order checks. */
export function confirmPayment(
  ctx: EngineContext,
  input: { orderId: number; localId: number; force?: boolean },
): Outcome<Payment> {
  const payment = paymentByLocalId(ctx, input.orderId, input.localId);
  if (payment.state !== 'created' && payment.state !== 'pending') {
    throw refused('invalid_payment_state', 'Invalid state of payment');
  }
  const error = confirmPaymentCore(ctx, payment, { force: input.force });
  return { result: paymentByLocalId(ctx, input.orderId, input.localId), error };
}

/** `POST …/payments/{id}/cancel/`: only created or pending payments. */
export function cancelPayment(ctx: EngineContext, input: { orderId: number; localId: number }): Payment {
  const payment = paymentByLocalId(ctx, input.orderId, input.localId);
  if (payment.state !== 'created' && payment.state !== 'pending') {
    throw refused('invalid_payment_state', 'Invalid state of payment');
  }
  setPaymentState(ctx.db, payment.id, 'canceled');
  auditOrder(ctx, orderRow(ctx, input.orderId), 'pretix.event.order.payment.canceled', {
    local_id: payment.local_id,
    provider: payment.provider,
  });
  return paymentByLocalId(ctx, input.orderId, input.localId);
}

/** Σ refunds of a payment that are done, in transit or created (pretix's `refunded_amount`). */
export function refundedAmount(ctx: { db: ReadableDB }, paymentId: number): Money {
  return refundingAmountsOfPayment(ctx.db, paymentId).reduce(
    (sum, amount) => sum.plus(amount),
    new Decimal(0),
  );
}

/**
 * `POST …/payments/{id}/refund/`: pretix's checks in pretix's order. A box office's providers cannot refund
 * automatically, so a valid amount always ends in "Full/Partial refund not available for this payment
 * method." — the refund is recorded with `POST …/refunds/` instead. The success path (refund created,
 * order back to pending or canceled) stays for providers that could refund.
 */
export function refundPayment(
  ctx: EngineContext,
  input: {
    orderId: number;
    localId: number;
    /** None: the whole payment. */
    amount?: Money;
    markCanceled?: boolean;
    comment?: string | null;
  },
): { refundLocalId: number } {
  const payment = paymentByLocalId(ctx, input.orderId, input.localId);
  const amount: Money = input.amount ?? new Decimal(payment.amount);
  if (payment.state !== 'confirmed') throw refused('invalid_payment_state', 'Invalid state of payment.');
  const supported = providerSupportsRefunds(payment.provider);
  const available = new Decimal(payment.amount).minus(refundedAmount(ctx, payment.id));
  if (amount.lessThanOrEqualTo(0)) throw invalidFields('invalid', { amount: ['Invalid refund amount.'] });
  if (amount.greaterThan(available)) {
    throw invalidFields('invalid', {
      amount: [`Invalid refund amount, only ${moneyText(available)} are available to refund.`],
    });
  }
  if (!amount.equals(payment.amount) && !supported.partial) {
    throw invalidFields('invalid', { amount: ['Partial refund not available for this payment method.'] });
  }
  if (amount.equals(payment.amount) && !supported.full) {
    throw invalidFields('invalid', { amount: ['Full refund not available for this payment method.'] });
  }
  const localId = nextLocalId(ctx, 'order_refunds', input.orderId);
  insertAdminRefund(ctx.db, {
    order_id: input.orderId,
    local_id: localId,
    amount: moneyText(amount),
    payment_id: payment.id,
    created: ctx.now.toISOString(),
    provider: payment.provider,
    comment: input.comment ?? null,
  });
  const order = orderRow(ctx, input.orderId);
  auditOrder(ctx, order, 'pretix.event.order.refund.created', {
    local_id: localId,
    provider: payment.provider,
  });
  if (pendingSum(ctx, order).greaterThan(0)) {
    if (input.markCanceled) cancelOrderCore(ctx, order.id);
    else reopenAsPending(ctx, order);
  }
  return { refundLocalId: localId };
}

/** Status back to pending with a fresh deadline, as pretix's refund endpoints do. */
export function reopenAsPending(ctx: EngineContext, order: OrderHead): void {
  releaseOrderFromQuotas(ctx, order.id);
  saveOrder(ctx, order.id, { status: 'n', expires: freshExpiry(ctx, order).toISOString() });
  holdOrderInQuotas(ctx, order.id);
}
