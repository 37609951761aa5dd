import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../main/cli';
import { ManualClock } from '../../../main/engine/clock';
import { Engine } from '../../../main/engine/engine';
import { ensureDefaultOrganizer } from '../../../main/engine/organizers/organizers';
import { closeShift, moveCash, openShift } from '../../../main/engine/shifts/shifts';
import { DESK, sell, till } from './till';

async function verify(dbPath: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['journal', 'verify', '--db', dbPath], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('guichet journal verify --db <file>', () => {
  it('says the journal is intact, then names the first entry after a closed shift was edited through SQL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-journal-'));
    try {
      const dbPath = join(dir, 'till.sqlite');
      const engine = Engine.open(dbPath, { clock: new ManualClock('2026-03-01T10:00:00Z') });
      const organizerId = engine.command((ctx) => ensureDefaultOrganizer(ctx)).id;
      const t = till(engine, organizerId);
      engine.command((ctx) =>
        openShift(ctx, { desk: DESK, cashier: t.anna, openingFloat: '100', currency: 'EUR' }),
      );
      const sale = sell(engine, t, { adults: 2, method: 'cash' });
      engine.command((ctx) =>
        moveCash(ctx, { desk: DESK, cashier: t.anna, kind: 'in', amount: '10', reason: 'coins' }),
      );
      engine.command((ctx) =>
        closeShift(ctx, { desk: DESK, cashier: t.anna, count: { '100': 1, '50': 1, '10': 1 }, comment: '' }),
      );
      engine.close();

      const intact = await verify(dbPath);
      expect(intact.code).toBe(0);
      expect(intact.out).toMatch(/^Journal intact: 4 entries, head [0-9a-f]{64}\.$/);

      // Lower the closed shift's cash sale, bypassing the guard that refuses it.
      const tamper = Engine.open(dbPath);
      tamper.db.exec('DROP TRIGGER receipts_no_update');
      tamper.db.prepare("UPDATE receipts SET total = '40.00' WHERE order_id = ?").run(sale.orderId);
      const entry = tamper.db.prepare("SELECT id FROM journal WHERE kind = 'receipt.sale'").get() as {
        id: number;
      };
      tamper.close();

      const broken = await verify(dbPath);
      expect(broken.code).toBe(1);
      expect(broken.err).toBe(
        `Journal broken at entry ${entry.id} (receipt.sale, ${DESK}, row 1): its receipt.sale row was changed after it was written.`,
      );
      expect((await verify(join(dir, 'none.sqlite'))).code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
