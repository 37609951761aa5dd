import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../main/engine/engine';
import { ensureDefaultOrganizer } from '../../main/engine/organizers/organizers';
import { openTill } from '../helpers';
import { browserDeskRpc, completeDeskSale, deskTicket } from '../support/desk-rpc';
import { loopbackApi } from '../support/loopback-api';
import { fixtureOnSale } from '../fixtures/catalog';
import { runSellWorker } from '../fixtures/processes';
const QUOTA = 300;
const ATTEMPTS_PER_DOOR = 200;

describe('all doors selling one quota at once', () => {
  it('sells exactly the quota across the REST API, the desk RPC and a second process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-doors-'));
    const dbPath = join(dir, 'box.sqlite');
    const engine = Engine.open(dbPath);
    try {
      const organizer = engine.command((ctx) => ensureDefaultOrganizer(ctx));
      const { eventId, itemId, quotaId } = fixtureOnSale(engine, organizer.id, {
        event: { slug: 'doors' },
        item: { price: '25.00' },
        quota: QUOTA,
      });
      const { app, base, headers } = await loopbackApi(engine, organizer.id, 'doors');
      const rpc = browserDeskRpc(engine, { databasePath: dbPath, apiUrl: () => base });
      openTill(engine);

      // Door 1: the REST API, 16 requests in flight at a time.
      const rest = async () => {
        const statuses: number[] = [];
        let next = 0;
        const lane = async () => {
          while (next < ATTEMPTS_PER_DOOR) {
            next++;
            const res = await fetch(`${base}/api/v1/organizers/${organizer.slug}/events/doors/orders/`, {
              method: 'POST',
              headers,
              body: JSON.stringify({
                status: 'p',
                payment_provider: 'boxoffice',
                positions: [{ item: itemId, price: '25.00' }],
              }),
            });
            statuses.push(res.status);
            await res.arrayBuffer();
          }
        };
        await Promise.all(Array.from({ length: 16 }, lane));
        return statuses;
      };
      // Door 2: the desk's RPC, interleaved with the HTTP traffic on the same event loop.
      const desk = async () => {
        const outcomes: string[] = [];
        for (let i = 0; i < ATTEMPTS_PER_DOOR; i++) {
          const reply = await completeDeskSale(rpc, {
            cartId: `desk-${i}`,
            eventId,
            positions: [deskTicket(itemId)],
            payment: { method: 'card' },
          });
          outcomes.push('error' in reply ? reply.error.message : 'sold');
          await new Promise((r) => setImmediate(r));
        }
        return outcomes;
      };
      // Door 3: another process with its own connection.
      const other = runSellWorker(dbPath, { eventId, itemId }, ATTEMPTS_PER_DOOR);

      const [restStatuses, deskOutcomes, worker] = await Promise.all([rest(), desk(), other]);
      await app.close();

      expect(restStatuses.filter((s) => s >= 500)).toEqual([]);
      expect(worker.crashes).toEqual([]);
      const restSold = restStatuses.filter((s) => s === 201).length;
      const deskSold = deskOutcomes.filter((o) => o === 'sold').length;
      expect(restSold + deskSold + worker.sold.length).toBe(QUOTA);
      // The doors took turns: neither in-process door was starved by the other.
      expect(restSold).toBeGreaterThan(0);
      expect(deskSold).toBeGreaterThan(0);
      for (const refusal of deskOutcomes.filter((o) => o !== 'sold'))
        expect(refusal).toMatch(/quota|no longer available|sold out/i);
      for (const refusal of worker.refusals) expect(refusal).toMatch(/quota/i);

      const sold = engine.db
        .prepare(
          "SELECT COUNT(*) AS n FROM order_positions op JOIN orders o ON o.id = op.order_id WHERE o.status IN ('n', 'p')",
        )
        .get() as { n: number };
      expect(sold.n).toBe(QUOTA);
      const quota = engine.db
        .prepare('SELECT paid_count + pending_count AS used FROM quotas WHERE id = ?')
        .get(quotaId) as { used: number };
      expect(quota.used).toBe(QUOTA);
    } finally {
      engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
