import { describe, expect, it } from 'vitest';
import type { ItemSetup, RpcInput } from '../../shared/contract';
import { fixtureItem, fixtureTaxRule } from '../fixtures/catalog';
import { deskResult, setupAttempt, setupDesk } from '../support/desk-rpc';

/** A new product as the Setup screen sends it. */
function newItem(eventId: number, fields: Partial<ItemSetup> = {}) {
  return {
    kind: 'item',
    eventId,
    parentId: null,
    fields: {
      name: { en: 'Shirt' },
      price: '12.50',
      taxRuleId: null,
      admission: false,
      requireApproval: false,
      active: true,
      ...fields,
    },
  } satisfies RpcInput<'setup.create'>;
}

type ItemColumns = {
  name: string;
  default_price: string;
  tax_rule_id: number | null;
  admission: number;
  require_approval: number;
  active: number;
};
const ITEM_COLUMNS = 'name, default_price, tax_rule_id, admission, require_approval, active';

describe('Setup sends a product and its variations as typed fields', () => {
  it('creates a product with its variations, changes it and sells a variation at its own price', async () => {
    const { rpc, engine, eventId, rows } = setupDesk();
    const vat = fixtureTaxRule(engine, eventId);
    const { id } = await deskResult(
      rpc,
      'setup.create',
      newItem(eventId, { taxRuleId: vat, variations: [{ en: 'S' }, { en: 'M' }] }),
    );
    expect(rows<ItemColumns>(`SELECT ${ITEM_COLUMNS} FROM items WHERE id = ?`, id)).toEqual([
      {
        name: '{"en":"Shirt"}',
        default_price: '12.50',
        tax_rule_id: vat,
        admission: 0,
        require_approval: 0,
        active: 1,
      },
    ]);
    expect(rows('SELECT value, active FROM item_variations WHERE item_id = ? ORDER BY position', id)).toEqual(
      [
        { value: '{"en":"S"}', active: 1 },
        { value: '{"en":"M"}', active: 1 },
      ],
    );
    await deskResult(rpc, 'setup.update', {
      kind: 'item',
      eventId,
      parentId: null,
      id,
      fields: { price: '15', active: false, taxRuleId: null, requireApproval: true },
    });
    expect(rows<ItemColumns>(`SELECT ${ITEM_COLUMNS} FROM items WHERE id = ?`, id)).toEqual([
      {
        name: '{"en":"Shirt"}',
        default_price: '15.00',
        tax_rule_id: null,
        admission: 0,
        require_approval: 1,
        active: 0,
      },
    ]);
    const { id: large } = await deskResult(rpc, 'setup.create', {
      kind: 'variation',
      eventId,
      parentId: id,
      fields: { value: { en: 'L' }, price: '17.00', active: true, position: 2 },
    });
    expect(rows('SELECT value, default_price, position FROM item_variations WHERE id = ?', large)).toEqual([
      { value: '{"en":"L"}', default_price: '17.00', position: 2 },
    ]);
    await deskResult(rpc, 'setup.delete', { kind: 'variation', eventId, parentId: id, id: large });
    expect(rows('SELECT id FROM item_variations WHERE id = ?', large)).toEqual([]);
  });

  it('refuses fields of the wrong type, a negative price and a blank name in plain words, saving nothing', async () => {
    const { rpc, eventId, count } = setupDesk();
    const before = count('items');
    const attempt = setupAttempt(rpc, newItem(eventId));
    expect(await attempt({ price: 12 })).toMatchObject({
      error: { status: 400, code: 'invalid_input', message: 'Price: A valid number is required.' },
    });
    expect(await attempt({ price: 'twelve' })).toMatchObject({
      error: { status: 400, message: 'Price: A valid number is required.' },
    });
    expect(await attempt({ price: '-1.00' })).toMatchObject({
      error: { status: 400, code: 'negative_price', message: 'Price: A price cannot be negative.' },
    });
    // pretix's prices have 13 digits, 2 of them after the point.
    expect(await attempt({ price: '99999999999999999' })).toMatchObject({
      error: {
        status: 400,
        message: 'Price: Ensure that there are no more than 11 digits before the decimal point.',
      },
    });
    expect(await attempt({ admission: 'yes' })).toMatchObject({
      error: { status: 400, message: 'Admission: Must be a valid boolean.' },
    });
    expect(await attempt({ taxRuleId: 'VAT' })).toMatchObject({ error: { status: 400 } });
    expect(await attempt({ name: { en: ' ' } })).toMatchObject({
      error: { status: 400, message: 'Name: This field may not be blank.' },
    });
    expect(await attempt({ variations: 'S, M' })).toMatchObject({ error: { status: 400 } });
    expect(count('items')).toBe(before);
    expect(count('item_variations')).toBe(0);
  });

  it("refuses another event's tax rule and leaves the product as it was", async () => {
    const { rpc, engine, eventId, otherEventId, itemId, rows, count } = setupDesk();
    const foreignRule = fixtureTaxRule(engine, otherEventId);
    const before = count('items');
    expect(await rpc.call('setup.create', newItem(eventId, { taxRuleId: foreignRule }))).toMatchObject({
      error: {
        status: 400,
        body: { tax_rule: ["The item's tax rule must belong to the same event as the item."] },
      },
    });
    expect(await rpc.call('setup.create', newItem(eventId, { taxRuleId: 9999 }))).toMatchObject({
      error: { status: 400, body: { tax_rule: ['Invalid pk "9999" - object does not exist.'] } },
    });
    const change = await rpc.call('setup.update', {
      kind: 'item',
      eventId,
      parentId: null,
      id: itemId,
      fields: { taxRuleId: foreignRule, price: '1.00' },
    });
    expect(change).toMatchObject({ error: { status: 400 } });
    expect(count('items')).toBe(before);
    expect(rows('SELECT default_price, tax_rule_id FROM items WHERE id = ?', itemId)).toEqual([
      { default_price: '35.00', tax_rule_id: null },
    ]);
  });

  it("adds no variation to a product without them, to another event's product, nor at a negative price", async () => {
    const { rpc, engine, eventId, otherEventId, itemId, count } = setupDesk();
    const foreignItem = fixtureItem(engine, otherEventId);
    const variation = (parentId: number, fields: Record<string, unknown> = {}) =>
      rpc.call('setup.create', {
        kind: 'variation',
        eventId,
        parentId,
        fields: { value: { en: 'Balcony' }, price: null, active: true, position: 0, ...fields },
      } as RpcInput<'setup.create'>);
    expect(await variation(itemId)).toMatchObject({ error: { status: 403 } });
    expect(await variation(foreignItem)).toMatchObject({ error: { status: 404 } });
    const { id: shirt } = await deskResult(
      rpc,
      'setup.create',
      newItem(eventId, { variations: [{ en: 'S' }] }),
    );
    expect(await variation(shirt, { price: '-5' })).toMatchObject({ error: { code: 'negative_price' } });
    expect(await variation(shirt, { position: -1 })).toMatchObject({ error: { status: 400 } });
    expect(await variation(shirt, { value: 'Balcony' })).toMatchObject({ error: { status: 400 } });
    expect(count('item_variations')).toBe(1);
  });
});
