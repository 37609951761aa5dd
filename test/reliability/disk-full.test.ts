import { describe, expect, it } from 'vitest';
import { createApiToken } from '../../main/engine/auth/tokens';
import { testEngine } from '../helpers';
import { browserDeskRpc } from '../support/desk-rpc';
import { apiServers } from '../support/api';

const servers = apiServers();

describe('a full disk', () => {
  it('a full disk answers "the disk is full" in pretix’s shape, not a bare 500, and saves nothing', async () => {
    const { engine, organizerId } = testEngine();
    const { token } = engine.command((ctx) => createApiToken(ctx, { organizerId, name: 'all' }));
    const errors: string[] = [];
    const app = await servers.start({ engine, logError: (l) => errors.push(l) });
    const events = () => (engine.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    // The database may not grow by a single page: every write that needs room fails as on a full disk.
    const pages = engine.db.pragma('page_count', { simple: true }) as number;
    engine.db.pragma(`max_page_count = ${pages}`);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/organizers/box-office/events/',
      headers: { authorization: `Token ${token}` },
      payload: {
        name: { en: 'A'.repeat(20_000) },
        slug: 'gala',
        date_from: '2031-01-01T18:00:00Z',
        currency: 'EUR',
      },
    });
    expect(res.statusCode).toBe(507);
    expect(res.json()).toEqual({
      detail:
        'The disk is full, so nothing was saved. Free some space on the disk that holds the Guichet database and try again.',
    });
    expect(events()).toBe(0);
    expect(errors).toEqual([]);
    // The desk says the same in its own words.
    const rpc = browserDeskRpc(engine);
    let answer: unknown;
    for (let i = 0; i < 500; i++) {
      answer = await rpc.call('tokens.create', { name: `${i} ${'x'.repeat(180)}`, scope: 'read' });
      if ('error' in (answer as object)) break;
    }
    expect(answer).toMatchObject({ error: { code: 'disk_full', status: 507 } });
  });
});
