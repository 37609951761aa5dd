import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine/engine';
import { ensureDefaultOrganizer } from '../../../main/engine/organizers/organizers';
import { startTicketExport } from '../../../main/engine/tickets/bulk';
import type { ExportProgress } from '../../../main/engine/tickets/export';
import { placeOrder, ticketEvent } from './fixtures';
import { pdfPageCount, pdfText } from './pdf-tools';
import { tempDirs } from '../../fixtures/temp-dirs';

const tempDir = tempDirs('export');

/** A database file (a worker thread opens it itself) with `paid` one-ticket orders and one pending order. */
function databaseWithOrders(paid: number) {
  const dir = tempDir();
  const dbPath = join(dir, 'box.sqlite');
  const engine = Engine.open(dbPath);
  const organizerId = engine.command((ctx) => ensureDefaultOrganizer(ctx)).id;
  const { eventId, ticket } = ticketEvent(engine, organizerId);
  const codes: string[] = [];
  for (let i = 0; i < paid; i++) {
    codes.push(placeOrder(engine, eventId, [{ item: ticket, price: '23.00', name: `Guest ${i + 1}` }]).code);
  }
  const pending = placeOrder(engine, eventId, [{ item: ticket, price: '23.00', name: 'Not Paid' }], 'n');
  engine.close();
  return { dir, dbPath, eventId, codes, pending };
}

describe('bulk ticket export on a worker thread', () => {
  it('writes every paid ticket of the event into one PDF and reports progress up to the total', async () => {
    const { dir, dbPath, eventId, codes } = databaseWithOrders(25);
    const outPath = join(dir, 'tickets.pdf');
    const job = startTicketExport(dbPath, { selection: { eventId }, outPath });
    const seen: ExportProgress[] = [];
    job.events.on('progress', (p) => seen.push(p));
    const result = await job.done;
    expect(result).toMatchObject({ count: 25, total: 25, canceled: false, outPath });
    expect(seen[0]).toEqual({ done: 0, total: 25 });
    expect(seen.at(-1)).toEqual({ done: 25, total: 25 });
    expect(seen.map((p) => p.done)).toEqual([...seen.map((p) => p.done)].sort((a, b) => a - b));
    const pdf = readFileSync(outPath);
    expect(await pdfPageCount(pdf)).toBe(25);
    const text = await pdfText(pdf);
    for (const code of codes) expect(text).toContain(code);
    expect(text).toContain('Guest 25');
    expect(text).not.toContain('Not Paid');
  });

  it('exports only the listed orders', async () => {
    const { dir, dbPath, eventId, codes, pending } = databaseWithOrders(3);
    const outPath = join(dir, 'some.pdf');
    const result = await startTicketExport(dbPath, {
      selection: { eventId, orderCodes: [codes[1]!, pending.code], statuses: ['p', 'n'] },
      outPath,
      paper: '80mm',
    }).done;
    expect(result.count).toBe(2);
    const text = await pdfText(readFileSync(outPath));
    expect(text).toContain(codes[1]);
    expect(text).toContain(pending.code);
    expect(text).not.toContain(codes[0]);
  });

  it('stops when canceled and leaves no partial file', async () => {
    const { dir, dbPath, eventId } = databaseWithOrders(150);
    const outPath = join(dir, 'canceled.pdf');
    const job = startTicketExport(dbPath, { selection: { eventId }, outPath });
    job.events.on('progress', (p) => {
      if (p.done > 0) job.cancel();
    });
    const result = await job.done;
    expect(result.canceled).toBe(true);
    expect(result.count).toBeLessThan(150);
    expect(existsSync(outPath)).toBe(false);
  });
});
