import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../../main/api/server';
import { OrderWriter } from '../../main/api/order-creation/order-writer';
import { Engine } from '../../main/engine/engine';
import { ensureDefaultOrganizer } from '../../main/engine/organizers/organizers';
import { fixtureOnSale } from '../fixtures/catalog';
import { databaseFileOnSale, runTsProcess } from '../fixtures/processes';
import { apiToken, paidOrderCreation } from '../support/api';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A box office on a database file with the system clock: the REST door creates orders on its writer thread. */
async function boxOffice(quota: number, orderWriter = true) {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-writer-'));
  const engine = Engine.open(join(dir, 'box.sqlite'));
  cleanups.push(() => {
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const organizer = engine.command((ctx) => ensureDefaultOrganizer(ctx));
  const sale = fixtureOnSale(engine, organizer.id, {
    event: { slug: 'gala' },
    item: { price: '25.00' },
    quota,
  });
  const app = await buildApiServer({ engine, orderWriter });
  // Creations made before the thread is ready run on the server's engine; these tests are about the thread.
  if (orderWriter) expect(await app.orderWriter!.whenReady()).toBe(true);
  let closed = false;
  const close = async () => {
    if (!closed) await app.close();
    closed = true;
  };
  cleanups.push(close);
  const headers = {
    authorization: `Token ${apiToken(engine, organizer.id)}`,
    'content-type': 'application/json',
  };
  return { engine, app, headers, close, ...sale };
}

const ordersUrl = '/api/v1/organizers/box-office/events/gala/orders/';

function post(app: FastifyInstance, headers: Record<string, string>, body: unknown) {
  return app.inject({ method: 'POST', url: ordersUrl, headers, payload: JSON.stringify(body) });
}

function paidOrder(itemId: number, extra: Record<string, unknown> = {}) {
  return {
    status: 'p',
    payment_provider: 'boxoffice',
    positions: [{ item: itemId, price: '25.00' }],
    ...extra,
  };
}

describe('the order writer thread', () => {
  it('answers a created order exactly as reading it back does', async () => {
    const { app, headers, itemId } = await boxOffice(10);
    const created = await post(app, headers, paidOrder(itemId, { email: 'ana@example.org' }));
    expect(created.statusCode).toBe(201);
    expect(created.headers['content-type']).toBe('application/json; charset=utf-8');
    const order = created.json() as { code: string };
    const read = await app.inject({ method: 'GET', url: `${ordersUrl}${order.code}/`, headers });
    expect(created.json()).toEqual(read.json());
  });

  it('refuses bad requests with the same status and body as the server thread, changing nothing', async () => {
    const threaded = await boxOffice(1);
    const inline = await boxOffice(1, false);
    const bodies = [
      {},
      { positions: [] },
      paidOrder(999_999),
      paidOrder(threaded.itemId, { email: 'not an address' }),
      { ...paidOrder(threaded.itemId), positions: [{ item: threaded.itemId, price: 'abc' }] },
      { ...paidOrder(threaded.itemId), positions: [{ item: threaded.itemId }, { item: threaded.itemId }] },
      [1, 2, 3],
    ];
    for (const body of bodies) {
      const a = await post(threaded.app, threaded.headers, body);
      const b = await post(inline.app, inline.headers, body);
      expect(a.statusCode).toBe(400);
      expect({ status: a.statusCode, body: a.body }).toEqual({ status: b.statusCode, body: b.body });
    }
    const count = threaded.engine.db.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number };
    expect(count.n).toBe(0);
  });

  it('sells a quota exactly once under concurrent creations, next to the server thread’s own writes', async () => {
    const { app, engine, headers, itemId, quotaId } = await boxOffice(25);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 8 === 0
          ? app.inject({ method: 'GET', url: '/api/v1/organizers/', headers })
          : post(app, headers, paidOrder(itemId)),
      ),
    );
    const creations = answers.filter((_, i) => i % 8 !== 0);
    expect(creations.filter((a) => a.statusCode === 201)).toHaveLength(25);
    const refused = creations.filter((a) => a.statusCode === 400);
    expect(refused).toHaveLength(creations.length - 25);
    for (const answer of refused) expect(answer.body).toContain('quota');
    const sold = engine.db
      .prepare(
        "SELECT COUNT(*) AS n FROM order_positions op JOIN orders o ON o.id = op.order_id WHERE o.status = 'p'",
      )
      .get() as { n: number };
    expect(sold.n).toBe(25);
    const quota = engine.db.prepare('SELECT paid_count FROM quotas WHERE id = ?').get(quotaId) as {
      paid_count: number;
    };
    expect(quota.paid_count).toBe(25);
  });

  it('answers the creations in flight before the server closes', async () => {
    const { app, engine, headers, itemId, close } = await boxOffice(100);
    const pending = Array.from({ length: 12 }, () => post(app, headers, paidOrder(itemId)));
    await new Promise((resolve) => setImmediate(resolve));
    const closing = close();
    const answers = await Promise.all(pending);
    await closing;
    const created = answers
      .filter((a) => a.statusCode === 201)
      .map((a) => (a.json() as { code: string }).code);
    const stored = engine.db.prepare('SELECT code FROM orders ORDER BY code').all() as { code: string }[];
    expect(stored.map((r) => r.code)).toEqual([...created].sort());
  });

  it('tells the caller of a creation once the server’s thread has flushed the WAL the writer committed to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-writer-'));
    const flushes: { resolve: () => void; reject: (error: Error) => void }[] = [];
    const engine = Engine.open(join(dir, 'box.sqlite'), {
      syncFile: () => new Promise<void>((resolve, reject) => flushes.push({ resolve, reject })),
    });
    const writer = new OrderWriter(engine);
    cleanups.push(() => {
      engine.close();
      rmSync(dir, { recursive: true, force: true });
    });
    cleanups.push(() => writer.close());
    const organizer = engine.command((ctx) => ensureDefaultOrganizer(ctx));
    const { eventId, itemId } = fixtureOnSale(engine, organizer.id, { event: { slug: 'gala' }, quota: 10 });
    expect(await writer.whenReady()).toBe(true);
    const orders = () => (engine.db.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n;

    let heard = false;
    const created = writer.create(paidOrderCreation(eventId, itemId)).then((order) => {
      heard = true;
      return order;
    });
    while (flushes.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // Committed by the writer, not yet durable: nobody has heard of it.
    expect(orders()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(heard).toBe(false);
    flushes[0]!.resolve();
    expect((await created).status).toBe('p');

    const failing = writer.create(paidOrderCreation(eventId, itemId));
    while (flushes.length === 1) await new Promise((resolve) => setTimeout(resolve, 5));
    flushes[1]!.reject(new Error('EIO: i/o error, fsync'));
    await expect(failing).rejects.toThrow('EIO');
  });

  it('leaves the WAL’s checkpoints to a thread of their own: the database file takes the orders while the writer only appends', async () => {
    const { engine, app, headers, itemId } = await boxOffice(1000);
    const path = engine.db.name;
    const fileSize = () => statSync(path).size;
    const before = fileSize();
    // The writer's own connection would checkpoint only at 4,000 WAL pages; these orders fill a few hundred.
    for (let round = 0; round < 10; round++) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => post(app, headers, paidOrder(itemId))),
      );
      expect(answers.map((a) => a.statusCode)).toEqual(answers.map(() => 201));
    }
    const deadline = Date.now() + 5000;
    while (fileSize() <= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(fileSize()).toBeGreaterThan(before);
  });

  it('runs creations on the server’s engine while its thread starts, then on the thread, and on the server’s engine when the thread cannot start', async () => {
    const { engine, eventId, itemId } = await boxOffice(10, false);
    const creation = () => paidOrderCreation(eventId, itemId);
    const writer = new OrderWriter(engine);
    cleanups.push(() => writer.close());
    const meanwhile = await writer.create(creation());
    expect(await writer.whenReady()).toBe(true);
    const threaded = await writer.create(creation());
    expect(writer.threadId).toBeGreaterThan(0);

    const missing = new OrderWriter(engine, new URL('file:///nonexistent/order-writer-thread.mjs'));
    cleanups.push(() => missing.close());
    const fallback = await Promise.all([missing.create(creation()), missing.create(creation())]);
    expect(await missing.whenReady()).toBe(false);
    fallback.push(await missing.create(creation()));
    expect(missing.threadId).toBeUndefined();
    const codes = [meanwhile.code, threaded.code, ...fallback.map((order) => order.code)];
    const stored = engine.db.prepare('SELECT code FROM orders').all() as { code: string }[];
    expect(stored.map((r) => r.code).sort()).toEqual(codes.sort());
  });

  it('ends with its server: a process that created orders on the thread and closed exits by itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-writer-process-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dbPath = join(dir, 'box.sqlite');
    const sale = databaseFileOnSale(dbPath, 5);
    const reader = Engine.open(dbPath);
    const eventSlug = (
      reader.db.prepare('SELECT slug FROM events WHERE id = ?').get(sale.eventId) as { slug: string }
    ).slug;
    reader.close();
    const result = await runTsProcess<{ ready: boolean; status: number; code: string }>(
      join(__dirname, 'order-writer-process.ts'),
      [dbPath, sale.organizerId, eventSlug, sale.itemId],
    );
    expect(result).toMatchObject({ ready: true, status: 201 });
    const engine = Engine.open(dbPath);
    cleanups.push(() => engine.close());
    expect(engine.db.prepare('SELECT status FROM orders WHERE code = ?').get(result.code)).toEqual({
      status: 'p',
    });
  });
});
