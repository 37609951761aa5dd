import type { Engine } from '../../main/engine/engine';
import * as fixtures from '../fixtures/catalog';

/**
 * Bodies of `POST …/orders/` drawn at random, good and bad, for tests that read many of them: every field
 * of the order, its positions, answers, fees and invoice address, each left out or given a value from a
 * list of accepted ones or (now and then) of refused ones, so that bodies read cleanly about half of
 * the time and otherwise fail in one or several places at once.
 */

/** The catalog the bodies name: an event with items, a variation, questions of several types, vouchers. */
export interface OrderBodyCatalog {
  eventId: number;
  item: number;
  inactive: number;
  withVariation: number;
  variation: number;
  otherItem: number;
  text: number;
  choice: number;
  options: number[];
  yesNo: number;
  number: number;
  date: number;
  taxRule: number;
  otherTaxRule: number;
}

export function orderBodyCatalog(engine: Engine, organizerId: number): OrderBodyCatalog {
  const eventId = fixtures.fixtureEvent(engine, organizerId, { slug: 'bodies' });
  const other = fixtures.fixtureEvent(engine, organizerId, { slug: 'other-bodies' });
  const item = fixtures.fixtureItem(engine, eventId, { price: '10.00' });
  const inactive = fixtures.fixtureItem(engine, eventId, { price: '10.00' });
  engine.db.prepare('UPDATE items SET active = 0 WHERE id = ?').run(inactive);
  const withVariation = fixtures.fixtureItem(engine, eventId, { price: '12.00' });
  const variation = fixtures.fixtureVariation(engine, withVariation, 'Balcony');
  const otherItem = fixtures.fixtureItem(engine, other, { price: '10.00' });
  fixtures.fixtureQuota(engine, eventId, 100, {
    items: [item, inactive, withVariation],
    variations: [variation],
  });
  const items = [item, withVariation];
  const choice = fixtures.fixtureQuestion(engine, eventId, { type: 'C', items, options: ['a', 'b'] });
  fixtures.fixtureVoucher(engine, eventId, 'GOODCODE', { max_usages: 5, redeemed: 0 });
  fixtures.fixtureVoucher(engine, eventId, 'EXPIREDX', {
    max_usages: 1,
    valid_until: '2020-01-01T00:00:00Z',
  });
  return {
    eventId,
    item,
    inactive,
    withVariation,
    variation,
    otherItem,
    text: fixtures.fixtureQuestion(engine, eventId, { type: 'S', items }).id,
    choice: choice.id,
    options: choice.options,
    yesNo: fixtures.fixtureQuestion(engine, eventId, { type: 'B', items }).id,
    number: fixtures.fixtureQuestion(engine, eventId, { type: 'N', items }).id,
    date: fixtures.fixtureQuestion(engine, eventId, { type: 'D', items }).id,
    taxRule: fixtures.fixtureTaxRule(engine, eventId),
    otherTaxRule: fixtures.fixtureTaxRule(engine, other),
  };
}

/** A small seeded generator (mulberry32), so that a failing body can be found again by its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A field's accepted values and refused ones. */
type Values = [good: unknown[], bad: unknown[]];

const MISSING = Symbol('missing');

export function orderBodies(catalog: OrderBodyCatalog, count: number, seed = 1): unknown[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const c = catalog;
  const flag: Values = [
    [true, false, 'true', 'False', 1, 0, 'yes'],
    [null, 'maybe', 2, [], {}],
  ];
  const optionalFlag: Values = [
    [true, false, null, 'on', 'f'],
    ['maybe', 7, {}],
  ];
  const text = (max?: number): Values => [
    ['Ann', '', null, '  padded  ', 42, 'Zoë Ødegård'],
    [true, [], {}, ...(max ? ['x'.repeat(max + 1)] : [])],
  ];
  const dateTime: Values = [
    [null, '2030-01-01T10:00:00Z', '2030-01-01T10:00', '2030-01-01T10:00:00.123+02:00'],
    ['yesterday', 5, '2030-13-01T10:00:00Z', true],
  ];

  const answerValues = (): Values => [
    [
      { question: c.text, answer: 'Acme' },
      { question: String(c.text), answer: 'Acme', options: [] },
      { question: c.choice, answer: 'a', options: [c.options[0]] },
      { question: c.choice, answer: 'x', options: [String(c.options[1])] },
      { question: c.yesNo, answer: 'True' },
      { question: c.number, answer: '1.5' },
      { question: c.date, answer: '2030-01-02' },
    ],
    [
      { question: 999999, answer: 'a' },
      { question: 'abc', answer: 'a' },
      { question: c.text },
      { question: c.text, answer: null },
      { question: c.choice, answer: '', options: [999999] },
      { question: c.choice, answer: '', options: 'x' },
      { question: c.choice, answer: '', options: [null] },
      { question: c.number, answer: 'many' },
      { question: c.date, answer: '2030-02-30' },
      { question: c.yesNo, answer: 'perhaps' },
      'not an answer',
      null,
    ],
  ];

  const positionFields: Record<string, Values> = {
    item: [
      [c.item, String(c.item), c.withVariation],
      [c.inactive, c.otherItem, 999999, 'x', null, 1.5, true],
    ],
    variation: [[], [c.variation, 999999, 'x', [], null]],
    subevent: [[null], [5, 'x']],
    price: [
      ['10.00', 10.5, '0', ' 7.25 ', null],
      ['1.234', 'x', '99999999999999', true, []],
    ],
    attendee_name: text(),
    attendee_name_parts: [
      [
        { full_name: 'Ann' },
        {},
        null,
        '',
        [],
        { given_name: 'A', family_name: 'B', _scheme: 'given_family' },
      ],
      ['x', [1], 5],
    ],
    attendee_email: [
      ['a@b.cd', null],
      ['not-an-address', 5, true, ''],
    ],
    company: text(255),
    street: text(),
    zipcode: text(30),
    city: text(255),
    country: [
      ['de', 'DE', 'US', null, ''],
      ['XX', 5, []],
    ],
    state: [
      [null, ''],
      ['XX', 'CA', []],
    ],
    is_bundled: optionalFlag,
    secret: [
      ['abcdefghijk12345', 'q'.repeat(32)],
      [null, '', 'x'.repeat(300), []],
    ],
    addon_to: [[null], [1, 'x', 2.5]],
    voucher: [
      [null, 'GOODCODE'],
      ['EXPIREDX', 'NOPE', 5, 'goodcode'],
    ],
    seat: [
      [null, ''],
      ['S1', 3],
    ],
    valid_from: dateTime,
    valid_until: dateTime,
  };

  const invoiceAddress: Values = [
    [
      null,
      { name: 'Ann', country: 'DE', street: 'Street 1' },
      { name_parts: { full_name: 'Ann' }, is_business: true, company: 'Acme', vat_id: 'DE1' },
      { country: 'us', state: 'CA', city: 'Sacramento', custom_field: null },
      {},
    ],
    [
      { name: 'Ann', name_parts: { full_name: 'Bob' } },
      { name_parts: 'Ann' },
      { country: 'XX' },
      { country: 'US', state: 'XX' },
      { zipcode: 'z'.repeat(31), is_business: 'maybe' },
      'an address',
      [],
    ],
  ];

  const fee = (): Values => [
    [
      { fee_type: 'service', value: '1.50' },
      { fee_type: 'payment', value: 2, tax_rule: c.taxRule, description: 'Card' },
      { fee_type: 'shipping', value: '0.00', _treat_value_as_percentage: true, internal_type: null },
    ],
    [
      { fee_type: 'nonsense', value: '1.00' },
      { fee_type: 'service', value: 'x' },
      { fee_type: 'service' },
      { fee_type: 'service', value: '1.00', tax_rule: c.otherTaxRule },
      { fee_type: 'service', value: '1.00', tax_rule: 999999 },
      { fee_type: 'service', value: '1.00', description: 'd'.repeat(191) },
      'a fee',
    ],
  ];

  const orderFields: Record<string, Values> = {
    code: [
      ['ABCDE', 'QWERT12345'],
      ['abcde', 'AB', 'ABCDEIIIII', 'A'.repeat(17), 12345, null],
    ],
    status: [
      ['n', 'p'],
      ['x', null, 1],
    ],
    sales_channel: [
      ['web', 'pretixpos', 'resellers'],
      ['nope', null, 5],
    ],
    testmode: flag,
    email: [
      ['buyer@example.org', null],
      ['not-an-email', 5, ''],
    ],
    phone: [
      ['+49 (30) 123-45', null, '', 12345],
      ['call me', true],
    ],
    locale: [
      ['en', 'de', null],
      ['l'.repeat(40), [], ''],
    ],
    comment: [
      ['', 'Window seat please'],
      [null, [], {}],
    ],
    custom_followup_at: [
      ['2030-01-31', null],
      ['2030-02-30', 'soon', 5],
    ],
    checkin_attention: flag,
    checkin_text: text(),
    valid_if_pending: flag,
    require_approval: flag,
    force: flag,
    simulate: flag,
    send_email: optionalFlag,
    payment_provider: [
      ['manual', 'free', null],
      ['nonexistent', 5, ''],
    ],
    payment_info: [[{ card: 'visa' }, null, 'text', 5], []],
    payment_date: dateTime,
    expires: [
      [null, '2099-01-01T00:00:00Z'],
      ['2000-01-01T00:00:00Z', 'bad'],
    ],
    api_meta: [
      [{ source: 'test' }, null],
      [[1], 'x', 5],
    ],
    customer: [[null], ['C1', 5]],
    consume_carts: [
      [['cart-a', 7], null, []],
      ['x', 5, {}],
    ],
    invoice_address: invoiceAddress,
  };

  /** A value for a field: usually left out, else good, or bad with probability `bad`. */
  const value = ([good, bad]: Values, badShare: number, leaveOut = 0.6): unknown => {
    if (next() < leaveOut) return MISSING;
    if (bad.length > 0 && next() < badShare) return pick(bad);
    return good.length > 0 ? pick(good) : MISSING;
  };

  const fill = (fields: Record<string, Values>, bad: number, target: Record<string, unknown>) => {
    for (const [name, values] of Object.entries(fields)) {
      const v = value(values, bad);
      if (v !== MISSING) target[name] = v;
    }
    return target;
  };

  const bodies: unknown[] = [];
  for (let n = 0; n < count; n++) {
    // Half of the bodies use only accepted values; the others refuse a field now and then.
    const bad = next() < 0.5 ? 0 : 0.08;
    const body = fill(orderFields, bad, {});
    const positionCount = next() < bad ? 0 : 1 + Math.floor(next() * 4);
    const numbered = next() < 0.15;
    const positions = Array.from({ length: positionCount }, (_, i) => {
      const position = fill(positionFields, bad, {});
      if (next() < 0.9 && !('item' in position)) position.item = c.item;
      if (position.item === c.withVariation && !('variation' in position)) position.variation = c.variation;
      if (position.country === 'US' && next() < 0.5) position.state = 'CA';
      if (position.attendee_name && position.attendee_name_parts && next() > bad)
        delete position.attendee_name;
      if (numbered) position.positionid = next() > bad ? i + 1 : pick([0, 'x', null, i + 3]);
      const answers = value(answerValues(), bad, 0.4);
      if (answers !== MISSING) {
        position.answers =
          next() < bad
            ? pick([null, 'x', {}])
            : [answers, ...(next() < 0.3 ? [value(answerValues(), bad, 0)] : [])];
      }
      return position;
    });
    const positionsMissing = next() < bad / 2;
    if (!positionsMissing) body.positions = next() < bad / 2 ? pick([null, 'x', {}]) : positions;
    if (next() < 0.3) {
      body.fees =
        next() < bad
          ? pick([null, 'x', {}])
          : Array.from({ length: 1 + Math.floor(next() * 2) }, () => value(fee(), bad, 0));
    }
    bodies.push(next() < bad / 4 ? pick([null, 'body', [], 5]) : body);
  }
  return bodies;
}
