import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fixtureEvent, fixtureItem, fixtureQuestion, fixtureQuota } from '../../fixtures/catalog';
import { testEngine } from '../../helpers';
import { fixtureOrder } from '../../engine/checkin/fixtures';
import { apiServers } from '../../support/api';
import { tempDirs } from '../../fixtures/temp-dirs';
import { apiDatetime } from '../../../main/api/resources/order';
import { Engine } from '../../../main/engine/engine';
import { ensureDefaultOrganizer } from '../../../main/engine/organizers/organizers';

/**
 * The order and position lists read a page's rows table by table; these answers, over orders with
 * add-ons, answers, fees, payments, refunds, check-ins, invoice addresses and canceled positions, must
 * stay byte for byte what they were before (list-rendering.expected.json), and agree with each order's
 * and position's own resource.
 */

const servers = apiServers();
const tempDir = tempDirs('list-counts');
const EXPECTED = new URL('./list-rendering.expected.json', import.meta.url);
const ORG = '/api/v1/organizers/box-office';
const EVENT = `${ORG}/events/gala`;

async function setup() {
  const { engine, clock, organizerId } = testEngine('2026-06-01T18:00:00Z');
  const gala = fixtureEvent(engine, organizerId, {
    slug: 'gala',
    settings: { ticketoutput_pdf__enabled: true },
  });
  engine.db
    .prepare(`UPDATE events SET plugins = '["pretix.plugins.ticketoutputpdf"]' WHERE id = ?`)
    .run(gala);
  const other = fixtureEvent(engine, organizerId, { slug: 'other' });
  const ticket = fixtureItem(engine, gala, { name: 'Ticket' });
  const parking = fixtureItem(engine, gala, { name: 'Parking' });
  const otherTicket = fixtureItem(engine, other, { name: 'Other ticket' });
  fixtureQuota(engine, gala, 100, { items: [ticket, parking] });
  const diet = fixtureQuestion(engine, gala, {
    type: 'C',
    items: [ticket],
    options: ['Vegan', 'None'],
    identifier: 'DIET',
  });
  const shirt = fixtureQuestion(engine, gala, { type: 'S', items: [ticket], identifier: 'SHIRT' });
  const list = Number(
    engine.db.prepare("INSERT INTO checkin_lists (event_id, name) VALUES (?, 'Door')").run(gala)
      .lastInsertRowid,
  );
  const gate = Number(
    engine.db.prepare("INSERT INTO gates (organizer_id, name) VALUES (?, 'North')").run(organizerId)
      .lastInsertRowid,
  );
  const run = (sql: string, ...values: unknown[]) => engine.db.prepare(sql).run(...values);
  for (let i = 0; i < 7; i++) {
    const { orderId, positionIds } = fixtureOrder(engine, organizerId, gala, {
      status: (['p', 'n', 'p', 'c', 'p', 'e', 'p'] as const)[i],
      email: `buyer${i}@example.org`,
      checkinAttention: i === 2,
      checkinText: i === 2 ? 'Wheelchair' : null,
      positions: [
        { itemId: ticket, secret: `sec${i}a`, attendeeName: `Guest ${i}` },
        { itemId: parking, secret: `sec${i}b`, addonTo: 0, attendeeName: null },
        ...(i % 2 === 0
          ? [{ itemId: ticket, secret: `sec${i}c`, canceled: i === 4, validFrom: '2030-06-01T17:00:00.000Z' }]
          : []),
        ...(i === 6 ? [{ itemId: ticket, secret: `sec${i}d`, blocked: ['admin'] }] : []),
      ],
    });
    run(
      'UPDATE orders SET api_meta = ?, comment = ?, phone = ?, last_modified = ? WHERE id = ?',
      JSON.stringify(i === 1 ? { source: 'web', n: i } : {}),
      i === 3 ? 'Called to cancel' : '',
      i === 5 ? '+4930123456' : null,
      `2026-02-0${1 + (i % 3)}T10:00:00.${i}00Z`,
      orderId,
    );
    if (i % 2 === 1)
      run(
        `INSERT INTO invoice_addresses (order_id, last_modified, is_business, company, name_cached, name_parts,
           street, zipcode, city, country, vat_id, vat_id_validated)
         VALUES (?, '2026-02-01T10:00:00.000Z', ?, ?, ?, ?, 'Main St 1', '10115', 'Berlin', 'DE', ?, ?)`,
        orderId,
        i === 3 ? 1 : 0,
        i === 3 ? 'ACME' : '',
        `Buyer ${i}`,
        JSON.stringify({ _scheme: 'full', full_name: `Buyer ${i}` }),
        i === 3 ? 'DE123' : '',
        i === 3 ? 1 : 0,
      );
    if (i !== 1) {
      run(
        `INSERT INTO order_payments (order_id, local_id, state, amount, created, payment_date, provider, info)
         VALUES (?, 1, ?, '23.00', '2026-02-01T10:00:00.000Z', ?, 'boxoffice', ?)`,
        orderId,
        i === 3 ? 'refunded' : 'confirmed',
        i === 5 ? null : '2026-02-01T10:05:00.000Z',
        JSON.stringify({ payment_type: i % 3 === 0 ? 'cash' : 'card' }),
      );
    }
    if (i === 0)
      run(
        `INSERT INTO order_payments (order_id, local_id, state, amount, created, provider)
         VALUES (?, 2, 'created', '5.00', '2026-02-02T10:00:00.000Z', 'manual')`,
        orderId,
      );
    if (i === 3) {
      const payment = engine.db.prepare('SELECT id FROM order_payments WHERE order_id = ?').get(orderId) as {
        id: number;
      };
      run(
        `INSERT INTO order_refunds (order_id, local_id, state, source, amount, payment_id, created, execution_date, provider, comment)
         VALUES (?, 1, 'done', 'admin', '23.00', ?, '2026-02-03T10:00:00.000Z', '2026-02-03T10:00:00.000Z', 'boxoffice', 'At the desk')`,
        orderId,
        payment.id,
      );
      run(
        `INSERT INTO order_refunds (order_id, local_id, state, source, amount, created, provider)
         VALUES (?, 2, 'created', 'buyer', '1.00', '2026-02-04T10:00:00.000Z', 'manual')`,
        orderId,
      );
    }
    if (i % 3 === 0) {
      run(
        `INSERT INTO order_fees (order_id, fee_type, value, description, internal_type, tax_rate, tax_value, canceled)
         VALUES (?, 'service', '1.50', 'Service', 'booking', '19.00', '0.24', 0)`,
        orderId,
      );
      run(
        `INSERT INTO order_fees (order_id, fee_type, value, canceled) VALUES (?, 'shipping', '3.00', 1)`,
        orderId,
      );
    }
    if (i !== 3) {
      run(
        'INSERT INTO question_answers (orderposition_id, question_id, answer, options) VALUES (?, ?, ?, ?)',
        positionIds[0],
        diet.id,
        'Vegan, None',
        JSON.stringify(i === 0 ? [diet.options[0], diet.options[1]] : [diet.options[0]]),
      );
      run(
        'INSERT INTO question_answers (orderposition_id, question_id, answer) VALUES (?, ?, ?)',
        positionIds[0],
        shirt.id,
        `Size ${i}`,
      );
    }
    if (i % 2 === 0) {
      for (const [n, type, successful] of [
        [0, 'entry', 1],
        [1, 'exit', 1],
        [2, 'entry', 0],
        [3, 'entry', 1],
      ] as const) {
        run(
          `INSERT INTO checkins (list_id, position_id, type, datetime, created, gate_id, auto_checked_in, successful)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          list,
          positionIds[n === 3 ? 1 : 0],
          type,
          `2026-06-01T19:0${n}:00.${n === 1 ? '123' : '000'}Z`,
          '2026-06-01T19:00:00.000Z',
          n === 0 ? gate : null,
          n === 3 ? 1 : 0,
          successful,
        );
      }
    }
  }
  fixtureOrder(engine, organizerId, other, { positions: [{ itemId: otherTicket, secret: 'othersec' }] });
  fixtureOrder(engine, organizerId, gala, {
    email: 'desk@example.org',
    positions: [
      { itemId: ticket, secret: 'desk1' },
      { itemId: ticket, secret: 'desk2', attendeeName: 'Zoe' },
    ],
  });
  clock.set('2026-06-02T09:00:00Z');
  const { app, admin } = await servers.startAsAdmin(engine, organizerId);
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { ...admin, host: 'desk.local' } });
  return { get };
}

/** List pages in the shapes pretix clients ask for. */
const LIST_URLS = [
  `${EVENT}/orders/`,
  `${EVENT}/orders/?page_size=3&page=2`,
  `${EVENT}/orders/?include_canceled_positions=true&include_canceled_fees=true`,
  `${EVENT}/orders/?pdf_data=true`,
  `${EVENT}/orders/?modified_since=2026-02-02T10:00:00Z&ordering=-last_modified`,
  `${EVENT}/orders/?include=code&include=positions.answers&include=invoice_address.company`,
  `${EVENT}/orders/?exclude=positions.checkins&exclude=payments&exclude=fees`,
  `${EVENT}/orders/?status=p&ordering=code`,
  `${ORG}/orders/`,
  `${ORG}/orders/?page_size=4&page=last`,
  `${EVENT}/orderpositions/`,
  `${EVENT}/orderpositions/?include_canceled_positions=true&pdf_data=true`,
  `${EVENT}/orderpositions/?has_checkin=true&ordering=-attendee_name`,
  `${ORG}/orderpositions/?page_size=5&page=2`,
];

describe('order and position list pages', () => {
  it('answer byte for byte as before', async () => {
    const { get } = await setup();
    const answers: Record<string, string> = {};
    for (const url of LIST_URLS) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      answers[url] = res.body;
    }
    if (process.env.WRITE_LIST_EXPECTED === '1')
      writeFileSync(EXPECTED, `${JSON.stringify(answers, null, 1)}\n`);
    const expected = JSON.parse(readFileSync(EXPECTED, 'utf8')) as Record<string, string>;
    expect(Object.keys(expected)).toEqual(LIST_URLS);
    for (const url of LIST_URLS) expect(answers[url], url).toBe(expected[url]);
  });

  it('show each order and position as its own resource does', async () => {
    const { get } = await setup();
    for (const query of [
      '',
      '?include_canceled_positions=true&include_canceled_fees=true',
      '?pdf_data=true',
    ]) {
      const page = (await get(`${EVENT}/orders/${query}`)).json() as { results: { code: string }[] };
      expect(page.results.length).toBe(8);
      for (const order of page.results) {
        const own = await get(`${EVENT}/orders/${order.code}/${query}`);
        expect(JSON.stringify(order), `${order.code}${query}`).toBe(own.body);
      }
    }
    const positions = (await get(`${EVENT}/orderpositions/?include_canceled_positions=true`)).json() as {
      results: { id: number }[];
    };
    expect(positions.results.length).toBe(21);
    for (const position of positions.results) {
      const own = await get(`${EVENT}/orderpositions/${position.id}/?include_canceled_positions=true`);
      expect(JSON.stringify(position)).toBe(own.body);
    }
  });
});

describe('list counts', () => {
  it('follow every change, from this connection or another', async () => {
    const dir = tempDir();
    const engine = Engine.open(join(dir, 'counts.sqlite'));
    const organizerId = engine.command((ctx) => ensureDefaultOrganizer(ctx)).id;
    const gala = fixtureEvent(engine, organizerId, { slug: 'gala' });
    const ticket = fixtureItem(engine, gala, { name: 'Ticket' });
    fixtureOrder(engine, organizerId, gala, { positions: [{ itemId: ticket }] });
    const { app, admin } = await servers.startAsAdmin(engine, organizerId);
    const count = async (url: string) =>
      ((await app.inject({ method: 'GET', url, headers: admin })).json() as { count: number }).count;
    const counts = async () => [
      await count(`${EVENT}/orders/`),
      await count(`${ORG}/orders/`),
      await count(`${EVENT}/orderpositions/`),
      await count(`${EVENT}/orders/?status=c`),
    ];
    try {
      expect(await counts()).toEqual([1, 1, 1, 0]);
      expect(await counts()).toEqual([1, 1, 1, 0]);
      fixtureOrder(engine, organizerId, gala, { positions: [{ itemId: ticket }, { itemId: ticket }] });
      expect(await counts()).toEqual([2, 2, 3, 0]);
      // Another connection (the order writer thread, another process) commits a change.
      const other = new Database(join(dir, 'counts.sqlite'));
      other.prepare("UPDATE orders SET status = 'c' WHERE id = (SELECT MIN(id) FROM orders)").run();
      other.close();
      expect(await counts()).toEqual([2, 2, 3, 1]);
      engine.db.prepare('DELETE FROM order_positions WHERE order_id = (SELECT MAX(id) FROM orders)').run();
      expect(await counts()).toEqual([2, 2, 1, 1]);
    } finally {
      await app.close();
      engine.close();
    }
  });
});

describe('API times', () => {
  it('read straight from the stored text are what a Date would write', () => {
    const viaDate = (value: string) => {
      const d = new Date(value);
      if (Number.isNaN(d.getTime())) return value;
      const iso = d.toISOString();
      return iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso.replace(/\.(\d{3})Z$/, '.$1000Z');
    };
    for (const value of [
      '2026-02-01T10:00:00.000Z',
      '2026-06-01T19:01:00.123Z',
      '0001-12-28T23:59:59.999Z',
      '2026-02-29T10:00:00.000Z',
      '2026-02-30T10:00:00.500Z',
      '2026-04-31T10:00:00.000Z',
      '2026-01-01T24:00:00.000Z',
      '2026-13-01T10:00:00.000Z',
      '2026-02-01T10:00:00Z',
      '2026-02-01T10:00:00+02:00',
      'not a time',
    ])
      expect(apiDatetime(value), value).toBe(viaDate(value));
    expect(apiDatetime('2026-02-01T10:00:00.000Z')).toBe('2026-02-01T10:00:00Z');
    expect(apiDatetime('2026-02-01T10:00:00.120Z')).toBe('2026-02-01T10:00:00.120000Z');
    expect(apiDatetime(null)).toBeNull();
  });
});
