import { describe, expect, it } from 'vitest';
import { testEngine } from '../helpers';
import { fixtureEvent, fixtureItem, fixtureQuota } from '../fixtures/catalog';
import { apiServers, apiToken } from '../support/api';

/**
 * Paging as pretix's API does it: src/pretix/api/pagination.py (DRF PageNumberPagination, whose
 * get_next_link/get_previous_link go through rest_framework.utils.urls.replace_query_param and
 * remove_query_param: parse_qs(keep_blank_values=True), keys sorted, urlencode(doseq=True)), and the
 * X-Page-Generated header that pretix's OrderViewSet.list (api/views/order.py), SubEventViewSet.list
 * (api/views/event.py, event and organizer level) and ReusableMediaViewSet.list (api/views/media.py) set,
 * as doc/api/fundamentals.rst "Object-level conditional fetching" describes.
 */

const servers = apiServers();

async function setup() {
  const t = testEngine('2026-03-01T10:00:00.250Z');
  const token = apiToken(t.engine, t.organizerId, 'a');
  const eventId = fixtureEvent(t.engine, t.organizerId, { slug: 'gala' });
  const item = fixtureItem(t.engine, eventId, { price: '23.00' });
  fixtureQuota(t.engine, eventId, 100, { items: [item] });
  const series = fixtureEvent(t.engine, t.organizerId, { slug: 'tour', has_subevents: true });
  for (const date of ['2030-01-01T18:00:00Z', '2030-01-02T18:00:00Z']) {
    t.engine.db
      .prepare(
        'INSERT INTO subevents (event_id, name, active, date_from) VALUES (?, \'{"en":"Night"}\', 1, ?)',
      )
      .run(series, date);
  }
  const app = await servers.start({ engine: t.engine });
  const get = (url: string) =>
    app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Token ${token}`, host: 'desk.local:8787' },
    });
  for (let i = 0; i < 3; i++) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/organizers/box-office/events/gala/orders/',
      headers: { authorization: `Token ${token}` },
      payload: { email: `buyer${i}@example.org`, positions: [{ item }] },
    });
    expect(res.statusCode).toBe(201);
  }
  return { ...t, get };
}

describe('next and previous links (DRF replace_query_param / remove_query_param)', () => {
  it('keep every parameter, repeated ones included, with keys sorted', async () => {
    const { get } = await setup();
    const base = 'http://desk.local:8787/api/v1/organizers/box-office/events/gala/orders/';
    const first = await get(
      '/api/v1/organizers/box-office/events/gala/orders/?page_size=1&exclude=downloads&exclude=refunds&testmode=false',
    );
    expect(first.statusCode).toBe(200);
    expect(first.json().next).toBe(
      `${base}?exclude=downloads&exclude=refunds&page=2&page_size=1&testmode=false`,
    );
    expect(first.json().previous).toBeNull();

    const second = await get(new URL(first.json().next).pathname + new URL(first.json().next).search);
    expect(second.json().next).toBe(
      `${base}?exclude=downloads&exclude=refunds&page=3&page_size=1&testmode=false`,
    );
    // Going back to the first page drops `page` altogether.
    expect(second.json().previous).toBe(
      `${base}?exclude=downloads&exclude=refunds&page_size=1&testmode=false`,
    );
    // The excludes of the request still apply on the page the link leads to.
    expect(second.json().results[0]).not.toHaveProperty('downloads');
    expect(second.json().results[0]).not.toHaveProperty('refunds');
  });

  it('keep blank values and encode as Python urlencode does', async () => {
    const { get } = await setup();
    const res = await get('/api/v1/organizers/box-office/orders/?page_size=2&search=&xyz=a%20b%40c.d~*&flag');
    expect(res.json().next).toBe(
      'http://desk.local:8787/api/v1/organizers/box-office/orders/?flag=&page=2&page_size=2&search=&xyz=a+b%40c.d~%2A',
    );
  });
});

describe('X-Page-Generated (pretix list views that set it)', () => {
  it('is on the order lists, the sub-event lists and reusable media, in DRF datetime format, and on no other list', async () => {
    const { get } = await setup();
    const generated = '2026-03-01T10:00:00.250000Z';
    for (const [url, header] of [
      ['/api/v1/organizers/box-office/events/gala/orders/', generated],
      ['/api/v1/organizers/box-office/orders/', generated],
      ['/api/v1/organizers/box-office/subevents/', generated],
      ['/api/v1/organizers/box-office/events/tour/subevents/', generated],
      ['/api/v1/organizers/box-office/reusablemedia/', generated],
      ['/api/v1/organizers/box-office/events/', undefined],
      ['/api/v1/organizers/box-office/events/gala/items/', undefined],
      ['/api/v1/organizers/box-office/events/gala/orderpositions/', undefined],
    ] as const) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['x-page-generated'], url).toBe(header);
    }
    expect((await get('/api/v1/organizers/box-office/subevents/')).json().count).toBe(2);
  });
});
