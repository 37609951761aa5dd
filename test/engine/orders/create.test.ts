import { describe, expect, it } from 'vitest';
import { createOrderFromBody } from '../../support/orders';
import { loadOrder } from '../../../main/engine/orders/model';
import { httpStatusOf } from '../../../main/api/errors';
import { auditFor } from '../../../main/engine/log/audit';
import { ORDER_CODE_ALPHABET, TICKET_SECRET_ALPHABET } from '../../../main/engine/ids';
import { engineFailure, testEngine } from '../../helpers';
import {
  fixtureEvent,
  fixtureItem,
  fixtureQuestion,
  fixtureQuota,
  fixtureTaxRule,
  fixtureVariation,
} from '../../fixtures/catalog';

function setup(settings: Record<string, unknown> = { name_scheme: 'full' }) {
  const t = testEngine();
  const eventId = fixtureEvent(t.engine, t.organizerId, { settings });
  return { ...t, eventId };
}

/** An item at `price` under a new 19 % tax rule (included in its price or added on top), in a quota of 10. */
function taxedItem(
  engine: ReturnType<typeof testEngine>['engine'],
  eventId: number,
  price: string,
  tax: { taxIncluded: boolean },
) {
  const vat = fixtureTaxRule(engine, eventId, '19.00', tax.taxIncluded);
  const item = fixtureItem(engine, eventId, { price, taxRuleId: vat });
  fixtureQuota(engine, eventId, 10, { items: [item] });
  return { vat, item };
}

function create(engine: ReturnType<typeof testEngine>['engine'], eventId: number, body: unknown) {
  return engine.command((ctx) => createOrderFromBody(ctx, { eventId, body }));
}

describe('order creation', () => {
  it('computes included tax with half-up rounding, fee taxes and the total', () => {
    const { engine, eventId } = setup();
    const { vat, item } = taxedItem(engine, eventId, '23.00', { taxIncluded: true });
    const { order } = create(engine, eventId, {
      email: 'a@example.org',
      payment_provider: 'manual',
      fees: [{ fee_type: 'payment', value: '0.25', tax_rule: vat }],
      positions: [{ item, price: '23.00', attendee_name_parts: { full_name: 'Peter' } }],
    });
    expect(order.status).toBe('n');
    expect(order.total).toBe('23.25');
    expect(order.positions[0]).toMatchObject({
      price: '23.00',
      tax_rate: '19.00',
      tax_value: '3.67',
      tax_rule: vat,
    });
    expect(order.positions[0]!.attendee_name_cached).toBe('Peter');
    expect(order.positions[0]!.attendee_name_parts).toEqual({ full_name: 'Peter', _scheme: 'full' });
    expect(order.fees[0]).toMatchObject({ value: '0.25', tax_value: '0.04', tax_rate: '19.00' });
    expect(order.payments).toMatchObject([
      { local_id: 1, provider: 'manual', state: 'created', amount: '23.25' },
    ]);
    expect(order.code).toMatch(new RegExp(`^[${ORDER_CODE_ALPHABET}]{5}$`));
    expect(order.positions[0]!.secret).toMatch(new RegExp(`^[${TICKET_SECRET_ALPHABET}]{32}$`));
    expect(order.secret).toMatch(/^[a-z0-9]{16}$/);
  });

  it('adds excluded tax on top of an automatic price but takes a given price as gross', () => {
    const { engine, eventId } = setup();
    const { item } = taxedItem(engine, eventId, '100.00', { taxIncluded: false });
    const auto = create(engine, eventId, { positions: [{ item }] }).order;
    expect(auto.positions[0]).toMatchObject({ price: '119.00', tax_value: '19.00' });
    const given = create(engine, eventId, { positions: [{ item, price: '100.00' }] }).order;
    expect(given.positions[0]).toMatchObject({ price: '100.00', tax_value: '15.97' });
  });

  it('splits a negative fee like the products', () => {
    const { engine, eventId } = setup();
    const { vat, item } = taxedItem(engine, eventId, '23.00', { taxIncluded: true });
    const { order } = create(engine, eventId, {
      fees: [{ fee_type: 'payment', value: '-10.00', _split_taxes_like_products: true }],
      positions: [{ item, price: '23.00' }],
    });
    expect(order.total).toBe('13.00');
    expect(order.fees).toMatchObject([
      { value: '-10.00', tax_rate: '19.00', tax_value: '-1.60', tax_rule: vat },
    ]);
  });

  it('rejects every position beyond the quota and stores nothing', () => {
    const { engine, eventId } = setup();
    const item = fixtureItem(engine, eventId);
    const quota = fixtureQuota(engine, eventId, 2, { items: [item], name: 'Small' });
    create(engine, eventId, { positions: [{ item }] });
    const e = engineFailure(() => create(engine, eventId, { positions: [{ item }, { item }] }));
    expect(e.body).toEqual({
      positions: [
        {},
        { item: ['There is not enough quota available on quota "Small" to perform the operation.'] },
      ],
    });
    expect((engine.db.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n).toBe(1);
    expect(engine.db.prepare('SELECT pending_count FROM quotas WHERE id = ?').get(quota)).toEqual({
      pending_count: 1,
    });
    create(engine, eventId, { positions: [{ item }] });
    expect(engine.db.prepare('SELECT pending_count FROM quotas WHERE id = ?').get(quota)).toEqual({
      pending_count: 2,
    });
  });

  it('credits the quota held by consumed, unexpired carts and deletes them; expired carts give nothing', () => {
    const { engine, eventId, clock } = setup();
    const item = fixtureItem(engine, eventId);
    fixtureQuota(engine, eventId, 1, { items: [item] });
    const insertCart = engine.db.prepare(
      `INSERT INTO cart_positions (event_id, cart_id, item_id, price, datetime, expires) VALUES (?, ?, ?, '23.00', ?, ?)`,
    );
    insertCart.run(eventId, 'old@api', item, '2026-03-01T09:00:00.000Z', '2026-03-01T09:30:00.000Z');
    insertCart.run(eventId, 'mine@api', item, '2026-03-01T10:00:00.000Z', '2026-03-01T10:30:00.000Z');
    // Someone else's cart holds the only unit.
    expect(httpStatusOf(engineFailure(() => create(engine, eventId, { positions: [{ item }] })).kind)).toBe(
      400,
    );
    expect(
      httpStatusOf(
        engineFailure(() => create(engine, eventId, { consume_carts: ['old@api'], positions: [{ item }] }))
          .kind,
      ),
    ).toBe(400);
    create(engine, eventId, { consume_carts: ['mine@api'], positions: [{ item }] });
    const carts = engine.db.prepare('SELECT cart_id FROM cart_positions ORDER BY id').all();
    expect(carts).toEqual([{ cart_id: 'old@api' }]);
    clock.advanceMinutes(1);
  });

  it('counts voucher redemptions and refuses a used-up voucher', () => {
    const { engine, eventId } = setup();
    const item = fixtureItem(engine, eventId, { price: '23.00' });
    fixtureQuota(engine, eventId, 10, { items: [item] });
    const voucher = Number(
      engine.db
        .prepare(
          `INSERT INTO vouchers (event_id, code, max_usages, price_mode, value) VALUES (?, 'SAVE10', 2, 'subtract', '10.00')`,
        )
        .run(eventId).lastInsertRowid,
    );
    const { order } = create(engine, eventId, { positions: [{ item, voucher: 'SAVE10' }] });
    expect(order.positions[0]).toMatchObject({ price: '13.00', voucher });
    const e = engineFailure(() =>
      create(engine, eventId, {
        positions: [
          { item, voucher: 'SAVE10' },
          { item, voucher: 'SAVE10' },
        ],
      }),
    );
    expect(e.body).toEqual({
      positions: [{}, { voucher: ['The voucher has already been used the maximum number of times.'] }],
    });
    expect(engine.db.prepare('SELECT redeemed FROM vouchers WHERE id = ?').get(voucher)).toEqual({
      redeemed: 1,
    });
    expect(
      engineFailure(() => create(engine, eventId, { positions: [{ item, voucher: 'NOPE' }] })).body,
    ).toEqual({
      positions: [{ voucher: ['Object with code=NOPE does not exist.'] }],
    });
  });

  it('makes a free order paid with a confirmed free payment, unless it requires approval', () => {
    const { engine, eventId } = setup();
    const item = fixtureItem(engine, eventId, { price: '0.00' });
    fixtureQuota(engine, eventId, 10, { items: [item] });
    const free = create(engine, eventId, { payment_provider: 'manual', positions: [{ item }] });
    expect(free.order.status).toBe('p');
    expect(free.order.payments).toMatchObject([{ provider: 'free', state: 'confirmed', amount: '0.00' }]);
    expect(auditFor(engine.db, 'order', free.orderId).map((a) => a.action_type)).toEqual([
      'pretix.event.order.placed',
      'pretix.event.order.payment.confirmed',
      'pretix.event.order.paid',
    ]);
    const approval = create(engine, eventId, { require_approval: true, positions: [{ item }] });
    expect(approval.order).toMatchObject({ status: 'n', require_approval: true, total: '0.00' });
  });

  it('refuses the free provider for a paid total and a paid order without provider, rolling back', () => {
    const { engine, eventId } = setup();
    const item = fixtureItem(engine, eventId);
    fixtureQuota(engine, eventId, 10, { items: [item] });
    expect(
      engineFailure(() => create(engine, eventId, { payment_provider: 'free', positions: [{ item }] })).body,
    ).toEqual(['You cannot use the "free" payment provider for non-free orders.']);
    expect(engineFailure(() => create(engine, eventId, { status: 'p', positions: [{ item }] })).body).toEqual(
      ['You cannot create a paid order without a payment provider.'],
    );
    expect(
      engineFailure(() => create(engine, eventId, { payment_provider: 'foo', positions: [{ item }] })).body,
    ).toEqual({
      payment_provider: ['The given payment provider is not known.'],
    });
    expect((engine.db.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n).toBe(0);
  });

  it('stores answers by type and reports bad ones per position', () => {
    const { engine, eventId } = setup();
    const item = fixtureItem(engine, eventId);
    fixtureQuota(engine, eventId, 10, { items: [item] });
    const bool = fixtureQuestion(engine, eventId, { type: 'B', items: [item] });
    const choice = fixtureQuestion(engine, eventId, { type: 'M', items: [item], options: ['XL', 'L'] });
    const num = fixtureQuestion(engine, eventId, { type: 'N', items: [item] });
    const { order } = create(engine, eventId, {
      positions: [
        {
          item,
          answers: [
            { question: bool.id, answer: '1' },
            { question: choice.id, answer: 'XL', options: choice.options },
            { question: num.id, answer: '3.5' },
          ],
        },
      ],
    });
    expect(order.positions[0]!.answers.map((a) => a.answer)).toEqual(['True', 'XL, L', '3.5']);
    const e = engineFailure(() =>
      create(engine, eventId, {
        positions: [{ item }, { item, answers: [{ question: num.id, answer: 'abc' }] }],
      }),
    );
    expect(e.body).toEqual({
      positions: [{}, { answers: [{ non_field_errors: ['A valid number is required.'] }] }],
    });
  });

  it('checks variations and position ids with pretix messages', () => {
    const { engine, eventId } = setup();
    const shirt = fixtureItem(engine, eventId);
    const red = fixtureVariation(engine, shirt, 'Red');
    fixtureQuota(engine, eventId, 10, { variations: [red], items: [shirt] });
    expect(engineFailure(() => create(engine, eventId, { positions: [{ item: shirt }] })).body).toEqual({
      positions: [{ variation: ['You should specify a variation for this item.'] }],
    });
    expect(
      create(engine, eventId, { positions: [{ item: shirt, variation: red }] }).order.positions[0]!.variation,
    ).toBe(red);
    expect(
      engineFailure(() =>
        create(engine, eventId, {
          positions: [
            { item: shirt, variation: red },
            { item: shirt, variation: red, addon_to: 1 },
          ],
        }),
      ).body,
    ).toEqual({
      positions: [
        { positionid: ['If you set addon_to on any position, you need to specify position IDs manually.'] },
        { positionid: ['If you set addon_to on any position, you need to specify position IDs manually.'] },
      ],
    });
  });

  it('simulates without writing anything', () => {
    const { engine, eventId } = setup();
    const item = fixtureItem(engine, eventId);
    fixtureQuota(engine, eventId, 1, { items: [item] });
    const { orderId, order } = create(engine, eventId, { simulate: true, positions: [{ item }] });
    expect(orderId).toBe(0);
    expect(order).toMatchObject({ code: 'PREVIEW', datetime: null, payments: [] });
    expect(order.positions[0]).toMatchObject({ id: 0, pseudonymization_id: 'PREVIEW' });
    expect((engine.db.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n).toBe(0);
  });

  it('uses client codes and secrets once, and test-mode codes have 0 as second character', () => {
    const { engine, eventId } = setup();
    const item = fixtureItem(engine, eventId);
    fixtureQuota(engine, eventId, 10, { items: [item] });
    expect(
      create(engine, eventId, { code: 'ABCDE1', positions: [{ item, secret: 'mysecret123' }] }).order.code,
    ).toBe('ABCDE1');
    expect(
      engineFailure(() => create(engine, eventId, { code: 'ABCDE1', positions: [{ item }] })).body,
    ).toEqual({
      code: ['This order code is already in use.'],
    });
    expect(
      engineFailure(() => create(engine, eventId, { code: 'abcde', positions: [{ item }] })).body,
    ).toEqual({
      code: ['This order code contains invalid characters.'],
    });
    expect(
      engineFailure(() => create(engine, eventId, { positions: [{ item, secret: 'mysecret123' }] })).body,
    ).toEqual({
      positions: [{ secret: ['You cannot assign a position secret that already exists.'] }],
    });
    for (let i = 0; i < 5; i++) {
      expect(create(engine, eventId, { testmode: true, positions: [{ item }] }).order.code[1]).toBe('0');
    }
  });

  it('sets the expiry to the end of the payment term day in the event time zone, off weekends', () => {
    // 2026-03-01 is a Sunday; +14 days is Sunday 2026-03-15 -> Monday 2026-03-16 23:59:59 Berlin (UTC+1).
    const { engine, eventId } = setup({ timezone: 'Europe/Berlin' });
    const item = fixtureItem(engine, eventId);
    fixtureQuota(engine, eventId, 10, { items: [item] });
    expect(create(engine, eventId, { positions: [{ item }] }).order.expires).toBe('2026-03-16T22:59:59.000Z');
  });

  it('takes a percentage fee of the positions total, rounded half up', () => {
    const { engine, eventId } = setup();
    const item = fixtureItem(engine, eventId, { price: '23.00' });
    fixtureQuota(engine, eventId, 10, { items: [item] });
    const { order } = create(engine, eventId, {
      fees: [{ fee_type: 'service', value: '2.50', _treat_value_as_percentage: true }],
      positions: [{ item }, { item }, { item, price: '1.00' }],
    });
    // 2.5 % of 47.00 = 1.175 -> 1.18
    expect(order.fees).toMatchObject([{ fee_type: 'service', value: '1.18' }]);
    expect(order.total).toBe('48.18');
  });

  it('refuses a secret another event of the organizer already uses as a duplicate', () => {
    const { engine, eventId, organizerId } = setup();
    const other = fixtureEvent(engine, organizerId, { settings: { name_scheme: 'full' } });
    for (const ev of [eventId, other]) fixtureQuota(engine, ev, 10, { items: [fixtureItem(engine, ev)] });
    const itemOf = (ev: number) =>
      (engine.db.prepare('SELECT id FROM items WHERE event_id = ?').get(ev) as { id: number }).id;
    create(engine, other, { positions: [{ item: itemOf(other), secret: 'shared-secret-1' }] });
    expect(
      engineFailure(() =>
        create(engine, eventId, { positions: [{ item: itemOf(eventId), secret: 'shared-secret-1' }] }),
      ).body,
    ).toEqual(['Integrity error, possibly duplicate submission of same order.']);
  });
});

/**
 * Order creation answers with the order built from the rows it has just written, not read back: that
 * answer must be exactly what reading the order back gives.
 */
describe('the order an order creation answers with', () => {
  function richSetup() {
    const t = setup();
    const { eventId } = t;
    const vat = fixtureTaxRule(t.engine, eventId, '19.00', true);
    const ticket = fixtureItem(t.engine, eventId, { price: '23.00', taxRuleId: vat });
    const shirt = fixtureItem(t.engine, eventId, { price: '10.00', admission: false });
    const red = fixtureVariation(t.engine, shirt, 'Red');
    t.engine.db.prepare('UPDATE items SET generate_tickets = 0 WHERE id = ?').run(shirt);
    fixtureQuota(t.engine, eventId, 100, { items: [ticket, shirt], variations: [red] });
    const size = fixtureQuestion(t.engine, eventId, { type: 'M', items: [ticket], options: ['S', 'M', 'L'] });
    const text = fixtureQuestion(t.engine, eventId, { type: 'S', items: [ticket] });
    return { ...t, vat, ticket, shirt, red, size, text };
  }

  function createdAndStored(engine: ReturnType<typeof richSetup>['engine'], eventId: number, body: unknown) {
    return engine.command((ctx) => {
      const created = createOrderFromBody(ctx, { eventId, body });
      return { created: created.order, stored: loadOrder(ctx.db, created.orderId) };
    });
  }

  it('is the stored order: positions with add-ons, answers, fees, address, payment', () => {
    const { engine, eventId, vat, ticket, shirt, red, size, text } = richSetup();
    const { created, stored } = createdAndStored(engine, eventId, {
      status: 'p',
      payment_provider: 'boxoffice',
      payment_info: { payment_type: 'cash' },
      email: 'buyer@example.org',
      locale: 'de',
      comment: 'Front row',
      api_meta: { till: 3, tags: ['a', 'b'] },
      invoice_address: { name_parts: { full_name: 'Acme Buyer' }, company: 'Acme', city: 'Berlin' },
      fees: [{ fee_type: 'service', value: '1.50', tax_rule: vat }],
      positions: [
        { positionid: 1, item: ticket, secret: 'given-secret-1234567', attendee_email: 'a@example.org' },
        {
          positionid: 2,
          item: ticket,
          attendee_name: 'Zoë Ødegård',
          answers: [
            { question: size.id, answer: 'M, L', options: [size.options[2], size.options[1]] },
            { question: text.id, answer: 'Hello' },
          ],
        },
        { positionid: 3, item: shirt, variation: red, addon_to: 2, price: '10.00' },
      ],
    });
    expect(stored).toBeDefined();
    expect(created).toEqual(stored);
    expect(JSON.stringify(created)).toBe(JSON.stringify(stored));
    expect(created.positions.map((p) => p.positionid)).toEqual([1, 2, 3]);
    expect(created.positions[2]).toMatchObject({
      addon_to: created.positions[1]!.id,
      addon_to_positionid: 2,
    });
    expect(created.positions[2]!.item_generate_tickets).toBe(false);
    expect(created.payments).toHaveLength(1);
    expect(created.status).toBe('p');
  });

  it('is the stored order for a pending order without a payment and for a free order', () => {
    const { engine, eventId, ticket } = richSetup();
    const pending = createdAndStored(engine, eventId, { positions: [{ item: ticket }] });
    expect(pending.created.payments).toEqual([]);
    expect(pending.created).toEqual(pending.stored);
    const free = createdAndStored(engine, eventId, { positions: [{ item: ticket, price: '0.00' }] });
    expect(free.created).toMatchObject({ status: 'p', payments: [{ provider: 'free', state: 'confirmed' }] });
    expect(JSON.stringify(free.created)).toBe(JSON.stringify(free.stored));
  });
});
