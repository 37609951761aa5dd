import { randomUUID } from 'node:crypto';
import { cancelDeskOrder, completeDeskSale } from '../engine/boxoffice';
import type { Engine } from '../engine/engine';
import { deskOrderIdByCode } from '../engine/orders';
import { getConnection, importedEventId, localIdOf, uploadsOfOrder, type OutboxRow } from '../engine/sync';
import { SyncError } from './client';

export interface DeskSaleInput {
  /** The sale's own id (one per cart): completing the same sale again places and queues nothing new. */
  saleKey?: string;
  /** The server's items (and variations), by the server's ids. */
  lines: { item: number; variation?: number; count: number }[];
  paymentType: 'cash' | 'card';
  email?: string;
}

export interface DeskSale {
  code: string;
  secrets: string[];
  outbox: OutboxRow;
}

/**
 * Sells the server's items from the desk's allotments without asking the server, as the desk's sales
 * screen does: one paid order of the desk's own engine (its order list, receipts and till see it), its
 * code and ticket secrets made here (pretix accepts both on `POST orders/`, so tickets print at once and
 * stay valid), and its upload queued in the same transaction.
 */
export function sellAtDesk(engine: Engine, input: DeskSaleInput): DeskSale {
  const connection = getConnection(engine.db);
  if (!connection) throw new SyncError('This desk is not connected to a server.');
  return engine.command((ctx) => {
    const eventId = importedEventId(ctx.db, connection.organizer, connection.event);
    if (eventId === undefined)
      throw new SyncError('The server’s catalog is not on this desk yet; sync with the server first.');
    const positions = input.lines.flatMap((line) => {
      const itemId = localIdOf(ctx.db, 'item', line.item);
      const variationId =
        line.variation === undefined ? null : localIdOf(ctx.db, 'variation', line.variation);
      if (itemId === undefined || variationId === undefined)
        throw new SyncError('This product is not in the desk’s copy of the catalog.');
      return Array.from({ length: line.count }, () => ({
        itemId,
        variationId,
        attendeeName: null,
        answers: [],
      }));
    });
    const sale = completeDeskSale(ctx, {
      saleId: input.saleKey ?? randomUUID(),
      cartId: null,
      eventId,
      subeventId: null,
      positions,
      email: input.email ?? null,
      payment: input.paymentType === 'cash' ? { method: 'cash', given: '' } : { method: 'card' },
      priceReason: null,
      locale: 'en',
    });
    const outbox = uploadsOfOrder(ctx.db, sale.orderCode).find((r) => r.kind === 'order')!;
    const queued = JSON.parse(outbox.body) as { positions: { secret: string }[] };
    return { code: sale.orderCode, secrets: queued.positions.map((p) => p.secret), outbox };
  });
}

/**
 * Cancels an order sold at this desk, as its orders screen does: the desk's order is canceled and the
 * cancellation queued behind the sale as pretix's `POST …/orders/{code}/mark_canceled/`, in one
 * transaction (canceling twice queues it once). The places come back to the desk's allotment once the server has confirmed.
 */
export function cancelAtDesk(engine: Engine, input: { orderCode: string }): OutboxRow {
  return engine.command((ctx) => {
    const queued = uploadsOfOrder(ctx.db, input.orderCode).find((r) => r.kind === 'cancel');
    if (queued) return queued;
    const orderId = deskOrderIdByCode(ctx.db, input.orderCode);
    cancelDeskOrder(ctx, orderId);
    return uploadsOfOrder(ctx.db, input.orderCode).find((r) => r.kind === 'cancel')!;
  });
}
