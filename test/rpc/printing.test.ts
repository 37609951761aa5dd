import { afterEach, describe, expect, it } from 'vitest';
import { auditFor } from '../../main/engine/log/audit';
import { PrintQueue } from '../../main/printing/queue';
import type { PrinterSettings, PrintQueueView } from '../../shared/contract';
import { deskResult, deskSale, deskTicket, sellingDesk, type DeskSale } from '../support/desk-rpc';
import { bocaPrinter, FakePrinter } from '../support/fake-printer';
import { pdfText } from '../engine/tickets/pdf-tools';
import { decodeQr } from '../support/fake-printer';
import { rasterizePdf } from '../../main/printing/rasterize';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function desk() {
  let queue!: PrintQueue;
  const { engine, rpc, eventId, itemId } = sellingDesk({
    item: { name: 'Adult', price: '20.00' },
    env: (engine) => {
      queue = new PrintQueue(engine, { retryMs: 100 });
      cleanups.push(() => queue.stop());
      return { printQueue: queue };
    },
  });
  const printer = await FakePrinter.start({ protocol: 'fgl' });
  cleanups.push(() => printer.close());
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const reply = await rpc.call(method, input);
    if ('error' in reply) throw new Error(reply.error.message);
    return reply.result as T;
  };
  const sell = (sale: DeskSale) => deskResult(rpc, 'sale.complete', deskSale(sale));
  return { engine, queue, rpc, call, sell, eventId, itemId, printer };
}

const boca = (address: string): PrinterSettings => bocaPrinter(address);

/** A fake Epson (ESC/POS, 80 mm) on loopback, saved at the desk under `name` for `role`. */
async function epsonPrinter(
  call: Awaited<ReturnType<typeof desk>>['call'],
  name: string,
  role: PrinterSettings['role'],
): Promise<FakePrinter> {
  const epson = await FakePrinter.start({ protocol: 'escpos' });
  cleanups.push(() => epson.close());
  const printer = {
    ...boca(epson.address),
    name,
    role,
    protocol: 'escpos',
    paper: '80mm',
    printWidthMm: 72,
  } as const;
  await call('printers.save', { id: null, printer });
  return epson;
}

describe('desk printing', () => {
  it('prints a sale by itself on the tickets printer, and a reprint says REPRINT', async () => {
    const { engine, call, sell, eventId, itemId, printer, queue } = await desk();
    await call('printers.save', { id: null, printer: boca(printer.address) });
    const sale = await sell({
      cartId: 'desk-1@api',
      eventId,
      positions: [deskTicket(itemId, 'Ada Lovelace')],
      payment: { method: 'cash', given: '' },
    });
    expect(sale.ticketPdf).toBeNull();
    expect(sale.printJob).not.toBeNull();
    await printer.waitForPages(1);
    const secret = (engine.db.prepare('SELECT secret FROM order_positions').get() as { secret: string })
      .secret;
    expect(printer.secrets).toEqual([secret]);

    const reprint = await call<{ printJob: { id: number; title: string } }>('orders.reprint', {
      code: sale.orderCode,
      key: 'click-1',
    });
    expect(reprint.printJob.title).toBe(`Reprint of tickets ${sale.orderCode} (1 ticket)`);
    // The same click's key again queues nothing more.
    await call('orders.reprint', { code: sale.orderCode, key: 'click-1' });
    await printer.waitForPages(2);
    await queue.idle();
    expect(printer.pages).toHaveLength(2);
    expect(printer.secrets[1]).toBe(secret);
    // The reprint carries REPRINT in its box: more black dots than the first print.
    const inked = (i: number) => printer.pages[i]!.bitmap.dots.reduce((a, b) => a + b, 0);
    expect(inked(1)).toBeGreaterThan(inked(0));
    expect(decodeQr(printer.pages[0]!.bitmap)).toBe(secret);

    const orderId = (engine.db.prepare('SELECT id FROM orders').get() as { id: number }).id;
    const log = auditFor(engine.db, 'order', orderId).map((a) => [a.action_type, JSON.parse(a.data).reprint]);
    expect(log.filter(([a]) => a === 'pretix.event.order.print')).toEqual([
      ['pretix.event.order.print', false],
      ['pretix.event.order.print', true],
    ]);
    const view = await call<PrintQueueView>('printing.queue', {});
    expect(view.jobs.map((j) => [j.state, j.orderCode])).toEqual([
      ['done', sale.orderCode],
      ['done', sale.orderCode],
    ]);
  });

  it('renders a REPRINT of the PDF where no tickets printer is set up', async () => {
    const { engine, call, sell, eventId, itemId } = await desk();
    const sale = await sell({
      cartId: 'desk-2@api',
      eventId,
      positions: [deskTicket(itemId)],
      payment: { method: 'card' },
    });
    expect(sale.ticketPdf).not.toBeNull();
    const reprint = await call<{ ticketPdf: string; printJob: null }>('orders.reprint', {
      code: sale.orderCode,
    });
    expect(reprint.printJob).toBeNull();
    expect(engine.db.prepare('SELECT COUNT(*) AS n FROM print_jobs').get()).toEqual({ n: 0 });
    const text = await pdfText(Buffer.from(reprint.ticketPdf, 'base64'));
    expect(text).toContain('Adult');
    expect(text).toContain('REPRINT');
    expect(await pdfText(Buffer.from(sale.ticketPdf!, 'base64'))).not.toContain('REPRINT');
  });

  it('refuses printer settings that cannot work, in words', async () => {
    const { rpc } = await desk();
    const pdfOverTcp = await rpc.call('printers.save', {
      id: null,
      printer: { ...boca('127.0.0.1:9100'), protocol: 'pdf' },
    });
    expect(pdfOverTcp).toMatchObject({
      error: {
        code: 'invalid_printer',
        message: 'A PDF printer is a system printer; thermal printers on the network speak FGL or ESC/POS.',
      },
    });
    const badHost = await rpc.call('printers.save', { id: null, printer: boca('not a host') });
    expect(badHost).toMatchObject({ error: { message: expect.stringContaining('host:port') } });
  });

  it('prints a test page on the chosen printer', async () => {
    const { call, printer } = await desk();
    const saved = await call<{ id: number }>('printers.save', { id: null, printer: boca(printer.address) });
    await call('printers.test', { id: saved.id, key: 't1' });
    await printer.waitForPages(1);
    expect(printer.secrets).toEqual(['k24fiuwvu8kxz3y1ny7ypv6pcqfrfqn']);
  });

  it('prints a desk sale receipt on the receipts printer (ESC/POS) once, however often the sale is completed', async () => {
    const { engine, call, sell, eventId, itemId, queue } = await desk();
    const epson = await epsonPrinter(call, 'Desk Epson', 'receipts');
    const completeSale = () =>
      sell({
        saleId: 'receipt-sale-0001',
        cartId: 'desk-1@api',
        eventId,
        positions: [deskTicket(itemId)],
        payment: { method: 'card' },
      });

    // Off by default: a sale prints no receipt.
    const before = await sell({
      saleId: 'receipt-sale-0000',
      cartId: 'desk-0@api',
      eventId,
      positions: [deskTicket(itemId)],
      payment: { method: 'card' },
    });
    expect(before.orderCode).toBeTruthy();
    const receiptJobs = () =>
      engine.db
        .prepare(
          "SELECT p.document FROM print_jobs p JOIN printers r ON r.id = p.printer_id WHERE r.role = 'receipts'",
        )
        .all() as { document: Buffer }[];
    expect(receiptJobs()).toHaveLength(0);

    await call('settings.update', { printReceipts: true });
    const sale = await completeSale();
    expect(sale.receipt).not.toBeNull();
    await epson.waitForPages(1);
    await queue.idle();
    const again = await completeSale();
    expect(again.orderCode).toBe(sale.orderCode);
    await queue.idle();
    expect(epson.pages).toHaveLength(1);
    expect(receiptJobs()).toHaveLength(1);

    // The page that came out is this sale's receipt: the queued PDF names it, and its raster is what printed.
    const pdf = receiptJobs()[0]!.document;
    const text = await pdfText(pdf);
    expect(text).toContain(`Receipt No. ${sale.receipt!.number}`);
    expect(text).toContain(`Order ${sale.orderCode}`);
    expect(text).toContain('Adult');
    const expected = await rasterizePdf(pdf, { dpi: 203, maxWidthDots: Math.round((72 / 25.4) * 203) });
    const blackDots = (b: { dots: Uint8Array }) => b.dots.reduce((n, d) => n + d, 0);
    expect(blackDots(epson.pages[0]!.bitmap)).toBeGreaterThan(0);
    expect(blackDots(epson.pages[0]!.bitmap)).toBe(blackDots(expected[0]!));

    // A desk refund's receipt prints too, once.
    await call('refunds.create', {
      code: sale.orderCode,
      paymentId: null,
      positionIds: [],
      amount: '5.00',
      method: 'card',
      markRefunded: false,
    });
    await epson.waitForPages(2);
    await queue.idle();
    expect(epson.pages).toHaveLength(2);
    expect(await pdfText(receiptJobs()[1]!.document)).toContain('Refund receipt');

    // An order marked paid at the desk gets its receipt printed as well.
    const { createOrderFromBody } = await import('../support/orders');
    const { order } = engine.command((ctx) =>
      createOrderFromBody(ctx, { eventId, body: { positions: [{ item: itemId }] } }),
    );
    await call('orders.markPaid', { code: order.code, method: 'card' });
    await epson.waitForPages(3);
    await queue.idle();
    expect(epson.pages).toHaveLength(3);
    expect(await pdfText(receiptJobs()[2]!.document)).toContain(`Order ${order.code}`);
  });
  it('sends an X report to the reports printer when one is set up, once per click, else answers with the PDF', async () => {
    const { engine, call, queue } = await desk();
    const shiftId = (engine.db.prepare('SELECT id FROM shifts').get() as { id: number }).id;
    const asPdf = await call<{ pdf: string; printedOn: string | null }>('shift.report', {
      id: shiftId,
      paper: '80mm',
      printKey: 'report-click-1',
    });
    expect(asPdf.printedOn).toBeNull();
    expect(await pdfText(Buffer.from(asPdf.pdf, 'base64'))).toContain('X report');

    const epson = await epsonPrinter(call, 'Office Epson', 'reports');
    const report = () =>
      call<{ printedOn: string | null }>('shift.report', {
        id: shiftId,
        paper: 'a4',
        printKey: 'report-click-2',
      });
    expect((await report()).printedOn).toBe('Office Epson');
    await epson.waitForPages(1);
    expect((await report()).printedOn).toBe('Office Epson');
    await queue.idle();
    expect(epson.pages).toHaveLength(1);
    const job = engine.db
      .prepare("SELECT document FROM print_jobs WHERE idempotency_key = 'report:report-click-2'")
      .get() as {
      document: Buffer;
    };
    expect(await pdfText(job.document)).toContain('X report');
  });
});
