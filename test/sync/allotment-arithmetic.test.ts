import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SyncClient } from '../../main/sync/client';
import { sellAtDesk } from '../../main/sync/desk-sale';
import { getAllotment } from '../../main/engine/sync/allotments';
import type { Engine } from '../../main/engine/engine';
import { connectedClient, deskEngine, startHub } from './hub';

/**
 * For any interleaving of desk sales, top-ups, give-backs, uploads and web-shop orders straight to the hub,
 * the hub's availability is size − sold − places held by the desks and not yet redeemed, and the quota is
 * never oversold.
 */
type Action =
  | { kind: 'sell'; desk: number; count: number }
  | { kind: 'allot'; desk: number; target: number }
  | { kind: 'upload'; desk: number }
  | { kind: 'web'; count: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('sell' as const), desk: fc.nat(2), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('allot' as const), desk: fc.nat(2), target: fc.nat(16) }),
  fc.record({ kind: fc.constant('upload' as const), desk: fc.nat(2) }),
  fc.record({ kind: fc.constant('web' as const), count: fc.integer({ min: 1, max: 3 }) }),
);

const SIZE = 20;

describe('allotment arithmetic', () => {
  it('hub availability = size − sold − allotments held, for any interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 25 }), async (actions) => {
        const hub = await startHub(SIZE);
        try {
          const desks: { engine: Engine; client: SyncClient }[] = [];
          for (let i = 0; i < 3; i++) {
            const engine = deskEngine();
            desks.push({ engine, client: await connectedClient(engine, hub) });
          }
          let webSold = 0;
          for (const a of actions) {
            if (a.kind === 'sell') {
              const d = desks[a.desk]!;
              const before = getAllotment(d.engine.db, hub.quota);
              const free = before ? before.held - before.sold : 0;
              let sold = false;
              try {
                sellAtDesk(d.engine, { lines: [{ item: hub.item, count: a.count }], paymentType: 'cash' });
                sold = true;
              } catch {
                // refused at the desk: not enough places held
              }
              expect(sold).toBe(free >= a.count);
            } else if (a.kind === 'allot') {
              await desks[a.desk]!.client.setAllotment(hub.quota, a.target);
            } else if (a.kind === 'upload') {
              const log = await desks[a.desk]!.client.flush();
              expect(log.every((l) => l.outcome === 'done')).toBe(true);
            } else {
              const r = await fetch(`${hub.eventUrl}orders/`, {
                method: 'POST',
                headers: { authorization: `Token ${hub.token}`, 'content-type': 'application/json' },
                body: JSON.stringify({
                  email: 'web@example.org',
                  status: 'p',
                  payment_provider: 'manual',
                  positions: Array.from({ length: a.count }, () => ({ item: hub.item })),
                }),
              });
              if (r.status === 201) webSold += a.count;
              else expect(r.status).toBe(400);
            }
            const allotments = desks.map((d) => getAllotment(d.engine.db, hub.quota));
            const heldNotRedeemed = allotments.reduce((s, x) => s + (x ? x.held - x.uploaded : 0), 0);
            const uploaded = allotments.reduce((s, x) => s + (x?.uploaded ?? 0), 0);
            const q = await hub.availability();
            expect(q.paid_orders).toBe(uploaded + webSold);
            expect(q.blocking_vouchers).toBe(heldNotRedeemed);
            expect(q.available_number).toBe(SIZE - q.paid_orders - heldNotRedeemed);
            expect(q.paid_orders + heldNotRedeemed).toBeLessThanOrEqual(SIZE);
          }
          // everything synced and given back: the hub sold exactly what the desks and the shop sold
          for (const d of desks) {
            await d.client.flush();
            await d.client.setAllotment(hub.quota, 0);
          }
          const sold = desks.reduce((s, d) => s + (getAllotment(d.engine.db, hub.quota)?.sold ?? 0), 0);
          const q = await hub.availability();
          expect(q.paid_orders).toBe(sold + webSold);
          expect(q.available_number).toBe(SIZE - sold - webSold);
        } finally {
          await hub.app.close();
        }
      }),
      {
        numRuns: 25,
        // a top-up that pretix would let block more than the quota holds, and a give-back under it
        examples: [
          [
            [
              { kind: 'allot', desk: 0, target: 10 },
              { kind: 'allot', desk: 1, target: 10 },
              { kind: 'sell', desk: 1, count: 4 },
              { kind: 'allot', desk: 0, target: 15 },
              { kind: 'web', count: 1 },
              { kind: 'upload', desk: 1 },
              { kind: 'allot', desk: 1, target: 0 },
              { kind: 'allot', desk: 2, target: 12 },
            ],
          ],
        ],
      },
    );
  }, 120_000);
});
