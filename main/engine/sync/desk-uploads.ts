import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import { quotasForProduct } from '../db/queries/catalog/quotas';
import { findOutboxRowsOfOrder, findSyncConnection, outboxRowsOfOrder } from '../db/queries/sync';
import type { SyncConnectionRow } from '../db/rows';
import { refused } from '../errors';
import { loadOrder, type OrderData, type PositionData } from '../orders/model';
import { checkAllotments, getAllotment, listAllotments, takeFromAllotments } from './allotments';
import { isImportedEvent, remoteIdOf } from './catalog-import';
import { eventApiPath } from './connection';
import { enqueue, type OutboxRow } from './outbox';

/**
 * A desk's own orders of an event imported from its server go up to that server: the sale as pretix's
 * `POST orders/` with the desk's order code and ticket secrets, refunds and cancellations as pretix's
 * calls on that order. Each call is queued in the same transaction as the desk's own change, so a crash
 * can never leave one without the other.
 */

/** The connection when the order belongs to the server's event; undefined for the desk's own events. */
function serverOf(db: ReadableDB, order: Pick<OrderData, 'eventId'>): SyncConnectionRow | undefined {
  if (!isImportedEvent(db, order.eventId)) return undefined;
  const connection = findSyncConnection(db);
  if (!connection)
    throw refused('sync_not_connected', 'This event comes from a server, but the desk is not connected.');
  return connection;
}

function remote(
  db: ReadableDB,
  kind: 'item' | 'variation' | 'subevent',
  localId: number | null,
): number | null {
  if (localId === null) return null;
  const id = remoteIdOf(db, kind, localId);
  if (id === undefined)
    throw refused(
      'sync_not_on_server',
      'This product is not in the server’s catalog; it cannot be sold here.',
    );
  return id;
}

/** The server quota whose allotment this ticket is sold from: the first of its quotas the desk holds places of. */
function allotmentQuotaOf(
  ctx: EngineContext,
  eventId: number,
  p: Pick<PositionData, 'item' | 'variation' | 'subevent'>,
): number {
  for (const q of quotasForProduct(ctx.db, eventId, p.item, p.variation, p.subevent)) {
    const serverQuota = remoteIdOf(ctx.db, 'quota', q.id);
    if (serverQuota !== undefined && getAllotment(ctx.db, serverQuota)) return serverQuota;
  }
  throw refused(
    'allotment_unknown',
    'This desk holds no places for this product; ask for an allotment first.',
  );
}

/**
 * Refuses, before anything is written, a desk sale of the server's event that its allotments cannot
 * hold, in the desk's words ("only 2 places left in its allotment") rather than as a quota refusal.
 */
export function checkDeskSaleFitsAllotments(
  ctx: EngineContext,
  input: {
    eventId: number;
    subeventId: number | null;
    positions: { itemId: number; variationId: number | null }[];
  },
): void {
  if (!isImportedEvent(ctx.db, input.eventId)) return;
  const places: Record<string, number> = {};
  for (const p of input.positions) {
    const quota = allotmentQuotaOf(ctx, input.eventId, {
      item: p.itemId,
      variation: p.variationId,
      subevent: input.subeventId,
    });
    places[quota] = (places[quota] ?? 0) + 1;
  }
  checkAllotments(ctx, places);
}

/** One ticket of the sale's upload body (a type, not an interface: it is a JSON object). */
type SalePosition = {
  positionid: number;
  item: number;
  variation: number | null;
  subevent?: number | null;
  price: string;
  secret: string;
  voucher: string;
  attendee_name?: string | null;
  addon_to?: number;
  answers?: { question: number; answer: string; options: number[] }[];
};

/** The sale's upload body as it was queued. */
interface SaleBody {
  positions: SalePosition[];
}

/**
 * A desk sale of the server's event: its places are taken from the desk's allotments and its upload is
 * queued, in the sale's own transaction. Refused as a whole when an allotment runs short. Returns
 * undefined for a sale of one of the desk's own events.
 */
export function queueDeskSaleUpload(
  ctx: EngineContext,
  input: { orderId: number; paymentType: 'cash' | 'card' | 'other' | 'free' },
): OutboxRow | undefined {
  const order = loadOrder(ctx.db, input.orderId)!;
  const connection = serverOf(ctx.db, order);
  if (!connection) return undefined;
  const live = order.positions.filter((p) => !p.canceled);
  const positionidOf = new Map(live.map((p) => [p.id, p.positionid]));
  const places: Record<string, number> = {};
  const positions: SalePosition[] = live.map((p) => {
    const quota = allotmentQuotaOf(ctx, order.eventId, p);
    places[quota] = (places[quota] ?? 0) + 1;
    const answers = p.answers.flatMap((a) => {
      const question = remoteIdOf(ctx.db, 'question', a.question);
      if (question === undefined) return [];
      const options = a.options.flatMap((o) => remoteIdOf(ctx.db, 'question_option', o) ?? []);
      return [{ question, answer: a.answer, options }];
    });
    const parent = p.addon_to === null ? undefined : positionidOf.get(p.addon_to);
    return {
      positionid: p.positionid,
      item: remote(ctx.db, 'item', p.item)!,
      variation: remote(ctx.db, 'variation', p.variation),
      ...(p.subevent !== null ? { subevent: remote(ctx.db, 'subevent', p.subevent) } : {}),
      price: p.price,
      secret: p.secret,
      voucher: getAllotment(ctx.db, quota)!.voucher_code,
      ...(p.attendee_name_cached ? { attendee_name: p.attendee_name_cached } : {}),
      ...(parent !== undefined ? { addon_to: parent } : {}),
      ...(answers.length > 0 ? { answers } : {}),
    };
  });
  takeFromAllotments(ctx, places);
  const free = input.paymentType === 'free';
  const body = {
    code: order.code,
    status: 'p',
    email: order.email,
    locale: order.locale ?? 'en',
    sales_channel: 'web',
    payment_provider: free ? 'free' : 'boxoffice',
    ...(free ? {} : { payment_info: { payment_type: input.paymentType } }),
    send_email: false,
    positions,
  };
  return enqueue(ctx, {
    idempotencyKey: `sale-${order.code}`,
    kind: 'order',
    method: 'POST',
    path: `${eventApiPath(connection.organizer, connection.event)}orders/`,
    orderCode: order.code,
    body,
    places,
  });
}

/** The sale's upload of an order, when the order was sold at this desk from its allotments. */
function saleOf(db: ReadableDB, orderCode: string): { row: OutboxRow; body: SaleBody } | undefined {
  const row = findOutboxRowsOfOrder(db, orderCode, 'order')[0];
  return row ? { row, body: JSON.parse(row.body) as SaleBody } : undefined;
}

/** The allotment places of these tickets (and of their add-ons, which the server cancels with them). */
function placesOfTickets(db: ReadableDB, sale: SaleBody, secrets: string[]): Record<string, number> {
  const byCode = new Map(listAllotments(db).map((a) => [a.voucher_code, a.quota_id]));
  const chosen = sale.positions.filter((p) => secrets.includes(p.secret));
  const ids = new Set(chosen.map((p) => p.positionid));
  const places: Record<string, number> = {};
  for (const p of sale.positions) {
    if (!secrets.includes(p.secret) && !(p.addon_to !== undefined && ids.has(p.addon_to))) continue;
    const quota = byCode.get(p.voucher);
    if (quota !== undefined) places[quota] = (places[quota] ?? 0) + 1;
  }
  return places;
}

/** The places of the sale the server still counts as sold: what no call queued after it gives back. */
function placesStillSold(db: ReadableDB, orderCode: string, sale: OutboxRow): Record<string, number> {
  const places = JSON.parse(sale.places) as Record<string, number>;
  for (const row of outboxRowsOfOrder(db, orderCode)) {
    if (row.kind === 'order') continue;
    for (const [quota, n] of Object.entries(JSON.parse(row.places) as Record<string, number>)) {
      places[quota] = (places[quota] ?? 0) - n;
    }
  }
  return Object.fromEntries(Object.entries(places).filter(([, n]) => n > 0));
}

function syncedOrder(ctx: EngineContext, orderId: number) {
  const order = loadOrder(ctx.db, orderId)!;
  const connection = serverOf(ctx.db, order);
  if (!connection) return undefined;
  const sale = saleOf(ctx.db, order.code);
  if (!sale)
    throw refused('sync_order_unknown', 'This order of the server’s event was not sold at this desk.');
  return {
    order,
    connection,
    sale,
    orderPath: `${eventApiPath(connection.organizer, connection.event)}orders/${encodeURIComponent(order.code)}/`,
  };
}

/**
 * A refund made at the desk on an order it sold from its allotments, queued behind the sale: each ticket
 * it canceled as pretix's `DELETE orderpositions/{id}/` (the server gives the ticket's voucher usage
 * back, so its place comes back to the desk once confirmed), then the money as pretix's
 * `POST orders/{code}/refunds/`, which cancels the order when the refund took every ticket. Called in
 * the refund's own transaction.
 */
export function queueDeskRefundUpload(
  ctx: EngineContext,
  input: {
    orderId: number;
    /** The tickets the refund cancels one by one (their add-ons go with them). */
    canceledPositionIds: number[];
    /** The refund takes every ticket: the server cancels the order. */
    cancelsOrder: boolean;
    refundLocalId: number;
    amount: string;
    method: 'cash' | 'card' | 'other';
    done: boolean;
  },
): void {
  const synced = syncedOrder(ctx, input.orderId);
  if (!synced) return;
  const { order, sale, orderPath } = synced;
  const base = orderPath.replace(/orders\/[^/]+\/$/, '');
  for (const id of input.canceledPositionIds) {
    const p = order.positions.find((x) => x.id === id);
    if (!p) continue;
    enqueue(ctx, {
      idempotencyKey: `cancel-ticket-${p.secret}`,
      kind: 'position_cancel',
      method: 'DELETE',
      path: `${base}orderpositions/{position}/`,
      orderCode: order.code,
      positionSecret: p.secret,
      body: null,
      places: placesOfTickets(ctx.db, sale.body, [p.secret]),
    });
  }
  const key = `refund-${order.code}-${input.refundLocalId}`;
  enqueue(ctx, {
    idempotencyKey: key,
    kind: 'refund',
    method: 'POST',
    path: `${orderPath}refunds/`,
    orderCode: order.code,
    body: {
      state: input.done ? 'done' : 'created',
      source: 'admin',
      amount: input.amount,
      provider: 'boxoffice',
      info: { payment_type: input.method },
      comment: refundComment(key),
      mark_canceled: input.cancelsOrder,
    },
    places: input.cancelsOrder ? placesStillSold(ctx.db, order.code, sale.row) : {},
  });
}

/** The refund's note on the server; the desk finds a refund it sent again by it. */
export function refundComment(key: string): string {
  return `Refund at the box office (${key})`;
}

/**
 * The desk canceled an order it sold from its allotments: queued behind the sale as pretix's
 * `POST orders/{code}/mark_canceled/`. Its places come back to the allotment once the server confirms.
 * Canceling twice queues it once.
 */
export function queueDeskCancellationUpload(ctx: EngineContext, orderId: number): OutboxRow | undefined {
  const synced = syncedOrder(ctx, orderId);
  if (!synced) return undefined;
  const { order, sale, orderPath } = synced;
  const existing = findOutboxRowsOfOrder(ctx.db, order.code, 'cancel')[0];
  if (existing) return existing;
  ctx.audit({
    objectType: 'sync_outbox',
    objectId: sale.row.seq,
    actionType: 'guichet.sync.order.canceled',
    data: { order: order.code },
  });
  return enqueue(ctx, {
    idempotencyKey: `cancel-${order.code}`,
    kind: 'cancel',
    method: 'POST',
    path: `${orderPath}mark_canceled/`,
    orderCode: order.code,
    body: { send_email: false },
    places: placesStillSold(ctx.db, order.code, sale.row),
  });
}
