import { randomUUID } from 'node:crypto';
import type { Engine } from '../engine/engine';
import type { JsonObject } from '../engine/json';
import { generateOrderCode, generateTicketSecret } from '../engine/ids';
import {
  getAllotment,
  getConnection,
  pulledResources,
  queueCancellation,
  queueSale,
  type OutboxRow,
} from '../engine/sync';
import { SyncError } from './client';

interface PulledItem {
  id: number;
  default_price: string;
  name: Record<string, string> | string;
}
interface PulledQuota {
  id: number;
  items: number[];
}

export interface DeskSaleInput {
  /** The sale's own key (one per cart): completing the same sale again queues nothing new. */
  saleKey?: string;
  lines: { item: number; count: number }[];
  paymentType: 'cash' | 'card';
  email?: string;
}

export interface DeskSale {
  code: string;
  secrets: string[];
  outbox: OutboxRow;
}

/**
 * Sells from the desk's allotments using its copy of the catalog, without asking the server: the order's
 * code and ticket secrets are made here (pretix accepts both on `POST orders/`), so tickets print at once
 * and stay valid once the order is uploaded.
 */
export function sellAtDesk(engine: Engine, input: DeskSaleInput): DeskSale {
  const connection = getConnection(engine.db);
  if (!connection) throw new SyncError('This desk is not connected to a server.');
  const items = new Map(pulledResources<PulledItem>(engine.db, 'items').map((i) => [i.id, i]));
  const quotas = pulledResources<PulledQuota>(engine.db, 'quotas');
  const code = generateOrderCode();
  const positions: JsonObject[] = [];
  const places: Record<string, number> = {};
  for (const line of input.lines) {
    const item = items.get(line.item);
    if (!item) throw new SyncError('This product is not in the desk’s copy of the catalog.');
    const quota = quotas.find((q) => q.items.includes(item.id) && getAllotment(engine.db, q.id));
    if (!quota)
      throw new SyncError('This desk holds no places for this product; ask for an allotment first.');
    const voucher = getAllotment(engine.db, quota.id)!.voucher_code;
    places[quota.id] = (places[quota.id] ?? 0) + line.count;
    for (let i = 0; i < line.count; i++) {
      positions.push({ item: item.id, price: item.default_price, secret: generateTicketSecret(), voucher });
    }
  }
  const body = {
    code,
    status: 'p',
    email: input.email ?? null,
    locale: 'en',
    sales_channel: 'web',
    payment_provider: 'boxoffice',
    payment_info: { payment_type: input.paymentType },
    positions,
  };
  const path = ordersPath(connection);
  const outbox = engine.command((ctx) =>
    queueSale(ctx, { idempotencyKey: input.saleKey ?? randomUUID(), path, orderCode: code, body, places }),
  );
  const queued = JSON.parse(outbox.body) as { code: string; positions: { secret: string }[] };
  return { code: queued.code, secrets: queued.positions.map((p) => p.secret), outbox };
}

function ordersPath(connection: { organizer: string; event: string }): string {
  return `api/v1/organizers/${encodeURIComponent(connection.organizer)}/events/${encodeURIComponent(connection.event)}/orders/`;
}

/**
 * Cancels a sale made at this desk: queued behind the sale as pretix's `POST …/orders/{code}/mark_canceled/`
 * and uploaded the same way, in order, with its own X-Idempotency-Key. The places come back to the desk's
 * allotment once the server has confirmed.
 */
export function cancelAtDesk(engine: Engine, input: { orderCode: string; key?: string }): OutboxRow {
  const connection = getConnection(engine.db);
  if (!connection) throw new SyncError('This desk is not connected to a server.');
  const path = `${ordersPath(connection)}${encodeURIComponent(input.orderCode)}/mark_canceled/`;
  return engine.command((ctx) =>
    queueCancellation(ctx, { idempotencyKey: input.key ?? randomUUID(), path, orderCode: input.orderCode }),
  );
}
