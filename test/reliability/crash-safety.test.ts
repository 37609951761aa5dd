import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { Engine } from '../../main/engine/engine';
import { recountQuota } from '../../main/engine/quotas/counters';
import { databaseFileOnSale } from '../fixtures/processes';

const KILLS = 32;
const root = resolve(__dirname, '../..');

/** Runs the worker until it has reported at least one sale, then kills it with SIGKILL after a random pause. */
function sellAndKill(worker: string, args: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GUICHET_MIGRATIONS_DIR: join(root, 'main/engine/db/migrations') },
    });
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!armed && out.includes('\n')) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), 5 + Math.random() * 150);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`worker ended without being killed: ${err}`));
      else resolve(out.split('\n').filter((line) => /^[A-Z0-9]+$/.test(line)));
    });
  });
}

describe('crash safety', () => {
  it(`keeps every reported sale whole through ${KILLS} SIGKILLs`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-crash-'));
    try {
      // Bundled once, so each of the many worker starts is quick.
      // The bundle lives inside the project so that it finds better-sqlite3 in node_modules.
      const worker = join(root, '.tmp', `crash-worker-${process.pid}.mjs`);
      buildSync({
        entryPoints: [join(__dirname, 'crash-worker.ts')],
        bundle: true,
        platform: 'node',
        format: 'esm',
        outfile: worker,
        external: ['better-sqlite3'],
        banner: {
          js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        },
        logLevel: 'silent',
      });
      const dbPath = join(dir, 'box.sqlite');
      const { eventId, itemId, quotaId } = databaseFileOnSale(dbPath, 1_000_000);

      const reported: string[] = [];
      for (let i = 0; i < KILLS; i++) {
        reported.push(...(await sellAndKill(worker, [dbPath, String(eventId), String(itemId)])));
      }
      expect(reported.length).toBeGreaterThanOrEqual(KILLS);

      const engine = Engine.open(dbPath);
      const db = engine.db;
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const orders = db.prepare('SELECT id, code, total FROM orders').all() as {
        id: number;
        code: string;
        total: string;
      }[];
      const byCode = new Map(orders.map((o) => [o.code, o]));
      for (const code of reported) expect(byCode.has(code), `reported order ${code} is missing`).toBe(true);
      // Every order in the database is whole: both positions, its confirmed payment, its log row.
      const broken = db
        .prepare(
          `SELECT o.code FROM orders o
           WHERE (SELECT COUNT(*) FROM order_positions p WHERE p.order_id = o.id) <> 2
              OR (SELECT COUNT(*) FROM order_payments p WHERE p.order_id = o.id AND p.state = 'confirmed') <> 1
              OR NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.object_type = 'order' AND l.object_id = o.id)`,
        )
        .all();
      expect(broken).toEqual([]);
      for (const o of orders) expect(o.total).toBe('50.00');
      // The quota counters say what the orders say.
      const counted = db.prepare('SELECT paid_count, pending_count FROM quotas WHERE id = ?').get(quotaId);
      engine.command((ctx) => recountQuota(ctx, quotaId));
      expect(db.prepare('SELECT paid_count, pending_count FROM quotas WHERE id = ?').get(quotaId)).toEqual(
        counted,
      );
      expect(counted).toEqual({ paid_count: orders.length * 2, pending_count: 0 });
      engine.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(join(root, '.tmp', `crash-worker-${process.pid}.mjs`), { force: true });
    }
  }, 120_000);
});
