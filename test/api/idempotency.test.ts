import { describe, expect, it } from 'vitest';
import { testEngine } from '../helpers';
import { fixtureEvent, fixtureItem, fixtureQuota } from '../fixtures/catalog';
import { apiServers, apiToken } from '../support/api';

/**
 * pretix's idempotency mechanism: doc/api/fundamentals.rst ("Idempotency"), src/pretix/api/middleware.py
 * (IdempotencyMiddleware), src/pretix/api/views/idempotency.py (IdempotencyQueryView) and the cases of
 * src/tests/api/test_idempotency.py (test_default, test_scoped_by_key, test_concurrent,
 * test_ignore_path_method_body, test_scoped_by_token, test_ignore_get, test_allow_retry_409).
 */

const servers = apiServers();

/** A stand-in route whose answers are scripted, to see which statuses the store keeps. */
const scripted: number[] = [];

async function setup() {
  const t = testEngine();
  const token = apiToken(t.engine, t.organizerId, 'a');
  const other = apiToken(t.engine, t.organizerId, 'b');
  const eventId = fixtureEvent(t.engine, t.organizerId, { slug: 'gala' });
  const item = fixtureItem(t.engine, eventId, { price: '23.00' });
  fixtureQuota(t.engine, eventId, 100, { items: [item] });
  let runs = 0;
  const app = await servers.start({
    engine: t.engine,
    extend: (a) => {
      a.post('/api/v1/scripted', async (_req, reply) => {
        runs += 1;
        const status = scripted.shift() ?? 200;
        return reply.code(status).send({ run: runs });
      });
    },
  });
  const orders = '/api/v1/organizers/box-office/events/gala/orders/';
  const body = { email: 'alice@example.org', positions: [{ item }] };
  const send = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    opts: { key?: string; auth?: string; payload?: unknown } = {},
  ) =>
    app.inject({
      method,
      url,
      payload: opts.payload as object,
      headers: {
        authorization: opts.auth ?? `Token ${token}`,
        ...(opts.key ? { 'x-idempotency-key': opts.key } : {}),
      },
    });
  const orderCount = () => (t.engine.db.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n;
  return { ...t, token, other, orders, body, send, orderCount, runs: () => runs };
}

describe('X-Idempotency-Key (pretix api/middleware.py IdempotencyMiddleware)', () => {
  it('without a key every request runs (test_default)', async () => {
    const { send, orders, body, orderCount } = await setup();
    expect((await send('POST', orders, { payload: body })).statusCode).toBe(201);
    expect((await send('POST', orders, { payload: body })).statusCode).toBe(201);
    expect(orderCount()).toBe(2);
  });

  it('a percent-encoded /api/ path is guarded like the plain one (Django matches request.path, decoded)', async () => {
    const { send, orders, body, orderCount } = await setup();
    const encoded = orders.replace('/api/', '/%61pi/');
    const first = await send('POST', encoded, { key: 'enc', payload: body });
    expect(first.statusCode).toBe(201);
    const again = await send('POST', encoded, { key: 'enc', payload: body });
    expect(again.body).toBe(first.body);
    expect(orderCount()).toBe(1);
  });

  it('replays the stored response for the same key and token, and runs again for a new key (test_scoped_by_key)', async () => {
    const { send, orders, body, orderCount } = await setup();
    const first = await send('POST', orders, { key: 'foo', payload: body });
    expect(first.statusCode).toBe(201);
    const again = await send('POST', orders, { key: 'foo', payload: body });
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(orderCount()).toBe(1);
    const fresh = await send('POST', orders, { key: 'bar', payload: body });
    expect(fresh.statusCode).toBe(201);
    expect(fresh.json().code).not.toBe(first.json().code);
    expect(orderCount()).toBe(2);
  });

  it('ignores path, method and body of the retry (test_ignore_path_method_body)', async () => {
    const { send, orders, body, orderCount } = await setup();
    const first = await send('POST', orders, { key: 'foo', payload: body });
    for (const [method, url, payload] of [
      ['POST', orders, {}],
      ['PATCH', orders, {}],
      ['DELETE', `${orders}${first.json().code}/`, undefined],
      ['POST', '/api/v1/organizers/box-office/§invalid/', {}],
    ] as const) {
      const res = await send(method, url, { key: 'foo', payload });
      expect(res.statusCode).toBe(201);
      expect(res.body).toBe(first.body);
    }
    expect(orderCount()).toBe(1);
  });

  it('keys belong to the Authorization they came with (test_scoped_by_token)', async () => {
    const { send, orders, body, other, orderCount } = await setup();
    await send('POST', orders, { key: 'foo', payload: body });
    const res = await send('POST', orders, { key: 'foo', payload: body, auth: `Token ${other}` });
    expect(res.statusCode).toBe(201);
    expect(orderCount()).toBe(2);
  });

  it('has no effect on GET (test_ignore_get)', async () => {
    const { send, orders, body } = await setup();
    const before = await send('GET', orders, { key: 'foo' });
    await send('POST', orders, { payload: body });
    const after = await send('GET', orders, { key: 'foo' });
    expect(before.json().count).toBe(0);
    expect(after.json().count).toBe(1);
  });

  it('answers 409 with Retry-After: 5 while the first request still runs (test_concurrent)', async () => {
    const { send, orders, body, orderCount } = await setup();
    const [a, b] = await Promise.all([
      send('POST', orders, { key: 'same', payload: body }),
      send('POST', orders, { key: 'same', payload: body }),
    ]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses).toEqual([201, 409]);
    const conflict = a.statusCode === 409 ? a : b;
    expect(conflict.json()).toEqual({ detail: 'Concurrent request with idempotency key.' });
    expect(conflict.headers['retry-after']).toBe('5');
    expect(orderCount()).toBe(1);
    // Once the first has finished, the retry gets its response.
    const retry = await send('POST', orders, { key: 'same', payload: body });
    expect(retry.statusCode).toBe(201);
    expect(retry.body).toBe((a.statusCode === 201 ? a : b).body);
  });

  it('does not store 409, 429, 500 or 503, so those are retried; other errors are stored (test_allow_retry_409)', async () => {
    const { send, runs } = await setup();
    for (const status of [409, 429, 500, 503]) {
      scripted.push(status, 201);
      const before = runs();
      expect((await send('POST', '/api/v1/scripted', { key: `k${status}` })).statusCode).toBe(status);
      expect((await send('POST', '/api/v1/scripted', { key: `k${status}` })).statusCode).toBe(201);
      expect(runs()).toBe(before + 2);
    }
    for (const status of [400, 403, 404]) {
      scripted.push(status, 201);
      const before = runs();
      const first = await send('POST', '/api/v1/scripted', { key: `k${status}` });
      const second = await send('POST', '/api/v1/scripted', { key: `k${status}` });
      expect([first.statusCode, second.statusCode]).toEqual([status, status]);
      expect(second.body).toBe(first.body);
      expect(runs()).toBe(before + 1);
      scripted.length = 0;
    }
  });

  it('stores an answer given before authentication, such as 401, like any other', async () => {
    const { send, orders, body, orderCount } = await setup();
    const first = await send('POST', orders, { key: 'k', payload: body, auth: 'Token wrong' });
    expect(first.statusCode).toBe(401);
    const second = await send('POST', orders, { key: 'k', payload: body, auth: 'Token wrong' });
    expect(second.statusCode).toBe(401);
    expect(orderCount()).toBe(0);
  });

  it('keeps keys for 24 hours', async () => {
    const { send, orders, body, clock, orderCount } = await setup();
    await send('POST', orders, { key: 'day', payload: body });
    clock.advance(24 * 60 * 60 * 1000 - 1000);
    await send('POST', orders, { key: 'day', payload: body });
    expect(orderCount()).toBe(1);
    clock.advance(2000);
    expect((await send('POST', orders, { key: 'day', payload: body })).statusCode).toBe(201);
    expect(orderCount()).toBe(2);
  });
});

describe('GET /api/v1/idempotency_query (pretix api/views/idempotency.py)', () => {
  it('answers 404 without a key or for an unknown one, and the stored response for a known one', async () => {
    const { send, orders, body, other, engine } = await setup();
    const noKey = await send('GET', '/api/v1/idempotency_query');
    expect(noKey.statusCode).toBe(404);
    expect(noKey.json()).toEqual({ detail: 'No idempotency key given.' });
    const unknown = await send('GET', '/api/v1/idempotency_query?key=nope');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ detail: 'Idempotency key not seen before.' });

    const created = await send('POST', orders, { key: 'q1', payload: body });
    const query = await send('GET', '/api/v1/idempotency_query?key=q1');
    expect(query.statusCode).toBe(201);
    expect(query.body).toBe(created.body);
    // Another caller's keys are not visible.
    const elsewhere = await send('GET', '/api/v1/idempotency_query?key=q1', { auth: `Token ${other}` });
    expect(elsewhere.statusCode).toBe(404);

    engine.db.prepare("UPDATE api_calls SET locked = created WHERE idempotency_key = 'q1'").run();
    const running = await send('GET', '/api/v1/idempotency_query?key=q1');
    expect(running.statusCode).toBe(409);
    expect(running.headers['retry-after']).toBe('5');
    // test_concurrent: a write with a locked key is refused the same way.
    const locked = await send('POST', orders, { key: 'q1', payload: body });
    expect(locked.statusCode).toBe(409);
  });
});
