import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../main/engine/engine';
import { auditFor } from '../../main/engine/log/audit';
import {
  cancelJob,
  confirmPagePrinted,
  printJobRow,
  queueDocument,
  queueOrderTickets,
  retryJob,
} from '../../main/engine/printing/jobs';
import { printerRow, savePrinter, type PrinterInput } from '../../main/engine/printing/printers';
import { PrintQueue } from '../../main/printing/queue';
import { placeOrder, ticketEvent } from '../engine/tickets/fixtures';
import { testEngine } from '../helpers';
import type { PrinterSettings } from '../../shared/contract';
import { bocaPrinter, FakePrinter } from '../support/fake-printer';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const boca = (address: string, overrides: Partial<PrinterInput> = {}): PrinterInput =>
  bocaPrinter(address, overrides as Partial<PrinterSettings>);

async function setup(fake: FakePrinter, overrides: Partial<PrinterInput> = {}, queueOptions = {}) {
  const { engine, organizerId } = testEngine();
  const printer = engine.command((ctx) => savePrinter(ctx, boca(fake.address, overrides), null));
  const queue = new PrintQueue(engine, { retryMs: 100, responseTimeoutMs: 3000, ...queueOptions });
  cleanups.push(() => queue.stop());
  const { eventId, ticket } = ticketEvent(engine, organizerId);
  /** Queues the order's tickets under the idempotency key, as the desk does after a sale or a reprint. */
  const queueTickets = (orderId: number, key: string, reprint = false) =>
    engine.command((ctx) => queueOrderTickets(ctx, { orderId, key, reprint }));
  return { engine, printer, queue, eventId, ticket, queueTickets };
}

function secretsOf(engine: Engine, orderId: number): string[] {
  return (
    engine.db
      .prepare('SELECT secret FROM order_positions WHERE order_id = ? ORDER BY positionid')
      .all(orderId) as {
      secret: string;
    }[]
  ).map((r) => r.secret);
}

async function fake(protocol: 'fgl' | 'escpos', ackDelayMs = 0): Promise<FakePrinter> {
  const printer = await FakePrinter.start({ protocol, ackDelayMs });
  cleanups.push(() => printer.close());
  return printer;
}

describe('printing on a Boca (FGL) over raw TCP', () => {
  it('prints a sale of three tickets: each QR code read back from the bitmap is its position secret', async () => {
    const printer = await fake('fgl');
    const { engine, queue, eventId, ticket, queueTickets } = await setup(printer);
    const order = placeOrder(engine, eventId, [
      { item: ticket, price: '23.00', name: 'Ana Lima' },
      { item: ticket, price: '23.00', name: 'Bo Chen' },
      { item: ticket, price: '23.00', name: 'Chidi Okafor' },
    ]);
    const job = queueTickets(order.id, 'sale-1')!;
    queue.start();
    await printer.waitForPages(3);
    await queue.idle();
    expect(printer.secrets).toEqual(secretsOf(engine, order.id));
    // Within 5.5 x 2 in at 203 dpi (1116 x 406 dots; blank margins are not sent).
    expect(printer.pages[0]!.bitmap.width).toBeGreaterThan(1000);
    expect(printer.pages[0]!.bitmap.width).toBeLessThanOrEqual(1116);
    expect(printer.pages[0]!.bitmap.height).toBeLessThanOrEqual(408);
    expect(printJobRow(engine.db, job.id)).toMatchObject({ state: 'done', pages_done: 3, pages_total: 3 });
    const printed = auditFor(engine.db, 'order', order.id).filter(
      (a) => a.action_type === 'pretix.event.order.print',
    );
    expect(printed.map((a) => JSON.parse(a.data).positionid)).toEqual([1, 2, 3]);
    // Two tickets <q>, the last <z>: three acknowledgements.
    expect(printer.answers).toEqual([6, 6, 6]);
  });

  it('queues one job for the same key twice', async () => {
    const printer = await fake('fgl');
    const { engine, eventId, ticket, queueTickets } = await setup(printer);
    const order = placeOrder(engine, eventId, [{ item: ticket, price: '23.00' }]);
    const a = queueTickets(order.id, 'k')!;
    const b = queueTickets(order.id, 'k')!;
    expect(b.id).toBe(a.id);
    expect(engine.db.prepare('SELECT COUNT(*) AS n FROM print_jobs').get()).toEqual({ n: 1 });
  });

  it('holds the jobs while the printer is out of paper, says so, and prints each ticket once when paper is loaded', async () => {
    const printer = await fake('fgl');
    printer.outOfPaper = true;
    const { engine, queue, printer: row, eventId, ticket, queueTickets } = await setup(printer);
    const orders = [1, 2].map(() =>
      placeOrder(engine, eventId, [
        { item: ticket, price: '23.00' },
        { item: ticket, price: '23.00' },
      ]),
    );
    for (const order of orders) {
      queueTickets(order.id, `sale-${order.id}`);
    }
    queue.start();
    for (let i = 0; i < 100 && printerRow(engine.db, row.id).state !== 'held'; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(printerRow(engine.db, row.id)).toMatchObject({
      state: 'held',
      state_reason: 'Box office Boca: out of paper',
    });
    // Retried a few times meanwhile, each answered "out of paper" (16), nothing printed.
    await new Promise((r) => setTimeout(r, 350));
    expect(printer.pages).toHaveLength(0);
    expect(printer.answers.filter((b) => b === 16).length).toBeGreaterThan(1);
    printer.loadPaper();
    await printer.waitForPages(4);
    await queue.idle();
    const expected = orders.flatMap((o) => secretsOf(engine, o.id));
    expect(printer.secrets).toEqual(expected);
    expect(printerRow(engine.db, row.id).state).toBe('ready');
  });

  it('asks the desk about a ticket the printer never confirmed, and prints it again only when told', async () => {
    const printer = await fake('fgl', 60_000);
    // Long enough that a loaded machine's fake printer answers ticket 2 in time, short enough to wait for.
    const { engine, queue, eventId, ticket, queueTickets } = await setup(
      printer,
      {},
      { responseTimeoutMs: 2_000 },
    );
    const order = placeOrder(engine, eventId, [
      { item: ticket, price: '23.00' },
      { item: ticket, price: '23.00' },
    ]);
    const job = queueTickets(order.id, 's')!;
    queue.start();
    // Waits on the job's state, not on a count of polls: a loaded machine may take seconds to get there.
    const until = Date.now() + 20_000;
    while (Date.now() < until && printJobRow(engine.db, job.id).state !== 'failed') {
      await new Promise((r) => setTimeout(r, 20));
    }
    const failed = printJobRow(engine.db, job.id);
    expect(failed).toMatchObject({ state: 'failed', page_in_flight: 0, pages_done: 0 });
    expect(failed.reason).toMatch(
      /^Unsure whether ticket 1 of 2 printed: the printer did not answer within 2 s/,
    );
    await queue.idle();
    // The cashier saw ticket 1 come out: it counts, and ticket 2 prints.
    printer.ackDelayMs = 0;
    engine.command((ctx) => confirmPagePrinted(ctx, job.id, 'Box office Boca'));
    queue.kick();
    await printer.waitForPages(1);
    await queue.idle();
    expect(printJobRow(engine.db, job.id)).toMatchObject({ state: 'done', pages_done: 2 });
    expect(printer.secrets).toEqual([secretsOf(engine, order.id)[1]]);
  });

  it('cancels a waiting job and retries a failed one', async () => {
    const printer = await fake('fgl');
    const { engine, eventId, ticket, queueTickets } = await setup(printer);
    const order = placeOrder(engine, eventId, [{ item: ticket, price: '23.00' }]);
    const job = queueTickets(order.id, 'c')!;
    expect(engine.command((ctx) => cancelJob(ctx, job.id)).state).toBe('canceled');
    expect(() => engine.command((ctx) => retryJob(ctx, job.id))).toThrow(
      'This job was canceled; there is nothing to retry.',
    );
    const audit = auditFor(engine.db, 'order', order.id).map((a) => a.action_type);
    expect(audit).toEqual(
      expect.arrayContaining(['guichet.order.print.queued', 'guichet.order.print.canceled']),
    );
  });

  it("marks a pending order's tickets NOT PAID and refuses a canceled order's", async () => {
    const printer = await fake('fgl');
    const { engine, eventId, ticket, queueTickets } = await setup(printer);
    const pending = placeOrder(engine, eventId, [{ item: ticket, price: '23.00' }], 'n');
    const { jobPdf, printMarks } = await import('../../main/printing/documents');
    expect(printMarks({ status: 'n' }, true)).toEqual(['REPRINT', 'NOT PAID']);
    const job = queueTickets(pending.id, 'p', true)!;
    const pdf = await jobPdf(engine.db, job, printerRow(engine.db, job.printer_id));
    const { pdfText } = await import('../engine/tickets/pdf-tools');
    expect(await pdfText(pdf)).toContain('REPRINT · NOT PAID');
    engine.db.prepare("UPDATE orders SET status = 'c' WHERE id = ?").run(pending.id);
    expect(() => queueTickets(pending.id, 'p2', true)).toThrow(
      'This order is canceled: its tickets are not valid and are not printed.',
    );
  });
});

describe('printing on an ESC/POS receipt printer over raw TCP', () => {
  it("prints an order's 80 mm ticket: the QR code read back from the GS v 0 raster is the secret", async () => {
    const printer = await fake('escpos');
    const { engine, queue, eventId, ticket, queueTickets } = await setup(printer, {
      name: 'Desk Epson',
      protocol: 'escpos',
      paper: '80mm',
      printWidthMm: 72,
    });
    const order = placeOrder(engine, eventId, [{ item: ticket, price: '23.00', name: 'Dana Weiß' }]);
    queueTickets(order.id, 'r');
    queue.start();
    await printer.waitForPages(1);
    await queue.idle();
    expect(printer.secrets).toEqual(secretsOf(engine, order.id));
    // 72 mm print width at 203 dpi: 576 dots.
    expect(printer.pages[0]!.bitmap.width).toBe(576);
  });

  it('holds on an empty roll with nothing sent, then prints once the roll is changed', async () => {
    const printer = await fake('escpos');
    printer.outOfPaper = true;
    const {
      engine,
      queue,
      printer: row,
      eventId,
      ticket,
      queueTickets,
    } = await setup(printer, {
      name: 'Desk Epson',
      protocol: 'escpos',
      paper: '80mm',
      printWidthMm: 72,
    });
    const order = placeOrder(engine, eventId, [{ item: ticket, price: '23.00' }]);
    queueTickets(order.id, 'r');
    queue.start();
    for (let i = 0; i < 100 && printerRow(engine.db, row.id).state !== 'held'; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(printerRow(engine.db, row.id).state_reason).toBe('Desk Epson: out of paper');
    printer.loadPaper();
    await printer.waitForPages(1);
    await queue.idle();
    expect(printer.secrets).toEqual(secretsOf(engine, order.id));
  });
});

describe('PDF documents by role', () => {
  it('prints a receipt PDF on the receipts printer (ESC/POS), its QR code read back from the raster', async () => {
    const printer = await fake('escpos');
    const { engine, queue } = await setup(printer, {
      name: 'Desk Epson',
      role: 'receipts',
      protocol: 'escpos',
      paper: '80mm',
      printWidthMm: 72,
    });
    const PDFDocument = (await import('pdfkit')).default;
    const QRCode = (await import('qrcode')).default;
    const doc = new PDFDocument({ size: [80 * (72 / 25.4), 120 * (72 / 25.4)], margin: 14 });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise((r) => doc.on('end', r));
    doc.fontSize(12).text('Receipt 2026-000042');
    doc.text('Day Pass  23.00');
    doc.image(await QRCode.toBuffer('receipt-2026-000042', { margin: 2, scale: 6 }), 40, 90, { width: 150 });
    doc.end();
    await ended;
    const job = engine.command((ctx) =>
      queueDocument(ctx, {
        role: 'receipts',
        key: 'receipt:42',
        title: 'Receipt 42',
        pdf: Buffer.concat(chunks),
      }),
    )!;
    expect(
      engine.command((ctx) =>
        queueDocument(ctx, { role: 'reports', key: 'z:1', title: 'Z', pdf: Buffer.alloc(0) }),
      ),
    ).toBeNull();
    queue.start();
    await printer.waitForPages(1);
    await queue.idle();
    expect(printer.secrets).toEqual(['receipt-2026-000042']);
    expect(printJobRow(engine.db, job.id)).toMatchObject({ state: 'done', pages_total: 1, pages_done: 1 });
  });
});

describe('an unreachable printer', () => {
  it('holds its jobs with the reason in words', async () => {
    const printer = await fake('fgl');
    const { engine, queue, printer: row, eventId, ticket, queueTickets } = await setup(printer);
    await printer.close();
    cleanups.pop();
    const order = placeOrder(engine, eventId, [{ item: ticket, price: '23.00' }]);
    queueTickets(order.id, 'u');
    queue.start();
    for (let i = 0; i < 100 && printerRow(engine.db, row.id).state !== 'held'; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(printerRow(engine.db, row.id).state_reason).toMatch(
      /^Box office Boca: cannot reach 127\.0\.0\.1:\d+ \(connection refused\)$/,
    );
  });
});
