import type { Cashier } from '../cashiers/cashiers';
import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import {
  findReceipt,
  highestReceiptNumber,
  insertReceiptRow,
  receiptFeeLines,
  receiptOrderHeader,
  receiptPositionLines,
  receiptsOfOrderById,
  receiptsOfShiftByNumber,
  type Receipt,
} from '../db/queries/receipts';
import type { Shift } from '../db/queries/shifts';
import { refused } from '../errors';
import { journalStored, type JournalPayload } from '../journal/journal';
import { Decimal, money, moneyText, sumMoney, type Money } from '../money';
import { i18nText } from '../i18n';

export type TillMethod = 'cash' | 'card' | 'other' | 'free';
export const TILL_METHODS: readonly TillMethod[] = ['cash', 'card', 'other', 'free'];

export type { Receipt };

export interface ReceiptLine {
  description: string;
  quantity: number;
  unitPrice: string;
  taxRate: string;
  total: string;
}

export interface TaxLine {
  rate: string;
  net: string;
  tax: string;
  gross: string;
}

/** What a receipt says, frozen when it is issued (later changes to the order do not alter it). */
export interface ReceiptContent {
  event: string;
  orderCode: string;
  currency: string;
  cashier: string;
  lines: ReceiptLine[];
  taxes: TaxLine[];
}

interface PricedLine {
  description: string;
  price: Money;
  taxRate: string;
  taxValue: Money;
}

interface OrderHeader {
  code: string;
  event: string;
  currency: string;
}

function orderHeader(db: ReadableDB, orderId: number): OrderHeader {
  const row = receiptOrderHeader(db, orderId);
  return { code: row.code, event: i18nText(row.event), currency: row.currency };
}

/** What a printed receipt shows: the order's header, the cashier, the lines grouped and their taxes. */
function receiptContent(header: OrderHeader, cashier: Cashier, lines: PricedLine[]): ReceiptContent {
  return {
    event: header.event,
    orderCode: header.code,
    currency: header.currency,
    cashier: cashier.name,
    lines: groupLines(lines),
    taxes: taxBreakdown(lines),
  };
}

function positionLines(db: ReadableDB, orderId: number, positionIds: number[] | null): PricedLine[] {
  const rows = receiptPositionLines(db, orderId);
  return rows
    .filter((r) => (positionIds ? positionIds.includes(r.id) : r.canceled === 0))
    .map((r) => ({
      description: r.variation ? `${i18nText(r.item)} – ${i18nText(r.variation)}` : i18nText(r.item),
      price: money(r.price),
      taxRate: r.tax_rate,
      taxValue: money(r.tax_value),
    }));
}

function feeLines(db: ReadableDB, orderId: number): PricedLine[] {
  const rows = receiptFeeLines(db, orderId);
  return rows.map((r) => ({
    description: r.description || `Fee (${r.fee_type})`,
    price: money(r.value),
    taxRate: r.tax_rate,
    taxValue: money(r.tax_value),
  }));
}

/** Equal lines (description, price, rate) are shown once with their quantity. */
function groupLines(lines: PricedLine[]): ReceiptLine[] {
  const grouped = new Map<string, ReceiptLine & { sum: Money }>();
  for (const l of lines) {
    const key = `${l.description}\u0000${l.price.toFixed(2)}\u0000${l.taxRate}`;
    const g = grouped.get(key);
    if (g) {
      g.quantity += 1;
      g.sum = g.sum.plus(l.price);
      g.total = moneyText(g.sum);
    } else {
      grouped.set(key, {
        description: l.description,
        quantity: 1,
        unitPrice: moneyText(l.price),
        taxRate: l.taxRate,
        total: moneyText(l.price),
        sum: l.price,
      });
    }
  }
  return [...grouped.values()].map(({ sum: _sum, ...line }) => line);
}

function taxBreakdown(lines: PricedLine[]): TaxLine[] {
  const byRate = new Map<string, { gross: Money; tax: Money }>();
  for (const l of lines) {
    const key = new Decimal(l.taxRate).toFixed(2);
    const r = byRate.get(key) ?? { gross: money(0), tax: money(0) };
    byRate.set(key, { gross: r.gross.plus(l.price), tax: r.tax.plus(l.taxValue) });
  }
  return [...byRate.entries()]
    .sort(([a], [b]) => new Decimal(a).comparedTo(new Decimal(b)))
    .map(([rate, r]) => ({
      rate,
      net: moneyText(r.gross.minus(r.tax)),
      tax: moneyText(r.tax),
      gross: moneyText(r.gross),
    }));
}

/**
 * An amount refunded without naming positions: split over the order's tax rates in proportion to what
 * was sold at each rate (prices include tax, as pretix's position prices do).
 */
function amountLines(db: ReadableDB, orderId: number, amount: Money, code: string): PricedLine[] {
  const sold = [...positionLines(db, orderId, null), ...feeLines(db, orderId)];
  const byRate = new Map<string, Money>();
  for (const l of sold) byRate.set(l.taxRate, (byRate.get(l.taxRate) ?? money(0)).plus(l.price));
  const soldTotal = sumMoney(byRate.values());
  const rates = [...byRate.entries()].filter(([, g]) => !g.isZero());
  if (rates.length === 0 || soldTotal.isZero())
    return [{ description: `Refund, order ${code}`, price: amount, taxRate: '0.00', taxValue: money(0) }];
  let left = amount;
  return rates.map(([rate, gross], i) => {
    const part = i === rates.length - 1 ? left : amount.times(gross).dividedBy(soldTotal).toDecimalPlaces(2);
    left = left.minus(part);
    const r = new Decimal(rate);
    const tax = part.times(r).dividedBy(r.plus(100)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    return { description: `Refund, order ${code}`, price: part, taxRate: rate, taxValue: tax };
  });
}

function nextReceiptNumber(db: ReadableDB, desk: string): number {
  return (highestReceiptNumber(db, desk) ?? 0) + 1;
}

export function receiptPayload(row: Receipt): JournalPayload {
  return {
    id: row.id,
    desk: row.desk,
    number: row.number,
    shift_id: row.shift_id,
    kind: row.kind,
    order_id: row.order_id,
    cashier_id: row.cashier_id,
    created: row.created,
    payment_method: row.payment_method,
    total: row.total,
    given: row.given,
    change: row.change,
    content: JSON.parse(row.content) as JournalPayload,
  };
}

function insertReceipt(
  ctx: EngineContext,
  shift: Shift,
  fields: Omit<Receipt, 'id' | 'desk' | 'number' | 'shift_id' | 'created'>,
): Receipt {
  const id = insertReceiptRow(ctx.db, {
    desk: shift.desk,
    number: nextReceiptNumber(ctx.db, shift.desk),
    shift_id: shift.id,
    created: ctx.now.toISOString(),
    ...fields,
  });
  return journalStored(ctx, shift.desk, `receipt.${fields.kind}`, id, receiptById, receiptPayload);
}

function checkCurrency(shift: Shift, currency: string): void {
  if (currency !== shift.currency)
    throw refused(
      'wrong_currency',
      `This drawer counts ${shift.currency}; the event sells in ${currency}. Close the shift and open one in ${currency}.`,
    );
}

/** Who issues a receipt, in which shift, for which order, and how the money moved. */
interface ReceiptParty {
  shift: Shift;
  cashier: Cashier;
  orderId: number;
  method: TillMethod;
}

/** Issues a receipt of the order in the drawer's currency: `lines` builds its lines and figures. */
function issueReceipt(
  ctx: EngineContext,
  kind: 'sale' | 'refund',
  party: ReceiptParty,
  lines: (header: OrderHeader) => {
    lines: PricedLine[];
    total: Money;
    given: string | null;
    change: string | null;
  },
): Receipt {
  const header = orderHeader(ctx.db, party.orderId);
  checkCurrency(party.shift, header.currency);
  const receipt = lines(header);
  return insertReceipt(ctx, party.shift, {
    kind,
    order_id: party.orderId,
    cashier_id: party.cashier.id,
    payment_method: party.method,
    total: moneyText(receipt.total),
    given: receipt.given,
    change: receipt.change,
    content: JSON.stringify(receiptContent(header, party.cashier, receipt.lines)),
  });
}

/**
 * The customer receipt of a desk sale, issued in the sale's command. Its total is the order's total;
 * `given` and `change` are kept for cash.
 */
export function issueSaleReceipt(
  ctx: EngineContext,
  input: ReceiptParty & {
    given?: string | null;
    change?: string | null;
    /** What was paid when it is not the lines' total (an order paid later, partly paid before). */
    total?: string;
  },
): Receipt {
  return issueReceipt(ctx, 'sale', input, () => {
    const lines = [...positionLines(ctx.db, input.orderId, null), ...feeLines(ctx.db, input.orderId)];
    const total = input.total !== undefined ? money(input.total) : sumMoney(lines.map((l) => l.price));
    const cash = input.method === 'cash';
    return {
      lines,
      total,
      given: cash ? (input.given ?? moneyText(total)) : null,
      change: cash ? (input.change ?? '0.00') : null,
    };
  });
}

/**
 * The receipt of a desk refund, in the shift that is open when the money goes back (not the shift of
 * the sale). Lines are the refunded positions, or the amount split over the order's tax rates.
 */
export function issueRefundReceipt(
  ctx: EngineContext,
  input: ReceiptParty & { amount: Money; positionIds: number[] },
): Receipt {
  return issueReceipt(ctx, 'refund', input, (header) => {
    let lines =
      input.positionIds.length > 0
        ? positionLines(ctx.db, input.orderId, input.positionIds)
        : amountLines(ctx.db, input.orderId, input.amount, header.code);
    const listed = sumMoney(lines.map((l) => l.price));
    if (!listed.equals(input.amount)) lines = amountLines(ctx.db, input.orderId, input.amount, header.code);
    return { lines, total: input.amount, given: null, change: null };
  });
}

export function receiptById(db: ReadableDB, id: number): Receipt | undefined {
  return findReceipt(db, id);
}

export function receiptsOfShift(db: ReadableDB, shiftId: number): Receipt[] {
  return receiptsOfShiftByNumber(db, shiftId);
}

export function receiptsOfOrder(db: ReadableDB, orderId: number): Receipt[] {
  return receiptsOfOrderById(db, orderId);
}
