import { describe, expect, it } from 'vitest';
import { createApiToken } from '../../../main/engine/auth/tokens';
import { purgeExpiredCarts } from '../../../main/engine/carts/carts';
import {
  fixtureEvent,
  fixtureItem,
  fixtureQuestion,
  fixtureQuota,
  fixtureVariation,
  fixtureVoucher,
} from '../../fixtures/catalog';
import { testEngine } from '../../helpers';
import { apiServers } from '../../support/api';

const servers = apiServers();

async function setup(quotaSize: number | null = 200) {
  const t = testEngine('2026-03-01T10:00:00Z');
  const token = t.engine.command((ctx) =>
    createApiToken(ctx, { organizerId: t.organizerId, name: 'all' }),
  ).token;
  const eventId = fixtureEvent(t.engine, t.organizerId, { slug: 'gala', settings: { name_scheme: 'full' } });
  const item = fixtureItem(t.engine, eventId, { name: 'Budget Ticket', price: '23.00' });
  const quota = fixtureQuota(t.engine, eventId, quotaSize, { items: [item], name: 'Budget Quota' });
  const org = (
    t.engine.db.prepare('SELECT slug FROM organizers WHERE id = ?').get(t.organizerId) as { slug: string }
  ).slug;
  const app = await servers.start({ engine: t.engine });
  const event = `/api/v1/organizers/${org}/events/gala`;
  const base = `${event}/cartpositions/`;
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({ method, url, payload: payload as object, headers: { authorization: `Token ${token}` } });
  const position = (extra: Record<string, unknown> = {}) => ({
    cart_id: 'aaa@api',
    item,
    variation: null,
    price: '23.00',
    attendee_name_parts: { full_name: 'Peter' },
    subevent: null,
    expires: '2026-03-01T11:00:00Z',
    answers: [],
    ...extra,
  });
  return { ...t, event, base, call, position, item, quota, eventId };
}

describe('cart positions API', () => {
  it('creates, lists, shows and deletes a position', async () => {
    const { base, call, position, item } = await setup();
    const created = await call('POST', base, position());
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      cart_id: 'aaa@api',
      item,
      price: '23.00',
      attendee_name: 'Peter',
      attendee_name_parts: { full_name: 'Peter' },
      expires: '2026-03-01T11:00:00Z',
      datetime: '2026-03-01T10:00:00Z',
      includes_tax: true,
      is_bundled: false,
      addons: [],
      bundled: [],
    });
    const id = created.json().id as number;
    const list = await call('GET', base);
    expect(list.json()).toMatchObject({ count: 1, next: null, previous: null, results: [{ id }] });
    expect((await call('GET', `${base}${id}/`)).json()).toMatchObject({ id, cart_id: 'aaa@api' });
    expect((await call('DELETE', `${base}${id}/`)).statusCode).toBe(204);
    expect((await call('GET', `${base}${id}/`)).statusCode).toBe(404);
    expect((await call('DELETE', `${base}${id}/`)).statusCode).toBe(404);
  });

  it('refuses at the exact quota boundary and frees the unit on delete', async () => {
    const { base, call, position } = await setup(2);
    expect((await call('POST', base, position())).statusCode).toBe(201);
    const second = await call('POST', base, position());
    expect(second.statusCode).toBe(201);
    const third = await call('POST', base, position());
    expect(third.statusCode).toBe(400);
    expect(third.json()).toEqual([
      'There is not enough quota available on quota "Budget Quota" to perform the operation.',
    ]);
    expect((await call('DELETE', `${base}${second.json().id}/`)).statusCode).toBe(204);
    expect((await call('POST', base, position())).statusCode).toBe(201);
  });

  it('frees quota when a cart expires (manual clock)', async () => {
    const { base, call, position, clock } = await setup(1);
    expect((await call('POST', base, position({ expires: undefined }))).json().expires).toBe(
      '2026-03-01T10:30:00Z',
    );
    expect((await call('POST', base, position())).statusCode).toBe(400);
    clock.set('2026-03-01T10:30:01Z');
    expect((await call('POST', base, position())).statusCode).toBe(201);
  });

  it('generates one cart id per request and requires @api', async () => {
    const { base, call, position } = await setup();
    const bad = await call('POST', base, position({ cart_id: 'aaa' }));
    expect(bad.json()).toEqual({ cart_id: ['Cart ID should end in @api or be empty.'] });
    const bulk = await call('POST', `${base}bulk_create/`, [
      position({ cart_id: undefined }),
      position({ cart_id: undefined }),
    ]);
    const [a, b] = bulk.json().results as { data: { cart_id: string } }[];
    expect(a!.data.cart_id).toMatch(/^[A-Za-z0-9]{48}@api$/);
    expect(b!.data.cart_id).toBe(a!.data.cart_id);
  });

  it('bulk creates non-atomically: validation and quota failures per position', async () => {
    const { base, call, position } = await setup(1);
    const res = await call('POST', `${base}bulk_create/`, [
      position({ expires: '2030-01-01T00:00:00Z' }),
      position({ item: -1 }),
      position({ expires: '2030-01-01T00:00:00Z' }),
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      results: [
        { success: true, errors: null, data: { price: '23.00' } },
        { success: false, data: null, errors: { item: ['Invalid pk "-1" - object does not exist.'] } },
        {
          success: false,
          data: null,
          errors: {
            non_field_errors: [
              'There is not enough quota available on quota "Budget Quota" to perform the operation.',
            ],
          },
        },
      ],
    });
    expect((await call('GET', base)).json().count).toBe(1);
    expect((await call('POST', `${base}bulk_create/`, { item: 1 })).json()).toEqual({
      error: 'Please supply a list',
    });
  });

  it('validates variations, quotas and legacy names as pretix does', async () => {
    const { base, call, position, engine, eventId, item } = await setup();
    const shirt = fixtureItem(engine, eventId, { name: 'Shirt' });
    const red = fixtureVariation(engine, shirt, 'Red');
    const blue = fixtureVariation(engine, shirt, 'Blue');
    fixtureQuota(engine, eventId, 10, { items: [shirt], variations: [red] });
    const orphan = fixtureItem(engine, eventId, { name: 'Orphan' });
    expect((await call('POST', base, position({ item: shirt }))).json()).toEqual({
      non_field_errors: ['You should specify a variation for this item.'],
    });
    expect((await call('POST', base, position({ item, variation: red }))).json()).toEqual({
      non_field_errors: ['You cannot specify a variation for this item.'],
    });
    expect((await call('POST', base, position({ item: shirt, variation: blue }))).json()).toEqual({
      non_field_errors: ['The product "Shirt" is not assigned to a quota.'],
    });
    expect((await call('POST', base, position({ item: orphan }))).json()).toEqual({
      non_field_errors: ['The product "Orphan" is not assigned to a quota.'],
    });
    expect((await call('POST', base, position({ item: shirt, variation: red }))).statusCode).toBe(201);
    expect((await call('POST', base, position({ attendee_name: 'Peter' }))).json()).toEqual({
      attendee_name: ['Do not specify attendee_name if you specified attendee_name_parts.'],
    });
    const legacy = await call(
      'POST',
      base,
      position({ attendee_name_parts: undefined, attendee_name: 'Peter' }),
    );
    expect(legacy.json()).toMatchObject({
      attendee_name: 'Peter',
      attendee_name_parts: { _legacy: 'Peter' },
    });
    const none = await call('POST', base, position({ attendee_name_parts: undefined, attendee_name: null }));
    expect(none.json()).toMatchObject({ attendee_name: null, attendee_name_parts: {} });
  });

  it('creates add-ons and bundled positions, refusing unconfigured ones, and deletes add-ons with the parent', async () => {
    const { base, call, position, engine, eventId, item } = await setup();
    const category = Number(
      engine.db.prepare("INSERT INTO categories (event_id, name, is_addon) VALUES (?, '{}', 1)").run(eventId)
        .lastInsertRowid,
    );
    const workshop = fixtureItem(engine, eventId, { name: 'Workshop', categoryId: category });
    const drink = fixtureItem(engine, eventId, { name: 'Drink' });
    fixtureQuota(engine, eventId, 1, { items: [workshop, drink], name: 'Extras' });
    const addon = { item: workshop, price: '1.00', attendee_name_parts: { full_name: 'Friend' } };
    const refused = await call('POST', base, position({ addons: [addon] }));
    expect(refused.json()).toEqual({
      addons: ['The product "Workshop" can not be used as an add-on product for "Budget Ticket".'],
    });
    const bundledRefused = await call('POST', base, position({ bundled: [{ item: drink, price: '0.00' }] }));
    expect(bundledRefused.json()).toEqual({
      bundled: ['The product "Drink" can not be used as an bundled product for "Budget Ticket".'],
    });
    expect((await call('POST', base, position({ addons: [{ item: -5, price: '1.00' }] }))).json()).toEqual({
      addons: [{ item: ['Invalid pk "-5" - object does not exist.'] }],
    });
    engine.db
      .prepare('INSERT INTO item_addons (base_item_id, addon_category_id) VALUES (?, ?)')
      .run(item, category);
    const created = await call('POST', base, position({ addons: [addon] }));
    expect(created.statusCode).toBe(201);
    const parent = created.json() as {
      id: number;
      cart_id: string;
      addons: { id: number; addon_to: number }[];
    };
    expect(parent.addons).toMatchObject([
      { item: workshop, addon_to: parent.id, cart_id: 'aaa@api', is_bundled: false },
    ]);
    // the add-on holds the only Extras unit
    const full = await call('POST', base, position({ addons: [addon] }));
    expect(full.json()).toEqual([
      'There is not enough quota available on quota "Extras" to perform the operation.',
    ]);
    expect((await call('DELETE', `${base}${parent.id}/`)).statusCode).toBe(204);
    expect((await call('GET', `${base}${parent.addons[0]!.id}/`)).statusCode).toBe(404);
    expect((await call('POST', base, position({ addons: [addon] }))).statusCode).toBe(201);
  });

  it('applies voucher rules: unknown, not applicable, expired, used up, quota bypass', async () => {
    const { base, call, position, engine, eventId, item, quota } = await setup(0);
    const other = fixtureItem(engine, eventId);
    const voucher = (code: string, fields: Record<string, unknown>) =>
      fixtureVoucher(engine, eventId, code, fields);
    voucher('OTHERITEM', { item_id: other });
    voucher('OLDONE', { item_id: item, valid_until: '2020-01-01T00:00:00.000Z' });
    voucher('IGNOREQ', { item_id: item, allow_ignore_quota: 1, max_usages: 1 });
    voucher('USEDOLD', { item_id: item, redeemed: 1, valid_until: '2020-01-01T00:00:00.000Z' });
    expect((await call('POST', base, position({ voucher: 'NOPE' }))).json()).toEqual({
      voucher: ['The specified voucher does not exist.'],
    });
    expect((await call('POST', base, position({ voucher: 'otheritem' }))).json()).toEqual({
      voucher: ['The specified voucher is not valid for the given item and variation.'],
    });
    expect((await call('POST', base, position({ voucher: 'OLDONE' }))).json()).toEqual({
      voucher: ['The specified voucher is expired.'],
    });
    expect((await call('POST', base, position({ voucher: 'USEDOLD' }))).json()).toEqual({
      voucher: ['The specified voucher has already been used the maximum number of times.'],
    });
    const ok = await call('POST', base, position({ voucher: 'ignoreq' }));
    expect(ok.statusCode).toBe(201);
    expect((await call('POST', base, position({ voucher: 'IGNOREQ' }))).json()).toEqual({
      voucher: ['The specified voucher has already been used the maximum number of times.'],
    });
    expect(quota).toBeGreaterThan(0);
  });

  it('validates and returns answers', async () => {
    const { base, call, position, engine, eventId, item } = await setup();
    const size = fixtureQuestion(engine, eventId, {
      type: 'M',
      items: [item],
      options: ['XL', 'L'],
      identifier: 'SIZE',
    });
    const res = await call(
      'POST',
      base,
      position({ answers: [{ question: size.id, answer: 'x', options: size.options }] }),
    );
    expect(res.json().answers).toEqual([
      {
        question: size.id,
        answer: 'XL, L',
        question_identifier: 'SIZE',
        options: size.options,
        option_identifiers: size.options.map((_, i) => `O${size.id}-${i}`),
      },
    ]);
    const bad = await call(
      'POST',
      base,
      position({ answers: [{ question: size.id, answer: 'x', options: [] }] }),
    );
    expect(bad.json()).toEqual({
      answers: [{ non_field_errors: ['You need to specify options if the question is of a choice type.'] }],
    });
  });

  it('reports quota availability in pretix shape', async () => {
    const { event, base, call, position, quota, engine, eventId, item } = await setup(5);
    await call('POST', base, position());
    engine.db
      .prepare("INSERT INTO vouchers (event_id, code, block_quota, max_usages) VALUES (?, 'BLOCKS', 1, 2)")
      .run(eventId);
    engine.db.prepare('UPDATE vouchers SET item_id = ? WHERE code = ?').run(item, 'BLOCKS');
    const res = await call('GET', `${event}/quotas/${quota}/availability/`);
    expect(res.json()).toEqual({
      paid_orders: 0,
      pending_orders: 0,
      exited_orders: 0,
      blocking_vouchers: 2,
      cart_positions: 1,
      waiting_list: 0,
      available_number: 2,
      available: true,
      total_size: 5,
    });
    expect((await call('GET', `${event}/quotas/999/availability/`)).statusCode).toBe(404);
  });

  it('purges carts that expired two weeks ago', async () => {
    const { base, call, position, engine, clock } = await setup();
    await call('POST', base, position({ expires: '2026-03-01T11:00:00Z' }));
    expect(engine.command((ctx) => purgeExpiredCarts(ctx))).toBe(0);
    clock.set('2026-03-16T11:00:01Z');
    expect(engine.command((ctx) => purgeExpiredCarts(ctx))).toBe(1);
    expect((await call('GET', base)).json().count).toBe(0);
  });
});
