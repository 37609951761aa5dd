import { describe, expect, it } from 'vitest';
import { fixtureEvent, fixtureItem } from '../fixtures/catalog';
import { testEngine } from '../helpers';
import { fixtureOrder } from '../engine/checkin/fixtures';
import { apiServers } from '../support/api';

/**
 * List orderings and filters as pretix declares them:
 * - orders: OrderViewSetMixin.ordering_fields and OrderFilter (src/pretix/api/views/order.py), through
 *   TotalOrderingFilter (src/pretix/api/pagination.py): DRF's OrderingFilter reads the last `ordering`
 *   parameter, drops unknown fields and falls back to the default;
 * - order positions: OrderPositionViewSet.ordering_fields and ordering_custom (views/order.py);
 * - check-in list positions and checkinrpc/search: CheckinListPositionViewSet / CheckinRPCSearchView
 *   ordering_fields (views/checkin.py);
 * - check-ins: CheckinViewSet (ordering created, id; fields created, datetime, id) and CheckinFilter.
 */

const servers = apiServers();

async function setup() {
  const { engine, clock, organizerId } = testEngine('2026-06-01T18:00:00Z');
  const eventId = fixtureEvent(engine, organizerId, { slug: 'gala' });
  const ticket = fixtureItem(engine, eventId, { name: 'Ticket' });
  const { app, admin: headers } = await servers.startAsAdmin(engine, organizerId);
  const get = (url: string) => app.inject({ method: 'GET', url, headers });
  const post = (url: string, payload: unknown) =>
    app.inject({ method: 'POST', url, headers, payload: payload as object });
  const orders = [
    fixtureOrder(engine, organizerId, eventId, { positions: [{ itemId: ticket, attendeeName: 'Carla' }] }),
    fixtureOrder(engine, organizerId, eventId, { positions: [{ itemId: ticket, attendeeName: null }] }),
    fixtureOrder(engine, organizerId, eventId, { positions: [{ itemId: ticket, attendeeName: 'Anna' }] }),
  ];
  const stamps = ['2026-05-02T10:00:00.000Z', '2026-05-01T10:00:00.000Z', '2026-05-03T10:00:00.000Z'];
  orders.forEach((o, i) => {
    engine.db
      .prepare('UPDATE orders SET datetime = ?, last_modified = ?, cancellation_date = ? WHERE id = ?')
      .run(stamps[i], stamps[(i + 1) % 3], i === 0 ? stamps[0] : null, o.orderId);
  });
  const codes = orders.map(
    (o) =>
      (engine.db.prepare('SELECT code FROM orders WHERE id = ?').get(o.orderId) as { code: string }).code,
  );
  const list = await post('/api/v1/organizers/box-office/events/gala/checkinlists/', {
    name: 'Door',
    all_products: true,
  });
  expect(list.statusCode).toBe(201);
  return { engine, clock, get, post, orders, codes, listId: list.json().id as number };
}

const EVENT = '/api/v1/organizers/box-office/events/gala';

describe('order list ordering and filters (OrderViewSetMixin, OrderFilter)', () => {
  it('orders by every documented field, both directions, and ignores what it does not know', async () => {
    const { get, codes } = await setup();
    const [c0, c1, c2] = codes as [string, string, string];
    const order = async (q: string) =>
      ((await get(`${EVENT}/orders/?${q}`)).json().results as { code: string }[]).map((r) => r.code);
    expect(await order('')).toEqual([c1, c0, c2]); // default: datetime
    expect(await order('ordering=-datetime')).toEqual([c2, c0, c1]);
    expect(await order('ordering=last_modified')).toEqual([c0, c2, c1]);
    expect(await order('ordering=code')).toEqual([...codes].sort());
    expect(await order('ordering=-code')).toEqual([...codes].sort().reverse());
    // NULL cancellation dates sort as on PostgreSQL: last ascending, first descending.
    expect((await order('ordering=cancellation_date'))[0]).toBe(c0);
    expect((await order('ordering=-cancellation_date'))[2]).toBe(c0);
    // Unknown fields are dropped, never an error; only unknown ones: the default.
    expect(await order('ordering=nonsense')).toEqual([c1, c0, c2]);
    expect(await order('ordering=email,-datetime')).toEqual([c2, c0, c1]);
    expect(await order('ordering=;DROP%20TABLE%20orders')).toEqual([c1, c0, c2]);
    expect(await order('ordering=-')).toEqual([c1, c0, c2]);
    // DRF reads the last `ordering` parameter only.
    expect(await order('ordering=datetime&ordering=-datetime')).toEqual([c2, c0, c1]);
  });

  it('filters by customer (no order has one in Guichet) and answers 400 for a bad date', async () => {
    const { get } = await setup();
    expect((await get(`${EVENT}/orders/?customer=ABC`)).json().count).toBe(0);
    const bad = await get(`${EVENT}/orders/?modified_since=yesterday`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ modified_since: ['Enter a valid date/time.'] });
  });
});

describe('order position ordering (OrderPositionViewSet)', () => {
  it('sorts attendee_name with nulls first, -attendee_name as pretix serves it, and ignores unknown fields', async () => {
    const { get } = await setup();
    const names = async (q: string) =>
      ((await get(`${EVENT}/orderpositions/?${q}`)).json().results as { attendee_name: string | null }[]).map(
        (r) => r.attendee_name,
      );
    expect(await names('ordering=attendee_name')).toEqual([null, 'Anna', 'Carla']);
    // ordering_custom['-attendee_name'] is F('display_name').asc(nulls_last=True) in pretix.
    expect(await names('ordering=-attendee_name')).toEqual(['Anna', 'Carla', null]);
    expect(await names('ordering=-order__datetime')).toEqual(['Anna', 'Carla', null]);
    expect(await names('ordering=unknown')).toEqual([null, 'Carla', 'Anna']);
    for (const field of ['order__code', 'order__datetime', 'positionid', 'attendee_name', 'order__status']) {
      for (const q of [field, `-${field}`, `${field},positionid`, `-${field},-positionid`]) {
        expect((await get(`${EVENT}/orderpositions/?ordering=${q}`)).statusCode, q).toBe(200);
      }
    }
  });
});

describe('check-in list positions and checkinrpc/search orderings', () => {
  it('accept every documented field and ignore unknown ones', async () => {
    const { get, listId } = await setup();
    for (const field of [
      'order__code',
      'order__datetime',
      'positionid',
      'attendee_name',
      'last_checked_in',
      'order__email',
      'nonsense',
    ]) {
      for (const q of [field, `-${field}`]) {
        const list = await get(`${EVENT}/checkinlists/${listId}/positions/?ordering=${q}`);
        expect(list.statusCode, q).toBe(200);
        expect(list.json().count).toBe(3);
        const rpc = await get(
          `/api/v1/organizers/box-office/checkinrpc/search/?list=${listId}&ordering=${q}`,
        );
        expect(rpc.statusCode, q).toBe(200);
      }
    }
  });
});

describe('check-in list positions: where nulls sort', () => {
  // pretix src/pretix/api/views/checkin.py, CheckinListPositionViewSet.ordering_custom:
  // 'attendee_name': F('display_name').asc(nulls_first=True), '-attendee_name': .desc(nulls_last=True),
  // display_name = Coalesce('attendee_name_cached', 'addon_to__attendee_name_cached');
  // 'last_checked_in': nulls_first=True, '-last_checked_in': nulls_last=True, descending=True;
  // default ordering ('attendee_name_cached', 'positionid'): a plain field, nulls last on PostgreSQL.
  it('puts missing names and check-in times first ascending and last descending, as PostgreSQL does', async () => {
    const { engine, get, post, orders, listId } = await setup();
    // A billing name is not an attendee name: the nameless position still sorts as a null.
    engine.db
      .prepare("INSERT INTO invoice_addresses (order_id, last_modified, name_cached) VALUES (?, ?, 'Aaron')")
      .run(orders[1]!.orderId, '2026-05-01T10:00:00Z');
    const [carla, nameless, anna] = orders.map((o) => o.secrets[0]!);
    const names = async (q: string) =>
      (
        (await get(`${EVENT}/checkinlists/${listId}/positions/?${q}`)).json().results as { secret: string }[]
      ).map((r) => ({ [carla!]: 'Carla', [anna!]: 'Anna', [nameless!]: null })[r.secret]);
    expect(await names('ordering=attendee_name')).toEqual([null, 'Anna', 'Carla']);
    expect(await names('ordering=-attendee_name')).toEqual(['Carla', 'Anna', null]);
    expect(await names('')).toEqual(['Anna', 'Carla', null]);

    const redeem = (secret: string, datetime: string) =>
      post(`${EVENT}/checkinlists/${listId}/positions/${secret}/redeem/`, { datetime });
    expect((await redeem(carla!, '2026-06-01T17:00:00Z')).statusCode).toBe(201);
    expect((await redeem(anna!, '2026-06-01T16:00:00Z')).statusCode).toBe(201);
    expect(await names('ordering=last_checked_in')).toEqual([null, 'Anna', 'Carla']);
    expect(await names('ordering=-last_checked_in')).toEqual(['Carla', 'Anna', null]);
  });
});

describe('check-ins list (CheckinViewSet, CheckinFilter)', () => {
  it('filters by type, success, list, dates and orders by created, datetime or id', async () => {
    const { get, post, clock, orders, listId, engine } = await setup();
    const secrets = orders.map((o) => o.secrets[0]!);
    const redeem = (secret: string, body: Record<string, unknown> = {}) =>
      post(`${EVENT}/checkinlists/${listId}/positions/${secret}/redeem/`, body);
    expect((await redeem(secrets[0]!, { datetime: '2026-06-01T17:00:00Z' })).statusCode).toBe(201);
    clock.advanceMinutes(1);
    expect((await redeem(secrets[1]!, { datetime: '2026-06-01T16:00:00Z' })).statusCode).toBe(201);
    clock.advanceMinutes(1);
    expect((await redeem(secrets[1]!, { type: 'exit', datetime: '2026-06-01T18:30:00Z' })).statusCode).toBe(
      201,
    );
    clock.advanceMinutes(1);
    expect((await redeem('unknown-secret')).statusCode).toBe(404);

    const ids = async (q: string) =>
      ((await get(`${EVENT}/checkins/?${q}`)).json().results as { id: number }[]).map((r) => r.id);
    const all = await ids('');
    expect(all).toHaveLength(4);
    expect(all).toEqual([...all].sort((a, b) => a - b)); // default: created, id
    expect(await ids('ordering=-id')).toEqual([...all].reverse());
    expect(await ids('ordering=datetime')).toEqual([all[1], all[0], all[3], all[2]]);
    expect(await ids('ordering=bogus')).toEqual(all);

    expect(await ids('type=exit')).toEqual([all[2]]);
    expect(await ids('successful=false')).toEqual([all[3]]);
    expect(await ids('successful=true&type=entry')).toEqual([all[0], all[1]]);
    expect(await ids(`list=${listId}`)).toHaveLength(4);
    expect(await ids('datetime_before=2026-06-01T17:00:00Z')).toEqual([all[1]]);
    expect(await ids('datetime_since=2026-06-01T17:00:00Z&type=entry')).toEqual([all[0], all[3]]);
    expect(await ids('created_since=2026-06-01T18:02:00Z')).toEqual([all[2], all[3]]);
    expect(await ids('created_before=2026-06-01T18:01:00Z')).toEqual([all[0]]);
    expect(await ids('auto_checked_in=true')).toEqual([]);
    expect(await ids('error_reason=invalid')).toEqual([all[3]]);
    expect(engine.db.prepare('SELECT COUNT(*) AS n FROM checkins').get()).toEqual({ n: 4 });

    for (const [q, key, message] of [
      ['type=sideways', 'type', 'Select a valid choice. sideways is not one of the available choices.'],
      [
        'error_reason=nope',
        'error_reason',
        'Select a valid choice. nope is not one of the available choices.',
      ],
      ['list=99999', 'list', 'Select a valid choice. That choice is not one of the available choices.'],
      ['device=x', 'device', 'Select a valid choice. That choice is not one of the available choices.'],
      ['gate=12', 'gate', 'Select a valid choice. That choice is not one of the available choices.'],
      ['created_since=soon', 'created_since', 'Enter a valid date/time.'],
    ] as const) {
      const res = await get(`${EVENT}/checkins/?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json(), q).toEqual({ [key]: [message] });
    }
  });
});
