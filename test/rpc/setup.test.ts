import { describe, expect, it } from 'vitest';
import type { RpcInput } from '../../shared/contract';
import { deskResult, setupDesk } from '../support/desk-rpc';

type TaxRuleRow = { id: number; event_id: number; name: string; rate: string };

/** A new 19 % VAT rule of the event, as the Setup screen sends it. */
const vat = (eventId: number) =>
  ({
    kind: 'tax_rule',
    eventId,
    parentId: null,
    fields: { name: { en: 'VAT' }, rate: '19' },
  }) satisfies RpcInput<'setup.create'>;

describe('Setup sends a tax rule as typed fields', () => {
  it('creates and changes a rule from its name and rate, stored as the REST API stores it', async () => {
    const { rpc, eventId, rows } = setupDesk();
    const { id } = await deskResult(rpc, 'setup.create', vat(eventId));
    await deskResult(rpc, 'setup.update', {
      kind: 'tax_rule',
      eventId,
      parentId: null,
      id,
      fields: { rate: '7.5' },
    });
    expect(rows<TaxRuleRow>('SELECT id, event_id, name, rate FROM tax_rules')).toEqual([
      { id, event_id: eventId, name: '{"en":"VAT"}', rate: '7.50' },
    ]);
    await deskResult(rpc, 'setup.delete', { kind: 'tax_rule', eventId, parentId: null, id });
    expect(rows('SELECT id FROM tax_rules')).toEqual([]);
  });

  it('refuses a rate outside 0–100 %, a rate that is no number and a blank name, in plain words, saving nothing', async () => {
    const { rpc, eventId, count } = setupDesk();
    const attempt = (fields: unknown) =>
      rpc.call('setup.create', { kind: 'tax_rule', eventId, parentId: null, fields });
    expect(await attempt({ name: { en: 'VAT' }, rate: '-19' })).toMatchObject({
      error: { status: 400, message: 'Tax rate: Ensure this value is greater than or equal to 0.00.' },
    });
    expect(await attempt({ name: { en: 'VAT' }, rate: '100.01' })).toMatchObject({
      error: { status: 400, message: 'Tax rate: Ensure this value is less than or equal to 100.00.' },
    });
    expect(await attempt({ name: { en: 'VAT' }, rate: 'nineteen' })).toMatchObject({
      error: { status: 400, message: 'Tax rate: A valid number is required.' },
    });
    expect(await attempt({ name: { en: 'VAT' }, rate: 19 })).toMatchObject({
      error: { status: 400, message: 'Tax rate: A valid number is required.' },
    });
    expect(await attempt({ name: { en: 'VAT' }, rate: '7.555' })).toMatchObject({
      error: { status: 400, message: 'Tax rate: Ensure that there are no more than 2 decimal places.' },
    });
    expect(await attempt({ name: { en: '  ' }, rate: '19' })).toMatchObject({
      error: { status: 400, message: 'Name: This field may not be blank.' },
    });
    expect(await attempt({ name: 'VAT', rate: '19' })).toMatchObject({ error: { status: 400 } });
    // What is not a field of the desk's tax rule is left out, as elsewhere at the desk.
    expect(await attempt({ name: { en: 'VAT' }, rate: '19', price_includes_tax: 'nope' })).toMatchObject({
      result: {},
    });
    expect(count('tax_rules')).toBe(1);
  });

  it('refuses a change to a rate above 100 % and leaves the rule as it was', async () => {
    const { rpc, eventId, rows } = setupDesk();
    const { id } = await deskResult(rpc, 'setup.create', vat(eventId));
    const reply = await rpc.call('setup.update', {
      ...vat(eventId),
      id,
      fields: { name: { en: 'Luxury' }, rate: '150' },
    });
    expect(reply).toMatchObject({ error: { status: 400, code: 'invalid' } });
    expect(rows<TaxRuleRow>('SELECT name, rate FROM tax_rules')).toEqual([
      { name: '{"en":"VAT"}', rate: '19.00' },
    ]);
  });

  it("does not change or delete another event's rule, nor one of an event that does not exist", async () => {
    const { rpc, eventId, otherEventId, rows } = setupDesk();
    const { id } = await deskResult(rpc, 'setup.create', vat(otherEventId));
    const change = await rpc.call('setup.update', { ...vat(eventId), id, fields: { rate: '0' } });
    expect(change).toMatchObject({ error: { status: 404 } });
    const remove = await rpc.call('setup.delete', { kind: 'tax_rule', eventId, parentId: null, id });
    expect(remove).toMatchObject({ error: { status: 404 } });
    const nowhere = await rpc.call('setup.create', vat(999));
    expect(nowhere).toMatchObject({ error: { status: 404 } });
    expect(rows<TaxRuleRow>('SELECT event_id, rate FROM tax_rules')).toEqual([
      { event_id: otherEventId, rate: '19.00' },
    ]);
  });
});
