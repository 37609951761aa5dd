import {
  findRefundByLocalId,
  insertRefundRow,
  lastLocalId,
  paymentAmount,
  paymentIdByLocalId,
  setPaymentState,
  setRefundCanceled,
  setRefundDone,
  type Refund,
  type RefundState,
} from '../db/queries/orders/payment';
import type { EngineContext } from '../context';
import {
  EngineError,
  invalidFields,
  isBadRequest,
  notFound,
  refused,
  refusedList,
  type FieldErrors,
  shown,
} from '../errors';
import { Decimal, moneyText, type Money } from '../money';
import { cancelOrderCore } from '../orders/cancel';
import { eventTimeZone } from '../orders/order-event';
import {
  isPlainObject,
  parseDatetime,
  parseDecimal,
  parseInteger,
  parseString,
  REQUIRED,
  requiredField,
  bodyObject,
} from '../orders/fields';
import { auditOrder, orderRow, pendingSum } from '../orders/state';
import { refundedAmount, reopenAsPending, truthy } from './payments';

export const REFUND_STATES = ['external', 'created', 'transit', 'done', 'failed', 'canceled'] as const;
export type { RefundState };
export const REFUND_SOURCES = ['buyer', 'admin', 'external'] as const;

export function refundByLocalId(ctx: EngineContext, orderId: number, localId: number): Refund {
  const row = findRefundByLocalId(ctx.db, orderId, localId);
  if (!row) throw notFound();
  return row;
}

function markCanceledFlag(body: Record<string, unknown>): boolean {
  return truthy(
    Object.prototype.hasOwnProperty.call(body, 'mark_refunded') ? body.mark_refunded : body.mark_canceled,
  );
}

/**
 * pretix's `OrderRefund.done`: state done, execution date kept or now; the linked payment becomes
 * `refunded` once its refunds cover it. The order's status is not touched here.
 */
function markRefundDone(ctx: EngineContext, refund: Refund): void {
  setRefundDone(ctx.db, refund.id, ctx.now.toISOString());
  auditOrder(ctx, orderRow(ctx, refund.order_id), 'pretix.event.order.refund.done', {
    local_id: refund.local_id,
    provider: refund.provider,
  });
  if (refund.payment_id !== null) {
    const amount = paymentAmount(ctx.db, refund.payment_id);
    if (amount !== undefined && refundedAmount(ctx, refund.payment_id).greaterThanOrEqualTo(amount)) {
      setPaymentState(ctx.db, refund.payment_id, 'refunded');
    }
  }
}

/**
 * `POST …/orders/{code}/refunds/`: records a refund in any of the six states. `mark_canceled` (legacy
 * `mark_refunded`) then cancels the order; `mark_pending` reopens a paid order that is no longer covered.
 */
export function createRefund(ctx: EngineContext, input: { orderId: number; body: unknown }): Refund {
  const order = orderRow(ctx, input.orderId);
  const body = bodyObject(input.body);
  const has = (k: string) => Object.prototype.hasOwnProperty.call(body, k);
  const errors: FieldErrors = {};
  const choice = (key: string, options: readonly string[]): string | undefined => {
    if (!has(key)) {
      errors[key] = [REQUIRED];
      return undefined;
    }
    if (typeof body[key] !== 'string' || !options.includes(body[key])) {
      errors[key] = [`"${shown(body[key])}" is not a valid choice.`];
      return undefined;
    }
    return body[key];
  };
  const state = choice('state', REFUND_STATES) as RefundState | undefined;
  const source = choice('source', REFUND_SOURCES);
  const amountText = requiredField(body, 'amount', errors, (v) => parseDecimal(v));
  const amount: Money | undefined = amountText === undefined ? undefined : new Decimal(amountText);
  const provider = requiredField(body, 'provider', errors, (v) => parseString(v, { maxLength: 255 }));
  let paymentLocalId: number | null = null;
  if (has('payment') && body.payment !== null) {
    const n = parseInteger(body.payment);
    if (n.error !== undefined) errors.payment = [n.error];
    else paymentLocalId = n.value;
  }
  let executionDate: string | null = null;
  if (has('execution_date') && body.execution_date !== null) {
    const d = parseDatetime(body.execution_date, eventTimeZone(ctx.db, order.event_id));
    if (d.error !== undefined) errors.execution_date = [d.error];
    else executionDate = d.value.toISOString();
  }
  let comment: string | null = null;
  if (has('comment') && body.comment !== null) {
    const s = parseString(body.comment, { allowBlank: true });
    if (s.error !== undefined) errors.comment = [s.error];
    else comment = s.value;
  }
  let info = '{}';
  if (has('info') && body.info !== null) {
    if (!isPlainObject(body.info)) errors.info = ['Value must be valid JSON.'];
    else info = JSON.stringify(body.info);
  }
  if (Object.keys(errors).length > 0 || !state || !source || !amount || !provider) {
    throw invalidFields('invalid', errors);
  }
  let paymentId: number | null = null;
  if (paymentLocalId) {
    const id = paymentIdByLocalId(ctx.db, order.id, paymentLocalId);
    if (id === undefined) throw refusedList('unknown_payment', 'Unknown payment ID.');
    paymentId = id;
  }
  if (state === 'done' && !executionDate) executionDate = ctx.now.toISOString();
  const localId = lastLocalId(ctx.db, 'order_refunds', order.id);
  insertRefundRow(ctx.db, {
    order_id: order.id,
    local_id: localId + 1,
    state,
    source,
    amount: moneyText(amount),
    payment_id: paymentId,
    created: ctx.now.toISOString(),
    execution_date: executionDate,
    provider,
    comment,
    info,
  });
  const refund = refundByLocalId(ctx, order.id, localId + 1);
  auditOrder(ctx, order, 'pretix.event.order.refund.created', { local_id: refund.local_id, provider });
  if (state === 'done' || state === 'canceled' || state === 'failed') {
    auditOrder(ctx, order, `pretix.event.order.refund.${state}`, { local_id: refund.local_id, provider });
  }
  if (markCanceledFlag(body)) {
    try {
      cancelOrderCore(ctx, order.id);
    } catch (e) {
      if (e instanceof EngineError && isBadRequest(e)) throw refusedList(e.code, e.message);
      throw e;
    }
  } else if (truthy(body.mark_pending)) {
    const current = orderRow(ctx, order.id);
    if (current.status === 'p' && pendingSum(ctx, current).greaterThan(0)) reopenAsPending(ctx, current);
  }
  return refund;
}

/** `POST …/refunds/{id}/done/`: only created or in-transit refunds. */
export function refundDone(ctx: EngineContext, input: { orderId: number; localId: number }): Refund {
  const refund = refundByLocalId(ctx, input.orderId, input.localId);
  if (refund.state !== 'created' && refund.state !== 'transit') {
    throw refused('invalid_refund_state', 'Invalid state of refund');
  }
  markRefundDone(ctx, refund);
  return refundByLocalId(ctx, input.orderId, input.localId);
}

/**
 * `POST …/refunds/{id}/process/`: an external refund is accepted (done); then the order is canceled
 * (`mark_canceled`) or, unless it is paid and still covered, reopened as pending with a fresh deadline —
 * also a canceled or expired one, as pretix does.
 */
export function processRefund(
  ctx: EngineContext,
  input: { orderId: number; localId: number; body: unknown },
): Refund {
  const body = bodyObject(input.body);
  const refund = refundByLocalId(ctx, input.orderId, input.localId);
  if (refund.state !== 'external') throw refused('invalid_refund_state', 'Invalid state of refund');
  markRefundDone(ctx, refund);
  const order = orderRow(ctx, input.orderId);
  if (markCanceledFlag(body)) {
    cancelOrderCore(ctx, order.id);
  } else if (!(order.status === 'p' && pendingSum(ctx, order).lessThanOrEqualTo(0))) {
    reopenAsPending(ctx, order);
  }
  return refundByLocalId(ctx, input.orderId, input.localId);
}

/** `POST …/refunds/{id}/cancel/`: created, in-transit or external refunds. */
export function cancelRefund(ctx: EngineContext, input: { orderId: number; localId: number }): Refund {
  const refund = refundByLocalId(ctx, input.orderId, input.localId);
  if (!['created', 'transit', 'external'].includes(refund.state)) {
    throw refused('invalid_refund_state', 'Invalid state of refund');
  }
  setRefundCanceled(ctx.db, refund.id);
  auditOrder(ctx, orderRow(ctx, input.orderId), 'pretix.event.order.refund.canceled', {
    local_id: refund.local_id,
    provider: refund.provider,
  });
  return refundByLocalId(ctx, input.orderId, input.localId);
}
