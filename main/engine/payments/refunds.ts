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
import { EngineError, isBadRequest, notFound, refused, refusedList } from '../errors';
import { moneyText, type Money } from '../money';
import { cancelOrderCore } from '../orders/cancel';
import { auditOrder, orderRow, pendingSum } from '../orders/state';
import { refundedAmount, reopenAsPending } from './payments';

export const REFUND_STATES = ['external', 'created', 'transit', 'done', 'failed', 'canceled'] as const;
export type { RefundState };
export const REFUND_SOURCES = ['buyer', 'admin', 'external'] as const;
export type RefundSource = (typeof REFUND_SOURCES)[number];

/** A refund as `POST …/orders/{code}/refunds/` records it. */
export interface RefundInput {
  state: RefundState;
  source: RefundSource;
  amount: Money;
  provider: string;
  /** The order's payment it pays back (its `local_id`), if any. */
  paymentLocalId?: number | null;
  executionDate?: string | null;
  comment?: string | null;
  info?: Record<string, unknown>;
  /** Cancel the order afterwards (pretix's `mark_canceled`). */
  markCanceled?: boolean;
  /** Reopen a paid order that is no longer covered (pretix's `mark_pending`). */
  markPending?: boolean;
}

export function refundByLocalId(ctx: EngineContext, orderId: number, localId: number): Refund {
  const row = findRefundByLocalId(ctx.db, orderId, localId);
  if (!row) throw notFound();
  return row;
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
export function createRefund(ctx: EngineContext, input: { orderId: number } & RefundInput): Refund {
  const order = orderRow(ctx, input.orderId);
  const { state, source, amount, provider } = input;
  let executionDate = input.executionDate ?? null;
  let paymentId: number | null = null;
  if (input.paymentLocalId) {
    const id = paymentIdByLocalId(ctx.db, order.id, input.paymentLocalId);
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
    comment: input.comment ?? null,
    info: input.info ? JSON.stringify(input.info) : '{}',
  });
  const refund = refundByLocalId(ctx, order.id, localId + 1);
  auditOrder(ctx, order, 'pretix.event.order.refund.created', { local_id: refund.local_id, provider });
  if (state === 'done' || state === 'canceled' || state === 'failed') {
    auditOrder(ctx, order, `pretix.event.order.refund.${state}`, { local_id: refund.local_id, provider });
  }
  if (input.markCanceled) {
    try {
      cancelOrderCore(ctx, order.id);
    } catch (e) {
      if (e instanceof EngineError && isBadRequest(e)) throw refusedList(e.code, e.message);
      throw e;
    }
  } else if (input.markPending) {
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
  input: { orderId: number; localId: number; markCanceled?: boolean },
): Refund {
  const refund = refundByLocalId(ctx, input.orderId, input.localId);
  if (refund.state !== 'external') throw refused('invalid_refund_state', 'Invalid state of refund');
  markRefundDone(ctx, refund);
  const order = orderRow(ctx, input.orderId);
  if (input.markCanceled) {
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
