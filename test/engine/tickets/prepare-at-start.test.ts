import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { pdfText } from './pdf-tools';

// Each test starts from fresh modules: the preparation happens once per process, like the fonts it reads.
beforeEach(() => {
  vi.resetModules();
});

const tickets = () => import('../../../main/engine/tickets');

async function untilPrepared(preparation: () => string): Promise<void> {
  await vi.waitFor(() => expect(preparation()).toBe('done'), { timeout: 20_000, interval: 50 });
}

describe('ticket rendering is prepared right after start, before any sale', () => {
  it('guichet serve prepares it by itself once it listens, and answers meanwhile', async () => {
    const { ticketRenderingPreparation } = await tickets();
    const { startServer } = await import('../../../main/server/serve');
    const dir = mkdtempSync(join(tmpdir(), 'guichet-prepare-'));
    expect(ticketRenderingPreparation()).toBe('not started');
    const quiet = { seedDemo: false, desk: false, backupIntervalMs: 0, log: () => {} };
    const server = await startServer({
      dbPath: join(dir, 'guichet.sqlite'),
      host: '127.0.0.1',
      port: 0,
      ...quiet,
    });
    try {
      expect(ticketRenderingPreparation()).toBe('under way');
      const answer = await fetch(`${server.url}api/v1/organizers/`);
      expect(answer.status).toBe(401);
      await untilPrepared(ticketRenderingPreparation);
      const orders = server.engine.db.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number };
      expect(orders.n).toBe(0);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the desktop app's engine process prepares it by itself too", async () => {
    const { ticketRenderingPreparation } = await tickets();
    const { startDesktopEngine } = await import('../../../main/electron/engine-host');
    const { freshDatabase } = await import('../../electron/engine-helpers');
    const db = freshDatabase();
    expect(ticketRenderingPreparation()).toBe('not started');
    const running = await startDesktopEngine({
      dbPath: db.dbPath,
      print: null,
      backupIntervalMs: 0,
      log: () => {},
    });
    try {
      await untilPrepared(ticketRenderingPreparation);
    } finally {
      await running.close();
      db.cleanup();
    }
  });

  it('a sale while it is under way prints its tickets, and so does the next', async () => {
    const { prepareTicketRendering, ticketRenderingPreparation } = await tickets();
    const { deskResult, deskSale, deskTicket, sellingDesk } = await import('../../support/desk-rpc');
    const { rpc, eventId, itemId } = sellingDesk({ item: { name: 'Early bird', price: '12.00' } });
    const sell = (cartId: string) =>
      deskResult(
        rpc,
        'sale.complete',
        deskSale({ cartId, eventId, positions: [deskTicket(itemId)], payment: { method: 'card' } }),
      );
    const preparing = prepareTicketRendering();
    expect(ticketRenderingPreparation()).toBe('under way');
    const during = await sell('cart-during-start');
    await preparing;
    expect(ticketRenderingPreparation()).toBe('done');
    const after = await sell('cart-after-start');
    for (const sale of [during, after]) {
      const text = await pdfText(Buffer.from(sale.ticketPdf!, 'base64'));
      expect(text).toContain('Early bird');
      expect(text).toContain(sale.orderCode);
    }
    expect(during.orderCode).not.toBe(after.orderCode);
  });
});
