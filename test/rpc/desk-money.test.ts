import { describe, expect, it } from 'vitest';
import type { RpcInput, RpcOutput } from '../../shared/contract';
import { fixtureEvent, fixtureItem, fixtureQuota } from '../fixtures/catalog';
import { sellingDesk } from '../support/desk-rpc';

function setup() {
  const { engine, clock, organizerId, rpc, eventId, itemId } = sellingDesk({
    event: { slug: 'jazz' },
    item: { name: 'Adult', price: '35.00' },
    quota: 50,
  });
  const ok = async <M extends Parameters<typeof rpc.call>[0] & keyof RpcOutputMap>(
    method: M,
    input: unknown,
  ): Promise<RpcOutputMap[M]> => {
    const reply = await rpc.call(method, input);
    if (!('result' in reply)) throw new Error(`${method}: ${JSON.stringify(reply)}`);
    return reply.result as RpcOutputMap[M];
  };
  const count = (sql: string) => (engine.db.prepare(sql).get() as { n: number }).n;
  return { engine, clock, organizerId, rpc, eventId, itemId, ok, count };
}
type RpcOutputMap = {
  'sale.complete': RpcOutput<'sale.complete'>;
  'sale.quickSell': RpcOutput<'sale.quickSell'>;
  'orders.get': RpcOutput<'orders.get'>;
  'refunds.create': RpcOutput<'refunds.create'>;
  'orders.markPaid': RpcOutput<'orders.markPaid'>;
  'cart.add': RpcOutput<'cart.add'>;
};

const sale = (
  eventId: number,
  itemId: number,
  over: Partial<RpcInput<'sale.complete'>> = {},
): RpcInput<'sale.complete'> => ({
  cartId: 'desk-00aa11bb@api',
  eventId,
  subeventId: null,
  positions: [{ itemId, variationId: null, attendeeName: null, answers: [] }],
  email: null,
  payment: { method: 'cash', given: '50' },
  ...over,
});

describe('one sale is one order', () => {
  it('completing the same sale twice, at once or later, returns the same order and books nothing twice', async () => {
    const { rpc, eventId, itemId, count, ok } = setup();
    await ok('cart.add', {
      cartId: 'desk-00aa11bb@api',
      eventId,
      subeventId: null,
      itemId,
      variationId: null,
      count: 1,
    });
    const input = sale(eventId, itemId);
    const [first, second] = await Promise.all([
      rpc.call('sale.complete', input),
      rpc.call('sale.complete', input),
    ]);
    const third = await rpc.call('sale.complete', { ...input, payment: { method: 'card' } });
    expect(first).toMatchObject({ result: { status: 'p', total: '35.00', change: '15.00' } });
    const code = 'result' in first ? first.result.orderCode : '';
    expect(second).toMatchObject({ result: { orderCode: code, change: '15.00' } });
    expect(third).toMatchObject({ result: { orderCode: code, change: '15.00' } });
    expect(count('SELECT COUNT(*) AS n FROM orders')).toBe(1);
    expect(count('SELECT COUNT(*) AS n FROM order_payments')).toBe(1);
    expect(count('SELECT COUNT(*) AS n FROM cart_positions')).toBe(0);
  });

  it('a refused completion records no sale id, so the corrected one goes through', async () => {
    const { rpc, eventId, itemId, count } = setup();
    const short = await rpc.call(
      'sale.complete',
      sale(eventId, itemId, { payment: { method: 'cash', given: '10' } }),
    );
    expect(short).toMatchObject({ error: { code: 'short_payment' } });
    expect(count('SELECT COUNT(*) AS n FROM desk_sales')).toBe(0);
    expect(await rpc.call('sale.complete', sale(eventId, itemId))).toMatchObject({ result: { status: 'p' } });
    expect(count('SELECT COUNT(*) AS n FROM orders')).toBe(1);
  });

  it('quick sell is idempotent on its sale id and sells only the pinned item of the event on screen', async () => {
    const { rpc, engine, organizerId, eventId, itemId, count, ok } = setup();
    const other = fixtureEvent(engine, organizerId, { slug: 'summer' });
    const otherItem = fixtureItem(engine, other, { name: 'Lawn', price: '12.00' });
    fixtureQuota(engine, other, 10, { items: [otherItem] });
    await rpc.call('settings.update', {
      quickSell: { eventId: other, subeventId: null, itemId: otherItem, variationId: null, name: 'Lawn' },
    });
    const onJazz = await rpc.call('sale.quickSell', { saleId: 'quick-aaaa0001', eventId, subeventId: null });
    expect(onJazz).toMatchObject({
      error: { code: 'no_quick_sell', message: expect.stringContaining('Pin') },
    });
    expect(count('SELECT COUNT(*) AS n FROM orders')).toBe(0);
    await rpc.call('settings.update', {
      quickSell: { eventId, subeventId: null, itemId, variationId: null, name: 'Adult' },
    });
    const input = { saleId: 'quick-aaaa0002', eventId, subeventId: null };
    const [a, b] = await Promise.all([ok('sale.quickSell', input), ok('sale.quickSell', input)]);
    expect(a).toMatchObject({ lines: [{ name: 'Adult', price: '35.00' }], total: '35.00' });
    expect(b.orderCode).toBe(a.orderCode);
    expect(count('SELECT COUNT(*) AS n FROM orders')).toBe(1);
  });
});

describe('desk refunds', () => {
  it('never refund more than a payment or the order holds; the money goes back by the chosen method', async () => {
    const { rpc, eventId, itemId, ok } = setup();
    const { orderCode } = await ok('sale.complete', sale(eventId, itemId, { payment: { method: 'card' } }));
    const order = await ok('orders.get', { code: orderCode });
    expect(order).toMatchObject({ refundable: '35.00', payments: [{ method: 'card', refundable: '35.00' }] });
    const refund = (amount: string, paymentId: number | null) =>
      rpc.call('refunds.create', {
        code: orderCode,
        paymentId,
        positionIds: [],
        amount,
        method: 'card',
        markRefunded: true,
      });
    const paymentId = order.payments[0]!.id;
    expect(await refund('20', paymentId)).toMatchObject({ result: { refundable: '15.00' } });
    expect(await refund('100', paymentId)).toMatchObject({
      error: { code: 'refund_exceeds_payment', message: expect.stringContaining('15.00') },
    });
    expect(await refund('15.01', null)).toMatchObject({ error: { code: 'refund_exceeds_order' } });
    const last = await ok('refunds.create', {
      code: orderCode,
      paymentId: null,
      positionIds: [],
      amount: '15',
      method: 'cash',
      markRefunded: true,
    });
    expect(last).toMatchObject({
      refundable: '0.00',
      refunds: [
        { method: 'card', amount: '20.00' },
        { method: 'cash', amount: '15.00' },
      ],
    });
    expect(await refund('0.01', null)).toMatchObject({ error: { code: 'refund_exceeds_order' } });
  });

  it('mark paid records how the customer paid', async () => {
    const { rpc, engine, eventId, itemId, ok } = setup();
    const { createOrderFromBody } = await import('../support/orders');
    const { order } = engine.command((ctx) =>
      createOrderFromBody(ctx, { eventId, body: { positions: [{ item: itemId }] } }),
    );
    const paid = await ok('orders.markPaid', { code: order.code, method: 'card' });
    expect(paid).toMatchObject({
      status: 'p',
      payments: [{ state: 'confirmed', method: 'card', provider: 'boxoffice' }],
    });
    expect(await rpc.call('orders.markPaid', { code: order.code })).toMatchObject({
      error: { code: 'invalid_input' },
    });
  });
});

describe('comps and discounts', () => {
  it('sells free or below the price with a reason, kept on the order and in the audit log; refuses negatives', async () => {
    const { rpc, engine, eventId, itemId, ok } = setup();
    const noReason = await rpc.call('sale.complete', sale(eventId, itemId, { payment: { method: 'free' } }));
    expect(noReason).toMatchObject({ error: { code: 'reason_required' } });
    const comp = await ok(
      'sale.complete',
      sale(eventId, itemId, { payment: { method: 'free' }, priceReason: 'guest list' }),
    );
    expect(comp).toMatchObject({ status: 'p', total: '0.00', lines: [{ price: '0.00' }] });
    const discounted = await ok(
      'sale.complete',
      sale(eventId, itemId, {
        cartId: 'desk-00aa11cc@api',
        positions: [{ itemId, variationId: null, attendeeName: null, answers: [], price: '20' }],
        payment: { method: 'cash', given: '20' },
        priceReason: 'damaged seat',
      }),
    );
    expect(discounted).toMatchObject({ status: 'p', total: '20.00', change: '0.00' });
    const detail = await ok('orders.get', { code: discounted.orderCode });
    expect(detail.comment).toContain('damaged seat');
    const logged = engine.db
      .prepare(
        "SELECT data FROM audit_log WHERE action_type = 'guichet.desk.order.price_reduced' ORDER BY id",
      )
      .all() as { data: string }[];
    expect(logged.map((l) => JSON.parse(l.data).reason)).toEqual(['guest list', 'damaged seat']);
    for (const price of ['-10', '40']) {
      const refused = await rpc.call(
        'sale.complete',
        sale(eventId, itemId, {
          cartId: 'desk-00aa11dd@api',
          positions: [{ itemId, variationId: null, attendeeName: null, answers: [], price }],
          priceReason: 'x',
        }),
      );
      expect(refused).toMatchObject({ error: { status: 400 } });
    }
    const negative = fixtureItem(engine, eventId, { name: 'Odd', price: '-10.00' });
    fixtureQuota(engine, eventId, 5, { items: [negative] });
    const refusedNegative = await rpc.call(
      'sale.complete',
      sale(eventId, negative, { cartId: 'desk-00aa11ee@api' }),
    );
    expect(refusedNegative).toMatchObject({ error: { code: 'negative_price' } });
    expect((engine.db.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n).toBe(2);
  });
});

describe('one availability for every door', () => {
  it('a tile counts quota-blocking vouchers as the engine does, so it never offers what a sale is refused', async () => {
    const { rpc, engine, organizerId } = setup();
    const { createVoucher } = await import('../fixtures/catalog-wire');
    const eventId = fixtureEvent(engine, organizerId, { slug: 'small' });
    const itemId = fixtureItem(engine, eventId, { name: 'Seat', price: '10.00' });
    fixtureQuota(engine, eventId, 2, { items: [itemId] });
    engine.command((ctx) =>
      createVoucher(ctx, eventId, { code: 'BLOCKED1', item: itemId, block_quota: true, max_usages: 1 }),
    );
    const tiles = await rpc.call('sales.tiles', { eventId, subeventId: null });
    expect(tiles).toMatchObject({ result: [{ free: 1, availability: 'low' }] });
    const setupView = await rpc.call('setup.event', { eventId });
    expect(setupView).toMatchObject({ result: { quotas: [{ free: 1, reserved: 1 }] } });
    const two = await rpc.call('cart.add', {
      cartId: 'desk-00bb0001@api',
      eventId,
      subeventId: null,
      itemId,
      variationId: null,
      count: 2,
    });
    expect(two).toMatchObject({ error: { status: 400 } });
    const one = await rpc.call('cart.add', {
      cartId: 'desk-00bb0001@api',
      eventId,
      subeventId: null,
      itemId,
      variationId: null,
      count: 1,
    });
    expect(one).toMatchObject({ result: { lines: [{ itemId }] } });
    expect(await rpc.call('sales.tiles', { eventId, subeventId: null })).toMatchObject({
      result: [{ free: 0, availability: 'sold_out' }],
    });
  });
});

describe('takings on the dashboard', () => {
  it('are net of refunds, per method in words, per event and per chosen range; per-item rows add up', async () => {
    const { rpc, engine, organizerId, clock, eventId, itemId, ok } = setup();
    const other = fixtureEvent(engine, organizerId, { slug: 'summer' });
    const lawn = fixtureItem(engine, other, { name: 'Lawn', price: '12.00' });
    fixtureQuota(engine, other, 10, { items: [lawn] });
    const cash = await ok('sale.complete', sale(eventId, itemId));
    await ok('sale.complete', {
      ...sale(other, lawn, { cartId: 'desk-00cc0001@api' }),
      payment: { method: 'card' },
    });
    clock.advanceMinutes(24 * 60);
    await ok('refunds.create', {
      code: cash.orderCode,
      paymentId: null,
      positionIds: [],
      amount: '10',
      method: 'cash',
      markRefunded: true,
    });
    const day1 = clock.now().toISOString().slice(0, 10);
    const day0 = new Date(clock.now().getTime() - 86_400_000).toISOString().slice(0, 10);
    const both = await rpc.call('dashboard.stats', { eventId: null, from: day0, to: day1 });
    expect(both).toMatchObject({
      result: {
        takings: '37.00',
        byPaymentMethod: [
          { method: 'cash', taken: '35.00', refunded: '10.00', net: '25.00' },
          { method: 'card', net: '12.00' },
        ],
        byEvent: [
          { eventId, net: '25.00' },
          { eventId: other, net: '12.00' },
        ],
      },
    });
    const rows = 'result' in both ? both.result.perItem.map((r) => Number(r.revenue)) : [];
    expect(rows.reduce((x, y) => x + y, 0)).toBeCloseTo(37);
    expect(await rpc.call('dashboard.stats', { eventId, from: day1, to: day1 })).toMatchObject({
      result: { takings: '-10.00', byPaymentMethod: [{ method: 'cash', net: '-10.00' }] },
    });
    expect(await rpc.call('dashboard.stats', { eventId: null, from: day1, to: day0 })).toMatchObject({
      error: { status: 400 },
    });
  });
});

describe('setup refuses negative money', () => {
  it('a negative item or variation price and a negative tax rate are refused at the desk, nothing saved', async () => {
    const { rpc, eventId, itemId, count } = setup();
    const items = count('SELECT COUNT(*) AS n FROM items');
    const item = await rpc.call('setup.create', {
      kind: 'item',
      eventId,
      parentId: null,
      fields: {
        name: { en: 'Odd' },
        price: '-10.00',
        taxRuleId: null,
        admission: true,
        requireApproval: false,
        active: true,
      },
    });
    expect(item).toMatchObject({ error: { code: 'negative_price' } });
    const variation = await rpc.call('setup.create', {
      kind: 'variation',
      eventId,
      parentId: itemId,
      fields: { value: { en: 'Back row' }, price: '-1', active: true, position: 0 },
    });
    expect(variation).toMatchObject({ error: { code: 'negative_price' } });
    const edit = await rpc.call('setup.update', {
      kind: 'item',
      eventId,
      parentId: null,
      id: itemId,
      fields: { price: '-0.01' },
    });
    expect(edit).toMatchObject({ error: { code: 'negative_price' } });
    const tax = await rpc.call('setup.create', {
      kind: 'tax_rule',
      eventId,
      parentId: null,
      fields: { name: { en: 'VAT' }, rate: '-19' },
    });
    expect(tax).toMatchObject({ error: { status: 400 } });
    expect(count('SELECT COUNT(*) AS n FROM items')).toBe(items);
    expect(count('SELECT COUNT(*) AS n FROM tax_rules')).toBe(0);
  });
});
