import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../main/demo/seed';
import { testEngine } from '../helpers';
import { apiServers, apiToken } from '../support/api';

const servers = apiServers();

/** The REST door over the demo data, with an all-permissions token and the server errors it logs. */
async function demoDoor() {
  const { engine, organizerId } = testEngine();
  engine.command((ctx) => seedDemo(ctx));
  const token = apiToken(engine, organizerId, 'all');
  const errors: string[] = [];
  const app = await servers.start({ engine, logError: (line) => errors.push(line) });
  return { engine, token, errors, app };
}

/** Values that shadow the methods String() and Number() call, and arrays nested 5,000 deep. */
const SHADOWING = '{"toString": 1, "valueOf": 1}';
const DEEP = '['.repeat(5000) + '1' + ']'.repeat(5000);
const KEYS = [
  'timezone',
  'type',
  'source_type',
  'nonce',
  'position',
  'subevent',
  'error_reason',
  'state',
  'provider',
  'gate',
  'security_profile',
  'name',
  'toString',
];

function isPretixErrorShape(body: unknown): boolean {
  return (
    (Array.isArray(body) && body.every((m) => typeof m === 'string')) ||
    (typeof body === 'object' && body !== null && Object.keys(body).length > 0)
  );
}

describe('malformed values', () => {
  it('values that shadow object methods, and arrays nested 5,000 deep, get a 400 on every write route, never a 500', async () => {
    const { engine, token, errors, app } = await demoDoor();
    const first = (sql: string) =>
      String((engine.db.prepare(sql).get() as { v: unknown } | undefined)?.v ?? 1);
    const ids: Record<string, string> = {
      organizer: 'box-office',
      event: first('SELECT slug AS v FROM events ORDER BY id LIMIT 1'),
      code: first('SELECT code AS v FROM orders ORDER BY id LIMIT 1'),
      list: first('SELECT id AS v FROM checkin_lists ORDER BY id LIMIT 1'),
      position: first('SELECT id AS v FROM order_positions ORDER BY id LIMIT 1'),
      output: 'pdf',
    };
    const failures: string[] = [];
    let writeRoutes = 0;
    for (const route of app.routeSummaries) {
      if (!['POST', 'PATCH', 'PUT'].includes(route.method) || !route.url.startsWith('/api/v1/')) continue;
      writeRoutes++;
      const url = route.url.replace(/:([A-Za-z]+)/g, (_m, name: string) => ids[name] ?? '1');
      const bodies = [
        SHADOWING,
        DEEP,
        ...KEYS.map((k) => `{"${k}": ${SHADOWING}}`),
        `{"name": ${DEEP}}`,
        `{"positions": [{"item": ${SHADOWING}, "answers": [${SHADOWING}]}]}`,
      ];
      for (const payload of bodies) {
        const res = await app.inject({
          method: route.method as 'POST',
          url,
          headers: { authorization: `Token ${token}`, 'content-type': 'application/json' },
          payload,
        });
        if (res.statusCode >= 500 || !isPretixErrorShape(res.json()))
          failures.push(`${res.statusCode} ${route.method} ${route.url} ${payload.slice(0, 40)}`);
      }
    }
    expect(writeRoutes).toBeGreaterThan(40);
    expect(failures).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it('a 500 is logged with its stack and answered in pretix’s shape', async () => {
    const { engine } = testEngine();
    const errors: string[] = [];
    const app = await servers.start({
      engine,
      logError: (line) => errors.push(line),
      extend: (server) => {
        server.get('/broken', async () => {
          throw new TypeError('something unexpected');
        });
      },
    });
    const res = await app.inject({ method: 'GET', url: '/broken' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ detail: 'Internal server error.' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('GET /broken');
    expect(errors[0]).toContain('TypeError: something unexpected');
    expect(errors[0]).toMatch(/\n\s+at /);
  });
});

describe('list ordering', () => {
  it('ordering=attendee_name,positionid on check-in list positions answers, never a 500', async () => {
    const { engine, token, errors, app } = await demoDoor();
    const event = (engine.db.prepare('SELECT slug FROM events ORDER BY id LIMIT 1').get() as { slug: string })
      .slug;
    const list = (
      engine.db.prepare('SELECT id FROM checkin_lists ORDER BY id LIMIT 1').get() as { id: number }
    ).id;
    for (const ordering of [
      'attendee_name,positionid',
      '-attendee_name,positionid',
      'positionid,attendee_name',
    ]) {
      for (const url of [
        `/api/v1/organizers/box-office/events/${event}/checkinlists/${list}/positions/?ordering=${ordering}`,
        `/api/v1/organizers/box-office/events/${event}/checkinlists/${list}/positions/?ordering=${ordering}&search=a&expand=item`,
        `/api/v1/organizers/box-office/checkinrpc/search/?list=${list}&ordering=${ordering}&search=a`,
      ]) {
        const res = await app.inject({ method: 'GET', url, headers: { authorization: `Token ${token}` } });
        expect(res.statusCode, url).toBeLessThan(500);
        expect(res.json()).toBeTypeOf('object');
      }
    }
    expect(errors).toEqual([]);
  });
});
