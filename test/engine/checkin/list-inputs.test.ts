import { describe, expect, it } from 'vitest';
import { createEvent, createItem, createSubevent } from '../../../main/engine/catalog';
import { createCheckinList, updateCheckinList } from '../../../main/engine/checkin';
import type { EngineContext } from '../../../main/engine/context';
import { refusalOf, testEngine } from '../../helpers';

/** Check-in lists created with typed inputs, as the desk creates them: the list's rules hold without a door. */
describe('check-in lists with typed inputs', () => {
  it("refuses another event's products and dates, storing nothing", () => {
    const t = testEngine();
    const run = <T>(command: (ctx: EngineContext) => T) => t.engine.command(command);
    const event = (slug: string, series: boolean) =>
      run(
        (ctx) =>
          createEvent(ctx, t.organizerId, {
            name: { en: slug },
            slug,
            dateFrom: new Date('2030-01-01T10:00:00Z'),
            hasSubevents: series,
          }).id,
      );
    const series = event('series', true);
    const other = event('other', true);
    const ticket = run((ctx) => createItem(ctx, series, { name: { en: 'Ticket' } }));
    const foreignItem = run((ctx) => createItem(ctx, other, { name: { en: 'Ticket' } }));
    const foreignDate = run((ctx) =>
      createSubevent(ctx, other, {
        name: { en: 'Day' },
        dateFrom: new Date('2030-01-02T10:00:00Z'),
        metaData: {},
      }),
    );
    const lists = () => t.engine.db.prepare('SELECT COUNT(*) AS n FROM checkin_lists').get();
    const before = lists();
    expect(
      refusalOf(() =>
        run((ctx) =>
          createCheckinList(ctx, {
            eventId: series,
            data: { name: 'Door', limitProducts: [ticket, foreignItem], subevent: foreignDate },
          }),
        ),
      ),
    ).toEqual({
      status: 400,
      body: {
        non_field_errors: [
          'One or more items do not belong to this event.',
          'The subevent does not belong to this event.',
        ],
      },
    });
    expect(lists()).toEqual(before);
    const door = run((ctx) =>
      createCheckinList(ctx, { eventId: series, data: { name: 'Door', limitProducts: [ticket, ticket] } }),
    );
    expect(door).toMatchObject({ name: 'Door', all_products: false, limit_products: [ticket] });
    expect(
      refusalOf(() =>
        run((ctx) =>
          updateCheckinList(ctx, {
            eventId: series,
            listId: door.id,
            data: { limitProducts: [foreignItem] },
          }),
        ),
      ),
    ).toMatchObject({ status: 400 });
    expect(
      t.engine.db.prepare('SELECT item_id FROM checkin_list_items WHERE list_id = ?').all(door.id),
    ).toEqual([{ item_id: ticket }]);
  });
});
