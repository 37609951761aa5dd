import { describe, expect, it } from 'vitest';
import type { QuotaSetup, RpcInput } from '../../shared/contract';
import { fixtureEvent, fixtureItem, fixtureVariation } from '../fixtures/catalog';
import { deskResult, setupAttempt, setupDesk } from '../support/desk-rpc';

/** A new quota as the Setup screen sends it. */
function newQuota(eventId: number, fields: Partial<QuotaSetup> = {}) {
  return {
    kind: 'quota',
    eventId,
    parentId: null,
    fields: { name: 'Hall', size: '40', items: [], variations: [], subeventId: null, ...fields },
  } satisfies RpcInput<'setup.create'>;
}

describe('Setup sends a quota as typed fields', () => {
  it('creates a quota of a product and its variations, changes its size and products', async () => {
    const { rpc, engine, eventId, itemId, rows } = setupDesk();
    const shirt = fixtureItem(engine, eventId, { name: 'Shirt' });
    const small = fixtureVariation(engine, shirt, 'S');
    const { id } = await deskResult(
      rpc,
      'setup.create',
      newQuota(eventId, { items: [itemId, shirt], variations: [small] }),
    );
    expect(rows('SELECT event_id, name, size, subevent_id FROM quotas WHERE id = ?', id)).toEqual([
      { event_id: eventId, name: 'Hall', size: 40, subevent_id: null },
    ]);
    expect(rows('SELECT item_id FROM quota_items WHERE quota_id = ? ORDER BY item_id', id)).toEqual([
      { item_id: itemId },
      { item_id: shirt },
    ]);
    expect(rows('SELECT variation_id FROM quota_variations WHERE quota_id = ?', id)).toEqual([
      { variation_id: small },
    ]);
    const update = (fields: Partial<QuotaSetup>) =>
      deskResult(rpc, 'setup.update', { kind: 'quota', eventId, parentId: null, id, fields });
    await update({ size: null });
    await update({ items: [itemId], variations: [] });
    expect(rows('SELECT size FROM quotas WHERE id = ?', id)).toEqual([{ size: null }]);
    expect(rows('SELECT item_id FROM quota_items WHERE quota_id = ?', id)).toEqual([{ item_id: itemId }]);
    await update({ size: ' 12 ' });
    expect(rows('SELECT size FROM quotas WHERE id = ?', id)).toEqual([{ size: 12 }]);
  });

  it('refuses a size that is no count, fields of the wrong type and a blank name, in plain words, saving nothing', async () => {
    const { rpc, eventId, itemId, count } = setupDesk();
    const before = count('quotas');
    const attempt = setupAttempt(rpc, newQuota(eventId));
    expect(await attempt({ size: 'forty' })).toMatchObject({
      error: { status: 400, message: 'Size: A valid integer is required.' },
    });
    expect(await attempt({ size: '-1' })).toMatchObject({
      error: { status: 400, message: 'Size: Ensure this value is greater than or equal to 0.' },
    });
    expect(await attempt({ size: '2.5' })).toMatchObject({ error: { status: 400 } });
    expect(await attempt({ size: 40 })).toMatchObject({ error: { status: 400 } });
    expect(await attempt({ items: String(itemId) })).toMatchObject({ error: { status: 400 } });
    expect(await attempt({ items: [-1] })).toMatchObject({ error: { status: 400 } });
    expect(await attempt({ name: '  ' })).toMatchObject({
      error: { status: 400, message: 'Name: This field may not be blank.' },
    });
    expect(count('quotas')).toBe(before);
  });

  it("refuses another event's products and variations, and a product without its variations", async () => {
    const { rpc, engine, eventId, otherEventId, quotaId, itemId, rows, count } = setupDesk();
    const foreign = fixtureItem(engine, otherEventId);
    const foreignVariation = fixtureVariation(engine, foreign, 'S');
    const shirt = fixtureItem(engine, eventId, { name: 'Shirt' });
    fixtureVariation(engine, shirt, 'S');
    const before = count('quotas');
    expect(await rpc.call('setup.create', newQuota(eventId, { items: [foreign] }))).toMatchObject({
      error: { status: 400, body: { items: [`Invalid pk "${foreign}" - object does not exist.`] } },
    });
    expect(
      await rpc.call('setup.create', newQuota(eventId, { items: [itemId], variations: [foreignVariation] })),
    ).toMatchObject({
      error: {
        status: 400,
        body: { variations: [`Invalid pk "${foreignVariation}" - object does not exist.`] },
      },
    });
    expect(await rpc.call('setup.create', newQuota(eventId, { items: [shirt] }))).toMatchObject({
      error: {
        status: 400,
        body: {
          non_field_errors: [
            'One or more items has variations but none of these are in the variations list.',
          ],
        },
      },
    });
    const change = await rpc.call('setup.update', {
      kind: 'quota',
      eventId,
      parentId: null,
      id: quotaId,
      fields: { items: [foreign], size: '1' },
    });
    expect(change).toMatchObject({ error: { status: 400 } });
    expect(count('quotas')).toBe(before);
    expect(rows('SELECT size FROM quotas WHERE id = ?', quotaId)).toEqual([{ size: 10 }]);
    expect(rows('SELECT item_id FROM quota_items WHERE quota_id = ?', quotaId)).toEqual([
      { item_id: itemId },
    ]);
  });

  it("needs a date of the series, never another event's", async () => {
    const { rpc, engine, organizerId, count } = setupDesk();
    const series = fixtureEvent(engine, organizerId, { slug: 'festival', has_subevents: true });
    const ticket = fixtureItem(engine, series);
    const day = (eventId: number) =>
      Number(
        engine.db
          .prepare(
            `INSERT INTO subevents (event_id, name, date_from) VALUES (?, '{"en":"Day"}', '2030-06-02T18:00:00Z')`,
          )
          .run(eventId).lastInsertRowid,
      );
    const own = day(series);
    const other = fixtureEvent(engine, organizerId, { slug: 'tour', has_subevents: true });
    const foreignDay = day(other);
    const before = count('quotas');
    expect(await rpc.call('setup.create', newQuota(series, { items: [ticket] }))).toMatchObject({
      error: { status: 400, body: { non_field_errors: ['Subevent cannot be null for event series.'] } },
    });
    expect(
      await rpc.call('setup.create', newQuota(series, { items: [ticket], subeventId: foreignDay })),
    ).toMatchObject({
      error: { status: 400, body: { subevent: [`Invalid pk "${foreignDay}" - object does not exist.`] } },
    });
    expect(count('quotas')).toBe(before);
    await deskResult(rpc, 'setup.create', newQuota(series, { items: [ticket], subeventId: own }));
    expect(count('quotas')).toBe(before + 1);
  });
});
