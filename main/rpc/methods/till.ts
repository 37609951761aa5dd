import { deskName } from '../../engine/preferences';
import { z } from 'zod';
import {
  authorise,
  cashierById,
  changePin,
  createCashier,
  deactivateCashier,
  listCashiers,
  requireCashier,
  signIn,
  signOut,
} from '../../engine/cashiers';
import type { EngineContext } from '../../engine/context';
import { forbidden, notFound } from '../../engine/errors';
import { queueDocument } from '../../engine/printing';
import { printerForRole } from '../../engine/printing';
import { receiptsOfOrder } from '../../engine/receipts';
import { receiptPdf, receiptRows, shiftReportPdf, shiftReportRows } from '../../engine/reports';
import {
  closeShift,
  deskTimeZone,
  listShifts,
  moveCash,
  openShift,
  shiftById,
  shiftOrFail,
} from '../../engine/shifts';
import { deskOrderIdByCode } from '../../engine/orders';
import { empty, id } from '../inputs';
import { defineMethods } from '../registry';
import { slipPaperFor } from '../receipt-printing';
import { receiptRef, shiftView } from '../../engine/shifts';
import { tillSession } from '../till';
import { actionKey, keyedCommand } from '../keyed';

const pin = z.string().trim().max(8, 'A PIN has 4 to 8 digits.');
const managerPin = pin.nullable();
const paper = z.enum(['a4', '80mm']);
const name = z.string().trim().min(1).max(60);

/** A change to a cashier's access: a manager may make it alone, a cashier with a manager's PIN. */
function authoriseStaffChange(
  ctx: EngineContext,
  action: 'change_pin' | 'deactivate_cashier',
  input: { cashierId: number; managerPin: string | null },
): void {
  const desk = deskName(ctx.db);
  const target = cashierById(ctx.db, input.cashierId);
  if (!target) throw notFound('There is no such cashier.');
  authorise(ctx, {
    desk,
    shiftId: tillSession(ctx.db).shift?.id ?? null,
    cashier: requireCashier(ctx.db, desk),
    action,
    managerPin: input.managerPin,
    detail: { of: target.name },
  });
}

export const tillMethods = defineMethods({
  'till.session': {
    input: empty,
    run: (env) => tillSession(env.engine.db),
  },
  'till.signIn': {
    input: z.object({ cashierId: id, pin }),
    run: (env, input) =>
      env.engine.command((ctx) => {
        signIn(ctx, { desk: deskName(ctx.db), cashierId: input.cashierId, pin: input.pin });
        return tillSession(ctx.db);
      }, env.actor),
  },
  'till.signOut': {
    input: empty,
    run: (env) =>
      env.engine.command((ctx) => {
        signOut(ctx, deskName(ctx.db));
        return tillSession(ctx.db);
      }, env.actor),
  },
  'till.firstManager': {
    input: z.object({ name, pin }),
    run: (env, input) =>
      env.engine.command((ctx) => {
        if (listCashiers(ctx.db).length > 0)
          throw forbidden('This box office already has cashiers; a manager adds new ones.');
        const manager = createCashier(ctx, { name: input.name, role: 'manager', pin: input.pin });
        signIn(ctx, { desk: deskName(ctx.db), cashierId: manager.id, pin: input.pin });
        return tillSession(ctx.db);
      }, env.actor),
  },
  'cashiers.create': {
    input: z.object({ name, role: z.enum(['cashier', 'manager']), pin }),
    run: (env, input) =>
      env.engine.command((ctx) => {
        const me = requireCashier(ctx.db, deskName(ctx.db));
        if (me.role !== 'manager') throw forbidden('Only a manager adds cashiers.');
        return createCashier(ctx, input);
      }, env.actor),
  },
  'cashiers.changePin': {
    input: z.object({ cashierId: id, pin, managerPin }),
    run: (env, input) =>
      env.engine.command((ctx) => {
        authoriseStaffChange(ctx, 'change_pin', input);
        changePin(ctx, { cashierId: input.cashierId, pin: input.pin });
        return tillSession(ctx.db);
      }, env.actor),
  },
  'cashiers.deactivate': {
    input: z.object({ cashierId: id, managerPin }),
    run: (env, input) =>
      env.engine.command((ctx) => {
        authoriseStaffChange(ctx, 'deactivate_cashier', input);
        deactivateCashier(ctx, input.cashierId);
        return tillSession(ctx.db);
      }, env.actor),
  },
  'shift.open': {
    input: z.object({
      openingFloat: z.string().max(20),
      currency: z.string().regex(/^[A-Z]{3}$/),
      actionKey,
    }),
    run: (env, input) =>
      keyedCommand(env, 'shift.open', input, (ctx) => {
        const desk = deskName(ctx.db);
        openShift(ctx, {
          desk,
          cashier: requireCashier(ctx.db, desk),
          openingFloat: input.openingFloat,
          currency: input.currency,
        });
        return tillSession(ctx.db);
      }).result,
  },
  'shift.cash': {
    input: z.object({
      kind: z.enum(['in', 'out']),
      amount: z.string().max(20),
      reason: z.string().max(200),
      managerPin,
      actionKey,
    }),
    run: (env, input) =>
      keyedCommand(env, 'shift.cash', input, (ctx) => {
        const desk = deskName(ctx.db);
        moveCash(ctx, { desk, cashier: requireCashier(ctx.db, desk), ...input });
        return tillSession(ctx.db);
      }).result,
  },
  'shift.openDrawer': {
    input: z.object({ managerPin, actionKey }),
    run: (env, input) =>
      keyedCommand(env, 'shift.openDrawer', input, (ctx) => {
        const desk = deskName(ctx.db);
        const cashier = requireCashier(ctx.db, desk);
        const shift = tillSession(ctx.db).shift;
        authorise(ctx, {
          desk,
          shiftId: shift?.id ?? null,
          cashier,
          action: 'open_drawer',
          managerPin: input.managerPin,
        });
        ctx.audit({
          objectType: 'shift',
          objectId: shift?.id ?? null,
          actionType: 'guichet.shift.drawer_opened',
          data: { cashier: cashier.name },
        });
        return tillSession(ctx.db);
      }).result,
  },
  'shift.close': {
    input: z.object({
      count: z.record(z.string().max(10), z.number().int().min(0).max(1_000_000)),
      comment: z.string().max(1000),
      actionKey,
    }),
    run: (env, input) =>
      keyedCommand(env, 'shift.close', input, (ctx) => {
        const desk = deskName(ctx.db);
        const { shift } = closeShift(ctx, {
          desk,
          cashier: requireCashier(ctx.db, desk),
          count: input.count,
          comment: input.comment,
        });
        return shiftView(ctx.db, shift);
      }).result,
  },
  'shift.get': {
    input: z.object({ id }),
    run: (env, input) => env.engine.read((ctx) => shiftView(ctx.db, shiftOrFail(ctx.db, input.id))),
  },
  'shift.list': {
    input: z.object({
      desk: z.string().max(60).nullable(),
      date: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .nullable(),
    }),
    run: (env, input) =>
      env.engine.read((ctx) =>
        listShifts(ctx.db, input, deskTimeZone(ctx.db)).map((s) => shiftView(ctx.db, s)),
      ),
  },
  'shift.report': {
    input: z.object({ id, paper, printKey: z.string().trim().min(8).max(100).optional() }),
    async run(env, input) {
      const shift = env.engine.read((ctx) => shiftById(ctx.db, input.id));
      if (!shift) throw notFound('There is no such shift.');
      const now = env.engine.clock.now();
      // With a print key (one per click), the report goes to the reports printer where one is set up.
      const printer = input.printKey ? printerForRole(env.engine.db, 'reports') : null;
      const paper = printer ? slipPaperFor(printer.paper) : input.paper;
      const pdf = await shiftReportPdf(env.engine.db, input.id, paper, now);
      const title = shiftReportRows(env.engine.db, shift, now).title;
      const job =
        printer && input.printKey
          ? env.engine.command(
              (ctx) => queueDocument(ctx, { role: 'reports', key: `report:${input.printKey}`, title, pdf }),
              env.actor,
            )
          : null;
      if (job) env.printQueue?.kick();
      return { pdf: pdf.toString('base64'), title, printedOn: job && printer ? printer.name : null };
    },
  },
  'receipts.ofOrder': {
    input: z.object({ code: z.string().trim().min(1).max(64) }),
    run: (env, input) =>
      env.engine.read((ctx) =>
        receiptsOfOrder(ctx.db, deskOrderIdByCode(ctx.db, input.code)).map(receiptRef),
      ),
  },
  'receipts.pdf': {
    input: z.object({ id, paper }),
    async run(env, input) {
      const pdf = await receiptPdf(env.engine.db, input.id, input.paper);
      return { pdf: pdf.toString('base64'), title: receiptRows(env.engine.db, input.id).title };
    },
  },
});
