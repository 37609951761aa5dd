import { describe, expect, it } from 'vitest';
import { createApiToken } from '../../../main/engine/auth/tokens';
import { createOrganizer } from '../../../main/engine/organizers/organizers';
import { testEngine } from '../../helpers';
import { apiServers, apiToken } from '../../support/api';

const servers = apiServers();

async function setup() {
  const { engine, organizerId } = testEngine();
  const token = apiToken(engine, organizerId, 'all');
  const other = engine.command((ctx) => createOrganizer(ctx, { slug: 'elsewhere', name: 'Elsewhere' }));
  const otherToken = engine.command((ctx) => createApiToken(ctx, { organizerId: other.id, name: 'o' })).token;
  const app = await servers.start({ engine });
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, auth = token) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Token ${auth}` },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  return { engine, call, otherToken };
}

const ORG = '/api/v1/organizers/box-office';
const EV = `${ORG}/events/show`;

async function withEvent() {
  const s = await setup();
  const res = await s.call('POST', `${ORG}/events/`, {
    name: { en: 'Show' },
    slug: 'show',
    date_from: '2031-06-01T10:00:00Z',
    currency: 'EUR',
  });
  expect(res.statusCode).toBe(201);
  return s;
}

describe('events API', () => {
  it("creates an event in pretix's shape, lists and changes it", async () => {
    const { call } = await withEvent();
    const detail = await call('GET', `${EV}/`);
    expect(detail.json()).toMatchObject({
      name: { en: 'Show' },
      slug: 'show',
      live: false,
      testmode: false,
      currency: 'EUR',
      date_from: '2031-06-01T10:00:00Z',
      date_to: null,
      has_subevents: false,
      meta_data: {},
      seating_plan: null,
      seat_category_mapping: {},
      timezone: 'UTC',
    });
    const list = await call('GET', `${ORG}/events/`);
    expect(list.json()).toMatchObject({ count: 1, results: [{ slug: 'show' }] });
    const patched = await call('PATCH', `${EV}/`, { location: { en: 'Hall' }, is_public: false });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ location: { en: 'Hall' }, is_public: false });
    const bad = await call('POST', `${ORG}/events/`, {
      name: 'X',
      slug: '-x',
      date_from: '2031-06-01T10:00:00Z',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ slug: ['The slug may only contain letters, numbers, dots and dashes.'] });
    const missing = await call('POST', `${ORG}/events/`, { slug: 'nodate' });
    expect(missing.json()).toEqual({
      name: ['This field is required.'],
      date_from: ['This field is required.'],
    });
  });

  it('answers 403 for another organizer and deletes an empty event', async () => {
    const { call, otherToken } = await withEvent();
    expect((await call('GET', `${EV}/`, undefined, otherToken)).statusCode).toBe(403);
    expect((await call('GET', `${EV}/items/`, undefined, otherToken)).statusCode).toBe(403);
    expect((await call('DELETE', `${EV}/`)).statusCode).toBe(204);
    expect((await call('GET', `${EV}/`)).statusCode).toBe(403);
  });

  it('reads and patches settings', async () => {
    const { call } = await withEvent();
    expect((await call('GET', `${EV}/settings/`)).json()).toMatchObject({ name_scheme: 'given_family' });
    const ok = await call('PATCH', `${EV}/settings/`, { name_scheme: 'full' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ name_scheme: 'full' });
    const bad = await call('PATCH', `${EV}/settings/`, { payment_term_days: 'soon' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ payment_term_days: ['A valid integer is required.'] });
  });
});

describe('catalog API', () => {
  it('builds a catalog the way the conformance fixtures do', async () => {
    const { call } = await withEvent();
    const tax = await call('POST', `${EV}/taxrules/`, { name: { en: 'VAT' }, rate: '19.00' });
    expect(tax.json()).toMatchObject({ id: expect.any(Number), rate: '19.00', price_includes_tax: true });
    const cat = await call('POST', `${EV}/categories/`, { name: { en: 'Addons' }, is_addon: true });
    expect(cat.json()).toMatchObject({ is_addon: true });
    const item = await call('POST', `${EV}/items/`, {
      name: { en: 'Shirt' },
      default_price: '23',
      tax_rule: tax.json().id,
      admission: true,
      variations: [{ value: { en: 'Red' } }, { value: { en: 'Blue' }, default_price: '25.00' }],
      addons: [{ addon_category: cat.json().id, min_count: 0, max_count: 1 }],
    });
    expect(item.statusCode).toBe(201);
    const it = item.json();
    expect(it).toMatchObject({
      default_price: '23.00',
      tax_rate: '19.00',
      admission: true,
      has_variations: true,
      variations: [
        { value: { en: 'Red' }, price: '23.00', default_price: null },
        { value: { en: 'Blue' }, price: '25.00', default_price: '25.00' },
      ],
      addons: [{ addon_category: cat.json().id, min_count: 0, max_count: 1 }],
      bundles: [],
    });
    const quota = await call('POST', `${EV}/quotas/`, {
      name: 'Q',
      size: 200,
      items: [it.id],
      variations: [it.variations[0].id],
    });
    expect(quota.statusCode).toBe(201);
    expect(quota.json()).toMatchObject({
      size: 200,
      items: [it.id],
      variations: [it.variations[0].id],
      subevent: null,
    });
    const q = await call('POST', `${EV}/questions/`, {
      question: { en: 'Size' },
      type: 'C',
      required: false,
      items: [it.id],
      identifier: null,
      options: [{ answer: { en: 'M' }, identifier: null }],
    });
    expect(q.statusCode).toBe(201);
    expect(q.json()).toMatchObject({
      identifier: expect.any(String),
      options: [{ id: expect.any(Number), identifier: expect.any(String) }],
    });
    const withAvailability = await call('GET', `${EV}/quotas/?with_availability=true`);
    expect(withAvailability.json()).toMatchObject({
      count: 1,
      results: [{ id: quota.json().id, available: true, available_number: 200 }],
    });
    expect((await call('GET', `${EV}/quotas/`)).json().results[0].available).toBeUndefined();
    const variations = await call('GET', `${EV}/items/${it.id}/variations/`);
    expect(variations.json()).toMatchObject({ count: 2 });
    const badQuota = await call('POST', `${EV}/quotas/`, { name: 'Q', size: 1, items: [999] });
    expect(badQuota.statusCode).toBe(400);
    expect(badQuota.json()).toEqual({ items: ['Invalid pk "999" - object does not exist.'] });
    expect((await call('GET', `${EV}/items/999/`)).statusCode).toBe(404);
    expect((await call('DELETE', `${EV}/quotas/${quota.json().id}/`)).statusCode).toBe(204);
  });
});

describe('series, vouchers and clone API', () => {
  it("answers sub-events and vouchers in pretix's shapes", async () => {
    const { call } = await setup();
    const SE = `${ORG}/events/fest`;
    expect(
      (
        await call('POST', `${ORG}/events/`, {
          name: 'Fest',
          slug: 'fest',
          date_from: '2031-06-01T10:00:00Z',
          has_subevents: true,
        })
      ).statusCode,
    ).toBe(201);
    const item = (await call('POST', `${SE}/items/`, { name: 'Ticket', default_price: '10.00' })).json();
    const noMeta = await call('POST', `${SE}/subevents/`, {
      name: 'Day 1',
      date_from: '2031-06-01T10:00:00Z',
    });
    expect(noMeta.statusCode).toBe(400);
    expect(noMeta.json()).toEqual({ meta_data: ['This field is required.'] });
    const se = await call('POST', `${SE}/subevents/`, {
      name: { en: 'Day 1' },
      date_from: '2031-06-01T10:00:00Z',
      active: true,
      meta_data: {},
      item_price_overrides: [{ item: item.id, disabled: true }],
    });
    expect(se.statusCode).toBe(201);
    expect(se.json()).toMatchObject({
      id: expect.any(Number),
      event: 'fest',
      active: true,
      item_price_overrides: [{ item: item.id, disabled: true, price: null }],
      variation_price_overrides: [],
      meta_data: {},
    });
    expect((await call('GET', `${ORG}/subevents/`)).json()).toMatchObject({
      count: 1,
      results: [{ event: 'fest' }],
    });

    const voucher = await call('POST', `${SE}/vouchers/`, {
      code: 'fest-2031',
      item: item.id,
      subevent: se.json().id,
    });
    expect(voucher.statusCode).toBe(201);
    expect(voucher.json()).toMatchObject({
      code: 'FEST-2031',
      max_usages: 1,
      redeemed: 0,
      price_mode: 'none',
      item: item.id,
      variation: null,
      quota: null,
      subevent: se.json().id,
      seat: null,
    });
    const batch = await call('POST', `${SE}/vouchers/batch_create/`, [
      { code: 'BATCH-1' },
      { code: 'BATCH-2' },
    ]);
    expect(batch.statusCode).toBe(201);
    expect(batch.json()).toMatchObject([{ code: 'BATCH-1' }, { code: 'BATCH-2' }]);
    const dup = await call('POST', `${SE}/vouchers/`, { code: 'batch-1' });
    expect(dup.statusCode).toBe(400);
    expect(dup.json()).toEqual({ non_field_errors: ['A voucher with this code already exists.'] });
    expect((await call('GET', `${SE}/vouchers/?code=BATCH-2`)).json()).toMatchObject({ count: 1 });

    const clone = await call('POST', `${SE}/clone/`, {
      name: 'Fest 2',
      slug: 'fest2',
      date_from: '2032-06-01T10:00:00Z',
    });
    expect(clone.statusCode).toBe(201);
    expect(clone.json()).toMatchObject({ slug: 'fest2', has_subevents: true });
    expect((await call('GET', `${ORG}/events/fest2/items/`)).json()).toMatchObject({ count: 1 });
    expect((await call('GET', `${ORG}/events/fest2/vouchers/`)).json()).toMatchObject({ count: 0 });
  });

  it('makes the first tax rule the default, and taxes a payment fee sent without a rule by it', async () => {
    const { call } = await withEvent();
    const vat = (await call('POST', `${EV}/taxrules/`, { name: { en: 'VAT' }, rate: '19.00' })).json();
    const reduced = (await call('POST', `${EV}/taxrules/`, { name: { en: 'Reduced' }, rate: '7.00' })).json();
    expect([vat.default, reduced.default]).toEqual([true, false]);
    const item = await call('POST', `${EV}/items/`, { name: { en: 'Ticket' }, default_price: '23.00' });
    await call('POST', `${EV}/quotas/`, { name: 'Q', size: 10, items: [item.json().id] });
    const order = (fees: unknown[]) =>
      call('POST', `${EV}/orders/`, {
        email: 'a@example.org',
        payment_provider: 'manual',
        fees,
        positions: [{ item: item.json().id, price: '23.00' }],
      });
    const fee = { fee_type: 'payment', value: '0.25', tax_rule: null };
    const taxed = await order([fee]);
    expect(taxed.statusCode).toBe(201);
    expect(taxed.json()).toMatchObject({
      total: '23.25',
      fees: [{ value: '0.25', tax_rule: vat.id, tax_rate: '19.00', tax_value: '0.04' }],
    });
    // Other fees and fees with their own rule keep theirs.
    const own = await order([
      { ...fee, tax_rule: reduced.id },
      { ...fee, fee_type: 'service' },
    ]);
    expect(own.json().fees).toMatchObject([
      { tax_rule: reduced.id, tax_rate: '7.00', tax_value: '0.02' },
      { tax_rule: null, tax_rate: '0.00', tax_value: '0.00' },
    ]);
    // Marking another rule default unmarks the first; the default stays while other rules exist.
    expect((await call('PATCH', `${EV}/taxrules/${reduced.id}/`, { default: true })).json().default).toBe(
      true,
    );
    expect((await call('GET', `${EV}/taxrules/${vat.id}/`)).json().default).toBe(false);
    expect((await order([fee])).json().fees[0]).toMatchObject({ tax_rule: reduced.id, tax_rate: '7.00' });
    const spare = (await call('POST', `${EV}/taxrules/`, { name: { en: 'Zero' }, rate: '0.00' })).json();
    await call('PATCH', `${EV}/taxrules/${spare.id}/`, { default: true });
    const refused = await call('DELETE', `${EV}/taxrules/${spare.id}/`);
    expect([refused.statusCode, refused.json()]).toEqual([
      403,
      { detail: 'This tax rule can not be deleted as it is currently in use.' },
    ]);
    await call('PATCH', `${EV}/taxrules/${reduced.id}/`, { default: true });
    expect((await call('DELETE', `${EV}/taxrules/${spare.id}/`)).statusCode).toBe(204);
    // tax_rule_payment "none": payment fees are not taxed.
    expect((await call('PATCH', `${EV}/settings/`, { tax_rule_payment: 'none' })).statusCode).toBe(200);
    expect((await order([fee])).json().fees[0]).toMatchObject({ tax_rule: null, tax_rate: '0.00' });
  });
});

describe("prices and tax rates as pretix's validators take them", () => {
  it('a tax rate is refused below 0.00 and above 100.00; an item price may be negative, as in pretix', async () => {
    const { call } = await withEvent();
    const negative = await call('POST', `${EV}/taxrules/`, { name: { en: 'VAT' }, rate: '-19.00' });
    expect(negative.statusCode).toBe(400);
    expect(negative.json()).toEqual({ rate: ['Ensure this value is greater than or equal to 0.00.'] });
    const above = await call('POST', `${EV}/taxrules/`, { name: { en: 'VAT' }, rate: '100.01' });
    expect(above.json()).toEqual({ rate: ['Ensure this value is less than or equal to 100.00.'] });
    const long = await call('POST', `${EV}/taxrules/`, { name: { en: 'VAT' }, rate: '12345678901' });
    expect(long.json()).toEqual({ rate: ['Ensure that there are no more than 10 digits in total.'] });
    for (const rate of ['0', '100', '19.00']) {
      expect((await call('POST', `${EV}/taxrules/`, { name: { en: 'VAT' }, rate })).statusCode).toBe(201);
    }
    const created = await call('POST', `${EV}/taxrules/`, { name: { en: 'VAT' }, rate: '7' });
    const patched = await call('PATCH', `${EV}/taxrules/${created.json().id}/`, { rate: '-1' });
    expect(patched.statusCode).toBe(400);
    const item = await call('POST', `${EV}/items/`, { name: { en: 'Refund slip' }, default_price: '-10.00' });
    expect(item.statusCode).toBe(201);
    expect(item.json()).toMatchObject({ default_price: '-10.00' });
  });
});
