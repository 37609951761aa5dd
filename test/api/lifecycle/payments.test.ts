import { describe, expect, it } from 'vitest';
import { createOrderFromBody } from '../../support/orders';
import { fixtureEvent, fixtureItem, fixtureQuota } from '../../fixtures/catalog';
import { testEngine } from '../../helpers';
import { apiServers, apiToken } from '../../support/api';

const servers = apiServers();

async function setup() {
  const { engine, organizerId } = testEngine('2026-06-01T10:00:00Z');
  const eventId = fixtureEvent(engine, organizerId, { slug: 'gala', settings: { name_scheme: 'full' } });
  const ticket = fixtureItem(engine, eventId, { name: 'Ticket', price: '23.00' });
  fixtureQuota(engine, eventId, 10, { items: [ticket] });
  const token = apiToken(engine, organizerId);
  const app = await servers.start({ engine });
  const server = app;
  const headers = { authorization: `Token ${token}` };
  const base = '/api/v1/organizers/box-office/events/gala';
  const order = (body: Record<string, unknown>) =>
    engine.command((ctx) =>
      createOrderFromBody(ctx, {
        eventId,
        body: {
          email: 'a@example.org',
          payment_provider: 'manual',
          positions: [{ item: ticket, price: '23.00' }],
          ...body,
        },
      }),
    ).order;
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    server.inject({
      method,
      url: `${base}${url}`,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  return { order, call };
}

describe('payments and refunds over the API', () => {
  it('a manual payment cannot be refunded automatically; a recorded external refund reopens the order', async () => {
    const { order, call } = await setup();
    const { code } = order({ status: 'p' });
    const refused = await call('POST', `/orders/${code}/payments/1/refund/`, { amount: '25.00' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toEqual({
      amount: ['Invalid refund amount, only 23.00 are available to refund.'],
    });
    const full = await call('POST', `/orders/${code}/payments/1/refund/`, {});
    expect(full.json()).toEqual({ amount: ['Full refund not available for this payment method.'] });

    const created = await call('POST', `/orders/${code}/refunds/`, {
      state: 'external',
      source: 'external',
      amount: '23.00',
      provider: 'manual',
      payment: 1,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      local_id: 1,
      state: 'external',
      payment: 1,
      execution_date: null,
    });
    const processed = await call('POST', `/orders/${code}/refunds/1/process/`, {});
    expect(processed.statusCode).toBe(200);
    expect(processed.json()).toMatchObject({ state: 'done', execution_date: '2026-06-01T10:00:00Z' });
    expect((await call('GET', `/orders/${code}/`)).json()).toMatchObject({ status: 'n' });
    expect((await call('GET', `/orders/${code}/payments/1/`)).json()).toMatchObject({
      state: 'refunded',
      payment_url: null,
    });
    const again = await call('POST', `/orders/${code}/refunds/1/process/`, {});
    expect(again.json()).toEqual({ detail: 'Invalid state of refund' });
  });

  it('payment create, confirm and unknown ids', async () => {
    const { order, call } = await setup();
    const { code } = order({});
    const list = await call('GET', `/orders/${code}/payments/`);
    expect(list.json()).toMatchObject({ count: 1, results: [{ local_id: 1, state: 'created' }] });
    expect(list.json().results[0].payment_url).toMatch(/\/order\/.+\/pay\/\d+\/$/);
    const missing = await call('POST', `/orders/${code}/payments/`, { amount: '1.00' });
    expect(missing.json()).toEqual({
      state: ['This field is required.'],
      provider: ['This field is required.'],
    });
    expect((await call('GET', `/orders/${code}/payments/9/`)).statusCode).toBe(404);
    const confirmed = await call('POST', `/orders/${code}/payments/1/confirm/`, {});
    expect(confirmed.json()).toMatchObject({ state: 'confirmed', payment_date: '2026-06-01T10:00:00Z' });
    expect((await call('GET', `/orders/${code}/`)).json()).toMatchObject({ status: 'p' });
    expect((await call('POST', `/orders/${code}/payments/1/confirm/`, {})).json()).toEqual({
      detail: 'Invalid state of payment',
    });
    const unknown = await call('POST', `/orders/${code}/refunds/`, {
      state: 'created',
      source: 'admin',
      amount: '1.00',
      provider: 'manual',
      payment: 7,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toEqual(['Unknown payment ID.']);
  });

  it('extend checks its date before the order; positions filter by order status and attendee', async () => {
    const { order, call } = await setup();
    expect((await call('POST', '/orders/ZZZZZ9/extend/', {})).json()).toEqual({
      detail: 'New date is missing.',
    });
    expect((await call('POST', '/orders/ZZZZZ9/extend/', { expires: '2026-07-01' })).statusCode).toBe(404);
    const a = order({});
    const b = order({ status: 'p' });
    await call('PATCH', `/orderpositions/${b.positions[0]!.id}/`, {
      attendee_name: 'Mia',
      tax_rate: '99.00',
    });
    const paid = await call('GET', '/orderpositions/?order__status=p');
    expect(paid.json()).toMatchObject({
      count: 1,
      results: [{ order: b.code, attendee_name: 'Mia', tax_rate: '0.00' }],
    });
    expect((await call('GET', '/orderpositions/?attendee_name=mia')).json().count).toBe(1);
    expect((await call('GET', `/orderpositions/?order=${a.code.toLowerCase()}`)).json().count).toBe(1);
    const bad = await call('GET', '/orderpositions/?order__status=x');
    expect(bad.statusCode).toBe(400);
  });
});
