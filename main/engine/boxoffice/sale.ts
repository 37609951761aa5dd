import type { EngineContext } from '../context';
import { findCompletedDeskSale, insertDeskSale } from '../db/queries/boxoffice';
import { invalidFields, refused } from '../errors';
import { money, moneyText, parseMoney, type Money } from '../money';
import { placeOrder } from '../orders';
import { setFirstPaymentInfo } from '../db/queries/orders/place';
import { getListedPrice } from '../pricing/listed-price';
import { checkDeskSaleFitsAllotments, queueDeskSaleUpload } from '../sync/desk-uploads';
import { answersInPretixShape, type DeskAnswer } from './desk-answers';
import { deskPayment, type DeskMethod } from './methods';

export interface DeskPosition {
  itemId: number;
  variationId: number | null;
  attendeeName: string | null;
  /** The cashier's answers; choice questions name their option ids. */
  answers: DeskAnswer[];
  /** A price below the listed one (a discount); null sells at the listed price. */
  price?: string | null;
}

/** Paid by cash (with the amount given), card or other; `free` sells every ticket at 0.00 (a comp). */
export type DeskSalePayment =
  { method: 'cash'; given: string } | { method: 'card' } | { method: 'other' } | { method: 'free' };

export interface DeskSaleInput {
  /** The sale's id, given when its cart opened: completing it again returns the same order. */
  saleId: string;
  cartId: string | null;
  eventId: number;
  subeventId: number | null;
  positions: DeskPosition[];
  email: string | null;
  payment: DeskSalePayment;
  /** Why a ticket is sold free or below its price (guest list, staff, damaged seat). */
  priceReason: string | null;
  locale: string;
}

export interface DeskSaleResult {
  orderId: number;
  orderCode: string;
  status: 'n' | 'p' | 'e' | 'c';
  total: string;
  change: string | null;
  /** True when this call completed the sale, false when it had been completed before. */
  created: boolean;
}

/** The order a sale id already made, if any. */
export function completedSale(ctx: EngineContext, saleId: string): DeskSaleResult | null {
  const row = findCompletedDeskSale(ctx.db, saleId);
  if (!row) return null;
  return {
    orderId: row.order_id,
    orderCode: row.code,
    status: row.status,
    total: row.total,
    change: row.change,
    created: false,
  };
}

/**
 * The price each position is sold at: the listed price, a lower one the cashier typed, or 0.00 for a
 * comp. Anything below the listed price needs a reason; a negative or higher price is refused.
 */
function desiredPrices(ctx: EngineContext, sale: DeskSaleInput): (Money | null)[] {
  let reduced = false;
  const prices = sale.positions.map((p) => {
    const listed = getListedPrice(ctx.db, p.itemId, p.variationId, sale.subeventId);
    if (listed.isNegative()) {
      throw refused('negative_price', 'This item has a negative price and cannot be sold at the desk.');
    }
    let price: Money | null = null;
    if (sale.payment.method === 'free') price = money(0);
    else if (p.price !== undefined && p.price !== null && p.price.trim() !== '') {
      const parsed = parseMoney(p.price.replace(',', '.'));
      if (!parsed) throw refused('invalid_price', `"${p.price}" is not an amount.`);
      if (parsed.isNegative()) throw refused('negative_price', 'A price cannot be negative.');
      if (parsed.gt(listed)) {
        throw refused(
          'price_above_listed',
          `A ticket cannot be sold above its price of ${moneyText(listed)}.`,
        );
      }
      price = parsed;
    }
    if (price !== null && price.lt(listed)) reduced = true;
    return price !== null && price.eq(listed) ? null : price;
  });
  if (reduced && !sale.priceReason?.trim()) {
    throw refused('reason_required', 'Say why the ticket is sold free or below its price.');
  }
  return prices;
}

/**
 * Completes one desk sale, exactly once (the desk's own checks of answers and names ran before): a sale id already completed answers with its order and changes
 * nothing. Otherwise one paid order of pretix's `pretixpos` channel is placed from the sale's cart, paid
 * `boxoffice` with the method in `info.payment_type` (a free order is paid `free`), and the sale id is
 * recorded in the same transaction.
 */
export function completeDeskSale(ctx: EngineContext, sale: DeskSaleInput): DeskSaleResult {
  const done = completedSale(ctx, sale.saleId);
  if (done) return done;
  if (sale.positions.length === 0) throw refused('empty_cart', 'The cart is empty.');
  checkDeskSaleFitsAllotments(ctx, sale);
  const prices = desiredPrices(ctx, sale);
  const method: DeskMethod = sale.payment.method === 'free' ? 'other' : sale.payment.method;
  const payment = deskPayment(method);
  const reduced = prices.some((p) => p !== null);
  const { orderId, order } = placeOrder(ctx, {
    eventId: sale.eventId,
    order: {
      status: 'p',
      salesChannel: 'pretixpos',
      email: sale.email,
      locale: sale.locale,
      comment: reduced ? `Price reduced: ${sale.priceReason!.trim()}` : '',
      paymentProvider: sale.payment.method === 'free' ? null : payment.provider,
      paymentInfo: sale.payment.method === 'free' ? null : payment.info,
      consumeCarts: sale.cartId ? [sale.cartId] : [],
      positions: sale.positions.map((p, i) => ({
        itemId: p.itemId,
        variationId: p.variationId,
        subeventId: sale.subeventId,
        attendeeName: p.attendeeName,
        answers: answersInPretixShape(ctx.db, p.answers),
        price: prices[i] ?? null,
      })),
    },
  });
  let change: string | null = null;
  if (sale.payment.method === 'cash' && money(order.total).gt(0)) {
    const given =
      sale.payment.given.trim() === ''
        ? money(order.total)
        : parseMoney(sale.payment.given.replace(',', '.'));
    if (!given) throw invalidFields('invalid_amount', { given: ['A valid number is required.'] });
    if (given.lt(order.total)) {
      throw invalidFields('short_payment', {
        given: [`The amount given is less than the total of ${order.total}.`],
      });
    }
    change = moneyText(given.minus(order.total));
    setFirstPaymentInfo(
      ctx.db,
      orderId,
      JSON.stringify({ payment_type: 'cash', given: moneyText(given), change }),
    );
  }
  if (reduced) {
    const reason = sale.priceReason!.trim();
    ctx.audit({
      eventId: sale.eventId,
      objectType: 'order',
      objectId: orderId,
      actionType: 'guichet.desk.order.price_reduced',
      data: {
        reason,
        positions: sale.positions.map((p, i) => ({
          item: p.itemId,
          variation: p.variationId,
          listed: moneyText(getListedPrice(ctx.db, p.itemId, p.variationId, sale.subeventId)),
          price: prices[i] ? moneyText(prices[i]) : null,
        })),
      },
    });
  }
  // A sale of the server's event takes its places from the desk's allotments and queues its upload here,
  // in the sale's own transaction.
  queueDeskSaleUpload(ctx, { orderId, paymentType: sale.payment.method });
  insertDeskSale(ctx.db, { sale_id: sale.saleId, order_id: orderId, change, created: ctx.now.toISOString() });
  return {
    orderId,
    orderCode: order.code,
    status: order.status as DeskSaleResult['status'],
    total: order.total,
    change,
    created: true,
  };
}
