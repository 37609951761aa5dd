import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCashier } from '../../../main/engine/cashiers/cashiers';
import { Engine } from '../../../main/engine/engine';
import { verifyTillJournal } from '../../../main/engine/journal/verify';
import { runTsProcess } from '../../fixtures/processes';
import { tempDirs } from '../../fixtures/temp-dirs';

const tempDir = tempDirs('z');

interface WorkerResult {
  closed: { desk: string; z: number }[];
  refusals: string[];
  crashes: string[];
}

describe('Z numbers under concurrent closes from two processes', () => {
  it('run without gaps or duplicates per desk, and the journal holds', async () => {
    const dbPath = join(tempDir(), 'till.sqlite');
    const setup = Engine.open(dbPath);
    const manager = setup.command((ctx) => createCashier(ctx, { name: 'Max', role: 'manager', pin: '9999' }));
    setup.close();
    const startAt = String(Date.now() + 3000);
    const worker = () =>
      runTsProcess<WorkerResult>(
        join(__dirname, 'close-worker.ts'),
        [dbPath, manager.id, 120, startAt, 'Box office 1', 'Box office 2'],
        { maxBufferMb: 16 },
      );
    const [a, b] = await Promise.all([worker(), worker()]);
    expect(a.crashes).toEqual([]);
    expect(b.crashes).toEqual([]);
    // The only refusals are the ones the race allows: the other process opened or closed the shift first.
    for (const code of [...a.refusals, ...b.refusals])
      expect(['shift_open', 'no_open_shift']).toContain(code);

    const db = Engine.open(dbPath);
    for (const desk of ['Box office 1', 'Box office 2']) {
      const numbers = (
        db.db
          .prepare('SELECT z_number FROM shifts WHERE desk = ? AND z_number IS NOT NULL ORDER BY z_number')
          .all(desk) as {
          z_number: number;
        }[]
      ).map((r) => r.z_number);
      const reported = [...a.closed, ...b.closed].filter((c) => c.desk === desk).map((c) => c.z);
      expect(numbers.length).toBeGreaterThan(20);
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
      expect([...reported].sort((x, y) => x - y)).toEqual(numbers);
    }
    // Both processes closed shifts (the closes really interleaved).
    expect(a.closed.length).toBeGreaterThan(0);
    expect(b.closed.length).toBeGreaterThan(0);
    expect(verifyTillJournal(db.db)).toMatchObject({ ok: true, unjournaled: [] });
    db.close();
  }, 120_000);
});
