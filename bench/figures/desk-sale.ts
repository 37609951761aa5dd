import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildApiServer } from '../../main/api/server';
import { completeDeskSale } from '../../main/engine/boxoffice/sale';
import { openDatabase } from '../../main/engine/db/open';
import { Engine } from '../../main/engine/engine';
import { renderOrderTickets } from '../../main/engine/tickets/downloads';
import { createDeskRpc } from '../../main/rpc/index';
import { registerDeskRoutes, serverOrigins } from '../../main/rpc/http';
import { SESSION_HEADER } from '../../shared/contract';
import { createBenchEvent, fillOrders } from '../generate';
import { fmt, type Figure } from '../measure';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

interface SaleTimes {
  /** Ctrl+Enter to the answer with the order and its ticket PDF: `sale.complete`. */
  complete: number[];
  /** Key "1" to the cart with its line and the refreshed tiles: `cart.add` then `sales.tiles`. */
  add: number[];
  /** The engine command alone (no HTTP, no PDF), and the PDF alone, for where the time goes. */
  engine: number[];
  pdf: number[];
}

/**
 * Desk sales through the RPC door as the browser makes them: `POST /rpc/cart.add` and `/rpc/sales.tiles`
 * for the key press that adds a ticket, then `POST /rpc/sale.complete`, which answers with the paid order
 * and its ticket PDF. Over loopback HTTP with the session header, on the database as it is.
 */
async function measureSales(
  path: string,
  eventId: number,
  itemId: number,
  sales: number,
): Promise<SaleTimes> {
  const engine = Engine.open(path);
  const rpc = createDeskRpc({
    engine,
    mode: 'browser',
    databasePath: path,
    apiUrl: () => null,
    actor: 'desk',
  });
  const app = await buildApiServer({
    engine,
    extend: (server) =>
      registerDeskRoutes(server, {
        rpc,
        sessionToken: 'bench',
        rendererDir: null,
        origins: () => serverOrigins('127.0.0.1', port),
      }),
  });
  let port = 0;
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  const call = async (method: string, input: unknown) => {
    const res = await fetch(`http://127.0.0.1:${port}/rpc/${method}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SESSION_HEADER]: 'bench',
        origin: `http://127.0.0.1:${port}`,
      },
      body: JSON.stringify(input),
    });
    const body = (await res.json()) as { result?: unknown; error?: { message: string } };
    if (!body.result) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
    return body.result;
  };
  const times: SaleTimes = { complete: [], add: [], engine: [], pdf: [] };
  try {
    // A desk sells only with a cashier signed in and a shift open, as at the box office.
    const till = (await call('till.session', {})) as {
      cashier: unknown;
      cashiers: { id: number }[];
      shift: unknown;
    };
    if (till.cashiers.length === 0) await call('till.firstManager', { name: 'Bench', pin: '2468' });
    else if (!till.cashier) await call('till.signIn', { cashierId: till.cashiers[0]!.id, pin: '2468' });
    if (!till.shift) await call('shift.open', { openingFloat: '0.00', currency: 'EUR' });
    for (let i = 0; i < sales + 5; i++) {
      const cartId = `desk-${(0x10000000 + i).toString(16)}${Math.random().toString(16).slice(2, 10)}@api`;
      const t0 = performance.now();
      await call('cart.add', { cartId, eventId, subeventId: null, itemId, variationId: null, count: 1 });
      await call('sales.tiles', { eventId, subeventId: null });
      const t1 = performance.now();
      const sale = (await call('sale.complete', {
        cartId,
        eventId,
        subeventId: null,
        positions: [{ itemId, variationId: null, attendeeName: null, answers: [] }],
        email: null,
        payment: { method: 'cash', given: '50' },
      })) as { ticketPdf: string | null };
      const t2 = performance.now();
      if (!sale.ticketPdf) throw new Error('no ticket PDF');
      if (i < 5) continue; // warm-up
      times.add.push(t1 - t0);
      times.complete.push(t2 - t1);
    }
    // The same sale without the doors, to say what limits the figure.
    for (let i = 0; i < Math.min(sales, 100); i++) {
      const e0 = performance.now();
      const placed = engine.command((ctx) =>
        completeDeskSale(ctx, {
          saleId: `bench-${i}-${Math.random()}`,
          cartId: null,
          eventId,
          subeventId: null,
          positions: [{ itemId, variationId: null, attendeeName: null, answers: [] }],
          email: null,
          payment: { method: 'cash', given: '' },
          priceReason: null,
          locale: 'en',
        }),
      );
      const e1 = performance.now();
      await renderOrderTickets(engine.db, placed.orderId, { paper: 'a4', marks: [] });
      times.engine.push(e1 - e0);
      times.pdf.push(performance.now() - e1);
    }
  } finally {
    await app.close();
    engine.close();
  }
  for (const list of Object.values(times) as number[][]) list.sort((a, b) => a - b);
  return times;
}

/** Desk sale latency at the desk's RPC door on a small and on a large database, side by side. */
export async function deskSaleFigures(quick: boolean, log: (line: string) => void): Promise<Figure[]> {
  const sizes = quick ? [1_000, 20_000] : [1_000, 1_000_000];
  const sales = quick ? 40 : 100;
  const dir = mkdtempSync(join(tmpdir(), 'guichet-desk-sale-'));
  const path = join(dir, 'desk.sqlite');
  const figures: Figure[] = [];
  try {
    const db = openDatabase(path);
    const event = createBenchEvent(db, { items: 3, quotaSize: 5_000_000 });
    db.close();
    let filled = 0;
    const results: { orders: number; t: SaleTimes }[] = [];
    for (const size of sizes) {
      const started = performance.now();
      const grow = openDatabase(path);
      fillOrders(grow, event, size - filled);
      grow.pragma('wal_checkpoint(TRUNCATE)');
      grow.close();
      filled = size;
      log(
        `  grew the database to ${size.toLocaleString('en-US')} orders in ${fmt((performance.now() - started) / 1000)} s`,
      );
      results.push({ orders: size, t: await measureSales(path, event.eventId, event.itemIds[0]!, sales) });
    }
    for (const { orders, t } of results) {
      const label = orders.toLocaleString('en-US');
      const p50 = percentile(t.complete, 50);
      const p95 = percentile(t.complete, 95);
      figures.push({
        name: `desk_sale_ms_${orders}`,
        value: p50,
        unit: 'ms',
        summary:
          `desk sale at the RPC door, ${label} orders: Ctrl+Enter → paid order + ticket PDF p50 ${fmt(p50)} ms, ` +
          `p95 ${fmt(p95)} ms; key "1" → cart + tiles p50 ${fmt(percentile(t.add, 50))} ms; ` +
          `of which engine command p50 ${fmt(percentile(t.engine, 50))} ms, ticket PDF p50 ${fmt(percentile(t.pdf, 50))} ms`,
        details: {
          orders,
          sales: t.complete.length,
          completeP50: p50,
          completeP95: p95,
          addP50: percentile(t.add, 50),
          addP95: percentile(t.add, 95),
          engineP50: percentile(t.engine, 50),
          pdfP50: percentile(t.pdf, 50),
        },
      });
    }
    const [small, large] = results;
    if (small && large) {
      const ratio = percentile(large.t.complete, 50) / percentile(small.t.complete, 50);
      figures.push({
        name: 'desk_sale_growth_ratio',
        value: ratio,
        unit: 'x',
        summary: `desk sale p50 on ${large.orders.toLocaleString('en-US')} vs ${small.orders.toLocaleString('en-US')} orders: ${fmt(ratio, 2)}x`,
        target: {
          description: 'a sale takes no more than 1.5x as long on the large database',
          met: ratio <= 1.5,
        },
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
