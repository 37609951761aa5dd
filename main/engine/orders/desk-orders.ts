import type { DeskMethod } from '../boxoffice/methods';
import { orderRefundable, paymentRefundable } from '../boxoffice/refund';
import { i18nText } from '../i18n';
import type { ReadableDB } from '../db/handles';
import {
  answersOfPosition,
  attendeeNamesOfOrder,
  checkinsOfOrder,
  deskOrderById,
  feesOfOrder,
  lastConfirmedPaymentAmount,
  livePositionLines,
  logOfOrder,
  newestOrders,
  ordersAwaitingApproval,
  ordersWithAttendeeNameLike,
  ordersWithCode,
  ordersWithCodeLike,
  ordersWithEmailLike,
  ordersWithSecret,
  orderStatusById,
  paymentsOfOrder,
  positionBelongsToOrder,
  positionsOfOrder,
  productCountsOfOrder,
  refundAmountsOfOrder,
  refundsOfOrder,
  type DeskOrderFields,
} from '../db/queries/desk-orders';
import type { EngineContext } from '../context';
import { notFound, refused } from '../errors';
import { money, moneyText, sumMoney, type Money } from '../money';
import { updatePosition } from './positions';
import { orderIdByCode } from './model';
import type { OrderStatus } from './state';

/**
 * Orders as the desk's screens show them: search as you type, one order with all it holds, the
 * approval queue. Read models only; every change goes through a command.
 */

export interface OrderHit {
  code: string;
  eventId: number;
  eventName: string;
  status: OrderStatus;
  requireApproval: boolean;
  email: string | null;
  total: string;
  datetime: string;
  attendees: string[];
  /** Why it matched: 'code' | 'name' | 'email' | 'secret'. */
  matched: string;
}

export type OrderAction =
  'mark_paid' | 'extend' | 'cancel' | 'reprint' | 'change_name' | 'approve' | 'deny' | 'refund';

/** A payment or refund as the desk lists it. */
export interface DeskMoneyMovement {
  id: number;
  localId: number;
  state: string;
  amount: string;
  provider: string | null;
  method: DeskMethod;
  created: string;
}

export interface OrderDetail extends OrderHit {
  currency: string;
  expires: string;
  comment: string;
  positions: {
    id: number;
    positionid: number;
    item: string;
    variation: string | null;
    price: string;
    attendeeName: string | null;
    attendeeEmail: string | null;
    secret: string;
    canceled: boolean;
    answers: { question: string; answer: string }[];
  }[];
  fees: { type: string; value: string; canceled: boolean }[];
  payments: (DeskMoneyMovement & {
    /** Its confirmed amount minus the refunds against it (0.00 unless confirmed). */
    refundable: string;
  })[];
  refunds: (DeskMoneyMovement & { comment: string | null })[];
  /** What the desk may still refund: confirmed payments minus refunds. */
  refundable: string;
  checkins: { list: string; type: string; datetime: string; successful: boolean }[];
  log: { datetime: string; action: string; actor: string }[];
  /** What the order's state allows now. */
  actions: OrderAction[];
}

export interface ApprovalEntry {
  code: string;
  eventName: string;
  datetime: string;
  total: string;
  /** The event's currency, which the total is in. */
  currency: string;
  email: string | null;
  lines: { item: string; count: number }[];
}

/** An item's name, with its variation's after a dash when it has one. */
export function productName(item: string, variation: string | null, locale: string): string {
  return variation ? `${i18nText(item, locale)} – ${i18nText(variation, locale)}` : i18nText(item, locale);
}

function hit(db: ReadableDB, row: DeskOrderFields, matched: string, locale: string): OrderHit {
  return {
    code: row.code,
    eventId: row.event_id,
    eventName: i18nText(row.event_name, locale),
    status: row.status as OrderStatus,
    requireApproval: row.require_approval === 1,
    email: row.email,
    total: row.total,
    datetime: row.datetime,
    attendees: attendeeNamesOfOrder(db, row.id),
    matched,
  };
}

/**
 * Search as you type: an exact ticket secret or order code first (a scanned barcode), then order codes,
 * attendee names and emails that contain the text. Newest orders first.
 */
export function searchOrders(db: ReadableDB, query: string, limit: number, locale: string): OrderHit[] {
  const q = query.trim();
  const found = new Map<number, OrderHit>();
  const add = (rows: DeskOrderFields[], matched: string) => {
    for (const r of rows)
      if (!found.has(r.id) && found.size < limit) found.set(r.id, hit(db, r, matched, locale));
  };
  if (q === '') {
    add(newestOrders(db, limit), 'recent');
    return [...found.values()];
  }
  add(ordersWithSecret(db, q), 'secret');
  add(ordersWithCode(db, q), 'code');
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  add(ordersWithCodeLike(db, like, limit), 'code');
  add(ordersWithAttendeeNameLike(db, like, limit), 'name');
  add(ordersWithEmailLike(db, like, limit), 'email');
  return [...found.values()];
}

/** The order a cashier means by this code: in any event, whatever the case it was typed in. */
export function deskOrderIdByCode(db: ReadableDB, code: string): number {
  const id = orderIdByCode(db, null, code);
  if (id === undefined) throw notFound(`There is no order ${code}.`);
  return id;
}

/** What pretix lets staff do with an order in its current state. */
export function actionsFor(status: OrderStatus, requireApproval: boolean, paidAmount: string): OrderAction[] {
  const actions: OrderAction[] = ['reprint', 'change_name'];
  if (status === 'n' && requireApproval) return ['approve', 'deny', 'change_name'];
  if (status === 'n') actions.push('mark_paid', 'extend', 'cancel');
  if (status === 'e') actions.push('mark_paid', 'extend');
  if (status === 'p') actions.push('cancel');
  if (money(paidAmount).gt(0)) actions.push('refund');
  if (status === 'c' || status === 'e') return actions.filter((a) => a !== 'reprint' && a !== 'change_name');
  return actions;
}

export function orderDetail(db: ReadableDB, code: string, locale: string): OrderDetail {
  const id = deskOrderIdByCode(db, code);
  const row = deskOrderById(db, id)!;
  const payments = paymentsOfOrder(db, id);
  const refunds = refundsOfOrder(db, id);
  const paid = sumMoney(payments.filter((p) => p.state === 'confirmed').map((p) => p.amount)).minus(
    sumMoney(refunds.filter((r) => r.state === 'done').map((r) => r.amount)),
  );
  return {
    ...hit(db, row, 'code', locale),
    currency: row.currency,
    expires: row.expires,
    comment: row.comment,
    positions: positionsOfOrder(db, id).map((p) => ({
      id: p.id,
      positionid: p.positionid,
      item: i18nText(p.item, locale),
      variation: p.variation === null ? null : i18nText(p.variation, locale),
      price: p.price,
      attendeeName: p.attendee_name_cached,
      attendeeEmail: p.attendee_email,
      secret: p.secret,
      canceled: p.canceled === 1,
      answers: answersOfPosition(db, p.id).map((a) => ({
        question: i18nText(a.question, locale),
        answer: a.answer,
      })),
    })),
    fees: feesOfOrder(db, id).map((f) => ({ type: f.fee_type, value: f.value, canceled: f.canceled === 1 })),
    payments: payments.map((p) => ({
      id: p.id,
      localId: p.local_id,
      state: p.state,
      amount: p.amount,
      provider: p.provider,
      method: p.method,
      created: p.created,
      refundable: moneyText(paymentRefundable({ db }, p.id)),
    })),
    refunds: refunds.map((r) => ({
      id: r.id,
      localId: r.local_id,
      state: r.state,
      amount: r.amount,
      provider: r.provider,
      method: r.method,
      created: r.created,
      comment: r.comment,
    })),
    refundable: moneyText(orderRefundable({ db }, id)),
    checkins: checkinsOfOrder(db, id).map((c) => ({
      list: c.list,
      type: c.type,
      datetime: c.datetime,
      successful: c.successful === 1,
    })),
    log: logOfOrder(db, id).map((l) => ({ datetime: l.datetime, action: l.action_type, actor: l.actor })),
    actions: actionsFor(row.status as OrderStatus, row.require_approval === 1, moneyText(paid)),
  };
}

/** Orders waiting for approval, oldest first, with what they hold. */
export function approvalQueue(db: ReadableDB, locale: string): ApprovalEntry[] {
  return ordersAwaitingApproval(db).map((r) => ({
    code: r.code,
    eventName: i18nText(r.event_name, locale),
    datetime: r.datetime,
    total: r.total,
    currency: r.currency,
    email: r.email,
    lines: productCountsOfOrder(db, r.id).map((l) => ({
      item: productName(l.item, l.variation, locale),
      count: l.count,
    })),
  }));
}

/** Everything refunded on an order so far, whatever the state (a desk refund is the difference). */
export function refundedTotal(db: ReadableDB, orderId: number): Money {
  return sumMoney(refundAmountsOfOrder(db, orderId).map((a) => money(a)));
}

/** The amount of the order's latest confirmed payment (what a receipt of "mark paid" shows). */
export function lastPaidAmount(db: ReadableDB, orderId: number): string | undefined {
  return lastConfirmedPaymentAmount(db, orderId);
}

/** The tickets of an order as sold: name and price of each live position. */
export function soldLines(
  db: ReadableDB,
  orderId: number,
  locale: string,
): { name: string; price: string }[] {
  return livePositionLines(db, orderId).map((r) => ({
    name: productName(r.item, r.variation, locale),
    price: r.price,
  }));
}

/** Command: a new attendee name on one position of this order (blank clears it). */
export function renameAttendee(
  ctx: EngineContext,
  input: { orderId: number; positionId: number; name: string },
): void {
  if (!positionBelongsToOrder(ctx.db, input.positionId, input.orderId))
    throw refused('unknown_position', 'That position is not part of this order.');
  const name = input.name || null;
  updatePosition(ctx, {
    positionId: input.positionId,
    changes: { attendeeName: name },
    logged: { attendee_name: name },
  });
}

/** The status of the order with this id; undefined when there is none. */
export function orderStatusOf(db: ReadableDB, orderId: number): OrderStatus | undefined {
  return orderStatusById(db, orderId) as OrderStatus | undefined;
}
