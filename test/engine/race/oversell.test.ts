import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Engine } from '../../../main/engine/engine';
import { ensureDefaultOrganizer } from '../../../main/engine/organizers/organizers';
import { fixtureEvent, fixtureItem, fixtureQuota } from '../../fixtures/catalog';

const run = promisify(execFile);
const root = resolve(__dirname, '../../..');

interface WorkerResult {
  sold: string[];
  refusals: string[];
  crashes: string[];
}

describe('two box offices selling one quota at the same time', () => {
  it('sells exactly the quota, no ticket twice, and every refusal is the quota error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-race-'));
    try {
      const dbPath = join(dir, 'box.sqlite');
      const setup = Engine.open(dbPath);
      const organizerId = setup.command((ctx) => ensureDefaultOrganizer(ctx)).id;
      const eventId = fixtureEvent(setup, organizerId);
      const itemId = fixtureItem(setup, eventId, { price: '25.00' });
      const quotaId = fixtureQuota(setup, eventId, 500, { items: [itemId] });
      setup.close();

      // Both processes begin selling at the same moment, once both have started up.
      const startAt = String(Date.now() + 4000);
      const worker = () =>
        run(
          process.execPath,
          [
            join(root, 'bin/run-ts.mjs'),
            join(__dirname, 'sell-worker.ts'),
            dbPath,
            String(eventId),
            String(itemId),
            '500',
            startAt,
          ],
          {
            cwd: root,
            maxBuffer: 64 * 1024 * 1024,
          },
        ).then(({ stdout }) => JSON.parse(stdout) as WorkerResult);
      const [a, b] = await Promise.all([worker(), worker()]);

      expect(a.crashes).toEqual([]);
      expect(b.crashes).toEqual([]);
      const codes = [...a.sold, ...b.sold];
      expect(codes).toHaveLength(500);
      expect(new Set(codes).size).toBe(500);
      const refusals = [...a.refusals, ...b.refusals];
      expect(refusals).toHaveLength(500);
      for (const r of refusals) expect(r).toMatch(/quota/i);

      const check = Engine.open(dbPath);
      const stored = check.db
        .prepare(
          "SELECT COUNT(*) AS n FROM order_positions op JOIN orders o ON o.id = op.order_id WHERE o.status = 'p'",
        )
        .get() as { n: number };
      expect(stored.n).toBe(500);
      const secrets = check.db.prepare('SELECT COUNT(DISTINCT secret) AS n FROM order_positions').get() as {
        n: number;
      };
      expect(secrets.n).toBe(500);
      const quota = check.db.prepare('SELECT paid_count FROM quotas WHERE id = ?').get(quotaId) as {
        paid_count: number;
      };
      expect(quota.paid_count).toBe(500);
      check.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
