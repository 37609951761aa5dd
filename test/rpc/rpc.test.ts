import { describe, expect, it } from 'vitest';
import { createOrderFromBody } from '../support/orders';
import { registerDeskRoutes, serverOrigins } from '../../main/rpc/http';
import {
  fixtureEvent,
  fixtureItem,
  fixtureQuestion,
  fixtureQuota,
  fixtureVariation,
} from '../fixtures/catalog';
import { openTill, testEngine } from '../helpers';
import { browserDeskRpc, completeDeskSale, deskTicket, sellingDesk } from '../support/desk-rpc';
import { apiServers } from '../support/api';

function setup() {
  const { engine, clock, organizerId } = testEngine();
  const rpc = browserDeskRpc(engine);
  openTill(engine);
  return { engine, clock, organizerId, rpc };
}

const servers = apiServers();

describe('desk RPC dispatcher', () => {
  it('refuses unknown methods and bad input with the engine error shape, changing nothing', async () => {
    const { rpc } = setup();
    expect(await rpc.call('nope', {})).toMatchObject({ error: { code: 'unknown_method', status: 404 } });
    expect(await rpc.call('toString', {})).toMatchObject({ error: { code: 'unknown_method' } });
    const bad = await rpc.call('tokens.create', { name: '', scope: 'root' });
    expect(bad).toMatchObject({ error: { code: 'invalid_input', status: 400 } });
    expect('error' in bad && Object.keys(bad.error.body as object).sort()).toEqual(['name', 'scope']);
    expect(await rpc.call('tokens.list', {})).toEqual({ result: [] });
  });

  it('words bad input in plain sentences, never in zod’s terms', async () => {
    const { rpc } = setup();
    const message = async (method: string, input: unknown) => {
      const reply = await rpc.call(method, input);
      return 'error' in reply ? reply.error.message : 'accepted';
    };
    expect(await message('tokens.create', { name: '', scope: 'all' })).toBe(
      'Name: This field may not be blank.',
    );
    expect(await message('till.signIn', { cashierId: 1, pin: '123456789' })).toBe('A PIN has 4 to 8 digits.');
    expect(await message('devices.create', { name: 'x'.repeat(191) })).toBe(
      'Name: Ensure this field has no more than 190 characters.',
    );
    expect(await message('orders.search', { query: '', limit: 500 })).toBe(
      'Limit: Ensure this value is less than or equal to 100.',
    );
  });

  it('creates a token shown once, lists it without the secret and revokes it', async () => {
    const { rpc, engine } = setup();
    const created = await rpc.call('tokens.create', { name: 'scanner', scope: 'checkin' });
    if (!('result' in created)) throw new Error('expected a result');
    const { token, info } = created.result as { token: string; info: { id: number } };
    expect(token.length).toBeGreaterThan(20);
    const list = await rpc.call('tokens.list', {});
    expect(JSON.stringify(list)).not.toContain(token);
    const revoked = await rpc.call('tokens.revoke', { id: info.id });
    expect(revoked).toMatchObject({ result: { id: info.id, revokedAt: expect.any(String) } });
    const actions = engine.db.prepare('SELECT action_type FROM audit_log ORDER BY id').all();
    expect(actions).toContainEqual({ action_type: 'pretix.team.token.created' });
    expect(actions).toContainEqual({ action_type: 'pretix.team.token.deleted' });
  });

  it('stores settings over the defaults, rejects unknown keys, and reports them in app.info', async () => {
    const { rpc } = setup();
    expect(await rpc.call('settings.update', { locale: 'fr' })).toMatchObject({ error: { status: 400 } });
    expect(await rpc.call('settings.update', { colour: 'red' })).toMatchObject({ error: { status: 400 } });
    const updated = await rpc.call('settings.update', {
      locale: 'de',
      printer: { name: 'Star', paper: '80mm' },
    });
    expect(updated).toMatchObject({
      result: { locale: 'de', printer: { name: 'Star' }, api: { port: 8787 } },
    });
    const info = await rpc.call('app.info', {});
    expect(info).toMatchObject({ result: { mode: 'browser', settings: { locale: 'de' } } });
    expect('result' in info && info.result).toHaveProperty('methods');
  });

  it('shows tiles with price and availability from quotas and carts', async () => {
    const { rpc, engine, organizerId, clock } = setup();
    const eventId = fixtureEvent(engine, organizerId);
    const adult = fixtureItem(engine, eventId, { name: 'Adult', price: '20.00' });
    const shirt = fixtureItem(engine, eventId, { name: 'Shirt', price: '15.00' });
    const small = fixtureVariation(engine, shirt, 'S', '12.00');
    fixtureItem(engine, eventId, { name: 'Unquoted' });
    const quota = fixtureQuota(engine, eventId, 3, { items: [adult] });
    fixtureQuota(engine, eventId, null, { variations: [small] });
    const hold = (expires: string) =>
      engine.db
        .prepare(
          `INSERT INTO cart_positions (event_id, cart_id, item_id, price, datetime, expires) VALUES (?, 'c', ?, '20.00', ?, ?)`,
        )
        .run(eventId, adult, clock.now().toISOString(), expires);
    hold(new Date(clock.now().getTime() + 60_000).toISOString());
    hold(new Date(clock.now().getTime() - 60_000).toISOString());
    engine.db.prepare('UPDATE quotas SET paid_count = 1 WHERE id = ?').run(quota);
    const tiles = await rpc.call('sales.tiles', { eventId, subeventId: null });
    if (!('result' in tiles)) throw new Error(JSON.stringify(tiles));
    const byName = Object.fromEntries(tiles.result.map((t) => [t.name, t]));
    expect(byName.Adult).toMatchObject({ price: '20.00', free: 1, availability: 'low' });
    expect(byName['Shirt – S']).toMatchObject({ price: '12.00', free: null, availability: 'unlimited' });
    expect(byName.Unquoted).toMatchObject({ availability: 'no_quota' });
    engine.db.prepare('UPDATE quotas SET paid_count = 2 WHERE id = ?').run(quota);
    const after = await rpc.call('sales.tiles', { eventId, subeventId: null });
    expect('result' in after && after.result.find((t) => t.name === 'Adult')).toMatchObject({
      free: 0,
      availability: 'sold_out',
    });
  });

  it('finds an order by code, attendee name, email and exact ticket secret', async () => {
    const { rpc, engine, organizerId } = setup();
    const eventId = fixtureEvent(engine, organizerId);
    const item = fixtureItem(engine, eventId, { name: 'Adult' });
    const orderId = Number(
      engine.db
        .prepare(
          `INSERT INTO orders (organizer_id, event_id, code, status, email, secret, datetime, expires, total, last_modified)
           VALUES (?, ?, 'ABC12', 'p', 'ada@example.org', 's', '2026-03-01T10:00:00Z', '2026-03-15T10:00:00Z', '20.00', '2026-03-01T10:00:00Z')`,
        )
        .run(organizerId, eventId).lastInsertRowid,
    );
    engine.db
      .prepare(
        `INSERT INTO order_positions (order_id, organizer_id, positionid, item_id, price, secret, web_secret, pseudonymization_id, attendee_name_cached)
         VALUES (?, ?, 1, ?, '20.00', 'sekret0123456789', 'w', 'PSEUDO1', 'Ada Lovelace')`,
      )
      .run(orderId, organizerId, item);
    for (const query of ['abc1', 'lovelace', 'ada@example', 'sekret0123456789']) {
      const found = await rpc.call('orders.search', { query, limit: 10 });
      expect(found, query).toMatchObject({ result: [{ code: 'ABC12', attendees: ['Ada Lovelace'] }] });
    }
    expect(await rpc.call('orders.search', { query: '%', limit: 10 })).toEqual({ result: [] });
    const detail = await rpc.call('orders.get', { code: 'abc12' });
    expect(detail).toMatchObject({
      result: {
        code: 'ABC12',
        positions: [{ item: 'Adult', secret: 'sekret0123456789' }],
        actions: ['reprint', 'change_name', 'cancel'],
      },
    });
    expect(await rpc.call('orders.get', { code: 'ZZZZZ' })).toMatchObject({ error: { status: 404 } });
  });
});

describe('desk RPC over HTTP', () => {
  async function serve() {
    const { rpc, engine } = setup();
    const app = await servers.start({
      engine,
      extend: (server) =>
        registerDeskRoutes(server, {
          rpc,
          sessionToken: 'start-token',
          rendererDir: null,
          origins: () => serverOrigins('127.0.0.1', 1),
        }),
    });
    return app;
  }

  it('answers the desk of this start and refuses calls without the token or from another origin', async () => {
    const server = await serve();
    const call = (headers: Record<string, string>) =>
      server.inject({
        method: 'POST',
        url: '/rpc/tokens.list',
        headers: { 'content-type': 'application/json', ...headers },
        payload: '{}',
      });
    expect((await call({ 'x-guichet-session': 'start-token', host: 'localhost:1' })).json()).toEqual({
      result: [],
    });
    expect((await call({})).statusCode).toBe(403);
    expect((await call({ 'x-guichet-session': 'start-tokeN' })).statusCode).toBe(403);
    expect(
      (await call({ 'x-guichet-session': 'start-token', host: 'localhost:1', origin: 'http://evil.example' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await call({ 'x-guichet-session': 'start-token', 'sec-fetch-site': 'cross-site' })).statusCode,
    ).toBe(403);
    expect(
      (await call({ 'x-guichet-session': 'start-token', host: 'localhost:1', origin: 'http://localhost:1' }))
        .statusCode,
    ).toBe(200);
  });

  it('sends refusals with their status and the engine body', async () => {
    const server = await serve();
    const res = await server.inject({
      method: 'POST',
      url: '/rpc/tokens.revoke',
      headers: {
        'content-type': 'application/json',
        'x-guichet-session': 'start-token',
        host: 'localhost:1',
      },
      payload: JSON.stringify({ id: 99 }),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not_found', body: { detail: 'Not found.' } } });
  });
});

/** A desk with its till open and an event selling Adult tickets at 20.00 from a quota of `quota`. */
const sellingAdults = (quota: number, event: Parameters<typeof fixtureEvent>[2] = {}) =>
  sellingDesk({ event, item: { name: 'Adult', price: '20.00' }, quota });

describe('desk sales', () => {
  const catalog = () => sellingAdults(2);

  it('sells for cash with change due, as a paid box-office order', async () => {
    const { rpc, engine, eventId, itemId, quotaId } = catalog();
    const sale = await completeDeskSale(rpc, {
      cartId: 'desk-1@api',
      eventId,
      positions: [deskTicket(itemId, 'Ada Lovelace')],
      payment: { method: 'cash', given: '50' },
    });
    expect(sale).toMatchObject({ result: { status: 'p', total: '20.00', change: '30.00' } });
    const pdf = Buffer.from(('result' in sale && sale.result.ticketPdf) || '', 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const payment = engine.db.prepare('SELECT provider, state, amount, info FROM order_payments').get() as {
      info: string;
    };
    expect(payment).toMatchObject({ provider: 'boxoffice', state: 'confirmed', amount: '20.00' });
    expect(JSON.parse(payment.info)).toEqual({ payment_type: 'cash', given: '50.00', change: '30.00' });
    expect(engine.db.prepare('SELECT paid_count FROM quotas WHERE id = ?').get(quotaId)).toEqual({
      paid_count: 1,
    });
    expect(engine.db.prepare('SELECT sales_channel FROM orders').get()).toEqual({
      sales_channel: 'pretixpos',
    });
    const stats = await rpc.call('dashboard.stats', { eventId: null, from: null, to: null });
    expect(stats).toMatchObject({
      result: {
        ticketsSold: 1,
        takings: '20.00',
        perItem: [{ item: 'Adult', count: 1, revenue: '20.00' }],
        byPaymentMethod: [{ method: 'cash', taken: '20.00', refunded: '0.00', net: '20.00' }],
      },
    });
  });

  it('refuses a short cash payment and an empty required question, selling nothing', async () => {
    const { rpc, engine, eventId, itemId } = catalog();
    const short = await completeDeskSale(rpc, {
      cartId: 'desk-2@api',
      eventId,
      positions: [deskTicket(itemId)],
      payment: { method: 'cash', given: '10' },
    });
    expect(short).toMatchObject({
      error: { status: 400, body: { given: [expect.stringContaining('less than')] } },
    });
    const question = fixtureQuestion(engine, eventId, { type: 'S', items: [itemId], required: true });
    const unanswered = await completeDeskSale(rpc, {
      cartId: 'desk-2@api',
      eventId,
      positions: [deskTicket(itemId)],
      payment: { method: 'card' },
    });
    expect(unanswered).toMatchObject({
      error: { status: 400, body: { positions: [{ answers: [expect.any(String)] }] } },
    });
    expect(engine.db.prepare('SELECT COUNT(*) AS n FROM orders').get()).toEqual({ n: 0 });
    const answered = await completeDeskSale(rpc, {
      cartId: 'desk-2@api',
      eventId,
      positions: [{ ...deskTicket(itemId), answers: [{ questionId: question.id, answer: 'vegetarian' }] }],
      payment: { method: 'card' },
    });
    expect(answered).toMatchObject({ result: { status: 'p', change: null } });
    expect(engine.db.prepare('SELECT answer FROM question_answers').get()).toEqual({ answer: 'vegetarian' });
  });

  it('quick-sells one anonymous cash ticket of the pinned item, and not beyond the quota', async () => {
    const { rpc, eventId, itemId } = catalog();
    const quick = (saleId: string) => rpc.call('sale.quickSell', { saleId, eventId, subeventId: null });
    expect(await quick('quick-0001')).toMatchObject({ error: { code: 'no_quick_sell' } });
    await rpc.call('settings.update', {
      quickSell: { eventId, subeventId: null, itemId, variationId: null, name: 'Adult' },
    });
    expect(await quick('quick-0001')).toMatchObject({
      result: { status: 'p', change: '0.00', lines: [{ name: 'Adult', price: '20.00' }] },
    });
    expect(await quick('quick-0002')).toMatchObject({ result: { status: 'p' } });
    const third = await quick('quick-0003');
    expect(third).toMatchObject({ error: { status: 400 } });
    const tiles = await rpc.call('sales.tiles', { eventId, subeventId: null });
    expect(tiles).toMatchObject({ result: [{ availability: 'sold_out', free: 0 }] });
  });
});

describe('desk carts', () => {
  it('reserves quota while the buyer decides, frees it on expiry, and a sale consumes the cart', async () => {
    const { rpc, clock, eventId, itemId } = sellingAdults(2, { settings: { reservation_time: 10 } });
    const cartId = 'desk-00112233aabb@api';
    const added = await rpc.call('cart.add', {
      cartId,
      eventId,
      subeventId: null,
      itemId,
      variationId: null,
      count: 2,
    });
    expect(added).toMatchObject({
      result: { total: '40.00', lines: [{ name: 'Adult' }, { name: 'Adult' }] },
    });
    expect(await rpc.call('sales.tiles', { eventId, subeventId: null })).toMatchObject({
      result: [{ availability: 'sold_out' }],
    });
    const other = await rpc.call('cart.add', {
      cartId: 'desk-99@api'.replace('99', '9988776655'),
      eventId,
      subeventId: null,
      itemId,
      variationId: null,
      count: 1,
    });
    expect(other).toMatchObject({ error: { status: 400 } });
    clock.advanceMinutes(11);
    expect(await rpc.call('sales.tiles', { eventId, subeventId: null })).toMatchObject({
      result: [{ availability: 'ok', free: 2 }],
    });
    clock.advanceMinutes(-11);
    const lines = 'result' in added ? added.result.lines : [];
    const removed = await rpc.call('cart.remove', { cartId, lineId: lines[1]!.id });
    expect(removed).toMatchObject({ result: { total: '20.00' } });
    const sale = await completeDeskSale(rpc, {
      cartId,
      eventId,
      positions: [deskTicket(itemId, 'Ada')],
      payment: { method: 'card' },
    });
    expect(sale).toMatchObject({ result: { status: 'p' } });
    expect(await rpc.call('cart.get', { cartId })).toMatchObject({ result: { lines: [] } });
    expect(await rpc.call('sales.tiles', { eventId, subeventId: null })).toMatchObject({
      result: [{ free: 1 }],
    });
  });
});

describe('desk approvals and refunds', () => {
  function withOrders() {
    const env = sellingAdults(10);
    const { engine, eventId, itemId } = env;
    const awaiting = (email: string) =>
      engine.command((ctx) =>
        createOrderFromBody(ctx, {
          eventId,
          body: { email, require_approval: true, positions: [{ item: itemId }] },
        }),
      ).order.code;
    return { ...env, awaiting };
  }

  it('lists orders awaiting approval oldest first; approve and deny take them off the queue', async () => {
    const { rpc, awaiting, clock } = withOrders();
    const first = awaiting('first@example.org');
    clock.advanceMinutes(5);
    const second = awaiting('second@example.org');
    expect(await rpc.call('approvals.list', {})).toMatchObject({
      result: [{ code: first, lines: [{ item: 'Adult', count: 1 }] }, { code: second }],
    });
    expect(await rpc.call('approvals.approve', { code: first, comment: 'regular' })).toMatchObject({
      result: { status: 'n', requireApproval: false },
    });
    expect(await rpc.call('approvals.deny', { code: second, comment: 'sold to staff' })).toMatchObject({
      result: { status: 'c' },
    });
    expect(await rpc.call('approvals.list', {})).toEqual({ result: [] });
    expect(await rpc.call('approvals.approve', { code: second, comment: '' })).toMatchObject({
      error: { status: 400 },
    });
  });

  it('refunds one of two positions in cash: the order stays paid, the position is canceled, its quota freed', async () => {
    const { rpc, engine, eventId, itemId, quotaId } = withOrders();
    const sale = await completeDeskSale(rpc, {
      cartId: 'desk-aa@api',
      eventId,
      positions: [deskTicket(itemId, 'Ada'), deskTicket(itemId, 'Alan')],
      payment: { method: 'cash', given: '40' },
    });
    if (!('result' in sale)) throw new Error(JSON.stringify(sale));
    const order = await rpc.call('orders.get', { code: sale.result.orderCode });
    if (!('result' in order)) throw new Error('no order');
    const alan = order.result.positions.find((p) => p.attendeeName === 'Alan')!;
    const refunded = await rpc.call('refunds.create', {
      code: sale.result.orderCode,
      paymentId: order.result.payments[0]!.id,
      positionIds: [alan.id],
      amount: null,
      method: 'cash',
      markRefunded: true,
    });
    expect(refunded).toMatchObject({
      result: {
        status: 'p',
        refunds: [{ state: 'done', amount: '20.00', provider: 'boxoffice' }],
        positions: [
          { attendeeName: 'Ada', canceled: false },
          { attendeeName: 'Alan', canceled: true },
        ],
      },
    });
    expect(engine.db.prepare('SELECT paid_count FROM quotas WHERE id = ?').get(quotaId)).toEqual({
      paid_count: 1,
    });
    const rest = await rpc.call('refunds.create', {
      code: sale.result.orderCode,
      paymentId: null,
      positionIds: [order.result.positions.find((p) => p.attendeeName === 'Ada')!.id],
      amount: null,
      method: 'card',
      markRefunded: true,
    });
    expect(rest).toMatchObject({
      result: { status: 'c', refunds: [{ method: 'cash' }, { method: 'card', amount: '20.00' }] },
    });
    expect(engine.db.prepare('SELECT paid_count FROM quotas WHERE id = ?').get(quotaId)).toEqual({
      paid_count: 0,
    });
  });
});
