import { authorise, type Cashier } from '../cashiers/cashiers';
import { zonedTime } from '../clock';
import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import { receiptsOfShiftByNumber } from '../db/queries/receipts';
import {
  cashMovementsOfShift,
  closeOpenShift,
  closingEntryHash,
  findCashMovement,
  findOpenShiftOfDesk,
  findShift,
  findShifts,
  highestZNumber,
  insertCashMovement,
  insertOpenShift,
  type CashMovement,
  type Shift,
} from '../db/queries/shifts';
import { EngineError, found, notFound, refused } from '../errors';
import { appendJournal, journalStored, type JournalPayload } from '../journal/journal';
import { money, moneyText, parseMoney, type Money } from '../money';
import { TILL_METHODS, type TillMethod } from '../receipts/receipts';
import { countedTotal, type DenominationCount } from './denominations';

export type { CashMovement, Shift };

/** The X figures of a shift: what the drawer and the payment terminals should show. */
export interface ShiftFigures {
  currency: string;
  openingFloat: string;
  sales: { count: number; total: string };
  refunds: { count: number; total: string };
  comps: { count: number };
  byMethod: { method: TillMethod; sales: string; refunds: string; net: string }[];
  taxes: { rate: string; net: string; tax: string; gross: string }[];
  cashIn: string;
  cashOut: string;
  movements: { kind: 'in' | 'out'; amount: string; reason: string; at: string }[];
  /** opening float + cash sales − cash refunds + cash in − cash out */
  expectedCash: string;
  firstReceipt: number | null;
  lastReceipt: number | null;
}

function amountInput(field: string, raw: string, what: string): Money {
  const value = parseMoney(raw.replace(',', '.'));
  if (!value || value.isNegative() || value.decimalPlaces() > 2)
    throw refused('invalid_amount', `Enter ${what} as an amount like 100.00.`);
  return value;
}

export function shiftById(db: ReadableDB, id: number): Shift | undefined {
  return findShift(db, id);
}

export function openShiftOf(db: ReadableDB, desk: string): Shift | null {
  return findOpenShiftOfDesk(db, desk) ?? null;
}

/** The open shift of the desk, or the refusal a desk sale gets outside one. */
export function requireOpenShift(db: ReadableDB, desk: string): Shift {
  return found(
    openShiftOf(db, desk),
    () =>
      new EngineError('no_open_shift', `No shift is open at ${desk}. Open a shift with the float first.`, {
        kind: 'conflict',
      }),
  );
}

export function shiftOpenedPayload(row: Shift): JournalPayload {
  return {
    id: row.id,
    desk: row.desk,
    currency: row.currency,
    opened: row.opened,
    opened_by: row.opened_by,
    opening_float: row.opening_float,
  };
}

export function shiftClosedPayload(row: Shift): JournalPayload | undefined {
  if (row.state !== 'closed') return undefined;
  return {
    id: row.id,
    desk: row.desk,
    closed: row.closed,
    closed_by: row.closed_by,
    z_number: row.z_number,
    expected_cash: row.expected_cash,
    counted_cash: row.counted_cash,
    difference: row.difference,
    denominations: JSON.parse(row.denominations ?? '{}') as JournalPayload,
    comment: row.comment,
    figures: JSON.parse(row.figures ?? '{}') as JournalPayload,
  };
}

export function movementPayload(row: CashMovement): JournalPayload {
  return { ...row };
}

/** Engine command: opens the desk's drawer with a counted float. */
export function openShift(
  ctx: EngineContext,
  input: { desk: string; cashier: Cashier; openingFloat: string; currency: string },
): Shift {
  if (openShiftOf(ctx.db, input.desk))
    throw refused('shift_open', `A shift is already open at ${input.desk}; close it before opening another.`);
  const float = amountInput('openingFloat', input.openingFloat, 'the float');
  const id = insertOpenShift(ctx.db, {
    desk: input.desk,
    currency: input.currency,
    opened: ctx.now.toISOString(),
    opened_by: input.cashier.id,
    opening_float: moneyText(float),
  });
  const row = journalStored(ctx, input.desk, 'shift.opened', id, shiftById, shiftOpenedPayload);
  ctx.audit({
    objectType: 'shift',
    objectId: id,
    actionType: 'guichet.shift.opened',
    data: { desk: input.desk, float: row.opening_float, cashier: input.cashier.name },
  });
  return row;
}

/**
 * Engine command: a change drop into the drawer or a paid-out from it, with its reason. Taking cash
 * out needs a manager unless a manager does it.
 */
export function moveCash(
  ctx: EngineContext,
  input: {
    desk: string;
    cashier: Cashier;
    kind: 'in' | 'out';
    amount: string;
    reason: string;
    managerPin?: string | null;
  },
): CashMovement {
  const shift = requireOpenShift(ctx.db, input.desk);
  const amount = amountInput('amount', input.amount, 'the amount');
  if (amount.isZero()) throw refused('invalid_amount', 'Enter an amount above zero.');
  const reason = input.reason.trim();
  if (!reason) throw refused('reason_required', 'Say why the cash moves.');
  const authorisedBy =
    input.kind === 'out'
      ? authorise(ctx, {
          desk: input.desk,
          shiftId: shift.id,
          cashier: input.cashier,
          action: 'cash_out',
          managerPin: input.managerPin ?? null,
          detail: { amount: moneyText(amount), reason },
        })
      : null;
  const id = insertCashMovement(ctx.db, {
    shift_id: shift.id,
    kind: input.kind,
    amount: moneyText(amount),
    reason,
    cashier_id: input.cashier.id,
    authorised_by: authorisedBy,
    created: ctx.now.toISOString(),
  });
  const row = journalStored(ctx, input.desk, `cash.${input.kind}`, id, findCashMovement, movementPayload);
  ctx.audit({
    objectType: 'shift',
    objectId: shift.id,
    actionType: `guichet.shift.cash_${input.kind}`,
    data: { amount: row.amount, reason, cashier: input.cashier.name },
  });
  return row;
}

/** The X figures of a shift, from its receipts and cash movements. */
export function shiftFigures(db: ReadableDB, shift: Shift): ShiftFigures {
  const receipts = receiptsOfShiftByNumber(db, shift.id);
  const movements = cashMovementsOfShift(db, shift.id);
  const perMethod = new Map<TillMethod, { sales: Money; refunds: Money }>(
    TILL_METHODS.map((m) => [m, { sales: money(0), refunds: money(0) }]),
  );
  const taxes = new Map<string, { net: Money; tax: Money; gross: Money }>();
  let sales = money(0);
  let refunds = money(0);
  let saleCount = 0;
  let refundCount = 0;
  let comps = 0;
  for (const r of receipts) {
    const m = perMethod.get(r.payment_method)!;
    const sign = r.kind === 'sale' ? 1 : -1;
    if (r.kind === 'sale') {
      saleCount++;
      sales = sales.plus(r.total);
      m.sales = m.sales.plus(r.total);
      if (r.payment_method === 'free') comps++;
    } else {
      refundCount++;
      refunds = refunds.plus(r.total);
      m.refunds = m.refunds.plus(r.total);
    }
    const content = JSON.parse(r.content) as {
      taxes: { rate: string; net: string; tax: string; gross: string }[];
    };
    for (const t of content.taxes) {
      const cur = taxes.get(t.rate) ?? { net: money(0), tax: money(0), gross: money(0) };
      taxes.set(t.rate, {
        net: cur.net.plus(money(t.net).times(sign)),
        tax: cur.tax.plus(money(t.tax).times(sign)),
        gross: cur.gross.plus(money(t.gross).times(sign)),
      });
    }
  }
  let cashIn = money(0);
  let cashOut = money(0);
  for (const mv of movements) {
    if (mv.kind === 'in') cashIn = cashIn.plus(mv.amount);
    else cashOut = cashOut.plus(mv.amount);
  }
  const cash = perMethod.get('cash')!;
  const expected = money(shift.opening_float)
    .plus(cash.sales)
    .minus(cash.refunds)
    .plus(cashIn)
    .minus(cashOut);
  return {
    currency: shift.currency,
    openingFloat: shift.opening_float,
    sales: { count: saleCount, total: moneyText(sales) },
    refunds: { count: refundCount, total: moneyText(refunds) },
    comps: { count: comps },
    byMethod: [...perMethod.entries()]
      .filter(
        ([method, v]) => method !== 'free' && (method === 'cash' || !v.sales.isZero() || !v.refunds.isZero()),
      )
      .map(([method, v]) => ({
        method,
        sales: moneyText(v.sales),
        refunds: moneyText(v.refunds),
        net: moneyText(v.sales.minus(v.refunds)),
      })),
    taxes: [...taxes.entries()]
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([rate, t]) => ({
        rate,
        net: moneyText(t.net),
        tax: moneyText(t.tax),
        gross: moneyText(t.gross),
      })),
    cashIn: moneyText(cashIn),
    cashOut: moneyText(cashOut),
    movements: movements.map((mv) => ({
      kind: mv.kind,
      amount: mv.amount,
      reason: mv.reason,
      at: mv.created,
    })),
    expectedCash: moneyText(expected),
    firstReceipt: receipts[0]?.number ?? null,
    lastReceipt: receipts.at(-1)?.number ?? null,
  };
}

interface ClosingResult {
  shift: Shift;
  figures: ShiftFigures;
  /** The journal's hash after the closing, printed on the Z report as the anchor of the chain. */
  journalHash: string;
}

/**
 * Engine command: the Z closing. The drawer is counted by denomination; the difference to the expected
 * cash needs a comment; the Z number is the desk's next one, taken in this transaction, so closings
 * from several processes never share or skip a number.
 */
export function closeShift(
  ctx: EngineContext,
  input: { desk: string; cashier: Cashier; count: DenominationCount; comment: string },
): ClosingResult {
  const shift = requireOpenShift(ctx.db, input.desk);
  const counted = countedTotal(shift.currency, input.count);
  if (!counted.ok) throw refused('invalid_count', counted.message);
  const figures = shiftFigures(ctx.db, shift);
  const difference = counted.total.minus(figures.expectedCash);
  const comment = input.comment.trim();
  if (!difference.isZero() && !comment)
    throw refused(
      'comment_required',
      `The drawer is ${difference.isNegative() ? 'short' : 'over'} by ${moneyText(difference.abs())}; say why in a comment.`,
    );
  closeOpenShift(ctx.db, shift.id, {
    closed: ctx.now.toISOString(),
    closed_by: input.cashier.id,
    z_number: (highestZNumber(ctx.db, input.desk) ?? 0) + 1,
    expected_cash: figures.expectedCash,
    counted_cash: moneyText(counted.total),
    difference: moneyText(difference),
    denominations: JSON.stringify(counted.count),
    comment,
    figures: JSON.stringify(figures),
  });
  const closed = shiftById(ctx.db, shift.id)!;
  const journalHash = appendJournal(ctx, {
    desk: input.desk,
    kind: 'shift.closed',
    refId: shift.id,
    payload: shiftClosedPayload(closed)!,
  });
  ctx.audit({
    objectType: 'shift',
    objectId: shift.id,
    actionType: 'guichet.shift.closed',
    data: {
      desk: input.desk,
      z_number: closed.z_number,
      expected: closed.expected_cash,
      counted: closed.counted_cash,
      difference: closed.difference,
      cashier: input.cashier.name,
    },
  });
  return { shift: closed, figures, journalHash };
}

/** The figures a report shows: frozen at closing for a Z report, live for an X report. */
export function reportFigures(db: ReadableDB, shift: Shift): ShiftFigures {
  return shift.state === 'closed' && shift.figures
    ? (JSON.parse(shift.figures) as ShiftFigures)
    : shiftFigures(db, shift);
}

/** The journal hash right after this shift's closing entry (the Z report's anchor). */
export function closingHash(db: ReadableDB, shiftId: number): string | null {
  return closingEntryHash(db, shiftId) ?? null;
}

/**
 * Shifts of a desk (all desks when null), newest first, optionally of one day (`YYYY-MM-DD`): opened or
 * closed on that date as the wall clock in `timeZone` (the desk's, see deskTimeZone) shows it.
 */
export function listShifts(
  db: ReadableDB,
  filter: { desk?: string | null; date?: string | null } = {},
  timeZone = 'UTC',
): Shift[] {
  const m = filter.date ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(filter.date) : null;
  const day = m
    ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: 0, minute: 0, second: 0 }
    : null;
  return findShifts(db, {
    desk: filter.desk,
    day: day
      ? {
          from: zonedTime(day, timeZone).toISOString(),
          to: zonedTime({ ...day, day: day.day + 1 }, timeZone).toISOString(),
        }
      : null,
  });
}

export function shiftOrFail(db: ReadableDB, id: number): Shift {
  const shift = shiftById(db, id);
  if (!shift) throw notFound('There is no such shift.');
  return shift;
}
