import { z } from 'zod';
import type { EngineContext } from '../../engine/context';
import { invalidFields, refused } from '../../engine/errors';
import { money, moneyText, parseMoney, sumMoney } from '../../engine/money';
import { cancelPosition, updatePosition } from '../../engine/orders/positions';
import {
  approveOrder,
  denyOrder,
  extendOrder,
  markOrderCanceled,
  markOrderPaid,
} from '../../engine/orders/transitions';
import { createRefund } from '../../engine/payments/refunds';
import type { OrderDetail } from '../../../shared/contract';
import { readDeskSettings } from '../desk-settings';
import { orderDetail, orderIdByCode } from '../queries';
import { defineMethods, type RpcEnv } from '../registry';
import { ticketPdfFor } from '../tickets';

const code = z.string().trim().min(1).max(64);
const id = z.number().int().positive();

/** Runs a lifecycle command on the order with this code and answers with the order as it is after. */
function onOrder(
  env: RpcEnv,
  orderCode: string,
  change: (ctx: EngineContext, orderId: number) => void,
): OrderDetail {
  return env.engine.command((ctx) => {
    const orderId = orderIdByCode(ctx.db, orderCode);
    change(ctx, orderId);
    return orderDetail(ctx.db, orderCode, readDeskSettings(ctx.db).locale);
  }, env.actor);
}

interface PositionRow {
  id: number;
  price: string;
  canceled: number;
  addon_to_id: number | null;
}

/**
 * A desk refund in one command: the chosen positions are canceled (which frees their quota, as pretix
 * does) and their price refunded, or an amount is refunded; all positions refunded cancels the order.
 * Cash refunds are box-office refunds; others are manual.
 */
function deskRefund(
  ctx: EngineContext,
  orderId: number,
  input: {
    paymentId: number | null;
    positionIds: number[];
    amount: string | null;
    method: 'cash' | 'manual';
    markRefunded: boolean;
  },
): void {
  const live = (
    ctx.db
      .prepare(
        'SELECT id, price, canceled, addon_to_id FROM order_positions WHERE order_id = ? ORDER BY positionid',
      )
      .all(orderId) as PositionRow[]
  ).filter((p) => p.canceled === 0);
  const chosen = live.filter((p) => input.positionIds.includes(p.id));
  if (chosen.length !== input.positionIds.length) {
    throw invalidFields('invalid', { positions: ['Only live positions of this order can be refunded.'] });
  }
  const everything = chosen.length > 0 && chosen.length === live.length;
  let amount = sumMoney(chosen.map((p) => p.price));
  if (chosen.length === 0) {
    const parsed = input.amount === null ? undefined : parseMoney(input.amount.replace(',', '.'));
    if (!parsed || parsed.lte(0))
      throw invalidFields('invalid', { amount: ['Choose positions or enter an amount.'] });
    amount = parsed;
  }
  if (money(amount).lte(0)) throw refused('nothing', 'Nothing to refund.');
  let paymentLocalId: number | null = null;
  if (input.paymentId !== null) {
    const payment = ctx.db
      .prepare("SELECT local_id FROM order_payments WHERE id = ? AND order_id = ? AND state = 'confirmed'")
      .get(input.paymentId, orderId) as { local_id: number } | undefined;
    if (!payment) throw refused('unknown_payment', 'That payment cannot be refunded.');
    paymentLocalId = payment.local_id;
  }
  if (!everything)
    for (const p of chosen) if (p.addon_to_id === null) cancelPosition(ctx, { positionId: p.id });
  createRefund(ctx, {
    orderId,
    body: {
      state: input.markRefunded ? 'done' : 'created',
      source: 'admin',
      amount: moneyText(amount),
      payment: paymentLocalId,
      provider: input.method === 'cash' ? 'boxoffice' : 'manual',
      info: input.method === 'cash' ? { payment_type: 'cash' } : {},
      mark_canceled: everything,
    },
  });
}

export const lifecycleMethods = defineMethods({
  'orders.markPaid': {
    input: z.object({ code }),
    run: (env, input) =>
      onOrder(env, input.code, (ctx, orderId) => {
        const outcome = markOrderPaid(ctx, { orderId, body: {} });
        if (outcome.error) throw outcome.error;
      }),
  },
  'orders.extend': {
    input: z.object({ code, expires: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
    run: (env, input) =>
      onOrder(env, input.code, (ctx, orderId) =>
        extendOrder(ctx, { orderId, body: { expires: input.expires } }),
      ),
  },
  'orders.cancel': {
    input: z.object({ code }),
    run: (env, input) =>
      onOrder(env, input.code, (ctx, orderId) => markOrderCanceled(ctx, { orderId, body: {} })),
  },
  'orders.changeName': {
    input: z.object({ code, positionId: id, name: z.string().trim().max(255) }),
    run: (env, input) =>
      onOrder(env, input.code, (ctx, orderId) => {
        const belongs = ctx.db
          .prepare('SELECT 1 FROM order_positions WHERE id = ? AND order_id = ?')
          .get(input.positionId, orderId);
        if (!belongs) throw refused('unknown_position', 'That position is not part of this order.');
        updatePosition(ctx, { positionId: input.positionId, body: { attendee_name: input.name || null } });
      }),
  },
  'orders.reprint': {
    input: z.object({ code }),
    async run(env, input) {
      const orderId = env.engine.read((ctx) => orderIdByCode(ctx.db, input.code));
      const pdf = await ticketPdfFor(env, orderId);
      if (!pdf) throw refused('no_tickets', 'This order has no ticket to print.');
      return { ticketPdf: pdf };
    },
  },
  'approvals.approve': {
    input: z.object({ code, comment: z.string().max(2000) }),
    run: (env, input) =>
      onOrder(env, input.code, (ctx, orderId) => {
        approveOrder(ctx, { orderId });
        if (input.comment.trim()) {
          ctx.audit({
            objectType: 'order',
            objectId: orderId,
            actionType: 'guichet.desk.order.approval_comment',
            data: { comment: input.comment.trim() },
          });
        }
      }),
  },
  'approvals.deny': {
    input: z.object({ code, comment: z.string().max(2000) }),
    run: (env, input) =>
      onOrder(env, input.code, (ctx, orderId) =>
        denyOrder(ctx, { orderId, body: { comment: input.comment.trim() } }),
      ),
  },
  'refunds.create': {
    input: z.object({
      code,
      paymentId: id.nullable(),
      positionIds: z.array(id).max(500),
      amount: z.string().max(20).nullable(),
      method: z.enum(['cash', 'manual']),
      markRefunded: z.boolean(),
    }),
    run: (env, input) => onOrder(env, input.code, (ctx, orderId) => deskRefund(ctx, orderId, input)),
  },
});
