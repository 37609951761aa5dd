import { describe, expect, it } from 'vitest';
import { createCheckinList } from '../../../main/engine/checkin/lists';
import { checkinsOfPositions, searchPositions } from '../../../main/engine/db/queries/checkin/positions';
import { checkinListStatus } from '../../../main/engine/checkin/list-status';
import {
  annulCheckin,
  eventOfRedeemableList,
  failedCheckinLookups,
  recordFailedCheckin,
  redeem,
  type RedeemInput,
} from '../../../main/engine/checkin/redeem';
import { failedCheckinBody, redeemBody } from '../../../main/api/schemas/checkin';
import type { Engine } from '../../../main/engine/engine';
import { fixtureEvent, fixtureItem, fixtureQuestion } from '../../fixtures/catalog';
import { testEngine } from '../../helpers';
import { fixtureOrder, fixtureSubevent } from './fixtures';

function setup() {
  const { engine, clock, organizerId } = testEngine('2026-06-01T18:00:00Z');
  const eventId = fixtureEvent(engine, organizerId, { slug: 'gala' });
  const ticket = fixtureItem(engine, eventId, { name: 'Ticket' });
  const other = fixtureItem(engine, eventId, { name: 'Other' });
  /** A new check-in list of the event. */
  const newList = (data: Parameters<typeof createCheckinList>[1]['data']) =>
    engine.command((ctx) => createCheckinList(ctx, { eventId, data }));
  const list = newList({ name: 'Door', allProducts: false, limitProducts: [ticket] });
  return { engine, clock, organizerId, eventId, ticket, other, list, newList };
}

type ScanInput = Omit<RedeemInput, 'organizerId' | 'secret' | 'datetime'> & {
  secret: string | undefined;
  datetime?: string;
};

function scan(engine: Engine, organizerId: number, input: ScanInput) {
  const { secret, datetime, ...rest } = input;
  return engine.command((ctx) =>
    redeem(ctx, {
      organizerId,
      ...rest,
      secret: secret!,
      datetime: datetime === undefined ? undefined : new Date(datetime),
    }),
  );
}

/** A redeem request as the REST door reads it: its body parsed, then redeemed. */
function scanRequest(engine: Engine, organizerId: number, body: Record<string, unknown>) {
  const lookups = {
    eventOfList: (listId: number) => eventOfRedeemableList(engine.db, { organizerId, listId }),
  };
  const request = redeemBody(body, lookups, { legacy: false, timeZone: 'UTC' });
  return engine.command((ctx) => redeem(ctx, { organizerId, ...request }));
}

function successfulCount(engine: Engine, positionId: number): number {
  return (
    engine.db
      .prepare('SELECT COUNT(*) AS n FROM checkins WHERE position_id = ? AND successful = 1')
      .get(positionId) as { n: number }
  ).n;
}

describe('redeem', () => {
  it('checks a paid ticket in once, touches the order, then refuses it as already redeemed', () => {
    const { engine, clock, organizerId, eventId, ticket, list } = setup();
    const { orderId, positionIds, secrets } = fixtureOrder(engine, organizerId, eventId, {
      positions: [{ itemId: ticket }],
    });
    clock.advanceMinutes(5);
    const first = scan(engine, organizerId, { secret: secrets[0], lists: [list.id] });
    expect(first).toMatchObject({ status: 'ok', httpStatus: 201, positionId: positionIds[0] });
    const order = engine.db.prepare('SELECT last_modified FROM orders WHERE id = ?').get(orderId) as {
      last_modified: string;
    };
    expect(order.last_modified).toBe('2026-06-01T18:05:00.000Z');
    const second = scan(engine, organizerId, { secret: secrets[0], lists: [list.id] });
    expect(second).toMatchObject({ status: 'error', httpStatus: 400, reason: 'already_redeemed' });
    expect(successfulCount(engine, positionIds[0]!)).toBe(1);
    const failed = engine.db
      .prepare('SELECT error_reason FROM checkins WHERE position_id = ? AND successful = 0')
      .all(positionIds[0]) as { error_reason: string }[];
    expect(failed).toEqual([{ error_reason: 'already_redeemed' }]);
  });

  it('answers 404 invalid for an unknown secret, even with force, and logs the scan', () => {
    const { engine, organizerId, list } = setup();
    const result = scan(engine, organizerId, { secret: 'nothing-like-this', lists: [list.id], force: true });
    expect(result).toMatchObject({ status: 'error', httpStatus: 404, reason: 'invalid', positionId: null });
    const logged = engine.db
      .prepare('SELECT raw_barcode, error_reason FROM checkins WHERE successful = 0')
      .all();
    expect(logged).toEqual([{ raw_barcode: 'nothing-like-this', error_reason: 'invalid' }]);
  });

  it('refuses with each reason in pretix order', () => {
    const { engine, organizerId, eventId, ticket, other, list } = setup();
    const reasonOf = (fields: Parameters<typeof fixtureOrder>[3], extra: Partial<ScanInput> = {}) => {
      const { secrets } = fixtureOrder(engine, organizerId, eventId, fields);
      return scan(engine, organizerId, { secret: secrets[0], lists: [list.id], ...extra }).reason;
    };
    expect(reasonOf({ status: 'c', positions: [{ itemId: ticket }] })).toBe('canceled');
    expect(reasonOf({ status: 'e', positions: [{ itemId: ticket }] })).toBe('canceled');
    expect(reasonOf({ positions: [{ itemId: ticket, canceled: true }] })).toBe('canceled');
    // canceled wins over every later check
    expect(reasonOf({ status: 'c', positions: [{ itemId: other, blocked: ['admin'] }] })).toBe('canceled');
    expect(reasonOf({ positions: [{ itemId: other, blocked: ['admin'] }] })).toBe('blocked');
    expect(reasonOf({ positions: [{ itemId: ticket, validFrom: '2026-06-02T00:00:00Z' }] })).toBe(
      'invalid_time',
    );
    expect(reasonOf({ positions: [{ itemId: ticket, validUntil: '2026-05-01T00:00:00Z' }] })).toBe(
      'invalid_time',
    );
    expect(reasonOf({ positions: [{ itemId: other, validUntil: '2026-05-01T00:00:00Z' }] })).toBe(
      'invalid_time',
    );
    expect(reasonOf({ positions: [{ itemId: other }] })).toBe('product');
    expect(reasonOf({ status: 'n', positions: [{ itemId: other }] })).toBe('product');
    expect(reasonOf({ status: 'n', requireApproval: true, positions: [{ itemId: ticket }] })).toBe(
      'unapproved',
    );
    expect(reasonOf({ status: 'n', positions: [{ itemId: ticket }] })).toBe('unpaid');
    expect(reasonOf({ status: 'n', positions: [{ itemId: ticket }] }, { ignoreUnpaid: true })).toBe('unpaid');
    expect(reasonOf({ status: 'n', validIfPending: true, positions: [{ itemId: ticket }] })).toBeUndefined();
  });

  it('lets pending orders in on an include_pending list only with ignore_unpaid', () => {
    const { engine, organizerId, eventId, ticket, newList } = setup();
    const pendingList = newList({ name: 'Pending ok', allProducts: true, includePending: true });
    const { secrets } = fixtureOrder(engine, organizerId, eventId, {
      status: 'n',
      positions: [{ itemId: ticket }],
    });
    expect(scan(engine, organizerId, { secret: secrets[0], lists: [pendingList.id] }).reason).toBe('unpaid');
    expect(
      scan(engine, organizerId, { secret: secrets[0], lists: [pendingList.id], ignoreUnpaid: true }).status,
    ).toBe('ok');
  });

  it('does not find a ticket of another date on a date-bound list, forced or not', () => {
    const { engine, organizerId, eventId, ticket, newList } = setup();
    engine.db.prepare('UPDATE events SET has_subevents = 1 WHERE id = ?').run(eventId);
    const day1 = fixtureSubevent(engine, eventId, 'Day 1', '2026-06-01T10:00:00Z');
    const day2 = fixtureSubevent(engine, eventId, 'Day 2', '2026-06-02T10:00:00Z');
    const day2List = newList({ name: 'Day 2', allProducts: true, subevent: day2 });
    const { secrets } = fixtureOrder(engine, organizerId, eventId, {
      positions: [{ itemId: ticket, subeventId: day1 }],
    });
    // pretix looks tickets up among the list's positions, which hold only that date's tickets.
    const refused = scan(engine, organizerId, { secret: secrets[0], lists: [day2List.id] });
    expect([refused.httpStatus, refused.reason]).toEqual([404, 'invalid']);
    const forced = scan(engine, organizerId, { secret: secrets[0], lists: [day2List.id], force: true });
    expect([forced.httpStatus, forced.reason, forced.status]).toEqual([404, 'invalid', 'error']);
    expect(engine.db.prepare('SELECT COUNT(*) AS n FROM checkins WHERE successful = 1').get()).toEqual({
      n: 0,
    });
    // A list of a single event cannot be bound to a date.
    const single = fixtureEvent(engine, organizerId, { slug: 'single' });
    expect(() =>
      engine.command((ctx) =>
        createCheckinList(ctx, { eventId: single, data: { name: 'X', allProducts: true, subevent: day1 } }),
      ),
    ).toThrow('The subevent does not belong to this event.');
  });

  it('refuses entries by rules with an explanation, lets exits through', () => {
    const { engine, organizerId, eventId, ticket, newList } = setup();
    const ruled = newList({
      name: 'Ruled',
      allProducts: true,
      rules: {
        inList: [{ var: 'product' }, { objectList: [{ lookup: ['product', String(ticket + 1000), 'X'] }] }],
      },
    });
    const { secrets } = fixtureOrder(engine, organizerId, eventId, { positions: [{ itemId: ticket }] });
    const refused = scan(engine, organizerId, { secret: secrets[0], lists: [ruled.id] });
    expect(refused).toMatchObject({ reason: 'rules', reasonExplanation: 'Ticket type not allowed' });
    expect(scan(engine, organizerId, { secret: secrets[0], lists: [ruled.id], type: 'exit' }).status).toBe(
      'ok',
    );
  });

  it('limits entries per day with entries_today', () => {
    const { engine, clock, organizerId, eventId, ticket, newList } = setup();
    const daily = newList({
      name: 'Daily',
      allProducts: true,
      allowMultipleEntries: true,
      rules: { '<': [{ var: 'entries_today' }, 1] },
    });
    const { secrets } = fixtureOrder(engine, organizerId, eventId, { positions: [{ itemId: ticket }] });
    expect(scan(engine, organizerId, { secret: secrets[0], lists: [daily.id] }).status).toBe('ok');
    expect(scan(engine, organizerId, { secret: secrets[0], lists: [daily.id] }).reason).toBe('rules');
    clock.advanceMinutes(24 * 60);
    expect(scan(engine, organizerId, { secret: secrets[0], lists: [daily.id] }).status).toBe('ok');
  });

  it('asks check-in questions, keeps valid answers, then admits with the answers', () => {
    const { engine, organizerId, eventId, ticket, list } = setup();
    const size = fixtureQuestion(engine, eventId, {
      type: 'C',
      items: [ticket],
      required: true,
      options: ['M', 'L'],
    });
    engine.db.prepare('UPDATE questions SET ask_during_checkin = 1 WHERE id = ?').run(size.id);
    const { positionIds, secrets } = fixtureOrder(engine, organizerId, eventId, {
      positions: [{ itemId: ticket }],
    });
    const asked = scan(engine, organizerId, { secret: secrets[0], lists: [list.id] });
    expect(asked).toMatchObject({ status: 'incomplete', httpStatus: 400, questionIds: [size.id] });
    const invalid = scan(engine, organizerId, {
      secret: secrets[0],
      lists: [list.id],
      answers: { [size.id]: 'XXL' },
    });
    expect(invalid.status).toBe('incomplete');
    // questions_supported=false and exits never ask
    expect(scan(engine, organizerId, { secret: secrets[0], lists: [list.id], type: 'exit' }).status).toBe(
      'ok',
    );
    const ok = scan(engine, organizerId, {
      secret: secrets[0],
      lists: [list.id],
      answers: { [size.id]: String(size.options[1]) },
    });
    expect(ok.status).toBe('ok');
    const answer = engine.db
      .prepare('SELECT answer, options FROM question_answers WHERE orderposition_id = ?')
      .get(positionIds[0]) as { answer: string; options: string };
    expect(answer).toEqual({ answer: 'L', options: JSON.stringify([size.options[1]]) });
  });

  it('flags attention and collects check-in texts from order, variation and product', () => {
    const { engine, organizerId, eventId, ticket, list } = setup();
    engine.db
      .prepare("UPDATE items SET checkin_text = 'Wristband', checkin_attention = 1 WHERE id = ?")
      .run(ticket);
    const { secrets } = fixtureOrder(engine, organizerId, eventId, {
      checkinText: 'VIP guest',
      positions: [{ itemId: ticket }],
    });
    expect(scan(engine, organizerId, { secret: secrets[0], lists: [list.id] })).toMatchObject({
      status: 'ok',
      requireAttention: true,
      checkinTexts: ['VIP guest', 'Wristband'],
    });
  });

  it('answers a repeated nonce with ok without a second check-in', () => {
    const { engine, organizerId, eventId, ticket, list } = setup();
    const { positionIds, secrets } = fixtureOrder(engine, organizerId, eventId, {
      positions: [{ itemId: ticket }],
    });
    const a = scan(engine, organizerId, { secret: secrets[0], lists: [list.id], nonce: 'abc' });
    const b = scan(engine, organizerId, { secret: secrets[0], lists: [list.id], nonce: 'abc' });
    expect(a.status).toBe('ok');
    expect(b).toMatchObject({ status: 'ok', httpStatus: 201 });
    expect(b.checkinId).toBeUndefined();
    expect(successfulCount(engine, positionIds[0]!)).toBe(1);
    expect(scan(engine, organizerId, { secret: secrets[0], lists: [list.id], nonce: 'other' }).reason).toBe(
      'already_redeemed',
    );
  });

  it('records a forced offline scan at its own time, whatever it meets', () => {
    const { engine, organizerId, eventId, other, list } = setup();
    const { positionIds, secrets } = fixtureOrder(engine, organizerId, eventId, {
      status: 'c',
      positions: [{ itemId: other }],
    });
    const result = scan(engine, organizerId, {
      secret: secrets[0],
      lists: [list.id],
      force: true,
      datetime: '2026-05-30T20:15:00Z',
      nonce: 'offline-1',
    });
    expect(result.status).toBe('ok');
    const row = engine.db
      .prepare('SELECT datetime, forced, nonce FROM checkins WHERE position_id = ? AND successful = 1')
      .get(positionIds[0]);
    expect(row).toEqual({ datetime: '2026-05-30T20:15:00.000Z', forced: 1, nonce: 'offline-1' });
  });

  it('re-admits after an exit unless the list forbids it, ordering by scan time', () => {
    const { engine, organizerId, eventId, ticket, newList } = setup();
    const strict = newList({ name: 'Strict', allProducts: true, allowEntryAfterExit: false });
    const relaxed = newList({ name: 'Relaxed', allProducts: true });
    const { secrets } = fixtureOrder(engine, organizerId, eventId, { positions: [{ itemId: ticket }] });
    for (const list of [strict, relaxed]) {
      scan(engine, organizerId, { secret: secrets[0], lists: [list.id], datetime: '2026-06-01T10:00:00Z' });
      scan(engine, organizerId, {
        secret: secrets[0],
        lists: [list.id],
        type: 'exit',
        datetime: '2026-06-01T11:00:00Z',
      });
    }
    expect(scan(engine, organizerId, { secret: secrets[0], lists: [strict.id] }).reason).toBe(
      'already_redeemed',
    );
    expect(scan(engine, organizerId, { secret: secrets[0], lists: [relaxed.id] }).status).toBe('ok');
    const status = checkinListStatus(engine.db, relaxed);
    expect(status).toMatchObject({ checkin_count: 1, position_count: 1, inside_count: 1 });
  });

  it('matches add-ons by their parent secret on addon_match lists', () => {
    const { engine, organizerId, eventId, ticket, other, newList } = setup();
    const addons = newList({
      name: 'Workshops',
      allProducts: false,
      limitProducts: [other],
      addonMatch: true,
    });
    const { positionIds, secrets } = fixtureOrder(engine, organizerId, eventId, {
      positions: [{ itemId: ticket }, { itemId: other, addonTo: 0, attendeeName: null }],
    });
    const result = scan(engine, organizerId, { secret: secrets[0], lists: [addons.id] });
    expect(result).toMatchObject({ status: 'ok', positionId: positionIds[1] });
  });

  it('rejects bad requests without writing anything', () => {
    const { engine, organizerId, list } = setup();
    expect(() => scanRequest(engine, organizerId, { secret: 'x', lists: [] })).toThrow(
      'No check-in list passed.',
    );
    expect(() => scanRequest(engine, organizerId, { secret: 'x', lists: [999] })).toThrow(
      /object does not exist/,
    );
    expect(() => scan(engine, organizerId, { secret: 'x', lists: [] })).toThrow('No check-in list passed.');
    expect(() => scan(engine, organizerId, { secret: 'x', lists: [999] })).toThrow(/object does not exist/);
    expect(() =>
      scanRequest(engine, organizerId, { secret: 'x', lists: [list.id], type: 'sideways' }),
    ).toThrow(/valid choice/);
    expect(() => scanRequest(engine, organizerId, { secret: undefined, lists: [list.id] })).toThrow(
      /required/,
    );
    expect((engine.db.prepare('SELECT COUNT(*) AS n FROM checkins').get() as { n: number }).n).toBe(0);
  });

  it('annuls a check-in by its nonce within 15 minutes', () => {
    const { engine, clock, organizerId, eventId, ticket, list } = setup();
    const { positionIds, secrets } = fixtureOrder(engine, organizerId, eventId, {
      positions: [{ itemId: ticket }],
    });
    scan(engine, organizerId, { secret: secrets[0], lists: [list.id], nonce: 'turn-1' });
    clock.advanceMinutes(1);
    engine.command((ctx) => annulCheckin(ctx, { organizerId, lists: [list.id], nonce: 'turn-1' }));
    expect(checkinsOfPositions(engine.db, positionIds).get(positionIds[0]!)).toEqual([]);
    expect(scan(engine, organizerId, { secret: secrets[0], lists: [list.id] }).status).toBe('ok');
  });

  it('searches by secret prefix, order code, attendee name and email', () => {
    const { engine, organizerId, eventId, ticket, other, newList } = setup();
    const all = newList({ name: 'All', allProducts: true });
    const a = fixtureOrder(engine, organizerId, eventId, {
      email: 'anna@example.org',
      positions: [{ itemId: ticket, attendeeName: 'Anna Smith' }],
    });
    fixtureOrder(engine, organizerId, eventId, { positions: [{ itemId: other, attendeeName: 'Bob Jones' }] });
    fixtureOrder(engine, organizerId, eventId, {
      status: 'n',
      positions: [{ itemId: other, attendeeName: 'Anna Pending' }],
    });
    const ids = (search: string, ignoreStatus = false) => {
      const r = searchPositions(engine.db, [all], { search, ignoreStatus });
      return r.load(50, 0);
    };
    expect(ids(a.secrets[0]!.slice(0, 8))).toEqual([a.positionIds[0]]);
    expect(ids('anna')).toEqual([a.positionIds[0]]);
    expect(ids('anna', true)).toHaveLength(2);
    expect(ids('ANNA@EXAMPLE')).toEqual([a.positionIds[0]]);
    expect(ids('bob')).toHaveLength(1);
  });

  it("orders a list's positions as pretix does: known terms in turn, unknown ones ignored", () => {
    const { engine, organizerId, eventId, ticket, newList } = setup();
    const all = newList({ name: 'All', allProducts: true });
    const zoe = fixtureOrder(engine, organizerId, eventId, {
      positions: [
        { itemId: ticket, attendeeName: 'Zoe' },
        { itemId: ticket, attendeeName: 'Adam' },
      ],
    });
    const bea = fixtureOrder(engine, organizerId, eventId, {
      positions: [{ itemId: ticket, attendeeName: 'Bea' }],
    });
    const nameless = fixtureOrder(engine, organizerId, eventId, {
      positions: [{ itemId: ticket, attendeeName: null }],
    });
    scan(engine, organizerId, { secret: zoe.secrets[0], lists: [all.id] });
    const [zoeId, adamId] = zoe.positionIds;
    const beaId = bea.positionIds[0];
    const noNameId = nameless.positionIds[0];
    const ids = (ordering?: string) => searchPositions(engine.db, [all], { ordering }).load(50, 0);
    // The default (attendee_name_cached, positionid): no name last.
    expect(ids()).toEqual([adamId, beaId, zoeId, noNameId]);
    // pretix's attendee_name ordering: no name first ascending, last descending.
    expect(ids('attendee_name,positionid')).toEqual([noNameId, adamId, beaId, zoeId]);
    expect(ids('-attendee_name')).toEqual([zoeId, beaId, adamId, noNameId]);
    expect(ids('positionid,-attendee_name')).toEqual([zoeId, beaId, noNameId, adamId]);
    // Never checked in counts as earliest.
    expect(ids('-last_checked_in')[0]).toBe(zoeId);
    expect(ids('last_checked_in').at(-1)).toBe(zoeId);
    // Unknown terms are ignored; with none left, the default applies.
    expect(ids('nonsense,-attendee_name')).toEqual([zoeId, beaId, adamId, noNameId]);
    expect(ids('nonsense')).toEqual([adamId, beaId, zoeId, noNameId]);
    expect(ids(' , ,')).toEqual([adamId, beaId, zoeId, noNameId]);
  });

  it('stores uploaded refusals once per nonce, and they never block a later success', () => {
    const { engine, organizerId, eventId, ticket, list } = setup();
    const { positionIds, secrets } = fixtureOrder(engine, organizerId, eventId, {
      positions: [{ itemId: ticket }],
    });
    const upload = () =>
      engine.command((ctx) =>
        recordFailedCheckin(ctx, {
          list,
          data: failedCheckinBody(
            { raw_barcode: secrets[0], position: positionIds[0], error_reason: 'unpaid', nonce: 'n-1' },
            failedCheckinLookups(engine.db, list),
          ),
        }),
      );
    expect(upload()).toBe(upload());
    expect(() =>
      engine.command((ctx) =>
        recordFailedCheckin(ctx, {
          list,
          data: failedCheckinBody(
            { raw_barcode: 'x', error_reason: 'nope' },
            failedCheckinLookups(engine.db, list),
          ),
        }),
      ),
    ).toThrow(/valid choice/);
    expect(scan(engine, organizerId, { secret: secrets[0], lists: [list.id], nonce: 'n-1' }).status).toBe(
      'ok',
    );
    expect(successfulCount(engine, positionIds[0]!)).toBe(1);
  });
});
