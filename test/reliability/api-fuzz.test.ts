import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../../main/api/server';
import { createApiToken } from '../../main/engine/auth/tokens';
import { seedDemo } from '../../main/demo/seed';
import { testEngine } from '../helpers';
import type { Engine } from '../../main/engine/engine';

/**
 * Bad input over every REST route: malformed JSON, wrong types, missing and extra fields, huge strings and
 * numbers, negative and non-decimal money, unknown ids, wrong organizer or event, path traversal in slugs.
 * Whatever arrives, the answer is never a 5xx, every 4xx has a pretix-shaped body, and a 4xx changes
 * nothing in the database.
 */
let app: FastifyInstance;
let engine: Engine;
let token: string;
let organizer: string;
let event: string;
let orderCodes: string[];

beforeAll(async () => {
  const setup = testEngine();
  engine = setup.engine;
  token = engine.command((ctx) =>
    createApiToken(ctx, { organizerId: setup.organizerId, name: 'fuzz' }),
  ).token;
  engine.command((ctx) => seedDemo(ctx));
  organizer = (
    engine.db.prepare('SELECT slug FROM organizers WHERE id = ?').get(setup.organizerId) as { slug: string }
  ).slug;
  event =
    (engine.db.prepare('SELECT slug FROM events ORDER BY id LIMIT 1').get() as { slug: string } | undefined)
      ?.slug ?? 'none';
  orderCodes = (engine.db.prepare('SELECT code FROM orders LIMIT 5').all() as { code: string }[]).map(
    (o) => o.code,
  );
  app = await buildApiServer({ engine });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  engine.close();
});

const hugeString = 'x'.repeat(100_000);
const scalar = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '',
    ' ',
    '-1.00',
    '1e400',
    'NaN',
    '12.345',
    '0x10',
    '../../etc/passwd',
    hugeString,
    '2026-13-45',
    'null',
  ),
  fc.integer(),
  fc.constantFrom(-1, 0, 2 ** 53, -(2 ** 63), 1e308, 0.1),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }),
);
const fieldNames = fc.constantFrom(
  'item',
  'variation',
  'price',
  'amount',
  'positions',
  'status',
  'email',
  'code',
  'expires',
  'quota',
  'size',
  'items',
  'answers',
  'attendee_name_parts',
  'secret',
  'state',
  'provider',
  'payment',
  'list',
  'name',
  'slug',
  'currency',
  'subevent',
  'addon_to',
  'voucher',
  'cart_id',
  'force',
  'cancellation_fee',
  'type',
  'datetime',
  'nonce',
  'lists',
);
const body = fc.oneof(
  fc.dictionary(fieldNames, value, { maxKeys: 6 }).map((o) => JSON.stringify(o)),
  fc.dictionary(fieldNames, value, { maxKeys: 2 }).map((o) => JSON.stringify({ positions: [o], ...o })),
  fc.constantFrom(
    '{',
    '[1,2',
    '"just a string"',
    '123',
    'null',
    '[]',
    '{"a":}',
    '\u0000',
    `{"name":"${hugeString}"}`,
  ),
  fc.json(),
);

function paramValue(name: string): fc.Arbitrary<string> {
  if (name === 'organizer')
    return fc.constantFrom(organizer, organizer, 'unknown-org', '..', '%2e%2e%2f', 'a'.repeat(300));
  if (name === 'event') return fc.constantFrom(event, event, 'missing', '..%2F..', '<script>');
  if (name === 'code')
    return fc.oneof(
      fc.constantFrom(...(orderCodes.length ? orderCodes : ['ABCDE'])),
      fc.constantFrom('ZZZZZ', '../', 'a b'),
    );
  return fc.oneof(
    fc.integer({ min: 1, max: 40 }).map(String),
    fc.constantFrom('0', '-1', '99999999999999999999', 'abc', '1.5', '%00'),
  );
}

function databaseChanges(): number {
  return (engine.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
}

function isPretixErrorShape(json: unknown): boolean {
  if (Array.isArray(json)) return json.every((m) => typeof m === 'string');
  if (json && typeof json === 'object') return Object.keys(json).length > 0;
  return false;
}

describe('every REST route under bad input', () => {
  it('never answers 5xx, answers 4xx in pretix shape, and a 4xx changes nothing', async () => {
    const routes = app.routeSummaries.filter((r) => r.url.startsWith('/api/v1/') && r.method !== 'OPTIONS');
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      const names = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      const params = fc.tuple(...names.map(paramValue));
      await fc.assert(
        fc.asyncProperty(params, body, fc.boolean(), async (values, payload, withToken) => {
          let url = route.url;
          names.forEach((n, i) => (url = url.replace(`:${n}`, encodeURIComponent(values[i]!))));
          const before = databaseChanges();
          const res = await app.inject({
            method: route.method as 'GET',
            url,
            headers: {
              'content-type': 'application/json',
              ...(withToken || route.method === 'GET' ? { authorization: `Token ${token}` } : {}),
            },
            payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : payload,
          });
          const where = `${route.method} ${url} -> ${res.statusCode} ${res.body.slice(0, 200)}`;
          expect(res.statusCode, where).toBeLessThan(500);
          if (res.statusCode >= 400 && res.headers['content-type']?.toString().includes('json')) {
            expect(isPretixErrorShape(res.json()), where).toBe(true);
            expect(databaseChanges(), where).toBe(before);
          }
        }),
        { numRuns: 25, seed: 4242 },
      );
    }
  });
});

describe('every desk RPC method under bad input', () => {
  it('answers a failure value with a 4xx status, never throws, and a failure changes nothing', async () => {
    const { deskMethodTable } = await import('../../main/rpc');
    const { browserDeskRpc } = await import('../support/desk-rpc');
    const rpc = browserDeskRpc(engine, { actor: 'fuzz' });
    const methods = Object.keys(deskMethodTable()).filter((m) => m !== 'backup.now');
    expect(methods.length).toBeGreaterThan(0);
    const input = fc.oneof(
      value,
      fc.dictionary(
        fc.constantFrom(
          'eventId',
          'itemId',
          'code',
          'query',
          'cartId',
          'positions',
          'payment',
          'count',
          'id',
          'name',
          'limit',
        ),
        value,
        { maxKeys: 6 },
      ),
    );
    for (const method of methods) {
      await fc.assert(
        fc.asyncProperty(input, async (raw) => {
          const before = databaseChanges();
          const reply = await rpc.call(method, raw);
          if ('error' in reply) {
            const where = `${method}(${JSON.stringify(raw).slice(0, 120)}) -> ${reply.error.status} ${reply.error.message}`;
            expect(reply.error.status, where).toBeGreaterThanOrEqual(400);
            expect(reply.error.status, where).toBeLessThan(500);
            expect(reply.error.message.length, where).toBeGreaterThan(0);
            expect(databaseChanges(), where).toBe(before);
          }
        }),
        { numRuns: 25, seed: 4242 },
      );
    }
  });
});
