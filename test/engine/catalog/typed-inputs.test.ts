import { describe, expect, it } from 'vitest';
import {
  createCategory,
  createEvent,
  createItem,
  createQuota,
  createSubevent,
  createTaxRule,
  updateItem,
  updateQuota,
} from '../../../main/engine/catalog';
import { Decimal } from '../../../main/engine/money';
import { refusalOf, testEngine } from '../../helpers';
import type { EngineContext } from '../../../main/engine/context';

/**
 * The catalog commands called with typed inputs, as the desk calls them: the rules that pretix's
 * serializers apply hold without any door reading a request first, and a refusal stores nothing.
 */
function twoEvents() {
  const t = testEngine();
  const event = (slug: string, series = false) =>
    t.engine.command((ctx) =>
      createEvent(ctx, t.organizerId, {
        name: { en: slug },
        slug,
        dateFrom: new Date('2030-01-01T10:00:00Z'),
        hasSubevents: series,
      }),
    ).id;
  const eventId = event('show');
  const otherId = event('other', true);
  const run = <T>(command: (ctx: EngineContext) => T) => t.engine.command(command);
  const refused = (command: (ctx: EngineContext) => unknown) => refusalOf(() => run(command));
  const count = (table: string) =>
    (t.engine.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { ...t, eventId, otherId, run, refused, count };
}

describe('items with typed inputs', () => {
  it("refuses another event's category or tax rule, and unknown ones, each under its field", () => {
    const t = twoEvents();
    const foreignRule = t.run((ctx) =>
      createTaxRule(ctx, t.otherId, { name: { en: 'VAT' }, rate: new Decimal(19) }),
    );
    const foreignCategory = t.run((ctx) => createCategory(ctx, t.otherId, { name: { en: 'Extras' } }));
    const before = t.count('items');
    expect(
      t.refused((ctx) =>
        createItem(ctx, t.eventId, { name: { en: 'X' }, category: foreignCategory, taxRule: foreignRule }),
      ),
    ).toEqual({
      status: 400,
      body: {
        category: ["The item's category must belong to the same event as the item."],
        tax_rule: ["The item's tax rule must belong to the same event as the item."],
      },
    });
    expect(t.refused((ctx) => createItem(ctx, t.eventId, { name: { en: 'X' }, taxRule: 9999 }))).toEqual({
      status: 400,
      body: { tax_rule: ['Invalid pk "9999" - object does not exist.'] },
    });
    const own = t.run((ctx) => createItem(ctx, t.eventId, { name: { en: 'Ticket' } }));
    expect(t.refused((ctx) => updateItem(ctx, t.eventId, own, { category: foreignCategory }))).toEqual({
      status: 400,
      body: { category: ["The item's category must belong to the same event as the item."] },
    });
    expect(t.count('items')).toBe(before + 1);
    expect(t.engine.db.prepare('SELECT category_id, tax_rule_id FROM items WHERE id = ?').get(own)).toEqual({
      category_id: null,
      tax_rule_id: null,
    });
  });

  it('creates no variations for an item without variations and keeps whether it has them', () => {
    const t = twoEvents();
    expect(
      t.refused((ctx) =>
        createItem(ctx, t.eventId, {
          name: { en: 'Plain' },
          hasVariations: false,
          variations: [{ value: { en: 'S' } }],
        }),
      ),
    ).toEqual({
      status: 400,
      body: { variations: ['You cannot create variations for an item without variations.'] },
    });
    expect(t.count('item_variations')).toBe(0);
    const plain = t.run((ctx) => createItem(ctx, t.eventId, { name: { en: 'Plain' }, hasVariations: false }));
    t.run((ctx) => updateItem(ctx, t.eventId, plain, { hasVariations: true }));
    const extra = t.engine.db.prepare('SELECT extra FROM items WHERE id = ?').get(plain) as { extra: string };
    expect(JSON.parse(extra.extra)).toMatchObject({ has_variations: false });
  });
});

describe('quotas with typed inputs', () => {
  it("refuses another event's products, variations and dates, and a negative size, storing nothing", () => {
    const t = twoEvents();
    const own = t.run((ctx) => createItem(ctx, t.eventId, { name: { en: 'Ticket' } }));
    const foreignShirt = t.run((ctx) =>
      createItem(ctx, t.otherId, { name: { en: 'Shirt' }, variations: [{ value: { en: 'S' } }] }),
    );
    const foreignVariation = (
      t.engine.db.prepare('SELECT id FROM item_variations WHERE item_id = ?').get(foreignShirt) as {
        id: number;
      }
    ).id;
    const foreignDate = t.run((ctx) =>
      createSubevent(ctx, t.otherId, {
        name: { en: 'Day 1' },
        dateFrom: new Date('2030-01-02T10:00:00Z'),
        metaData: {},
      }),
    );
    expect(
      t.refused((ctx) =>
        createQuota(ctx, t.eventId, {
          name: 'Q',
          size: -1,
          items: [own, foreignShirt],
          variations: [foreignVariation],
          subevent: foreignDate,
        }),
      ),
    ).toEqual({
      status: 400,
      body: {
        size: ['Ensure this value is greater than or equal to 0.'],
        items: [`Invalid pk "${foreignShirt}" - object does not exist.`],
        variations: [`Invalid pk "${foreignVariation}" - object does not exist.`],
        subevent: [`Invalid pk "${foreignDate}" - object does not exist.`],
      },
    });
    expect(t.count('quotas')).toBe(0);
    const q = t.run((ctx) => createQuota(ctx, t.eventId, { name: 'Q', size: 5, items: [own] }));
    expect(t.refused((ctx) => updateQuota(ctx, t.eventId, q, { items: [foreignShirt] }))).toEqual({
      status: 400,
      body: { items: [`Invalid pk "${foreignShirt}" - object does not exist.`] },
    });
    expect(t.engine.db.prepare('SELECT item_id FROM quota_items WHERE quota_id = ?').all(q)).toEqual([
      { item_id: own },
    ]);
  });
});
