import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Engine } from '../../../main/engine/engine';
import { databaseFileOnSale, runSellWorker } from '../../fixtures/processes';
import { tempDirs } from '../../fixtures/temp-dirs';

const tempDir = tempDirs('race');

describe('two box offices selling one quota at the same time', () => {
  it('sells exactly the quota, no ticket twice, and every refusal is the quota error', async () => {
    const dbPath = join(tempDir(), 'box.sqlite');
    const { quotaId, ...sale } = databaseFileOnSale(dbPath, 500);

    // Both processes begin selling at the same moment, once both have started up.
    const startAt = Date.now() + 4000;
    const [a, b] = await Promise.all([
      runSellWorker(dbPath, sale, 500, startAt),
      runSellWorker(dbPath, sale, 500, startAt),
    ]);

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
  }, 120_000);
});
