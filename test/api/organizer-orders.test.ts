import { describe, expect, it } from 'vitest';
import { fixtureEvent, fixtureItem } from '../fixtures/catalog';
import { testEngine } from '../helpers';
import { fixtureOrder } from '../engine/checkin/fixtures';
import { apiServers, pairDevice } from '../support/api';

/**
 * Organizer-level order endpoints as pretix serves them: src/pretix/api/urls.py registers
 * `orders` (OrganizerOrderViewSet) and `orderpositions` on the organizer router; api/views/order.py makes
 * OrganizerOrderViewSet a ReadOnlyModelViewSet whose queryset is limited to
 * `auth.get_events_with_permission(...)` (a device's event limits), and doc/api/resources/orders.rst
 * documents the list as the event-level one without `pdf_data`.
 */

const servers = apiServers();

async function setup() {
  const { engine, organizerId } = testEngine('2026-06-01T18:00:00Z');
  const gala = fixtureEvent(engine, organizerId, { slug: 'gala' });
  const other = fixtureEvent(engine, organizerId, { slug: 'other' });
  const galaTicket = fixtureItem(engine, gala, { name: 'Gala ticket' });
  const otherTicket = fixtureItem(engine, other, { name: 'Other ticket' });
  const inGala = fixtureOrder(engine, organizerId, gala, { positions: [{ itemId: galaTicket }] });
  const inOther = fixtureOrder(engine, organizerId, other, { positions: [{ itemId: otherTicket }] });
  const codeOf = (orderId: number) =>
    (engine.db.prepare('SELECT code FROM orders WHERE id = ?').get(orderId) as { code: string }).code;
  const { app, admin } = await servers.startAsAdmin(engine, organizerId);
  const { headers: device } = await pairDevice(
    app,
    admin,
    { name: 'Gala desk', all_events: false, limit_events: ['gala'], security_profile: 'full' },
    { software_brand: 'pretixPOS', software_version: '1.0.0' },
  );
  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, headers = admin) =>
    app.inject({ method, url, headers, payload: method === 'GET' ? undefined : {} });
  return {
    call,
    admin,
    device,
    gala: codeOf(inGala.orderId),
    other: codeOf(inOther.orderId),
    inGala,
    inOther,
    app,
  };
}

const ORG = '/api/v1/organizers/box-office';

describe('organizer-level orders (OrganizerOrderViewSet)', () => {
  it('lists and shows the orders of every event the token may see, each naming its event', async () => {
    const { call, gala, other } = await setup();
    const list = await call('GET', `${ORG}/orders/`);
    expect(list.statusCode).toBe(200);
    expect(list.headers['x-page-generated']).toBeDefined();
    expect(
      (list.json().results as { code: string; event: string }[]).map((o) => [o.code, o.event]).sort(),
    ).toEqual(
      [
        [gala, 'gala'],
        [other, 'other'],
      ].sort(),
    );
    const detail = await call('GET', `${ORG}/orders/${other}/`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ code: other, event: 'other' });
    expect((await call('GET', `${ORG}/orders/ZZZZZ/`)).statusCode).toBe(404);
    // Filters work as on the event level.
    expect((await call('GET', `${ORG}/orders/?code=${gala}`)).json().count).toBe(1);
  });

  it('hides the events outside a device’s limits, in the list and on detail', async () => {
    const { call, device, gala, other, inGala } = await setup();
    const list = await call('GET', `${ORG}/orders/`, device);
    expect(list.statusCode).toBe(200);
    expect((list.json().results as { code: string }[]).map((o) => o.code)).toEqual([gala]);
    expect((await call('GET', `${ORG}/orders/${gala}/`, device)).statusCode).toBe(200);
    expect((await call('GET', `${ORG}/orders/${other}/`, device)).statusCode).toBe(404);
    const positions = await call('GET', `${ORG}/orderpositions/`, device);
    expect((positions.json().results as { id: number }[]).map((p) => p.id)).toEqual(inGala.positionIds);
  });

  it('is read-only: writes answer 405 in DRF’s words after authentication', async () => {
    const { app, call, gala, inGala } = await setup();
    for (const [method, url] of [
      ['POST', `${ORG}/orders/`],
      ['PATCH', `${ORG}/orders/${gala}/`],
      ['PUT', `${ORG}/orders/${gala}/`],
      ['DELETE', `${ORG}/orders/${gala}/`],
      ['POST', `${ORG}/orderpositions/`],
      ['PATCH', `${ORG}/orderpositions/${inGala.positionIds[0]}/`],
      ['DELETE', `${ORG}/orderpositions/${inGala.positionIds[0]}/`],
    ] as const) {
      const res = await call(method, url);
      expect(res.statusCode, `${method} ${url}`).toBe(405);
      expect(res.json()).toEqual({ detail: `Method "${method}" not allowed.` });
    }
    const anonymous = await app.inject({ method: 'DELETE', url: `${ORG}/orders/${gala}/` });
    expect(anonymous.statusCode).toBe(401);
    expect((await call('GET', `${ORG}/orders/${gala}/`)).statusCode).toBe(200);
  });
});
