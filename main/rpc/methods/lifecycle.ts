import { z } from 'zod';
import type { EngineContext } from '../../engine/context';
import { cancelDeskOrder, DESK_METHODS, deskRefund } from '../../engine/boxoffice';
import { refused } from '../../engine/errors';
import {
  approveOrder,
  denyOrder,
  deskOrderIdByCode,
  extendOrder,
  lastPaidAmount,
  markOrderPaid,
  orderDetail,
  orderRow,
  refundedTotal,
  renameAttendee,
} from '../../engine/orders';
import type { OrderDetail } from '../../../shared/contract';
import { deskName, readDeskSettings } from '../../engine/preferences';
import { id } from '../inputs';
import { defineMethods, type RpcEnv } from '../registry';
import { ticketPdfFor } from '../tickets';
import { queueOrderTickets } from '../../engine/printing';
import { printJobView } from '../../engine/printing';
import { randomUUID } from 'node:crypto';
import { authorise, requireCashier } from '../../engine/cashiers';
import { issueRefundReceipt, issueSaleReceipt } from '../../engine/receipts';
import { openShiftOf, tillContext } from '../../engine/shifts';
import { printReceiptIfSet } from '../receipt-printing';
import { actionKey, keyedCommand } from '../keyed';

const code = z.string().trim().min(1).max(64);
const deskMethod = z.enum(DESK_METHODS);

type OrderChange = (ctx: EngineContext, orderId: number) => void;

function changeOrder(ctx: EngineContext, orderCode: string, change: OrderChange): OrderDetail {
  const orderId = deskOrderIdByCode(ctx.db, orderCode);
  change(ctx, orderId);
  return orderDetail(ctx.db, orderCode, readDeskSettings(ctx.db).locale);
}

/** Runs a lifecycle command on the order with this code and answers with the order as it is after. */
function onOrder(env: RpcEnv, orderCode: string, change: OrderChange): OrderDetail {
  return env.engine.command((ctx) => changeOrder(ctx, orderCode, change), env.actor);
}

/** A lifecycle command that moves money, once per the desk's key: a retry answers with the first result. */
function onOrderOnce(
  env: RpcEnv,
  action: string,
  input: { code: string; actionKey?: string; managerPin?: string | null },
  change: OrderChange,
): OrderDetail {
  return keyedCommand(env, action, input, (ctx) => changeOrder(ctx, input.code, change)).result;
}

export const lifecycleMethods = defineMethods({
  'orders.markPaid': {
    input: z.object({ code, method: deskMethod, actionKey }),
    async run(env, input) {
      let receiptId: number | null = null;
      const detail = onOrderOnce(env, 'orders.markPaid', input, (ctx, orderId) => {
        // Money taken at the till: a signed-in cashier, an open shift, a receipt.
        const till = tillContext(ctx);
        const outcome = markOrderPaid(ctx, { orderId, deskMethod: input.method });
        if (outcome.error) throw outcome.error;
        receiptId = issueSaleReceipt(ctx, {
          shift: till.shift,
          cashier: till.cashier,
          orderId,
          method: input.method,
          total: lastPaidAmount(ctx.db, orderId),
        }).id;
      });
      await printReceiptIfSet(env, receiptId);
      return detail;
    },
  },
  'orders.extend': {
    input: z.object({ code, expires: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
    run: (env, input) =>
      onOrder(env, input.code, (ctx, orderId) => extendOrder(ctx, { orderId, expires: input.expires })),
  },
  'orders.cancel': {
    input: z.object({ code, managerPin: z.string().trim().max(8).nullable().optional(), actionKey }),
    run: (env, input) =>
      onOrderOnce(env, 'orders.cancel', input, (ctx, orderId) => {
        const order = orderRow(ctx, orderId);
        if (order.status === 'p') {
          const desk = deskName(ctx.db);
          authorise(ctx, {
            desk,
            shiftId: openShiftOf(ctx.db, desk)?.id ?? null,
            cashier: requireCashier(ctx.db, desk),
            action: 'cancel_paid_order',
            managerPin: input.managerPin ?? null,
            detail: { order: order.code, total: order.total },
          });
        }
        cancelDeskOrder(ctx, orderId);
      }),
  },
  'orders.changeName': {
    input: z.object({ code, positionId: id, name: z.string().trim().max(255) }),
    run: (env, input) =>
      onOrder(env, input.code, (ctx, orderId) => {
        renameAttendee(ctx, { orderId, positionId: input.positionId, name: input.name });
      }),
  },
  'orders.reprint': {
    input: z.object({ code, key: z.string().min(1).max(100).optional() }),
    async run(env, input) {
      const orderId = env.engine.read((ctx) => deskOrderIdByCode(ctx.db, input.code));
      // On the tickets printer where one is set up, marked REPRINT; else the PDF for the desk to print.
      const job = env.engine.command(
        (ctx) =>
          queueOrderTickets(ctx, {
            orderId,
            key: `reprint:${input.key ?? randomUUID()}`,
            reprint: true,
          }),
        env.actor,
      );
      if (job) {
        env.printQueue?.kick();
        return { ticketPdf: null, printJob: printJobView(env.engine.db, job) };
      }
      const pdf = await ticketPdfFor(env, orderId, { reprint: true });
      if (!pdf) throw refused('no_tickets', 'This order has no ticket to print.');
      return { ticketPdf: pdf, printJob: null };
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
      onOrder(env, input.code, (ctx, orderId) => denyOrder(ctx, { orderId, comment: input.comment.trim() })),
  },
  'refunds.create': {
    input: z.object({
      code,
      paymentId: id.nullable(),
      positionIds: z.array(id).max(500),
      amount: z.string().max(20).nullable(),
      method: deskMethod,
      markRefunded: z.boolean(),
      managerPin: z.string().trim().max(8).nullable().optional(),
      actionKey,
    }),
    async run(env, input) {
      let receiptId: number | null = null;
      const detail = onOrderOnce(env, 'refunds.create', input, (ctx, orderId) => {
        // Money goes back at the till: a signed-in cashier, an open shift, a manager's PIN for a cashier.
        const till = tillContext(ctx);
        const before = refundedTotal(ctx.db, orderId);
        authorise(ctx, {
          desk: till.desk,
          shiftId: till.shift.id,
          cashier: till.cashier,
          action: 'refund',
          managerPin: input.managerPin ?? null,
          detail: { order: orderRow(ctx, orderId).code, method: input.method },
        });
        deskRefund(ctx, orderId, input);
        receiptId = issueRefundReceipt(ctx, {
          shift: till.shift,
          cashier: till.cashier,
          orderId,
          method: input.method,
          amount: refundedTotal(ctx.db, orderId).minus(before),
          positionIds: input.positionIds,
        }).id;
      });
      await printReceiptIfSet(env, receiptId);
      return detail;
    },
  },
});
