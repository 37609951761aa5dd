import {
  cancelLivePositionsAndFees,
  insertCancellationFee,
  openPaymentsOfOrder,
  setPaymentCanceled,
} from '../db/queries/orders/order';
import type { EngineContext } from '../context';
import { refused } from '../errors';
import { moneyText, type Money } from '../money';
import { holdOrderInQuotas, releaseOrderFromQuotas } from '../quotas/counters';
import {
  activePositionIds,
  auditOrder,
  cancellationFeeTax,
  freshExpiry,
  orderRow,
  paymentRefundSum,
  releaseVouchers,
  saveOrder,
  type OrderHead,
} from './state';

/** pretix's `cancel_allowed()`: pending, paid or expired, with at least one position left. */
export function cancelAllowed(ctx: EngineContext, order: OrderHead): boolean {
  return ['n', 'p', 'e'].includes(order.status) && activePositionIds(ctx, order.id).length > 0;
}

/** Cancels every payment still open (created or pending), as pretix does after canceling an order. */
export function cancelOpenPayments(ctx: EngineContext, order: OrderHead): void {
  for (const p of openPaymentsOfOrder(ctx.db, order.id)) {
    setPaymentCanceled(ctx.db, p.id);
    auditOrder(ctx, order, 'pretix.event.order.payment.canceled', {
      local_id: p.local_id,
      provider: p.provider,
    });
  }
}

/**
 * pretix's `_cancel_order`. Without a fee the order becomes canceled (positions stay as they are; the
 * status alone frees the quota) and voucher uses are given back. With a fee every position and fee is
 * canceled, a cancellation fee is added, and the order stays pending (fee not yet covered by payments) or
 * paid, with the fee as its total. Open payments are canceled afterwards.
 */
export function cancelOrderCore(
  ctx: EngineContext,
  orderId: number,
  options: { cancellationFee?: Money | null; comment?: string | null } = {},
): void {
  const order = orderRow(ctx, orderId);
  if (!cancelAllowed(ctx, order)) throw refused('cancel_not_allowed', 'You cannot cancel this order.');
  const fee = options.cancellationFee && !options.cancellationFee.isZero() ? options.cancellationFee : null;
  const positions = activePositionIds(ctx, order.id);
  releaseOrderFromQuotas(ctx, order.id);
  releaseVouchers(ctx, positions);
  if (fee) {
    if (fee.greaterThan(order.total)) {
      throw refused(
        'cancellation_fee_too_high',
        'The cancellation fee cannot be higher than the total amount of this order.',
      );
    }
    cancelLivePositionsAndFees(ctx.db, order.id);
    const tax = cancellationFeeTax(ctx, order.event_id, fee);
    insertCancellationFee(ctx.db, {
      order_id: order.id,
      value: moneyText(fee),
      tax_rate: tax.rate,
      tax_value: tax.tax,
      tax_rule_id: tax.ruleId,
    });
    const covered = paymentRefundSum(ctx, order.id).greaterThanOrEqualTo(fee);
    saveOrder(ctx, order.id, {
      status: covered ? 'p' : 'n',
      ...(covered ? {} : { expires: freshExpiry(ctx, order).toISOString() }),
      total: moneyText(fee),
      cancellation_date: ctx.now.toISOString(),
    });
  } else {
    saveOrder(ctx, order.id, { status: 'c', cancellation_date: ctx.now.toISOString() });
  }
  holdOrderInQuotas(ctx, order.id);
  auditOrder(ctx, order, 'pretix.event.order.canceled', {
    cancellation_fee: fee ? moneyText(fee) : null,
    comment: options.comment ?? null,
  });
  cancelOpenPayments(ctx, order);
}
