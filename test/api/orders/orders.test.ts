import { describe, expect, it } from 'vitest';
import { createApiToken } from '../../../main/engine/auth/tokens';
import { auditFor } from '../../../main/engine/log/audit';
import { MAX_POSITIONS_PER_ORDER } from '../../../main/engine/orders/order-request';
import { testEngine } from '../../helpers';
import { fixtureEvent, fixtureItem, fixtureQuota, fixtureTaxRule } from '../../fixtures/catalog';
import { apiServers } from '../../support/api';

const servers = apiServers();

async function setup(settings: Record<string, unknown> = { name_scheme: 'full' }) {
  const t = testEngine();
  const token = t.engine.command((ctx) =>
    createApiToken(ctx, { organizerId: t.organizerId, name: 'all' }),
  ).token;
  const eventId = fixtureEvent(t.engine, t.organizerId, { slug: 'gala', settings });
  t.engine.db
    .prepare('UPDATE events SET plugins = ? WHERE id = ?')
    .run(JSON.stringify(['pretix.plugins.banktransfer', 'pretix.plugins.ticketoutputpdf']), eventId);
  const vat = fixtureTaxRule(t.engine, eventId, '19.00');
  const item = fixtureItem(t.engine, eventId, { price: '23.00', taxRuleId: vat });
  fixtureQuota(t.engine, eventId, 100, { items: [item] });
  const org = (
    t.engine.db.prepare('SELECT slug FROM organizers WHERE id = ?').get(t.organizerId) as { slug: string }
  ).slug;
  const app = await servers.start({ engine: t.engine });
  const base = `/api/v1/organizers/${org}/events/gala/orders/`;
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({ method, url, payload: payload as object, headers: { authorization: `Token ${token}` } });
  const order = async (body: Record<string, unknown> = {}) => {
    const res = await call('POST', base, {
      email: 'alice@example.org',
      positions: [{ item, attendee_name: 'Peter' }],
      ...body,
    });
    expect(res.statusCode).toBe(201);
    return res.json() as Record<string, unknown> & { code: string };
  };
  return { ...t, org, base, call, order, item, vat, eventId };
}

describe('orders API', () => {
  it('creates an order with 201 and the full resource, and shows it on detail', async () => {
    const { call, base, order, item, vat } = await setup();
    const created = await order({ payment_provider: 'manual' });
    expect(created).toMatchObject({
      event: 'gala',
      status: 'n',
      total: '23.00',
      payment_provider: 'manual',
      payment_date: null,
      downloads: [],
      positions: [
        {
          order: created.code,
          positionid: 1,
          item,
          price: '23.00',
          tax_rate: '19.00',
          tax_value: '3.67',
          tax_rule: vat,
          attendee_name: 'Peter',
          attendee_name_parts: { _legacy: 'Peter' },
          checkins: [],
          canceled: false,
        },
      ],
      payments: [{ local_id: 1, state: 'created', amount: '23.00', provider: 'manual', payment_date: null }],
    });
    expect((created.positions as object[])[0]).not.toHaveProperty('pdf_data');
    const detail = await call('GET', `${base}${created.code}/`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toEqual(created);
    expect((await call('GET', `${base}NOPE1/`)).statusCode).toBe(404);
  });

  it('answers bad input with pretix-shaped errors and stores nothing', async () => {
    const { call, base, item } = await setup();
    const bad = await call('POST', base, { positions: [{ item }, { item: 999999 }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({
      positions: [{}, { item: ['Invalid pk "999999" - object does not exist.'] }],
    });
    const empty = await call('POST', base, { positions: [] });
    expect(empty.json()).toEqual({ positions: ['An order cannot be empty.'] });
    const status = await call('POST', base, { status: 'e', positions: [{ item }] });
    expect(status.json()).toEqual({ status: ['"e" is not a valid choice.'] });
    expect((await call('GET', base)).json()).toMatchObject({ count: 0 });
  });

  it('lists with pagination, filters and X-Page-Generated', async () => {
    const { call, base, order, clock } = await setup();
    const a = await order({ payment_provider: 'banktransfer' });
    clock.advanceMinutes(5);
    const b = await order({ email: 'bob@example.org', testmode: true, payment_provider: 'manual' });
    clock.advanceMinutes(5);
    const c = await order({ email: 'carol@example.org', status: 'p', payment_provider: 'manual' });
    const all = await call('GET', `${base}?page_size=2`);
    expect(all.headers['x-page-generated']).toBe('2026-03-01T10:10:00Z');
    expect(all.json()).toMatchObject({
      count: 3,
      previous: null,
      results: [{ code: a.code }, { code: b.code }],
    });
    expect(all.json().next).toMatch(/\?page=2&page_size=2$/);
    expect((await call('GET', `${base}?page_size=2&page=3`)).statusCode).toBe(404);
    const codes = async (query: string) =>
      ((await call('GET', `${base}?${query}`)).json() as { results: { code: string }[] }).results.map(
        (r) => r.code,
      );
    expect(await codes('ordering=-datetime')).toEqual([c.code, b.code, a.code]);
    expect(await codes('testmode=true')).toEqual([b.code]);
    expect(await codes('status=p')).toEqual([c.code]);
    expect(await codes('email=BOB@example.org')).toEqual([b.code]);
    expect(await codes('payment_provider=banktransfer')).toEqual([a.code]);
    expect(await codes(`code=${a.code.toLowerCase()}`)).toEqual([a.code]);
    expect(await codes('search=carol')).toEqual([c.code]);
    expect(await codes('created_since=2026-03-01T10:05:00Z')).toEqual([b.code, c.code]);
    expect(await codes('created_before=2026-03-01T10:05:00Z')).toEqual([a.code]);
    expect(await codes('modified_since=2026-03-01T10:10:00Z')).toEqual([c.code]);
    const invalid = await call('GET', `${base}?modified_since=yesterday`);
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toEqual({ modified_since: ['Enter a valid date/time.'] });
  });

  it('applies include and exclude to the resource', async () => {
    const { call, base, order } = await setup();
    const { code } = await order();
    const only = (await call('GET', `${base}${code}/?include=email&include=positions.secret`)).json();
    expect(Object.keys(only).sort()).toEqual(['email', 'positions']);
    expect(Object.keys(only.positions[0])).toEqual(['secret']);
    const without = (await call('GET', `${base}${code}/?exclude=positions.secret&exclude=url`)).json();
    expect(without.url).toBeUndefined();
    expect(without.positions[0].secret).toBeUndefined();
    expect(without.positions[0].item).toBeDefined();
  });

  it('patches only the writable fields, refuses PUT and unknown locales, logs changes', async () => {
    const { call, base, order, engine } = await setup();
    const { code } = await order();
    const patched = await call('PATCH', `${base}${code}/`, {
      email: null,
      comment: 'VIP',
      status: 'c',
      total: '1.00',
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ email: null, comment: 'VIP', status: 'n', total: '23.00' });
    const locale = await call('PATCH', `${base}${code}/`, { locale: 'de' });
    expect(locale.statusCode).toBe(400);
    expect(locale.json()).toEqual({ locale: ['"de" is not a supported locale for this event.'] });
    expect((await call('PUT', `${base}${code}/`, { status: 'c' })).statusCode).toBe(405);
    const id = (engine.db.prepare('SELECT id FROM orders WHERE code = ?').get(code) as { id: number }).id;
    expect(auditFor(engine.db, 'order', id).map((a) => a.action_type)).toEqual([
      'pretix.event.order.placed',
      'pretix.event.order.comment',
      'pretix.event.order.contact.changed',
    ]);
  });

  it('patches the invoice address partially and removes it with null', async () => {
    const { call, base, order } = await setup();
    const { code } = await order({
      invoice_address: {
        company: 'ACME',
        name_parts: { full_name: 'Jane Doe' },
        city: 'Berlin',
        country: 'DE',
      },
    });
    const patched = (await call('PATCH', `${base}${code}/`, { invoice_address: { city: 'Hamburg' } })).json();
    expect(patched.invoice_address).toMatchObject({
      company: 'ACME',
      name: 'Jane Doe',
      city: 'Hamburg',
      country: 'DE',
    });
    const removed = (await call('PATCH', `${base}${code}/`, { invoice_address: null })).json();
    expect(removed.invoice_address).toBeNull();
  });

  it('deletes only test-mode orders and gives their quota back', async () => {
    const { call, base, order, engine } = await setup();
    const live = await order();
    const test = await order({ testmode: true });
    expect(test.code[1]).toBe('0');
    const refused = await call('DELETE', `${base}${live.code}/`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({ detail: 'Only test mode orders can be deleted.' });
    expect((await call('DELETE', `${base}${test.code}/`)).statusCode).toBe(204);
    expect((await call('GET', `${base}${test.code}/`)).statusCode).toBe(404);
    expect(engine.db.prepare('SELECT pending_count FROM quotas').get()).toEqual({ pending_count: 1 });
  });

  it('regenerates the order and ticket secrets', async () => {
    const { call, base, order } = await setup();
    const before = await order();
    const after = (await call('POST', `${base}${before.code}/regenerate_secrets/`, {})).json();
    expect(after.secret).not.toBe(before.secret);
    expect((after.positions as { secret: string }[])[0]!.secret).not.toBe(
      (before.positions as { secret: string }[])[0]!.secret,
    );
  });

  it('offers pdf downloads only for paid orders when the pdf output is enabled', async () => {
    const { order, engine, eventId } = await setup({ name_scheme: 'full', ticketoutput_pdf__enabled: true });
    // The output exists only where its plugin is active, as in pretix.
    engine.db
      .prepare(`UPDATE events SET plugins = '["pretix.plugins.ticketoutputpdf"]' WHERE id = ?`)
      .run(eventId);
    const pending = await order({ payment_provider: 'manual' });
    expect(pending.downloads).toEqual([]);
    const paid = await order({ status: 'p', payment_provider: 'manual' });
    expect(paid.downloads).toEqual([
      {
        output: 'pdf',
        url: expect.stringMatching(new RegExp(`/events/gala/orders/${paid.code}/download/pdf/$`)),
      },
    ]);
    expect((paid.positions as { downloads: unknown[] }[])[0]!.downloads).toHaveLength(1);
  });

  it('lists the orders of all events at organizer level', async () => {
    const { call, org, order } = await setup();
    const { code } = await order();
    const res = await call('GET', `/api/v1/organizers/${org}/orders/`);
    expect(res.json()).toMatchObject({ count: 1, results: [{ code, event: 'gala' }] });
  });

  it('caps positions per order: one over the cap is a 400 that writes nothing, the cap itself is created', async () => {
    const { call, base, item, engine } = await setup();
    const count = () =>
      (engine.db.prepare('SELECT COUNT(*) AS n FROM order_positions').get() as { n: number }).n;
    const positions = (n: number) => Array.from({ length: n }, () => ({ item }));
    const over = await call('POST', base, {
      email: 'group@example.org',
      positions: positions(MAX_POSITIONS_PER_ORDER + 1),
    });
    expect(over.statusCode).toBe(400);
    expect(over.json()).toEqual({
      positions: [
        `An order can have at most ${MAX_POSITIONS_PER_ORDER} positions; this one has ${MAX_POSITIONS_PER_ORDER + 1}. Split it into several orders.`,
      ],
    });
    expect(count()).toBe(0);
    const huge = await call('POST', base, { email: 'group@example.org', positions: positions(90_000) });
    expect(huge.statusCode).toBe(400);
    expect(count()).toBe(0);
    engine.db.prepare('UPDATE quotas SET size = NULL').run();
    const maximal = await call('POST', base, {
      email: 'group@example.org',
      positions: positions(MAX_POSITIONS_PER_ORDER),
    });
    expect(maximal.statusCode).toBe(201);
    expect(count()).toBe(MAX_POSITIONS_PER_ORDER);
  });
});
