import { describe, expect, it } from 'vitest';
import { createApiToken } from '../../main/engine/auth/tokens';
import { testEngine } from '../helpers';
import { apiServers, apiToken } from '../support/api';

const servers = apiServers();

async function setup() {
  const { engine, organizerId } = testEngine();
  const all = apiToken(engine, organizerId, 'all');
  const read = engine.command((ctx) =>
    createApiToken(ctx, { organizerId, name: 'read', scope: 'read' }),
  ).token;
  const app = await servers.start({ engine });
  /** A GET with the given token, or none. */
  const get = (url: string, token?: string) =>
    app.inject({ method: 'GET', url, headers: token ? { authorization: `Token ${token}` } : {} });
  return { app, all, read, get };
}

describe('API authentication', () => {
  it('answers 401 without or with a wrong token, 200 with a good one', async () => {
    const { all, get } = await setup();
    const none = await get('/api/v1/organizers/');
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
    const wrong = await get('/api/v1/organizers/', 'nope');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ detail: 'Invalid token.' });
    const ok = await get('/api/v1/organizers/', all);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      count: 1,
      next: null,
      previous: null,
      results: [{ slug: 'box-office' }],
    });
  });

  it('answers 403 for an organizer the token does not belong to', async () => {
    const { all, get } = await setup();
    const res = await get('/api/v1/organizers/elsewhere/', all);
    expect(res.statusCode).toBe(403);
  });

  it('answers 404 in pretix shape for unknown paths and 400 for malformed JSON', async () => {
    const { app, all, get } = await setup();
    const missing = await get('/api/v1/nothing/here/', all);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: 'Not found.' });
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/organizers/',
      headers: { authorization: `Token ${all}`, 'content-type': 'application/json' },
      payload: '{"broken":',
    });
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    expect(bad.statusCode).toBeLessThan(500);
    expect(bad.json()).toHaveProperty('detail');
  });
});
