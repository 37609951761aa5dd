import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTicketPrinter, type ElectronPrinter } from '../../../main/printing/ticket-printer';
import { renderOrderTickets } from '../../../main/engine/tickets/downloads';
import { testEngine } from '../../helpers';
import { placeOrder, ticketEvent } from './fixtures';
import { pdfText } from './pdf-tools';
import { tempDirs } from '../../fixtures/temp-dirs';

const tempDir = tempDirs('print');

describe('printing tickets at the desk', () => {
  it("sends the order's ticket PDF to Electron's printer with the desk's settings", async () => {
    const { engine, organizerId } = testEngine();
    const { eventId, ticket } = ticketEvent(engine, organizerId);
    const order = placeOrder(engine, eventId, [{ item: ticket, price: '23.00', name: 'Zoë Ødegård' }]);
    const pdf = await renderOrderTickets(engine.db, order.id, { paper: '80mm' });
    expect(pdf).not.toBeNull();
    const folder = tempDir();
    const jobs: { text: string; options: Parameters<ElectronPrinter>[1] }[] = [];
    const print = createTicketPrinter(async (path, options) => {
      jobs.push({ text: await pdfText(readFileSync(path)), options });
    }, folder);
    const outcome = await print(pdf!, order.code, { mode: 'silent', printer: 'Star TSP100' });
    expect(outcome.kind).toBe('printed');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.options).toEqual({ silent: true, deviceName: 'Star TSP100', copies: undefined });
    expect(jobs[0]!.text).toContain('Zoë Ødegård');
    expect(jobs[0]!.text).toContain(order.code);
    await print(pdf!, order.code, { mode: 'dialog' });
    expect(jobs[1]!.options.silent).toBe(false);
  });

  it('hands the PDF back to be opened in the browser mode', async () => {
    const folder = tempDir();
    const print = createTicketPrinter(null, folder);
    const outcome = await print(Buffer.from('%PDF-1.3 test'), '../evil name', { mode: 'silent' });
    expect(outcome.kind).toBe('open');
    if (outcome.kind !== 'open') return;
    expect(outcome.path.startsWith(folder)).toBe(true);
    expect(Buffer.from(outcome.pdfBase64, 'base64').toString()).toBe('%PDF-1.3 test');
  });

  it('has nothing to print for an order without tickets', async () => {
    const { engine, organizerId } = testEngine();
    const { eventId, merch } = ticketEvent(engine, organizerId, { ticket_download_nonadm: false });
    const order = placeOrder(engine, eventId, [{ item: merch, price: '9.00' }]);
    expect(await renderOrderTickets(engine.db, order.id)).toBeNull();
    expect(await renderOrderTickets(engine.db, 999999)).toBeNull();
  });
});
