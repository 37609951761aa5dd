import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiToken, listApiTokens, revokeApiToken } from '../../main/engine/auth/tokens';
import { startServer } from '../../main/server/serve';
import { testEngine } from '../helpers';
import { apiServers } from '../support/api';

const servers = apiServers();

async function setup() {
  const { engine, organizerId } = testEngine();
  const token = (scope: 'all' | 'read' | 'checkin') =>
    engine.command((ctx) => createApiToken(ctx, { organizerId, name: scope, scope }));
  const tokens = { all: token('all'), read: token('read'), checkin: token('checkin') };
  const app = await servers.start({ engine });
  const call = (method: 'GET' | 'POST', url: string, secret: string, payload?: unknown) =>
    app.inject({ method, url, headers: { authorization: `Token ${secret}` }, payload: payload as object });
  return { engine, app, tokens, call, organizer: 'box-office' };
}

describe('API security', () => {
  it('limits a read token to reading and a check-in token to what a door scanner needs', async () => {
    const { tokens, call, organizer } = await setup();
    const event = { name: { en: 'Gala' }, slug: 'gala', date_from: '2031-01-01T18:00:00Z', currency: 'EUR' };
    expect(
      (await call('POST', `/api/v1/organizers/${organizer}/events/`, tokens.read.token, event)).statusCode,
    ).toBe(403);
    expect((await call('GET', `/api/v1/organizers/${organizer}/events/`, tokens.read.token)).statusCode).toBe(
      200,
    );
    expect(
      (await call('POST', `/api/v1/organizers/${organizer}/events/`, tokens.all.token, event)).statusCode,
    ).toBe(201);
    // A check-in token may read what a scanner syncs, but may not sell or change the catalog.
    expect(
      (await call('GET', `/api/v1/organizers/${organizer}/events/gala/`, tokens.checkin.token)).statusCode,
    ).toBe(200);
    const orders = await call(
      'POST',
      `/api/v1/organizers/${organizer}/events/gala/orders/`,
      tokens.checkin.token,
      {
        positions: [],
      },
    );
    expect(orders.statusCode).toBe(403);
    expect(orders.json()).toEqual({ detail: 'You do not have permission to perform this action.' });
    const write = await call(
      'POST',
      `/api/v1/organizers/${organizer}/events/gala/items/`,
      tokens.checkin.token,
      {
        name: { en: 'x' },
        default_price: '1.00',
      },
    );
    expect(write.statusCode).toBe(403);
  });

  it('stops accepting a token the moment it is revoked', async () => {
    const { engine, tokens, call } = await setup();
    expect((await call('GET', '/api/v1/organizers/', tokens.all.token)).statusCode).toBe(200);
    engine.command((ctx) => revokeApiToken(ctx, tokens.all.info.id));
    const after = await call('GET', '/api/v1/organizers/', tokens.all.token);
    expect(after.statusCode).toBe(401);
  });

  it('refuses request bodies over the size limit with a 413 and changes nothing', async () => {
    const { engine, app, tokens, organizer } = await setup();
    const before = engine.db.prepare('SELECT COUNT(*) AS n FROM events').get();
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/organizers/${organizer}/events/`,
      headers: { authorization: `Token ${tokens.all.token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: { en: 'x'.repeat(2 * 1024 * 1024) }, slug: 'big' }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toHaveProperty('detail');
    expect(engine.db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual(before);
  });

  it('sends no CORS headers unless an origin is configured', async () => {
    const { app, tokens } = await setup();
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/organizers/',
      headers: { authorization: `Token ${tokens.all.token}`, origin: 'http://evil.example' },
    });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('listens on loopback unless told otherwise, and does not print tokens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-sec-'));
    const lines: string[] = [];
    const server = await startServer({
      dbPath: join(dir, 'db.sqlite'),
      host: '127.0.0.1',
      port: 0,
      seedDemo: false,
      log: (l) => lines.push(l),
    });
    try {
      const address = server.app.server.address();
      expect(typeof address === 'object' && address?.address).toBe('127.0.0.1');
      const hashes = server.engine.db.prepare('SELECT token_hash FROM api_tokens').all() as {
        token_hash: string;
      }[];
      for (const line of lines) for (const h of hashes) expect(line).not.toContain(h.token_hash);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the test clock', () => {
  it('moves the engine clock only on a server started with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-clock-'));
    const start = (testClock: boolean, name: string) =>
      startServer({
        dbPath: join(dir, name),
        host: '127.0.0.1',
        port: 0,
        seedDemo: false,
        desk: false,
        testClock,
        log: () => {},
      });
    const plain = await start(false, 'plain.sqlite');
    const timed = await start(true, 'timed.sqlite');
    try {
      const advance = (url: string, body: unknown) =>
        fetch(`${url}test/clock`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect((await advance(plain.url, { advanceMs: 3_600_000 })).status).toBe(404);
      expect(Math.abs(plain.engine.clock.now().getTime() - Date.now())).toBeLessThan(60_000);
      expect((await advance(timed.url, { advanceMs: -1 })).status).toBe(400);
      expect((await advance(timed.url, { advanceMs: 3_600_000 })).status).toBe(200);
      const ahead = timed.engine.clock.now().getTime() - Date.now();
      expect(ahead).toBeGreaterThan(3_540_000);
      expect(ahead).toBeLessThan(3_660_000);
    } finally {
      await plain.close();
      await timed.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('checkin token scope', () => {
  it('a checkin token reaches only the calls of pretix’s pretixscan profile', async () => {
    const { engine, organizerId } = testEngine();
    engine.db
      .prepare(
        `INSERT INTO events (organizer_id, slug, name, currency, date_from, has_subevents, settings, created)
         VALUES (?, 'gala', '{"en":"Gala"}', 'EUR', '2031-01-01T18:00:00Z', 0, '{}', '2026-01-01T00:00:00Z')`,
      )
      .run(organizerId);
    const { token } = engine.command((ctx) =>
      createApiToken(ctx, { organizerId, name: 'door', scope: 'checkin' }),
    );
    const app = await servers.start({ engine });
    const reached: string[] = [];
    for (const route of app.routeSummaries) {
      if (!route.url.startsWith('/api/v1/') || route.url.startsWith('/api/v1/device/')) continue;
      const url = route.url
        .replace(':organizer', 'box-office')
        .replace(':event', 'gala')
        .replace(/:[A-Za-z]+/g, '1');
      const res = await app.inject({
        method: route.method as 'GET',
        url,
        headers: { authorization: `Token ${token}` },
        payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
      });
      if (res.statusCode !== 403) reached.push(`${route.method} ${route.url.replace(/\/$/, '')}`);
    }
    const ORG = '/api/v1/organizers/:organizer';
    const EVENT = `${ORG}/events/:event`;
    // The list docs/reliability.md gives for the `checkin` scope.
    expect(reached.sort()).toEqual(
      [
        'GET /api/v1/version',
        'GET /api/v1/idempotency_query',
        `GET ${ORG}/events`,
        `GET ${ORG}/subevents`,
        `GET ${ORG}/reusablemedia`,
        // pretix allows the route name `order-list`, which is the event's and the organizer's order list.
        `GET ${ORG}/orders`,
        `POST ${ORG}/checkinrpc/redeem`,
        `GET ${ORG}/checkinrpc/search`,
        `GET ${EVENT}`,
        `GET ${EVENT}/settings`,
        `GET ${EVENT}/subevents`,
        `GET ${EVENT}/subevents/:id`,
        `GET ${EVENT}/categories`,
        `GET ${EVENT}/items`,
        `GET ${EVENT}/questions`,
        `GET ${EVENT}/badgelayouts`,
        `GET ${EVENT}/badgeitems`,
        `GET ${EVENT}/revokedsecrets`,
        `GET ${EVENT}/blockedsecrets`,
        `GET ${EVENT}/orders`,
        `GET ${EVENT}/checkinlists`,
        `GET ${EVENT}/checkinlists/:list/status`,
        `GET ${EVENT}/checkinlists/:list/positions`,
        `POST ${EVENT}/checkinlists/:list/positions/:position/redeem`,
        `POST ${EVENT}/checkinlists/:list/failed_checkins`,
      ].sort(),
    );
    // pretix's PretixScanSecurityProfile (src/pretix/api/auth/devicesecurity.py) has neither organizer-list,
    // organizer-detail, checkinlist-detail, checkinlistpos-detail nor checkinrpc.annul.
    for (const refused of [
      'GET /api/v1/organizers',
      `GET ${ORG}`,
      `GET ${EVENT}/checkinlists/:list`,
      `GET ${EVENT}/checkinlists/:list/positions/:position`,
      `POST ${ORG}/checkinrpc/annul`,
    ])
      expect(reached).not.toContain(refused);
    for (const forbidden of ['vouchers', 'quotas', 'taxrules'])
      expect(reached.some((r) => r.includes(`/${forbidden}`))).toBe(false);
  });
});

describe('percent-encoded paths', () => {
  it('a percent-encoded path does not skip authentication or the token scope', async () => {
    const { engine, app, tokens, call } = await setup();
    engine.db
      .prepare(
        `INSERT INTO events (organizer_id, slug, name, currency, date_from, has_subevents, settings, created)
         VALUES (1, 'gala', '{"en":"Gala"}', 'EUR', '2031-01-01T18:00:00Z', 0, '{}', '2026-01-01T00:00:00Z')`,
      )
      .run();
    const paths = [
      '/%61pi/v1/organizers/box-office/events/',
      '/%61%70%69/v1/organizers/box-office/orders/',
      '/api/%761/organizers/box-office/events/gala/vouchers/',
      '/api/v1/%6Frganizers/box-office/events/gala/quotas/',
    ];
    for (const url of paths) {
      const anonymous = await app.inject({ method: 'GET', url });
      expect([401, 404]).toContain(anonymous.statusCode);
      expect(anonymous.json()).toHaveProperty('detail');
    }
    for (const url of paths.slice(2)) {
      const scanner = await call('GET', url, tokens.checkin.token);
      expect([403, 404]).toContain(scanner.statusCode);
    }
    const created = await app.inject({
      method: 'POST',
      url: '/%61pi/v1/organizers/box-office/events/',
      payload: { name: { en: 'x' }, slug: 'sneaky', date_from: '2031-01-01T18:00:00Z', currency: 'EUR' },
    });
    expect([401, 404]).toContain(created.statusCode);
    expect(engine.db.prepare("SELECT id FROM events WHERE slug = 'sneaky'").get()).toBeUndefined();
  });
});

describe('token use', () => {
  it('a token’s last_used is recorded when it is used, at most once a minute', async () => {
    const { engine, clock, organizerId } = testEngine('2026-03-01T10:00:00Z');
    const { token, info } = engine.command((ctx) => createApiToken(ctx, { organizerId, name: 'till' }));
    const app = await servers.start({ engine });
    const lastUsed = () => listApiTokens(engine.db).find((t) => t.id === info.id)!.last_used;
    expect(lastUsed()).toBeNull();
    const get = () =>
      app.inject({
        method: 'GET',
        url: '/api/v1/organizers/',
        headers: { authorization: `Token ${token}` },
      });
    expect((await get()).statusCode).toBe(200);
    expect(lastUsed()).toBe('2026-03-01T10:00:00.000Z');
    clock.advanceMinutes(0.5);
    await get();
    expect(lastUsed()).toBe('2026-03-01T10:00:00.000Z');
    clock.advanceMinutes(1);
    await get();
    expect(lastUsed()).toBe('2026-03-01T10:01:30.000Z');
  });
});
