import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createCashier } from '../../../main/engine/cashiers/cashiers';
import { Engine } from '../../../main/engine/engine';
import { verifyTillJournal } from '../../../main/engine/journal/verify';

const run = promisify(execFile);
const root = resolve(__dirname, '../../..');

interface WorkerResult {
  closed: { desk: string; z: number }[];
  refusals: string[];
  crashes: string[];
}

describe('Z numbers under concurrent closes from two processes', () => {
  it('run without gaps or duplicates per desk, and the journal holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-z-'));
    try {
      const dbPath = join(dir, 'till.sqlite');
      const setup = Engine.open(dbPath);
      const manager = setup.command((ctx) =>
        createCashier(ctx, { name: 'Max', role: 'manager', pin: '9999' }),
      );
      setup.close();
      const startAt = String(Date.now() + 3000);
      const worker = () =>
        run(
          process.execPath,
          [
            join(root, 'bin/run-ts.mjs'),
            join(__dirname, 'close-worker.ts'),
            dbPath,
            String(manager.id),
            '120',
            startAt,
            'Box office 1',
            'Box office 2',
          ],
          { cwd: root, maxBuffer: 16 * 1024 * 1024 },
        ).then(({ stdout }) => JSON.parse(stdout) as WorkerResult);
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
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
