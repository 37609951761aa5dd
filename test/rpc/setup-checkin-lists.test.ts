import { describe, expect, it } from 'vitest';
import type { CheckinListSetup, RpcInput } from '../../shared/contract';
import { deskResult, setupAttempt, setupDesk } from '../support/desk-rpc';

/** A new check-in list as the Setup screen sends it. */
function newList(eventId: number, fields: Partial<CheckinListSetup> = {}) {
  return {
    kind: 'checkin_list',
    eventId,
    parentId: null,
    fields: { name: 'Main entrance', allProducts: true, ...fields },
  } satisfies RpcInput<'setup.create'>;
}

const LIST_COLUMNS = 'event_id, name, all_products, subevent_id';

describe('Setup sends a check-in list as typed fields', () => {
  it('creates a list admitting every product, renames it and deletes it', async () => {
    const { rpc, eventId, rows } = setupDesk();
    const { id } = await deskResult(rpc, 'setup.create', newList(eventId));
    expect(rows(`SELECT ${LIST_COLUMNS} FROM checkin_lists WHERE id = ?`, id)).toEqual([
      { event_id: eventId, name: 'Main entrance', all_products: 1, subevent_id: null },
    ]);
    await deskResult(rpc, 'setup.update', {
      kind: 'checkin_list',
      eventId,
      parentId: null,
      id,
      fields: { name: 'Side door', allProducts: false },
    });
    expect(rows(`SELECT ${LIST_COLUMNS} FROM checkin_lists WHERE id = ?`, id)).toEqual([
      { event_id: eventId, name: 'Side door', all_products: 0, subevent_id: null },
    ]);
    await deskResult(rpc, 'setup.delete', { kind: 'checkin_list', eventId, parentId: null, id });
    expect(rows('SELECT id FROM checkin_lists WHERE id = ?', id)).toEqual([]);
  });

  it('refuses a blank or overlong name and fields of the wrong type, in plain words, saving nothing', async () => {
    const { rpc, eventId, count } = setupDesk();
    const before = count('checkin_lists');
    const attempt = setupAttempt(rpc, newList(eventId));
    expect(await attempt({ name: '   ' })).toMatchObject({
      error: { status: 400, message: 'Name: This field may not be blank.' },
    });
    expect(await attempt({ name: 'x'.repeat(191) })).toMatchObject({
      error: { status: 400, message: 'Name: Ensure this field has no more than 190 characters.' },
    });
    expect(await attempt({ name: 7 })).toMatchObject({ error: { status: 400 } });
    expect(await attempt({ allProducts: 'true' })).toMatchObject({
      error: { status: 400, message: 'All products: Must be a valid boolean.' },
    });
    expect(count('checkin_lists')).toBe(before);
  });

  it("does not change or delete another event's list", async () => {
    const { rpc, eventId, otherEventId, rows } = setupDesk();
    const { id } = await deskResult(rpc, 'setup.create', newList(otherEventId, { name: 'Theirs' }));
    const change = await rpc.call('setup.update', {
      kind: 'checkin_list',
      eventId,
      parentId: null,
      id,
      fields: { name: 'Mine' },
    });
    expect(change).toMatchObject({ error: { status: 404 } });
    const remove = await rpc.call('setup.delete', { kind: 'checkin_list', eventId, parentId: null, id });
    expect(remove).toMatchObject({ error: { status: 404 } });
    expect(rows('SELECT event_id, name FROM checkin_lists WHERE id = ?', id)).toEqual([
      { event_id: otherEventId, name: 'Theirs' },
    ]);
  });
});
