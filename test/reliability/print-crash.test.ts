import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../main/engine/engine';
import { ensureDefaultOrganizer } from '../../main/engine/organizers/organizers';
import {
  confirmPagePrinted,
  jobPositionIds,
  queueOrderTickets,
  retryJob,
  type PrintJob,
} from '../../main/engine/printing/jobs';
import { savePrinter } from '../../main/engine/printing/printers';
import { placeOrder, ticketEvent } from '../engine/tickets/fixtures';
import { bocaPrinter, FakePrinter } from '../support/fake-printer';

const root = resolve(__dirname, '../..');
const ORDERS = 8;
const KILLS = 4;

const dir = mkdtempSync(join(tmpdir(), 'guichet-print-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startWorker(db: string): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(
    process.execPath,
    [join(root, 'bin/run-ts.mjs'), join(__dirname, 'print-worker.ts'), db],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const ready = new Promise<void>((resolveReady, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolveReady());
    child.once(
      'exit',
      (code, signal) => signal !== 'SIGKILL' && reject(new Error(`worker ended (${code}): ${err}`)),
    );
  });
  return { child, ready };
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGKILL');
  });
}

describe('a SIGKILL of the printing process mid-queue', () => {
  it('prints no ticket twice and loses none', { timeout: 180_000 }, async () => {
    // Each ticket takes 40 ms from its last byte to the acknowledgement: kills land mid-ticket often.
    const printer = await FakePrinter.start({ protocol: 'fgl', ackDelayMs: 40 });
    const db = join(dir, 'guichet.sqlite');
    const setup = Engine.open(db);
    const organizerId = setup.command((ctx) => ensureDefaultOrganizer(ctx)).id;
    setup.command((ctx) => savePrinter(ctx, bocaPrinter(printer.address), null));
    const { eventId, ticket } = ticketEvent(setup, organizerId);
    const expected: string[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const order = placeOrder(setup, eventId, [
        { item: ticket, price: '23.00' },
        { item: ticket, price: '23.00' },
      ]);
      setup.command((ctx) =>
        queueOrderTickets(ctx, { orderId: order.id, key: `sale:${order.id}`, reprint: false }),
      );
      const secrets = setup.db
        .prepare('SELECT secret FROM order_positions WHERE order_id = ? ORDER BY positionid')
        .all(order.id) as { secret: string }[];
      expected.push(...secrets.map((s) => s.secret));
    }
    setup.close();

    let decisions = 0;
    let killedMidQueue = 0;
    for (let round = 0; round < KILLS; round++) {
      const before = printer.pages.length;
      const { child, ready } = startWorker(db);
      await ready;
      await printer.waitForPages(before + 1, 60_000);
      await new Promise((r) => setTimeout(r, Math.random() * 250));
      await kill(child);
      if (printer.pages.length < expected.length) killedMidQueue++;
      // The printer finishes whatever it had in hand, as a real one would.
      await new Promise((r) => setTimeout(r, 100));
      // The cashier looks at each ticket the desk is unsure about and answers.
      const engine = Engine.open(db);
      const { recoverInterruptedJobs } = await import('../../main/engine/printing/jobs');
      engine.command((ctx) => recoverInterruptedJobs(ctx));
      const unsure = engine.db.prepare("SELECT * FROM print_jobs WHERE state = 'failed'").all() as PrintJob[];
      for (const job of unsure) {
        const positionId = jobPositionIds(job)[job.page_in_flight!]!;
        const { secret } = engine.db
          .prepare('SELECT secret FROM order_positions WHERE id = ?')
          .get(positionId) as {
          secret: string;
        };
        if (printer.secrets.includes(secret))
          engine.command((ctx) => confirmPagePrinted(ctx, job.id, 'Box office Boca'));
        else engine.command((ctx) => retryJob(ctx, job.id));
        decisions++;
      }
      engine.close();
      // Never twice, at any point.
      expect(new Set(printer.secrets).size).toBe(printer.secrets.length);
    }

    const { child, ready } = startWorker(db);
    await ready;
    await printer.waitForPages(expected.length, 120_000);
    await new Promise((r) => setTimeout(r, 500));
    await kill(child);
    await printer.close();

    expect(printer.secrets.filter((s) => s === null)).toEqual([]);
    expect([...printer.secrets].sort()).toEqual([...expected].sort());
    const engine = Engine.open(db);
    const states = engine.db.prepare('SELECT state, COUNT(*) AS n FROM print_jobs GROUP BY state').all();
    engine.close();
    expect(states).toEqual([{ state: 'done', n: ORDERS }]);
    // Every kill struck with tickets still to print.
    expect(killedMidQueue).toBe(KILLS);
    console.log(
      `print crash: ${KILLS} kills mid-queue, ${decisions} unconfirmed ticket(s) decided at the desk`,
    );
  });
});
