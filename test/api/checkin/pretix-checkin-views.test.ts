import { describe, expect, it } from 'vitest';
import { fixtureEvent, fixtureItem } from '../../fixtures/catalog';
import { testEngine } from '../../helpers';
import { fixtureOrder } from '../../engine/checkin/fixtures';
import { apiServers, pairDevice } from '../../support/api';

/**
 * Behaviour asserted by pretix's src/tests/api/test_checkin.py and test_checkinrpc.py, on the same requests:
 * methods allowed and refused, filters, exact error bodies, and what a device's event limits hide.
 */

const servers = apiServers();

const ORG = '/api/v1/organizers/box-office';
const EVENT = `${ORG}/events/gala`;

async function setup() {
  const { engine, organizerId } = testEngine('2026-06-01T18:00:00Z');
  const eventId = fixtureEvent(engine, organizerId, { slug: 'gala' });
  const otherEventId = fixtureEvent(engine, organizerId, { slug: 'other' });
  const item = fixtureItem(engine, eventId, { name: 'Budget Ticket' });
  const otherItem = fixtureItem(engine, eventId, { name: 'Budget Ticket' });
  const wrongEventItem = fixtureItem(engine, otherEventId, { name: 'Budget Ticket' });
  const { app, admin } = await servers.startAsAdmin(engine, organizerId);
  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
    headers = admin,
  ) => app.inject({ method, url, headers, payload: payload as object });
  const pair = async (fields: Record<string, unknown>, brand = 'pretixSCAN') => {
    return (await pairDevice(app, admin, fields, { software_brand: brand })).headers;
  };
  return { engine, organizerId, eventId, otherEventId, item, otherItem, wrongEventItem, call, pair };
}

describe("pretix's check-in list views (test_checkin.py)", () => {
  it('test_list_create: items and dates of another event are refused with non_field_errors', async () => {
    const { engine, otherEventId, item, wrongEventItem, call } = await setup();
    const ok = await call('POST', `${EVENT}/checkinlists/`, {
      name: 'VIP',
      limit_products: [item],
      all_products: false,
      subevent: null,
      rules: { '==': [0, 1] },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({
      name: 'VIP',
      limit_products: [item],
      all_products: false,
      rules: { '==': [0, 1] },
    });
    const wrong = await call('POST', `${EVENT}/checkinlists/`, {
      name: 'VIP',
      limit_products: [wrongEventItem],
      all_products: true,
      subevent: null,
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toBe('{"non_field_errors":["One or more items do not belong to this event."]}');
    // test_list_create_with_subevent
    const otherDate = Number(
      engine.db
        .prepare(
          `INSERT INTO subevents (event_id, name, active, date_from) VALUES (?, '{}', 1, '2030-01-01T00:00:00Z')`,
        )
        .run(otherEventId).lastInsertRowid,
    );
    const wrongDate = await call('POST', `${EVENT}/checkinlists/`, {
      name: 'VIP',
      limit_products: [],
      all_products: true,
      subevent: otherDate,
    });
    expect(wrongDate.statusCode).toBe(400);
    expect(wrongDate.body).toBe('{"non_field_errors":["The subevent does not belong to this event."]}');
  });

  it('test_list_all_items_positions: has_checkin, ordering by last check-in and attendee name, ignore_status', async () => {
    const { engine, organizerId, eventId, item, otherItem, call } = await setup();
    const list = (await call('POST', `${EVENT}/checkinlists/`, { name: 'All', all_products: true })).json()
      .id as number;
    const other = (
      await call('POST', `${EVENT}/checkinlists/`, { name: 'Default', all_products: true })
    ).json().id as number;
    const { orderId, secrets } = fixtureOrder(engine, organizerId, eventId, {
      positions: [
        { itemId: item, attendeeName: 'Peter' },
        { itemId: otherItem, attendeeName: 'Michael' },
        { itemId: otherItem, attendeeName: null },
      ],
    });
    const positions = async (query: string) =>
      (await call('GET', `${EVENT}/checkinlists/${list}/positions/${query}`))
        .json()
        .results.map((p: { positionid: number }) => p.positionid);
    expect(await positions('?ordering=positionid')).toEqual([1, 2, 3]);
    // Check-ins on other list ignored
    expect(
      (await call('POST', `${EVENT}/checkinlists/${other}/positions/${secrets[0]}/redeem/`, {})).statusCode,
    ).toBe(201);
    expect(await positions('?has_checkin=1')).toEqual([]);
    expect(
      (await call('POST', `${EVENT}/checkinlists/${list}/positions/${secrets[0]}/redeem/`, {})).statusCode,
    ).toBe(201);
    expect(await positions('?has_checkin=1')).toEqual([1]);
    expect(await positions('?has_checkin=0')).toEqual([2, 3]);
    expect((await positions('?ordering=-last_checked_in'))[0]).toBe(1);
    expect((await positions('?ordering=last_checked_in')).at(-1)).toBe(1);
    // Paid only, unless ignore_status
    engine.db.prepare("UPDATE orders SET status = 'n' WHERE id = ?").run(orderId);
    expect(await positions('')).toEqual([]);
    expect((await positions('?ignore_status=true&ordering=positionid')).length).toBe(3);
  });

  it('test_store_failed: failed check-ins need a raw barcode and a known reason; a known nonce is not stored twice', async () => {
    const { engine, organizerId, eventId, item, call } = await setup();
    const list = (await call('POST', `${EVENT}/checkinlists/`, { name: 'Door', all_products: true })).json()
      .id as number;
    const { positionIds } = fixtureOrder(engine, organizerId, eventId, { positions: [{ itemId: item }] });
    const url = `${EVENT}/checkinlists/${list}/failed_checkins/`;
    const failedCount = () =>
      (engine.db.prepare('SELECT COUNT(*) AS n FROM checkins WHERE successful = 0').get() as { n: number }).n;
    expect(
      (await call('POST', url, { raw_barcode: '123456', nonce: '4321', error_reason: 'invalid' })).statusCode,
    ).toBe(201);
    expect(
      (
        await call('POST', url, {
          raw_barcode: '123456',
          nonce: '1234',
          position: positionIds[0],
          error_reason: 'unpaid',
        })
      ).statusCode,
    ).toBe(201);
    expect(failedCount()).toBe(2);
    // Ignore sending the same nonces again
    expect(
      (await call('POST', url, { raw_barcode: '123456', nonce: '4321', error_reason: 'invalid' })).statusCode,
    ).toBe(201);
    expect(failedCount()).toBe(2);
    expect((await call('POST', url, { position: positionIds[0], error_reason: 'unpaid' })).statusCode).toBe(
      400,
    );
    expect((await call('POST', url, { raw_barcode: '123456', error_reason: 'unknown' })).statusCode).toBe(
      400,
    );
    expect(failedCount()).toBe(2);
  });

  it('test_redeem_by_id_not_allowed_if_pretixscan / _if_untrusted, and the "+" for space fallback', async () => {
    const { engine, organizerId, eventId, item, call, pair } = await setup();
    const list = (await call('POST', `${EVENT}/checkinlists/`, { name: 'Door', all_products: true })).json()
      .id as number;
    const { positionIds, secrets } = fixtureOrder(engine, organizerId, eventId, {
      positions: [{ itemId: item }, { itemId: item, secret: 'foo bar' }],
    });
    const scanner = await pair({ all_events: true, security_profile: 'full' });
    const redeem = (code: string, query = '', headers = scanner) =>
      call(
        'POST',
        `${EVENT}/checkinlists/${list}/positions/${code}/redeem/${query}`,
        { force: true },
        headers,
      );
    expect((await redeem(String(positionIds[0]))).statusCode).toBe(404);
    expect((await redeem(secrets[0]!)).statusCode).toBe(201);
    const other = await pair({ all_events: true, security_profile: 'full' }, 'Other app');
    expect((await redeem(String(positionIds[0]), '?untrusted_input=true', other)).statusCode).toBe(404);
    // test_by_secret_special_chars_space_fallback
    expect((await redeem('foo+bar')).statusCode).toBe(201);
  });

  it("a device's event limits hide other events' lists, positions and check-ins (403), and the RPC refuses their lists", async () => {
    const { call, pair } = await setup();
    const otherList = (
      await call('POST', `${ORG}/events/other/checkinlists/`, { name: 'Other door', all_products: true })
    ).json().id as number;
    const limited = await pair({ all_events: false, limit_events: ['gala'], security_profile: 'full' });
    for (const url of [
      `${ORG}/events/other/checkinlists/`,
      `${ORG}/events/other/checkinlists/${otherList}/positions/`,
      `${ORG}/events/other/checkins/`,
    ]) {
      const res = await call('GET', url, undefined, limited);
      expect(res.statusCode, url).toBe(403);
      expect(res.json()).toEqual({ detail: 'You do not have permission to perform this action.' });
    }
    // test_checkinrpc.py test_search_wrong_list / redeem on a list the caller may not see
    const search = await call(
      'GET',
      `${ORG}/checkinrpc/search/?list=${otherList}&search=abc`,
      undefined,
      limited,
    );
    expect(search.statusCode).toBe(403);
    const redeem = await call(
      'POST',
      `${ORG}/checkinrpc/redeem/`,
      { secret: 'abc', lists: [otherList] },
      limited,
    );
    expect(redeem.statusCode).toBe(400);
    expect(redeem.json()).toEqual({ lists: [`Invalid pk "${otherList}" - object does not exist.`] });
  });

  it('test_checkinrpc.py: no redeem by id (test_by_pk_not_allowed), check-in texts order first, forcing a canceled order', async () => {
    const { engine, organizerId, eventId, item, call } = await setup();
    const list = (await call('POST', `${EVENT}/checkinlists/`, { name: 'Door', all_products: true })).json()
      .id as number;
    engine.db.prepare("UPDATE items SET checkin_text = 'A' WHERE id = ?").run(item);
    const { orderId, positionIds, secrets } = fixtureOrder(engine, organizerId, eventId, {
      checkinText: 'B',
      positions: [{ itemId: item }, { itemId: item }],
    });
    const rpc = (body: Record<string, unknown>) =>
      call('POST', `${ORG}/checkinrpc/redeem/`, { lists: [list], ...body });
    expect((await rpc({ secret: String(positionIds[0]) })).statusCode).toBe(404);
    const ok = await rpc({ secret: secrets[0] });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().checkin_texts).toEqual(['B', 'A']);
    // test_forced_canceled
    engine.db.prepare("UPDATE orders SET status = 'c' WHERE id = ?").run(orderId);
    const refused = await rpc({ secret: secrets[1] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ status: 'error', reason: 'canceled' });
    expect((await rpc({ secret: secrets[1], force: true })).statusCode).toBe(201);
    const forced = engine.db
      .prepare('SELECT forced FROM checkins WHERE position_id = ? AND successful = 1')
      .get(positionIds[1]) as { forced: number };
    expect(forced).toEqual({ forced: 1 });
  });
});

describe("a check-in list's positions (CheckinListPositionViewSet)", () => {
  it('show each answer with its question and option identifiers, and the question itself on expand', async () => {
    const { item, call } = await setup();
    const question = await call('POST', `${EVENT}/questions/`, {
      question: { en: 'Size' },
      type: 'C',
      identifier: 'SIZE',
      items: [item],
      options: [
        { answer: { en: 'Small' }, identifier: 'SIZE-S' },
        { answer: { en: 'Large' }, identifier: 'SIZE-L' },
      ],
    });
    expect(question.statusCode).toBe(201);
    const { id: questionId, options } = question.json<{ id: number; options: { id: number }[] }>();
    const quota = await call('POST', `${EVENT}/quotas/`, {
      name: 'All',
      size: 10,
      items: [item],
      variations: [],
    });
    expect(quota.statusCode).toBe(201);
    const order = await call('POST', `${EVENT}/orders/`, {
      email: 'guest@example.org',
      status: 'p',
      payment_provider: 'manual',
      positions: [{ item, answers: [{ question: questionId, answer: 'Large', options: [options[1]!.id] }] }],
    });
    expect(order.statusCode).toBe(201);
    const list = await call('POST', `${EVENT}/checkinlists/`, { name: 'Door', all_products: true });
    expect(list.statusCode).toBe(201);
    const url = `${EVENT}/checkinlists/${list.json<{ id: number }>().id}/positions/`;

    const plain = (await call('GET', url)).json<{ results: { answers: unknown[] }[] }>();
    expect(plain.results[0]!.answers).toEqual([
      {
        question: questionId,
        answer: 'Large',
        question_identifier: 'SIZE',
        options: [options[1]!.id],
        option_identifiers: ['SIZE-L'],
      },
    ]);
    const expanded = (await call('GET', `${url}?expand=answers.question`)).json<{
      results: { answers: { question: { id: number; identifier: string } }[] }[];
    }>();
    expect(expanded.results[0]!.answers[0]!.question).toMatchObject({ id: questionId, identifier: 'SIZE' });
  });
});
