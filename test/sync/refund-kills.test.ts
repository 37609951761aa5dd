import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { call } from '../../main/sync/http';
import { HubProcess, hubApi, prepareHubDatabase, Relay, sleep, stopAll, until } from './processes';

/**
 * Real processes: a hub `guichet serve` and a desk process that sells three tickets from its allotment,
 * refunds one of them at the desk and uploads both, SIGKILLed (the desk, and every third time the hub)
 * whenever it starts an upload. The hub ends with the order's two other tickets and exactly one refund.
 */
const BUNDLE = resolve('node_modules/.cache/guichet-tests/refund-desk-process.mjs');
const dirs: string[] = [];
let desk: ChildProcess | undefined;
afterEach(() => {
  desk?.kill('SIGKILL');
  stopAll();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface DeskLine {
  sold?: string;
  secrets?: string[];
  refunded?: string;
  uploading?: string;
  kind?: string;
  done?: boolean;
  refused?: string[];
}

describe('a partial refund at the desk, with SIGKILLs during its upload', () => {
  it('arrives at the hub exactly once: the ticket canceled once, the money refunded once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-refund-'));
    dirs.push(dir);
    await build({
      entryPoints: ['test/sync/refund-desk-process.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outfile: BUNDLE,
      logLevel: 'error',
    });
    const db = prepareHubDatabase(dir, 100);
    const hub = new HubProcess(db.dbPath);
    await hub.start();
    const link = new Relay(hub.port);
    await link.open();
    const api = hubApi(() => link.url, db.token);

    const lines: DeskLine[] = [];
    let onUpload: (() => void) | undefined;
    let exited = false;
    const start = () => {
      exited = false;
      const child = spawn(
        process.execPath,
        [BUNDLE, join(dir, 'desk.sqlite'), link.url, db.token, String(db.quota), String(db.item)],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, GUICHET_MIGRATIONS_DIR: resolve('main/engine/db/migrations') },
        },
      );
      desk = child;
      let buffer = '';
      child.stdout!.on('data', (d: Buffer) => {
        buffer += d.toString();
        const parts = buffer.split('\n');
        buffer = parts.pop()!;
        for (const l of parts.filter((p) => p.trim())) {
          const line = JSON.parse(l) as DeskLine;
          lines.push(line);
          if (line.uploading) onUpload?.();
        }
      });
      child.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
      child.once('exit', () => (exited = true));
    };
    const nextUpload = (ms: number) =>
      new Promise<boolean>((done) => {
        const timer = setTimeout(() => done(false), ms);
        onUpload = () => {
          clearTimeout(timer);
          onUpload = undefined;
          done(true);
        };
      });

    start();
    const kills = { desk: 0, hub: 0 };
    /** The kinds of call that were going up when a process was killed, and how often each. */
    const killedDuring = new Map<string, number>();
    // Each kind of upload is killed twice and then let through, so the uploads always move on and every
    // kind is hit however fast the machine is.
    for (let round = 0; round < 30; round++) {
      if (!(await nextUpload(5_000))) break;
      const kind = lines.at(-1)!.kind!;
      if ((killedDuring.get(kind) ?? 0) >= 2) continue;
      killedDuring.set(kind, (killedDuring.get(kind) ?? 0) + 1);
      await sleep(Math.random() * 10);
      if ((kills.desk + kills.hub) % 3 === 2) {
        await hub.kill();
        kills.hub += 1;
        await hub.start();
        link.target = hub.port;
      } else if (!exited) {
        const gone = new Promise((r) => desk!.once('exit', r));
        desk!.kill('SIGKILL');
        await gone;
        kills.desk += 1;
        start();
      }
    }
    const during = new Set(killedDuring.keys());
    onUpload = undefined;
    await until('the desk to upload everything', () => lines.some((l) => l.done), 60_000);

    expect(kills.desk + kills.hub).toBeGreaterThanOrEqual(3);
    // A call that starts and ends while the hub restarts is not seen starting, so not every kind can be
    // promised a kill on every run; the order and at least one later call always are.
    expect(during.has('order')).toBe(true);
    expect(during.size).toBeGreaterThanOrEqual(2);
    expect(lines.find((l) => l.done)?.refused).toEqual([]);
    const sold = lines.find((l) => l.sold)!;
    const refunded = lines.find((l) => l.refunded)!.refunded!;
    const [order, ...others] = await api.orders();
    expect(others).toEqual([]);
    expect(order!.code).toBe(sold.sold);
    expect(order!.status).toBe('p');
    expect(order!.positions.map((p) => p.secret).sort()).toEqual(
      sold.secrets!.filter((s) => s !== refunded).sort(),
    );
    const refunds = await call(
      { baseUrl: link.url, scheme: 'Token', token: db.token },
      'GET',
      `api/v1/organizers/box-office/events/gala/orders/${order!.code}/refunds/`,
    );
    expect((refunds.body as { results: { amount: string; state: string }[] }).results).toMatchObject([
      { amount: '23.00', state: 'done' },
    ]);
    // the canceled ticket's place is blocked for the desk again: 2 sold, 3 held, 95 for sale
    expect(await api.availability(db.quota)).toMatchObject({ paid_orders: 2, available_number: 95 });
    console.log(
      `partial refund: SIGKILLs of the desk ${kills.desk}, of the hub ${kills.hub}, during ${[...during].join(', ')}`,
    );
    await hub.stop();
  }, 120_000);
});
