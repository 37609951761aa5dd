import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { listCashiers, signIn } from '../../main/engine/cashiers';
import { Engine } from '../../main/engine/engine';
import { ensureDefaultOrganizer } from '../../main/engine/organizers';
import { openShift } from '../../main/engine/shifts';
import { seedDemoIfEmpty } from '../../main/demo/seed';
import { SESSION_HEADER } from '../../shared/contract';
import { fmt, type Figure } from '../measure';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** A cashier's first customer comes a moment after the desk is up: signing in, choosing the tickets. */
const CASHIER_PAUSE_MS = 2000;
const SALES = 10;

/** The demo database of a first start, with its manager signed in and a shift open at the desk. */
function demoDeskDatabase(path: string): { eventId: number; itemId: number } {
  const engine = Engine.open(path);
  try {
    engine.command((ctx) => ensureDefaultOrganizer(ctx), 'bench');
    const demo = engine.command((ctx) => seedDemoIfEmpty(ctx), 'bench');
    if (!demo) throw new Error('the demo event was not added');
    engine.command((ctx) => {
      const manager = listCashiers(ctx.db).find((c) => c.role === 'manager')!;
      const cashier = signIn(ctx, { desk: 'Box office 1', cashierId: manager.id, pin: '9999' });
      openShift(ctx, { desk: 'Box office 1', cashier, openingFloat: '0', currency: 'EUR' });
    }, 'bench');
    const event = engine.db
      .prepare<[string], { id: number }>('SELECT id FROM events WHERE slug = ?')
      .get(demo.eventSlug)!;
    const item = engine.db
      .prepare<[number], { id: number }>('SELECT id FROM items WHERE event_id = ? AND admission = 1 LIMIT 1')
      .get(event.id)!;
    return { eventId: event.id, itemId: item.id };
  } finally {
    engine.close();
  }
}

interface StartRun {
  /** Process start until the desk's page and first RPC have answered. */
  deskAnswers: number;
  /** `sale.complete` wall times, first sale first. */
  sales: number[];
}

/** `guichet serve` started afresh on `path`; the desk signs in with the page's session token and sells. */
async function startAndSell(path: string, eventId: number, itemId: number): Promise<StartRun> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ['bin/guichet.mjs', 'serve', '--db', path, '--port', '0', '--no-demo'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /at (http:\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`guichet serve exited (${code})`)));
    });
    const page = await (await fetch(url)).text();
    const token = /name="guichet-session" content="([^"]+)"/.exec(page)?.[1];
    if (!token) throw new Error('the desk page has no session token');
    const call = async (method: string, input: unknown) => {
      const res = await fetch(`${url}rpc/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SESSION_HEADER]: token },
        body: JSON.stringify(input),
      });
      const body = (await res.json()) as { result?: { ticketPdf?: string | null } };
      if (!body.result) throw new Error(`${method}: ${JSON.stringify(body)}`);
      return body.result;
    };
    await call('app.info', {});
    const deskAnswers = performance.now() - t0;
    await new Promise((resolve) => setTimeout(resolve, CASHIER_PAUSE_MS));
    const sales: number[] = [];
    for (let i = 0; i < SALES; i++) {
      const started = performance.now();
      const sale = await call('sale.complete', {
        cartId: `first-sale-${i}-${Math.random().toString(16).slice(2, 10)}`,
        eventId,
        subeventId: null,
        positions: [{ itemId, variationId: null, attendeeName: null, answers: [] }],
        email: null,
        payment: { method: 'card' },
      });
      sales.push(performance.now() - started);
      if (!sale.ticketPdf) throw new Error('no ticket PDF');
    }
    return { deskAnswers, sales };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * The first desk sale after `guichet serve` starts against the sales after it, each start a fresh
 * process on a copy of the same demo database (the first sale pays whatever a process does once).
 */
export async function firstSaleFigures(quick: boolean, log: (line: string) => void): Promise<Figure[]> {
  const starts = quick ? 3 : 5;
  const dir = mkdtempSync(join(tmpdir(), 'guichet-first-sale-'));
  try {
    const template = join(dir, 'template.sqlite');
    const { eventId, itemId } = demoDeskDatabase(template);
    const runs: StartRun[] = [];
    for (let i = 0; i < starts; i++) {
      const path = join(dir, `start-${i}.sqlite`);
      copyFileSync(template, path);
      runs.push(await startAndSell(path, eventId, itemId));
      log(`  start ${i + 1}: first sale ${fmt(runs[i]!.sales[0]!)} ms`);
    }
    const first = median(runs.map((r) => r.sales[0]!));
    const steady = median(runs.flatMap((r) => r.sales.slice(1)));
    const deskAnswers = median(runs.map((r) => r.deskAnswers));
    return [
      {
        name: 'desk_first_sale_ratio',
        value: first / steady,
        unit: 'x',
        summary:
          `first desk sale ${CASHIER_PAUSE_MS / 1000} s after guichet serve starts: p50 ${fmt(first)} ms, ` +
          `the next ${SALES - 1} p50 ${fmt(steady)} ms (${fmt(first / steady, 2)}x); ` +
          `start → desk answers p50 ${fmt(deskAnswers)} ms (${starts} starts)`,
        details: { starts, firstP50: first, steadyP50: steady, deskAnswersP50: deskAnswers },
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
