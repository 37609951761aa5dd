// Printing benchmark: sales queued on a Boca (FGL, 203 dpi, 2 x 5.5 in) stand-in on loopback TCP.
// Tickets per second from sale to bytes on the printer's socket, and sale to first byte (p50, p95).
import { performance } from 'node:perf_hooks';
import { ensureDefaultOrganizer } from '../main/engine/organizers/organizers';
import { Engine } from '../main/engine/engine';
import { queueOrderTickets } from '../main/engine/printing/jobs';
import { savePrinter } from '../main/engine/printing/printers';
import { PrintQueue } from '../main/printing/queue';
import { placeOrder, ticketEvent } from '../test/engine/tickets/fixtures';
import { bocaPrinter, FakePrinter } from '../test/support/fake-printer';
import { fmt, type Figure } from './measure';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}

export async function printingFigures(quick: boolean): Promise<Figure[]> {
  const printer = await FakePrinter.start({ protocol: 'fgl' });
  const engine = Engine.open(':memory:');
  const organizerId = engine.command((ctx) => ensureDefaultOrganizer(ctx)).id;
  engine.command((ctx) => savePrinter(ctx, bocaPrinter(printer.address, { name: 'Bench Boca' }), null));
  const { eventId, ticket } = ticketEvent(engine, organizerId);
  const queue = new PrintQueue(engine, { retryMs: 100 });
  queue.start();
  const sell = (tickets: number, key: string) => {
    const order = placeOrder(
      engine,
      eventId,
      Array.from({ length: tickets }, (_, i) => ({ item: ticket, price: '23.00', name: `Guest ${i + 1}` })),
    );
    engine.command((ctx) => queueOrderTickets(ctx, { orderId: order.id, key, reprint: false }));
    queue.kick();
  };
  try {
    // Warm up: the rasteriser and fonts load on the first ticket.
    sell(1, 'warmup');
    await printer.waitForPages(1, 120_000);
    await queue.idle();

    // Throughput: a rush of sales of three tickets each, all queued at once.
    const orders = quick ? 4 : 20;
    const before = printer.pages.length;
    const start = performance.now();
    for (let i = 0; i < orders; i++) sell(3, `rush-${i}`);
    await printer.waitForPages(before + orders * 3, 300_000);
    const seconds = (performance.now() - start) / 1000;
    const perSecond = (orders * 3) / seconds;

    // Latency: one sale at a time on an idle printer, sale committed -> first byte on the socket.
    const samples = quick ? 5 : 30;
    const latencies: number[] = [];
    for (let i = 0; i < samples; i++) {
      const pages = printer.pages.length;
      const arrivals = printer.arrivals.length;
      const sold = performance.now();
      sell(1, `single-${i}`);
      await printer.waitForPages(pages + 1, 60_000);
      latencies.push(printer.arrivals[arrivals]! - sold);
      await queue.idle();
    }
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 0.5);
    const p95 = percentile(latencies, 0.95);
    return [
      {
        name: 'print_fgl_tickets_per_second',
        value: perSecond,
        unit: 'tickets/s',
        summary: `FGL 203 dpi, 2 x 5.5 in: ${fmt(perSecond)} tickets/s from sale to bytes on the printer's socket (${orders} sales of 3 tickets, printer acknowledging at once)`,
        details: { orders, tickets: orders * 3, seconds },
      },
      {
        name: 'print_sale_to_first_byte',
        value: p50,
        unit: 'ms',
        summary: `sale to first byte at the printer: p50 ${fmt(p50, 0)} ms, p95 ${fmt(p95, 0)} ms (${samples} single-ticket sales on an idle printer)`,
        details: { p50, p95, samples, min: latencies[0], max: latencies.at(-1) },
      },
    ];
  } finally {
    await queue.stop();
    await printer.close();
    engine.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const figure of await printingFigures(process.argv.includes('--quick'))) console.log(figure.summary);
}
