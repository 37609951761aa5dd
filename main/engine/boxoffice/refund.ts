import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import { confirmedPaymentLocalId, paymentAmountAndState, refundablePositions } from '../db/queries/boxoffice';
import { invalidFields, refused } from '../errors';
import { Decimal, money, moneyText, parseMoney, sumMoney, ZERO, type Money } from '../money';
import { cancelPosition } from '../orders/positions';
import { paymentRefundSum } from '../orders/state';
import { refundedAmount } from '../payments/payments';
import { createRefund } from '../payments/refunds';
import { queueDeskRefundUpload } from '../sync/desk-uploads';
import { deskPayment, type DeskMethod } from './methods';

/**
 * What the desk may still give back. Per payment: its confirmed amount minus the refunds against it
 * (done, in transit or created, as pretix's `refunded_amount`). Per order: what was paid minus every
 * refund (pretix's `payment_refund_sum`). The REST API keeps pretix's behaviour and records any refund.
 */
export function paymentRefundable(ctx: { db: ReadableDB }, paymentId: number): Money {
  const payment = paymentAmountAndState(ctx.db, paymentId);
  if (!payment || (payment.state !== 'confirmed' && payment.state !== 'refunded')) return ZERO;
  return Decimal.max(ZERO, money(payment.amount).minus(refundedAmount(ctx, paymentId)));
}

export function orderRefundable(ctx: { db: ReadableDB }, orderId: number): Money {
  return Decimal.max(ZERO, paymentRefundSum(ctx, orderId));
}

export interface DeskRefundInput {
  /** The payment the money goes back against (its id), or null for the order as a whole. */
  paymentId: number | null;
  /** Positions to cancel and refund at their price; empty to refund `amount`. */
  positionIds: number[];
  amount: string | null;
  method: DeskMethod;
  markRefunded: boolean;
}

/**
 * A desk refund in one command: the chosen positions are canceled (which frees their quota, as pretix
 * does) and their price refunded, or an amount is refunded; all positions refunded cancels the order.
 * Never more than is refundable, per payment and per order. The refund is a `boxoffice` refund naming
 * how the money went back (cash, card, other) and which positions it paid back. On an order the desk
 * sold for its server, the refund goes up in the same transaction (sync/desk-uploads.ts).
 */
export function deskRefund(ctx: EngineContext, orderId: number, input: DeskRefundInput): void {
  const live = refundablePositions(ctx.db, orderId).filter((p) => p.canceled === 0);
  const chosen = live.filter((p) => input.positionIds.includes(p.id));
  if (chosen.length !== input.positionIds.length) {
    throw invalidFields('invalid', { positions: ['Only live positions of this order can be refunded.'] });
  }
  const everything = chosen.length > 0 && chosen.length === live.length;
  let amount = sumMoney(chosen.map((p) => p.price));
  if (chosen.length === 0) {
    const parsed = input.amount === null ? undefined : parseMoney(input.amount.replace(',', '.'));
    if (!parsed || parsed.lte(0))
      throw invalidFields('invalid', { amount: ['Choose tickets or enter an amount.'] });
    if (parsed.decimalPlaces() > 2)
      throw invalidFields('invalid', { amount: ['Ensure that there are no more than 2 decimal places.'] });
    amount = parsed;
  }
  if (money(amount).lte(0)) throw refused('nothing', 'Nothing to refund.');
  let paymentLocalId: number | null = null;
  if (input.paymentId !== null) {
    paymentLocalId = confirmedPaymentLocalId(ctx.db, input.paymentId, orderId) ?? null;
    if (paymentLocalId === null) throw refused('unknown_payment', 'That payment cannot be refunded.');
    const left = paymentRefundable(ctx, input.paymentId);
    if (amount.gt(left)) {
      throw refused(
        'refund_exceeds_payment',
        `Only ${moneyText(left)} of this payment can still be refunded; ${moneyText(amount)} is more.`,
      );
    }
  }
  const left = orderRefundable(ctx, orderId);
  if (amount.gt(left)) {
    throw refused(
      'refund_exceeds_order',
      `Only ${moneyText(left)} of this order can still be refunded; ${moneyText(amount)} is more.`,
    );
  }
  if (!everything)
    for (const p of chosen) if (p.addon_to_id === null) cancelPosition(ctx, { positionId: p.id });
  const { provider, info } = deskPayment(
    input.method,
    chosen.length > 0 ? { positions: chosen.map((p) => p.id) } : {},
  );
  const refund = createRefund(ctx, {
    orderId,
    state: input.markRefunded ? 'done' : 'created',
    source: 'admin',
    amount,
    paymentLocalId,
    provider,
    info,
    markCanceled: everything,
  });
  queueDeskRefundUpload(ctx, {
    orderId,
    canceledPositionIds: everything ? [] : chosen.filter((p) => p.addon_to_id === null).map((p) => p.id),
    cancelsOrder: everything,
    refundLocalId: refund.local_id,
    amount: moneyText(amount),
    method: input.method,
    done: input.markRefunded,
  });
}
