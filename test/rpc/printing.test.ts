import { afterEach, describe, expect, it } from 'vitest';
import { auditFor } from '../../main/engine/log/audit';
import { PrintQueue } from '../../main/printing/queue';
import { createDeskRpc } from '../../main/rpc/index';
import type { PrinterSettings, PrintQueueView } from '../../shared/contract';
import { fixtureEvent, fixtureItem, fixtureQuota } from '../fixtures/catalog';
import { openTill, testEngine } from '../helpers';
import { FakePrinter } from '../support/fake-printer';
import { pdfText } from '../engine/tickets/pdf-tools';
import { decodeQr } from '../support/fake-printer';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function desk() {
  const { engine, organizerId } = testEngine();
  const queue = new PrintQueue(engine, { retryMs: 100 });
  cleanups.push(() => queue.stop());
  const rpc = createDeskRpc({
    engine,
    mode: 'browser',
    databasePath: ':memory:',
    apiUrl: () => null,
    actor: 'desk',
    printQueue: queue,
  });
  openTill(engine);
  const eventId = fixtureEvent(engine, organizerId);
  const itemId = fixtureItem(engine, eventId, { name: 'Adult', price: '20.00' });
  fixtureQuota(engine, eventId, 10, { items: [itemId] });
  const printer = await FakePrinter.start({ protocol: 'fgl' });
  cleanups.push(() => printer.close());
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const reply = await rpc.call(method, input);
    if ('error' in reply) throw new Error(reply.error.message);
    return reply.result as T;
  };
  return { engine, queue, rpc, call, eventId, itemId, printer };
}

const boca = (address: string): PrinterSettings => ({
  name: 'Box office Boca',
  role: 'tickets',
  connection: 'tcp',
  address,
  protocol: 'fgl',
  dpi: 203,
  paper: 'thermal-2x5.5in',
  printWidthMm: 139.7,
  enabled: true,
});

describe('desk printing', () => {
  it('prints a sale by itself on the tickets printer, and a reprint says REPRINT', async () => {
    const { engine, call, eventId, itemId, printer, queue } = await desk();
    await call('printers.save', { id: null, printer: boca(printer.address) });
    const sale = await call<{ orderCode: string; ticketPdf: string | null; printJob: { id: number } | null }>(
      'sale.complete',
      {
        cartId: 'desk-1@api',
        eventId,
        subeventId: null,
        positions: [{ itemId, variationId: null, attendeeName: 'Ada Lovelace', answers: [] }],
        email: null,
        payment: { method: 'cash', given: '' },
      },
    );
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
    const { engine, call, eventId, itemId } = await desk();
    const sale = await call<{ orderCode: string; ticketPdf: string | null }>('sale.complete', {
      cartId: 'desk-2@api',
      eventId,
      subeventId: null,
      positions: [{ itemId, variationId: null, attendeeName: null, answers: [] }],
      email: null,
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
});
