import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../main/engine/db/open';
import { Engine } from '../../main/engine/engine';
import { computeQuotaAvailability, quotasForProduct } from '../../main/engine/quotas/availability';
import { createBenchEvent, fillOrders } from '../generate';
import { fmt, medianMs, type Figure } from '../measure';

/** What the sales screen shows: every item of the event with the availability of its tightest quota. */
function salesScreenData(engine: Engine, eventId: number) {
  const items = engine.db
    .prepare('SELECT id, name, default_price FROM items WHERE event_id = ? ORDER BY position, id')
    .all(eventId) as {
    id: number;
    name: string;
    default_price: string;
  }[];
  return items.map((item) => {
    const quotas = quotasForProduct(engine.db, eventId, item.id, null, null);
    const results = engine.read((ctx) => computeQuotaAvailability(ctx, quotas));
    const numbers = quotas.map((q) => results.get(q.id)?.available ?? 0);
    const finite = numbers.filter((n): n is number => n !== null);
    return { ...item, available: numbers.length === 0 ? 0 : finite.length ? Math.min(...finite) : null };
  });
}

/**
 * Grows one database through the sizes and measures, at each size, one availability answer; at the
 * largest size also the cold open + sales-screen data and the bytes per order.
 */
export function growthFigures(quick: boolean, log: (line: string) => void): Figure[] {
  const sizes = quick ? [1_000, 10_000, 50_000] : [1_000, 100_000, 1_000_000];
  const dir = mkdtempSync(join(tmpdir(), 'guichet-growth-'));
  const path = join(dir, 'growth.sqlite');
  try {
    const db = openDatabase(path);
    const event = createBenchEvent(db, { items: 3, quotaSize: 2_000_000 });
    db.close();
    const timings: { orders: number; ms: number }[] = [];
    let filled = 0;
    let openMs = 0;
    let bytesPerOrder = 0;
    for (const size of sizes) {
      const engine = Engine.open(path);
      const started = performance.now();
      fillOrders(engine.db, event, size - filled);
      log(
        `  grew the database to ${size.toLocaleString('en-US')} orders in ${fmt((performance.now() - started) / 1000)} s`,
      );
      filled = size;
      const itemId = event.itemIds[0]!;
      const ms = medianMs(
        () => {
          const quotas = quotasForProduct(engine.db, event.eventId, itemId, null, null);
          engine.read((ctx) => computeQuotaAvailability(ctx, quotas));
        },
        50,
        5,
      );
      timings.push({ orders: size, ms });
      engine.db.pragma('wal_checkpoint(TRUNCATE)');
      engine.close();
      if (size === sizes.at(-1)) {
        const start = performance.now();
        const opened = Engine.open(path);
        const items = salesScreenData(opened, event.eventId);
        openMs = performance.now() - start;
        if (items.length !== 3) throw new Error('sales screen data is incomplete');
        opened.close();
        bytesPerOrder = statSync(path).size / size;
      }
    }
    const first = timings[0]!;
    const last = timings.at(-1)!;
    const ratio = last.ms / first.ms;
    const label = (n: number) => n.toLocaleString('en-US');
    return [
      {
        name: 'availability_growth',
        value: ratio,
        unit: 'ratio',
        summary: `quota availability: ${timings.map((t) => `${fmt(t.ms * 1000, 0)} µs at ${label(t.orders)}`).join(', ')}; ratio ${label(last.orders)}/${label(first.orders)} ${fmt(ratio, 2)} (target ≤ 1.5)`,
        target: {
          description: `time at ${label(last.orders)} ≤ 1.5 × time at ${label(first.orders)}`,
          met: ratio <= 1.5,
        },
        details: { timings },
      },
      {
        name: 'open_and_sales_screen',
        value: openMs,
        unit: 'ms',
        summary: `opening a database with ${label(last.orders)} orders and loading the sales screen's items with availability: ${fmt(openMs)} ms (target < 1000 ms)`,
        target: { description: 'under 1 second', met: openMs < 1000 },
      },
      {
        name: 'bytes_per_order',
        value: bytesPerOrder,
        unit: 'bytes',
        summary: `database size: ${fmt(bytesPerOrder, 0)} bytes per 1-position order at ${label(last.orders)} orders (order, position, payment, log row, indexes)`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
