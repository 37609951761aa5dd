import { afterEach, describe, expect, it } from 'vitest';
import { deskEvents, salesTiles } from '../../main/engine/catalog';
import { orderDetail, searchOrders } from '../../main/engine/orders';
import { importedEventId, listOutbox, localIdOf, prepareConnection } from '../../main/engine/sync';
import { sellAtDesk } from '../../main/sync/desk-sale';
import { fixtureItem, fixtureQuestion, fixtureTaxRule, fixtureVariation } from '../fixtures/catalog';
import type { Engine } from '../../main/engine/engine';
import { connectedDesk, startHub } from './hub';

type Hub = Awaited<ReturnType<typeof startHub>>;
let hub: Hub | undefined;
afterEach(async () => {
  await hub?.app.close();
  hub = undefined;
});

/** A hub whose event has a tax rule, a second item with variations, an add-on, a question and a check-in list. */
async function richHub() {
  const h = await startHub(100);
  const e = h.engine;
  const tax = fixtureTaxRule(e, h.eventId, '7.00');
  const category = Number(
    e.db
      .prepare('INSERT INTO categories (event_id, name, is_addon) VALUES (?, \'{"en":"Extras"}\', 1)')
      .run(h.eventId).lastInsertRowid,
  );
  const shirt = fixtureItem(e, h.eventId, {
    name: 'Shirt',
    price: '15.00',
    taxRuleId: tax,
    categoryId: category,
  });
  const small = fixtureVariation(e, shirt, 'S');
  const large = fixtureVariation(e, shirt, 'L', '17.00');
  e.db
    .prepare('INSERT INTO quota_variations (quota_id, variation_id) VALUES (?, ?), (?, ?)')
    .run(h.quota, small, h.quota, large);
  e.db.prepare('INSERT INTO quota_items (quota_id, item_id) VALUES (?, ?)').run(h.quota, shirt);
  e.db
    .prepare('INSERT INTO item_addons (base_item_id, addon_category_id, max_count) VALUES (?, ?, 2)')
    .run(h.item, category);
  const question = fixtureQuestion(e, h.eventId, { type: 'C', items: [h.item], options: ['Veggie', 'Meat'] });
  e.db
    .prepare("INSERT INTO checkin_lists (event_id, name, all_products) VALUES (?, 'Main door', 0)")
    .run(h.eventId);
  return { ...h, tax, category, shirt, small, large, question };
}

const count = (desk: Engine, table: string) =>
  (desk.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

async function api(h: Hub, method: string, path: string, body?: unknown) {
  const res = await fetch(`${h.eventUrl}${path}`, {
    method,
    headers: { authorization: `Token ${h.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: res.status,
    body: res.status === 204 ? null : ((await res.json()) as Record<string, unknown>),
  };
}

describe('the server’s catalog becomes the desk’s own', () => {
  it('imports the event, items, variations, add-ons, taxes, quotas, questions and check-in lists with local ids', async () => {
    const h = await richHub();
    hub = h;
    const { desk, client } = await connectedDesk(h);

    const eventId = importedEventId(desk.db, 'box-office', 'gala')!;
    expect(deskEvents(desk.db, 'en').map((e) => e.slug)).toEqual(['gala']);
    const shirt = localIdOf(desk.db, 'item', h.shirt)!;
    const ticket = localIdOf(desk.db, 'item', h.item)!;
    const row = desk.db.prepare('SELECT * FROM items WHERE id = ?').get(shirt) as Record<string, unknown>;
    expect(row).toMatchObject({
      event_id: eventId,
      default_price: '15.00',
      category_id: localIdOf(desk.db, 'category', h.category),
      tax_rule_id: localIdOf(desk.db, 'tax_rule', h.tax),
    });
    expect(JSON.parse(row.name as string)).toEqual({ en: 'Shirt' });
    expect(desk.db.prepare('SELECT rate FROM tax_rules WHERE id = ?').get(row.tax_rule_id)).toEqual({
      rate: '7.00',
    });
    expect(
      desk.db.prepare('SELECT default_price FROM item_variations WHERE item_id = ? ORDER BY id').all(shirt),
    ).toEqual([{ default_price: null }, { default_price: '17.00' }]);
    expect(
      desk.db
        .prepare('SELECT addon_category_id, max_count FROM item_addons WHERE base_item_id = ?')
        .all(ticket),
    ).toEqual([{ addon_category_id: localIdOf(desk.db, 'category', h.category), max_count: 2 }]);
    const localQuota = localIdOf(desk.db, 'quota', h.quota)!;
    expect(
      desk.db.prepare('SELECT item_id FROM quota_items WHERE quota_id = ? ORDER BY item_id').all(localQuota),
    ).toEqual([{ item_id: ticket }, { item_id: shirt }]);
    const question = localIdOf(desk.db, 'question', h.question.id)!;
    expect(desk.db.prepare('SELECT item_id FROM question_items WHERE question_id = ?').all(question)).toEqual(
      [{ item_id: ticket }],
    );
    expect(count(desk, 'question_options')).toBe(2);
    expect(desk.db.prepare('SELECT name, all_products FROM checkin_lists').all()).toEqual([
      { name: 'Main door', all_products: 0 },
    ]);

    // The desk sells only what it holds on the server: nothing before an allotment, then the allotment.
    const tile = () =>
      salesTiles(desk.db, { eventId, subeventId: null }, new Date(), 'en').find((t) => t.itemId === ticket)!;
    expect(tile()).toMatchObject({ name: 'Ticket', price: '23.00', free: 0 });
    await client.setAllotment(h.quota, 10);
    expect(tile().free).toBe(10);
    sellAtDesk(desk, { lines: [{ item: h.item, count: 2 }], paymentType: 'cash' });
    expect(tile().free).toBe(8);
  });

  it('a second import updates in place; an item the server deleted stays for the orders that name it, inactive', async () => {
    const h = await richHub();
    hub = h;
    const { desk, client } = await connectedDesk(h);
    await client.setAllotment(h.quota, 10);
    const tables = [
      'events',
      'items',
      'item_variations',
      'item_addons',
      'quotas',
      'questions',
      'question_options',
      'checkin_lists',
      'tax_rules',
      'categories',
    ];
    const before = Object.fromEntries(tables.map((t) => [t, count(desk, t)]));
    const shirt = localIdOf(desk.db, 'item', h.shirt)!;

    // The desk sells a shirt while the server is out of reach; meanwhile the server renames the ticket
    // and deletes the shirt, which no order of its own names yet.
    const sale = sellAtDesk(desk, {
      lines: [{ item: h.shirt, variation: h.large, count: 1 }],
      paymentType: 'card',
    });
    expect(
      (await api(h, 'PATCH', `items/${h.item}/`, { name: { en: 'Entry' }, default_price: '25.00' })).status,
    ).toBe(200);
    expect((await api(h, 'DELETE', `items/${h.shirt}/`)).status).toBe(204);
    await client.pull();

    expect(Object.fromEntries(tables.map((t) => [t, count(desk, t)]))).toEqual(before);
    const ticket = desk.db
      .prepare('SELECT name, default_price, active FROM items WHERE id = ?')
      .get(localIdOf(desk.db, 'item', h.item));
    expect(ticket).toEqual({ name: JSON.stringify({ en: 'Entry' }), default_price: '25.00', active: 1 });
    expect(desk.db.prepare('SELECT active FROM items WHERE id = ?').get(shirt)).toEqual({ active: 0 });
    const eventId = importedEventId(desk.db, 'box-office', 'gala')!;
    expect(salesTiles(desk.db, { eventId, subeventId: null }, new Date(), 'en').map((t) => t.name)).toEqual([
      'Entry',
    ]);
    // The desk's order of the deleted shirt is still whole at the desk...
    const detail = orderDetail(desk.db, sale.code, 'en');
    expect(detail.positions.map((p) => p.item)).toEqual([expect.stringContaining('Shirt')]);
    expect(searchOrders(desk.db, sale.code, 5, 'en').map((o) => o.code)).toEqual([sale.code]);
    // ...and its upload stops with the server's reason for a manager, not dropped.
    await client.flush();
    const [refused] = listOutbox(desk.db, 'refused');
    expect(refused).toMatchObject({ order_code: sale.code });
    expect(refused!.reason).toMatch(/object does not exist|not exist|deleted/i);
  });

  it('a desk that leaves the event for another keeps its copy with its orders, holding nothing of it', async () => {
    const h = await richHub();
    hub = h;
    const { desk, client } = await connectedDesk(h);
    await client.setAllotment(h.quota, 4);
    const sale = sellAtDesk(desk, { lines: [{ item: h.item, count: 1 }], paymentType: 'cash' });
    await client.flush();
    await client.setAllotment(h.quota, 0);
    const eventId = importedEventId(desk.db, 'box-office', 'gala')!;
    desk.command((ctx) =>
      prepareConnection(ctx, { baseUrl: h.baseUrl, organizer: 'box-office', event: 'matinee' }),
    );
    expect(importedEventId(desk.db, 'box-office', 'gala')).toBeUndefined();
    expect(localIdOf(desk.db, 'item', h.item)).toBeUndefined();
    expect(salesTiles(desk.db, { eventId, subeventId: null }, new Date(), 'en')).toMatchObject([
      { name: 'Ticket', free: 0 },
    ]);
    expect(searchOrders(desk.db, sale.code, 5, 'en').map((o) => o.code)).toEqual([sale.code]);
  });
});
