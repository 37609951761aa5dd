import { hashToken } from '../../main/engine/auth/tokens';
import { describe, expect, it } from 'vitest';
import { createCheckinList } from '../../main/engine/checkin/index';
import { createOrderFromBody } from '../support/orders';
import { fixtureEvent, fixtureItem, fixtureQuota } from '../fixtures/catalog';
import { testEngine } from '../helpers';
import { browserDeskRpc } from '../support/desk-rpc';

function setup() {
  const { engine, clock, organizerId } = testEngine();
  const rpc = browserDeskRpc(engine);
  const eventId = fixtureEvent(engine, organizerId);
  const adult = fixtureItem(engine, eventId, { name: 'Adult', price: '20.00' });
  const shirt = fixtureItem(engine, eventId, { name: 'Shirt', price: '15.00' });
  fixtureQuota(engine, eventId, 10, { items: [adult, shirt] });
  const list = engine.command((ctx) =>
    createCheckinList(ctx, {
      eventId,
      data: { name: 'Entrance', allProducts: false, limitProducts: [adult] },
    }),
  );
  const order = (status: 'n' | 'p', item = adult, name = 'Ada Lovelace') =>
    engine.command((ctx) =>
      createOrderFromBody(ctx, {
        eventId,
        body: {
          email: 'ada@example.org',
          status,
          payment_provider: 'manual',
          positions: [{ item, attendee_name: name }],
        },
      }),
    ).order;
  const secretOf = (orderCode: string) =>
    (
      engine.db
        .prepare(
          'SELECT op.secret FROM order_positions op JOIN orders o ON o.id = op.order_id WHERE o.code = ?',
        )
        .get(orderCode) as { secret: string }
    ).secret;
  return { engine, clock, rpc, eventId, shirt, listId: list.id, order, secretOf };
}

async function result<T>(reply: Promise<unknown>): Promise<T> {
  const r = (await reply) as { result?: T; error?: unknown };
  if (!('result' in r)) throw new Error(`expected a result, got ${JSON.stringify(r)}`);
  return r.result as T;
}

describe('desk check-in methods', () => {
  it('lists the check-in lists with their event', async () => {
    const { rpc, eventId, listId } = setup();
    expect(await rpc.call('checkin.lists', {})).toMatchObject({
      result: [{ id: listId, name: 'Entrance', eventId, subeventId: null }],
    });
  });

  it('admits a paid ticket once, then answers already used with the first check-in, and counts it', async () => {
    const { rpc, eventId, listId, order, secretOf, clock } = setup();
    const secret = secretOf(order('p').code);
    expect(await rpc.call('checkin.status', { eventId, listId })).toEqual({
      result: { checkedIn: 0, expected: 1, inside: 0 },
    });
    const first = await result<{ status: string; ticket: { attendeeName: string } }>(
      rpc.call('checkin.redeem', { listId, secret }),
    );
    expect(first).toMatchObject({ status: 'ok', reason: null, ticket: { attendeeName: 'Ada Lovelace' } });
    const firstAt = clock.now().toISOString();
    clock.advanceMinutes(3);
    const again = await result<{ ticket: { checkins: { datetime: string }[] } }>(
      rpc.call('checkin.redeem', { listId, secret }),
    );
    expect(again).toMatchObject({ status: 'error', reason: 'already_redeemed' });
    expect(new Date(again.ticket.checkins[0]!.datetime).toISOString()).toBe(firstAt);
    expect(await rpc.call('checkin.status', { eventId, listId })).toMatchObject({
      result: { checkedIn: 1, expected: 1 },
    });
  });

  it('refuses unknown codes, unpaid orders and products the list does not admit', async () => {
    const { rpc, listId, order, secretOf, shirt } = setup();
    expect(await rpc.call('checkin.redeem', { listId, secret: 'no-such-secret' })).toMatchObject({
      result: { status: 'error', reason: 'invalid', ticket: null },
    });
    const unpaid = secretOf(order('n').code);
    expect(await rpc.call('checkin.redeem', { listId, secret: unpaid })).toMatchObject({
      result: { status: 'error', reason: 'unpaid' },
    });
    const shirtSecret = secretOf(order('p', shirt).code);
    expect(await rpc.call('checkin.redeem', { listId, secret: shirtSecret })).toMatchObject({
      result: { status: 'error', reason: 'product' },
    });
  });

  it('searches by name and order code, and rejects bad input and unknown lists', async () => {
    const { rpc, eventId, listId, order } = setup();
    const code = order('p', undefined, 'Grace Hopper').code;
    order('p', undefined, 'Alan Turing');
    const byName = await result<{ count: number; tickets: { orderCode: string }[] }>(
      rpc.call('checkin.search', { eventId, listId, query: 'grace' }),
    );
    expect(byName.tickets.map((t) => t.orderCode)).toEqual([code]);
    const byCode = await result<{ tickets: { attendeeName: string }[] }>(
      rpc.call('checkin.search', { eventId, listId, query: code }),
    );
    expect(byCode.tickets.map((t) => t.attendeeName)).toEqual(['Grace Hopper']);
    expect(await rpc.call('checkin.redeem', { listId, secret: '' })).toMatchObject({
      error: { status: 400 },
    });
    expect(await rpc.call('checkin.redeem', { listId: 9999, secret: 'x' })).toMatchObject({
      error: { status: 404 },
    });
    expect(await rpc.call('checkin.status', { eventId: eventId + 1, listId })).toMatchObject({
      error: { status: 404 },
    });
  });
});

describe('desk device methods', () => {
  it('creates a device with a pairing QR code of pretix setup JSON, lists it and revokes it', async () => {
    const { rpc, engine } = setup();
    expect(await rpc.call('devices.create', { name: ' ' })).toMatchObject({ error: { status: 400 } });
    const created = await result<{
      device: { id: number; name: string; revoked: boolean };
      pairing: { url: string; payload: string; qrSvg: string; reachable: boolean };
    }>(rpc.call('devices.create', { name: 'Main entrance' }));
    const payload = JSON.parse(created.pairing.payload) as {
      handshake_version: number;
      url: string;
      token: string;
    };
    const stored = engine.db
      .prepare('SELECT initialization_token FROM devices WHERE id = ?')
      .get(created.device.id) as { initialization_token: string };
    // Only the token's hash is stored.
    expect(payload).toEqual({ handshake_version: 1, url: created.pairing.url, token: expect.any(String) });
    expect(stored.initialization_token).toBe(hashToken(payload.token));
    // No API runs in this test, so the desk offers its loopback address and says no scanner reaches it.
    expect(created.pairing).toMatchObject({ url: 'http://127.0.0.1:8787', reachable: false });
    expect(created.pairing.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(await rpc.call('devices.list', {})).toMatchObject({
      result: [{ id: created.device.id, name: 'Main entrance', revoked: false, initialized: null }],
    });
    expect(JSON.stringify(await rpc.call('devices.list', {}))).not.toContain(payload.token);
    expect(await rpc.call('devices.revoke', { id: created.device.id })).toMatchObject({
      result: { id: created.device.id, revoked: true },
    });
    expect(await rpc.call('devices.revoke', { id: 9999 })).toMatchObject({ error: { status: 404 } });
  });
});
