import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../main/engine/engine';
import { ensureDefaultOrganizer } from '../../main/engine/organizers/organizers';
import { MAX_POSITIONS_PER_ORDER } from '../../main/engine/orders/order-request';
import { fmt, type Figure } from '../measure';
import { loopbackApi } from '../../test/support/loopback-api';

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  timeouts: number;
  errors: number;
}

async function load(options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon({ timeout: 30, ...options });
  const statuses: Record<string, number> = {};
  for (const [code, n] of Object.entries(result.statusCodeStats ?? {}))
    statuses[code] = (n as { count: number }).count;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    statuses,
    timeouts: result.timeouts,
    errors: result.errors,
  };
}

async function withServer<T>(
  quotaSize: number,
  fn: (
    base: string,
    headers: Record<string, string>,
    eventPath: string,
    itemId: number,
    engine: Engine,
  ) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-load-'));
  const engine = Engine.open(join(dir, 'load.sqlite'));
  const organizer = engine.command((ctx) => ensureDefaultOrganizer(ctx));
  const { app, base, headers } = await loopbackApi(engine, organizer.id, 'bench');
  try {
    const eventPath = `/api/v1/organizers/${organizer.slug}/events/load`;
    const post = async (path: string, body: unknown) => {
      const res = await fetch(base + path, { method: 'POST', headers, body: JSON.stringify(body) });
      if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: number };
    };
    await post(`/api/v1/organizers/${organizer.slug}/events/`, {
      name: { en: 'Load' },
      slug: 'load',
      date_from: '2031-01-01T18:00:00Z',
      currency: 'EUR',
    });
    const item = await post(`${eventPath}/items/`, {
      name: { en: 'Ticket' },
      default_price: '25.00',
      admission: true,
    });
    await post(`${eventPath}/quotas/`, { name: 'Hall', size: quotaSize, items: [item.id] });
    // Steady state: the order writer thread starts with the first creation; start it before measuring.
    await app.orderWriter?.whenReady();
    return await fn(base, headers, eventPath, item.id, engine);
  } finally {
    await app.close();
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The run with the median request rate of an odd number of runs. */
function medianByRate(runs: LoadResult[]): LoadResult {
  return [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)]!;
}

export async function apiLoadFigures(quick: boolean): Promise<Figure[]> {
  const duration = quick ? 2 : 8;
  const figures: Figure[] = [];
  await withServer(10_000_000, async (base, headers, eventPath, itemId) => {
    const orderBody = JSON.stringify({
      status: 'p',
      payment_provider: 'boxoffice',
      positions: [{ item: itemId, price: '25.00' }],
    });
    const runDuration = quick ? 1 : 5;
    const trivialLoad = () =>
      load({ url: `${base}/api/v1/organizers/`, connections: 32, duration: runDuration, headers });
    const createLoad = () =>
      load({
        url: `${base}${eventPath}/orders/`,
        method: 'POST',
        body: orderBody,
        connections: 32,
        duration: runDuration,
        headers,
      });
    // A second of each, not counted: both threads' code is compiled for the load before it is measured.
    await load({ url: `${base}/api/v1/organizers/`, connections: 32, duration: 1, headers });
    await load({
      url: `${base}${eventPath}/orders/`,
      method: 'POST',
      body: orderBody,
      connections: 32,
      duration: 1,
      headers,
    });
    // Alternating runs, the median of three of each: both sides see the same machine load, and a burst of
    // other work during one run does not decide the ratio.
    const trivials: LoadResult[] = [];
    const creates: LoadResult[] = [];
    for (let round = 0; round < 3; round++) {
      trivials.push(await trivialLoad());
      creates.push(await createLoad());
    }
    const trivial = medianByRate(trivials);
    const create = medianByRate(creates);
    const list = await load({ url: `${base}${eventPath}/orders/`, connections: 32, duration, headers });
    const ratio = create.rps / trivial.rps;
    const line = (name: string, r: LoadResult) =>
      `${name} ${fmt(r.rps, 0)} req/s (p50 ${r.p50} ms, p99 ${r.p99} ms)`;
    const runs = trivials.map((t, i) => fmt(creates[i]!.rps / t.rps, 2)).join(', ');
    figures.push({
      name: 'api_order_creation_ratio',
      value: ratio,
      unit: 'ratio',
      summary: `REST API, 32 connections, medians of 3 alternating runs: ${line('order creation', create)}; ${line('trivial endpoint', trivial)}; ${line('order list', list)}; creation/trivial ${fmt(ratio, 2)} (runs ${runs}; target ≥ 0.3)`,
      target: { description: 'order creation ≥ 0.3 × trivial endpoint', met: ratio >= 0.3 },
      details: { create, list, trivial, creates, trivials },
    });
  });
  // Other clients at a steady pace (tills selling one ticket, scanners reading the organizer) alone, then
  // while maximal orders are created one after another: the cap on positions per order keeps one order
  // from stalling everyone else.
  await withServer(10_000_000, async (base, headers, eventPath, itemId) => {
    const small = JSON.stringify({
      status: 'p',
      payment_provider: 'boxoffice',
      positions: [{ item: itemId, price: '25.00' }],
    });
    const big = JSON.stringify({
      status: 'p',
      payment_provider: 'boxoffice',
      positions: Array.from({ length: MAX_POSITIONS_PER_ORDER }, () => ({ item: itemId, price: '25.00' })),
    });
    const others = () =>
      load({
        url: base,
        connections: 8,
        overallRate: 100,
        duration,
        headers,
        requests: [
          { method: 'POST', path: `${eventPath}/orders/`, body: small },
          { method: 'GET', path: '/api/v1/organizers/' },
        ],
      });
    const alone = await others();
    let running = true;
    let bigOrders = 0;
    let bigMs = 0;
    const creator = (async () => {
      while (running) {
        const start = performance.now();
        const res = await fetch(`${base}${eventPath}/orders/`, { method: 'POST', headers, body: big });
        await res.arrayBuffer();
        if (res.status !== 201) throw new Error(`maximal order: ${res.status}`);
        bigMs += performance.now() - start;
        bigOrders++;
      }
    })();
    const during = await others();
    running = false;
    await creator;
    const met = during.p99 < 100;
    figures.push({
      name: 'p99_others_during_maximal_orders',
      value: during.p99,
      unit: 'ms',
      summary: `other clients (8 connections, 100 req/s, sale + read) p99 ${during.p99} ms while ${bigOrders} maximal orders of ${MAX_POSITIONS_PER_ORDER} positions were created back to back (${fmt(bigMs / Math.max(1, bigOrders), 0)} ms each), against p99 ${alone.p99} ms alone (target < 100 ms)`,
      target: { description: 'p99 of other clients < 100 ms while maximal orders are created', met },
      details: { alone, during, bigOrders, bigOrderMs: bigMs / Math.max(1, bigOrders) },
    });
  });
  await withServer(1000, async (base, headers, eventPath, itemId, engine) => {
    const orderBody = JSON.stringify({
      status: 'p',
      payment_provider: 'boxoffice',
      positions: [{ item: itemId, price: '25.00' }],
    });
    const result = await load({
      url: `${base}${eventPath}/orders/`,
      method: 'POST',
      body: orderBody,
      connections: 64,
      amount: 1500,
      headers,
    });
    const sold = (
      engine.db
        .prepare(
          "SELECT COUNT(*) AS n FROM order_positions op JOIN orders o ON o.id = op.order_id WHERE o.status IN ('p', 'n')",
        )
        .get() as {
        n: number;
      }
    ).n;
    const created = result.statuses['201'] ?? 0;
    const serverErrors = Object.entries(result.statuses).filter(([code]) => code.startsWith('5'));
    // Exactly the quota sold, never a 5xx; a client-side timeout under load is reported, not a failure.
    const ok = sold === 1000 && created <= 1000 && serverErrors.length === 0;
    figures.push({
      name: 'oversell_under_load',
      value: sold,
      unit: 'tickets',
      summary: `oversell check, 64 connections, 1,500 orders for a quota of 1,000: ${sold} sold, ${created} created, answers ${JSON.stringify(result.statuses)}, ${result.timeouts} timeouts — ${ok ? 'OK' : 'FAILED'}`,
      target: { description: 'exactly 1,000 sold', met: ok },
    });
  });
  return figures;
}
