import { describe, expect, it } from 'vitest';
import { deleteSubevent } from '../../../main/engine/catalog/subevents';
import {
  cloneEvent,
  patchEventSettings,
  createCategory,
  createItem,
  createQuota,
  createSubevent,
  createVoucher,
  createVouchers,
  updateVoucher,
  showEvent,
} from '../../fixtures/catalog-wire';

const setup = (series = false) => showEvent({ has_subevents: series });

describe('sub-events', () => {
  it('exist only in a series, need meta_data, and store price overrides', () => {
    const single = setup(false);
    expect(
      single.refused((ctx) =>
        createSubevent(ctx, single.eventId, {
          name: 'Day',
          date_from: '2030-01-01T10:00:00Z',
          meta_data: {},
        }),
      ),
    ).toMatchObject({ status: 400 });

    const t = setup(true);
    const item = t.engine.command((ctx) =>
      createItem(ctx, t.eventId, { name: 'Ticket', default_price: '10' }),
    );
    expect(
      t.refused((ctx) => createSubevent(ctx, t.eventId, { name: 'Day', date_from: '2030-01-01T10:00:00Z' })),
    ).toEqual({ status: 400, body: { meta_data: ['This field is required.'] } });
    const se = t.engine.command((ctx) =>
      createSubevent(ctx, t.eventId, {
        name: 'Day',
        date_from: '2030-01-01T10:00:00Z',
        meta_data: {},
        item_price_overrides: [{ item, price: '12.5' }],
      }),
    );
    expect(
      t.engine.db.prepare('SELECT price, disabled FROM subevent_item_prices WHERE subevent_id = ?').all(se),
    ).toEqual([{ price: '12.50', disabled: 0 }]);
    t.engine.command((ctx) =>
      createQuota(ctx, t.eventId, { name: 'Q', size: 5, items: [item], subevent: se }),
    );
    t.engine.command((ctx) => deleteSubevent(ctx, t.eventId, se));
    expect(t.engine.db.prepare('SELECT COUNT(*) AS n FROM quotas').get()).toEqual({ n: 0 });
  });
});

describe('vouchers', () => {
  it('stores codes upper-case and unique, and generates 16-character codes', () => {
    const t = setup();
    const item = t.engine.command((ctx) => createItem(ctx, t.eventId, { name: 'Ticket' }));
    const id = t.engine.command((ctx) => createVoucher(ctx, t.eventId, { code: 'hello1', item }));
    expect(t.engine.db.prepare('SELECT code FROM vouchers WHERE id = ?').get(id)).toEqual({ code: 'HELLO1' });
    expect(t.refused((ctx) => createVoucher(ctx, t.eventId, { code: 'HeLLo1' }))).toEqual({
      status: 400,
      body: { non_field_errors: ['A voucher with this code already exists.'] },
    });
    expect(t.refused((ctx) => createVoucher(ctx, t.eventId, { code: 'abc' }))).toMatchObject({
      body: { code: [expect.stringMatching(/at least 5/)] },
    });
    const gen = t.engine.command((ctx) => createVoucher(ctx, t.eventId, {}));
    const code = (t.engine.db.prepare('SELECT code FROM vouchers WHERE id = ?').get(gen) as { code: string })
      .code;
    expect(code).toMatch(/^[A-HK-NP-Z2-9]{16}$/);
  });

  it('validates its scope as pretix does', () => {
    const t = setup();
    const item = t.engine.command((ctx) => createItem(ctx, t.eventId, { name: 'Ticket' }));
    const q = t.engine.command((ctx) => createQuota(ctx, t.eventId, { name: 'Q', size: 2, items: [item] }));
    const run = (body: Record<string, unknown>) => t.refused((ctx) => createVoucher(ctx, t.eventId, body));
    expect(run({ item, quota: q })).toMatchObject({
      body: { non_field_errors: [expect.stringMatching(/quota and a specific product/)] },
    });
    expect(run({ block_quota: true })).toMatchObject({
      body: { non_field_errors: [expect.stringMatching(/specific product or quota/)] },
    });
    expect(run({ item: 9999 })).toEqual({
      status: 400,
      body: { item: ['Invalid pk "9999" - object does not exist.'] },
    });
    // Blocking needs room in the quota.
    t.engine.command((ctx) =>
      createVoucher(ctx, t.eventId, { code: 'BLOCK1', item, block_quota: true, max_usages: 2 }),
    );
    expect(run({ code: 'BLOCK2', item, block_quota: true })).toMatchObject({
      body: { non_field_errors: [expect.stringMatching(/sold out/)] },
    });
    // A voucher allowed to ignore the quota, or one already expired, blocks nothing and is accepted.
    t.engine.command((ctx) =>
      createVoucher(ctx, t.eventId, { code: 'BLOCK3', item, block_quota: true, allow_ignore_quota: true }),
    );
    t.engine.command((ctx) =>
      createVoucher(ctx, t.eventId, {
        code: 'BLOCK4',
        item,
        block_quota: true,
        valid_until: '2020-01-01T00:00:00Z',
      }),
    );
    // A product in no quota has nothing to block.
    const loose = t.engine.command((ctx) => createItem(ctx, t.eventId, { name: 'Loose' }));
    expect(run({ code: 'BLOCK5', item: loose, block_quota: true })).toMatchObject({
      body: { non_field_errors: [expect.stringMatching(/sold out/)] },
    });
  });

  it('does not reduce max_usages below redemptions and batch-creates all or nothing', () => {
    const t = setup();
    const id = t.engine.command((ctx) => createVoucher(ctx, t.eventId, { code: 'USED1', max_usages: 3 }));
    t.engine.db.prepare('UPDATE vouchers SET redeemed = 2 WHERE id = ?').run(id);
    expect(t.refused((ctx) => updateVoucher(ctx, t.eventId, id, { max_usages: 1 }))).toMatchObject({
      body: { non_field_errors: [expect.stringMatching(/already been redeemed 2 times/)] },
    });
    const bad = t.refused((ctx) => createVouchers(ctx, t.eventId, [{ code: 'BATCH1' }, { code: 'x' }]));
    expect(bad).toMatchObject({ status: 400, body: [{}, { code: [expect.any(String)] }] });
    expect(t.engine.db.prepare("SELECT COUNT(*) AS n FROM vouchers WHERE code = 'BATCH1'").get()).toEqual({
      n: 0,
    });
    expect(
      t.engine.command((ctx) => createVouchers(ctx, t.eventId, [{ code: 'BATCH1' }, { code: 'BATCH2' }])),
    ).toHaveLength(2);
  });
});

describe('deleting a voucher target', () => {
  it('removes the vouchers bound to it instead of widening them', async () => {
    const { deleteQuota } = await import('../../../main/engine/catalog/quotas');
    const t = setup();
    const item = t.engine.command((ctx) => createItem(ctx, t.eventId, { name: 'Ticket' }));
    const q = t.engine.command((ctx) => createQuota(ctx, t.eventId, { name: 'Q', size: 5, items: [item] }));
    t.engine.command((ctx) => createVoucher(ctx, t.eventId, { code: 'QUOTA1', quota: q }));
    t.engine.command((ctx) => createVoucher(ctx, t.eventId, { code: 'ANY01' }));
    t.engine.command((ctx) => deleteQuota(ctx, t.eventId, q));
    expect(t.engine.db.prepare('SELECT code, quota_id FROM vouchers').all()).toEqual([
      { code: 'ANY01', quota_id: null },
    ]);
  });
});

describe('clone', () => {
  it('copies the catalog with new ids and fresh quota counters, but no vouchers', async () => {
    const { eventSettings } = await import('../../../main/engine/catalog/settings');
    const t = setup();
    t.engine.command((ctx) => patchEventSettings(ctx, t.eventId, { name_scheme: 'full' }));
    const cat = t.engine.command((ctx) => createCategory(ctx, t.eventId, { name: 'Extras', is_addon: true }));
    const shirt = t.engine.command((ctx) =>
      createItem(ctx, t.eventId, {
        name: 'Shirt',
        category: cat,
        variations: [{ value: 'S' }, { value: 'M' }],
      }),
    );
    const ticket = t.engine.command((ctx) =>
      createItem(ctx, t.eventId, { name: 'Ticket', addons: [{ addon_category: cat, max_count: 1 }] }),
    );
    const v = (
      t.engine.db.prepare('SELECT id FROM item_variations WHERE item_id = ? ORDER BY id').get(shirt) as {
        id: number;
      }
    ).id;
    t.engine.command((ctx) =>
      createQuota(ctx, t.eventId, { name: 'Q', size: 5, items: [shirt, ticket], variations: [v] }),
    );
    t.engine.command((ctx) => createVoucher(ctx, t.eventId, { code: 'CLONE1' }));
    const copy = t.engine.command((ctx) =>
      cloneEvent(ctx, t.organizerId, t.eventId, {
        name: 'Copy',
        slug: 'copy',
        date_from: '2031-01-01T10:00:00Z',
      }),
    );
    expect(eventSettings(t.engine.db, copy.id).name_scheme).toBe('full');
    const items = t.engine.db
      .prepare('SELECT id, category_id FROM items WHERE event_id = ? ORDER BY id')
      .all(copy.id) as {
      id: number;
      category_id: number;
    }[];
    expect(items).toHaveLength(2);
    const newCat = (
      t.engine.db.prepare('SELECT id FROM categories WHERE event_id = ?').get(copy.id) as { id: number }
    ).id;
    expect(items[0]!.category_id).toBe(newCat);
    const quota = t.engine.db.prepare('SELECT id FROM quotas WHERE event_id = ?').get(copy.id) as {
      id: number;
    };
    const members = t.engine.db
      .prepare('SELECT item_id FROM quota_items WHERE quota_id = ? ORDER BY item_id')
      .all(quota.id);
    expect(members).toEqual(items.map((i) => ({ item_id: i.id })));
    const qv = t.engine.db
      .prepare(
        'SELECT v.item_id FROM quota_variations qv JOIN item_variations v ON v.id = qv.variation_id WHERE qv.quota_id = ?',
      )
      .all(quota.id);
    expect(qv).toEqual([{ item_id: items[0]!.id }]);
    expect(
      t.engine.db
        .prepare('SELECT addon_category_id FROM item_addons WHERE base_item_id = ?')
        .get(items[1]!.id),
    ).toEqual({
      addon_category_id: newCat,
    });
    expect(t.engine.db.prepare('SELECT COUNT(*) AS n FROM vouchers WHERE event_id = ?').get(copy.id)).toEqual(
      { n: 0 },
    );
  });
});
