import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../../main/engine/engine';
import { testEngine } from '../../helpers';
import { apiServers, pairDevice as pairWithHardware } from '../../support/api';

const PRETIXDROID = {
  hardware_brand: 'Samsung',
  hardware_model: 'Galaxy S',
  software_brand: 'pretixdroid',
  software_version: '4.0.0',
};

const servers = apiServers();

async function setup(start = '2020-01-10T00:00:00Z') {
  const { engine, clock, organizerId } = testEngine(start);
  const { app, admin } = await servers.startAsAdmin(engine, organizerId);
  return { engine, clock, organizerId, app, admin };
}

/** A device as pretix's tests make one: "Foo", all events, the pretixscan profile, a Samsung running pretixdroid. */
async function pairDevice(
  app: FastifyInstance,
  admin: Record<string, string>,
  fields: Record<string, unknown> = {},
  hardware: Record<string, unknown> = {},
) {
  const paired = await pairWithHardware(
    app,
    admin,
    { name: 'Foo', all_events: true, security_profile: 'pretixscan', ...fields },
    { ...PRETIXDROID, ...hardware },
  );
  return { deviceId: paired.created.device_id, headers: paired.headers };
}

function pem(): string {
  return generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
    type: 'spki',
    format: 'pem',
  }) as string;
}

function storedKey(engine: Engine, deviceId: number): string | null {
  return (
    engine.db.prepare('SELECT rsa_pubkey FROM devices WHERE device_id = ?').get(deviceId) as {
      rsa_pubkey: string | null;
    }
  ).rsa_pubkey;
}

describe('device keys (pretix src/tests/api/test_deviceauth.py, api/views/device.py)', () => {
  const hardware = {
    hardware_brand: 'Samsung',
    hardware_model: 'Galaxy S',
    software_brand: 'pretixdroid',
    software_version: '5.0.0',
  };

  it('initialize stores the key as sent (test_initialize_valid_token)', async () => {
    const { engine, app, admin } = await setup();
    const key = pem();
    const { deviceId } = await pairDevice(
      app,
      admin,
      {},
      { rsa_pubkey: key, os_name: 'Android', os_version: '2.3.3' },
    );
    expect(storedKey(engine, deviceId)).toBe(key);
    const without = await pairDevice(app, admin);
    expect(storedKey(engine, without.deviceId)).toBeNull();
  });

  it('update sets a key once, accepts the same key again and refuses another (test_update_rsa_*)', async () => {
    const { engine, app, admin } = await setup();
    const { deviceId, headers } = await pairDevice(app, admin);
    const update = (payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/api/v1/device/update', headers, payload });
    const first = pem();
    // test_update_valid_fields: no key yet, the sent one is stored.
    expect((await update({ ...hardware, info: { foo: 'bar' }, rsa_pubkey: first })).statusCode).toBe(200);
    expect(storedKey(engine, deviceId)).toBe(first);
    // test_update_rsa_unchanged: the same key again is fine and the rest is saved.
    const same = await update({ ...hardware, software_version: '5.0.1', rsa_pubkey: first });
    expect(same.statusCode).toBe(200);
    // An update without a key (or an empty one) keeps the stored key (`if validated_data.get('rsa_pubkey')`).
    expect((await update({ ...hardware, rsa_pubkey: null })).statusCode).toBe(200);
    expect((await update({ ...hardware, rsa_pubkey: '' })).statusCode).toBe(200);
    expect(storedKey(engine, deviceId)).toBe(first);
    // test_update_rsa_changed: another valid key is a 400 with pretix's sentence, and nothing is saved.
    const changed = await update({ ...hardware, software_version: '6.0.0', rsa_pubkey: pem() });
    expect(changed.statusCode).toBe(400);
    expect(changed.json()).toEqual({
      rsa_pubkey: ['You cannot change the rsa_pubkey of the device once it is set.'],
    });
    expect(storedKey(engine, deviceId)).toBe(first);
    const row = engine.db
      .prepare('SELECT software_version FROM devices WHERE device_id = ?')
      .get(deviceId) as {
      software_version: string;
    };
    expect(row.software_version).toBe('5.0.0');
    // test_update_rsa_invalid: not a key at all is the serializer's 400, checked before the rule above.
    const invalid = await update({ ...hardware, rsa_pubkey: 'notakey' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toEqual({ rsa_pubkey: ['Not a valid public key.'] });
  });

  it('device/info lists no medium key sets, with or without a key (test_device_info_key_sets)', async () => {
    const { app, admin } = await setup();
    const { headers } = await pairDevice(app, admin);
    const info = async () =>
      (await app.inject({ method: 'GET', url: '/api/v1/device/info', headers })).json();
    expect((await info()).medium_key_sets).toEqual([]);
    const update = await app.inject({
      method: 'POST',
      url: '/api/v1/device/update',
      headers,
      payload: { ...hardware, rsa_pubkey: pem() },
    });
    expect(update.statusCode).toBe(200);
    // InfoView lists get_keysets_for_organizer(): sets exist only for NFC media types an organizer turned on,
    // and Guichet has none.
    const withKey = await info();
    expect(withKey.medium_key_sets).toEqual([]);
    expect(withKey.device).toMatchObject({ organizer: 'box-office', name: 'Foo' });
    expect(withKey.server.version.pretix).toEqual(expect.any(String));
    // pretix's api/urls.py has no organizer-level key set resource: the path is not found, for a device too.
    for (const h of [headers, admin]) {
      const list = await app.inject({
        method: 'GET',
        url: '/api/v1/organizers/box-office/medium_key_sets',
        headers: h,
      });
      expect(list.statusCode).toBe(404);
    }
  });
});

/** pretix src/tests/api/test_device_event_selection.py: events in Asia/Tokyo, times given there. */
describe('device/eventselection (pretix EventSelectionView)', () => {
  const tokyo = (local: string) => new Date(`${local}+09:00`).toISOString();

  function event(
    engine: Engine,
    organizerId: number,
    slug: string,
    from: string,
    to: string | null,
    fields: { has_subevents?: boolean; live?: boolean } = {},
  ): number {
    return Number(
      engine.db
        .prepare(
          `INSERT INTO events (organizer_id, slug, name, date_from, date_to, timezone, has_subevents, live, created)
           VALUES (?, ?, ?, ?, ?, 'Asia/Tokyo', ?, ?, '2019-01-01T00:00:00.000Z')`,
        )
        .run(
          organizerId,
          slug,
          JSON.stringify({ en: 'Event' }),
          tokyo(from),
          to ? tokyo(to) : null,
          fields.has_subevents ? 1 : 0,
          (fields.live ?? true) ? 1 : 0,
        ).lastInsertRowid,
    );
  }
  function subevent(engine: Engine, eventId: number, from: string, to: string): number {
    return Number(
      engine.db
        .prepare(
          `INSERT INTO subevents (event_id, name, active, date_from, date_to) VALUES (?, '{"en":"Event"}', 1, ?, ?)`,
        )
        .run(eventId, tokyo(from), tokyo(to)).lastInsertRowid,
    );
  }
  function list(engine: Engine, eventId: number, name: string, subeventId: number | null = null): number {
    return Number(
      engine.db
        .prepare('INSERT INTO checkin_lists (event_id, name, subevent_id) VALUES (?, ?, ?)')
        .run(eventId, name, subeventId).lastInsertRowid,
    );
  }

  async function selection(app: FastifyInstance, headers: Record<string, string>, query = '') {
    const res = await app.inject({ method: 'GET', url: `/api/v1/device/eventselection${query}`, headers });
    return { status: res.statusCode, body: res.body ? (res.json() as Record<string, unknown>) : null };
  }

  /**
   * Sets the clock to each local time in turn and checks what the device is told to select with its query:
   * `[local time, query, the selection's fields]`.
   */
  async function expectSelections(
    app: FastifyInstance,
    headers: Record<string, string>,
    at: (local: string) => void,
    cases: [string, string, Record<string, unknown>][],
  ) {
    for (const [local, query, chosen] of cases) {
      at(local);
      expect((await selection(app, headers, query)).body, `${local} ${query}`).toMatchObject(chosen);
    }
  }

  it('answers 404 with no body when there is no event (test_no_events)', async () => {
    const { app, admin } = await setup();
    const { headers } = await pairDevice(app, admin);
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/device/eventselection?current_event=e1',
      headers,
    });
    expect(res.statusCode).toBe(404);
    expect(res.body).toBe('');
  });

  it('chooses between events (test_choose_between_events)', async () => {
    const { engine, clock, organizerId, app, admin } = await setup();
    const e1 = event(engine, organizerId, 'e1', '2020-01-10T14:00:00', '2020-01-10T15:00:00');
    const cl1 = list(engine, e1, 'Same name');
    const e2 = event(engine, organizerId, 'e2', '2020-01-10T16:00:00', '2020-01-10T17:00:00');
    list(engine, e2, 'Other name');
    const cl2 = list(engine, e2, 'Same name');
    list(engine, e2, 'Yet another name');
    const tomorrow = event(engine, organizerId, 'tomorrow', '2020-01-11T15:00:00', '2020-01-11T16:00:00');
    const cl3 = list(engine, tomorrow, 'Just any name');
    // Neither a draft nor an event the device may not see is ever suggested.
    event(engine, organizerId, 'draft', '2020-01-10T12:00:00', '2020-01-10T23:00:00', { live: false });
    const { headers } = await pairDevice(app, admin);
    const at = (local: string) => clock.set(tokyo(local));

    // Keep current when still running
    at('2020-01-10T14:30:00');
    expect((await selection(app, headers, `?current_event=e1&current_checkinlist=${cl1}`)).status).toBe(304);
    at('2020-01-10T16:30:00');
    expect((await selection(app, headers, '?current_event=e1')).status).toBe(200);
    expect((await selection(app, headers, '?current_event=e2')).status).toBe(304);

    // Next one only
    at('2020-01-10T12:30:00');
    expect(await selection(app, headers)).toEqual({
      status: 200,
      body: { event: { slug: 'e1', name: 'Event' }, subevent: null, checkinlist: cl1 },
    });
    const onE1 = `?current_event=e1&current_checkinlist=${cl1}`;
    await expectSelections(app, headers, at, [
      // Last one only
      ['2020-01-10T17:30:00', '', { event: { slug: 'e2' } }],
      // Running one
      ['2020-01-10T14:30:00', '', { event: { slug: 'e1' } }],
      ['2020-01-10T16:01:00', onE1, { event: { slug: 'e2' }, checkinlist: cl2 }],
      // Prefer the one on the same day
      ['2020-01-10T23:59:00', onE1, { event: { slug: 'e2' }, checkinlist: cl2 }],
      ['2020-01-11T01:00:00', onE1, { event: { slug: 'tomorrow' }, checkinlist: cl3 }],
      // Switch at half-time
      ['2020-01-10T15:29:00', '', { event: { slug: 'e1' } }],
      ['2020-01-10T15:31:00', '', { event: { slug: 'e2' } }],
    ]);

    // get_events_with_any_permission(): a device limited to e1 is never sent to e2.
    const limited = await pairDevice(app, admin, { all_events: false, limit_events: ['e1'] });
    at('2020-01-10T16:30:00');
    expect((await selection(app, limited.headers, '?current_event=e1')).body).toMatchObject({
      event: { slug: 'e1' },
    });
    at('2020-01-10T14:30:00');
    expect(
      (await selection(app, limited.headers, `?current_event=e1&current_checkinlist=${cl1}`)).status,
    ).toBe(304);
  });

  it('chooses between dates of a series (test_choose_between_subevents)', async () => {
    const { engine, clock, organizerId, app, admin } = await setup();
    const e = event(engine, organizerId, 'e1', '2020-01-10T14:00:00', null, { has_subevents: true });
    const se1 = subevent(engine, e, '2020-01-10T14:00:00', '2020-01-10T15:00:00');
    const cl1 = list(engine, e, 'Same name', se1);
    const se2 = subevent(engine, e, '2020-01-10T16:00:00', '2020-01-10T17:00:00');
    const cl2 = list(engine, e, 'Same name', se2);
    const cl3 = list(engine, e, 'Other name');
    list(engine, e, 'Yet another name', se2);
    const seTomorrow = subevent(engine, e, '2020-01-11T15:00:00', '2020-01-11T16:00:00');
    const { headers } = await pairDevice(app, admin);
    const at = (local: string) => clock.set(tokyo(local));

    at('2020-01-10T14:30:00');
    expect((await selection(app, headers, `?current_event=e1&current_subevent=${se1}`)).status).toBe(304);
    at('2020-01-10T16:30:00');
    expect((await selection(app, headers, `?current_event=e1&current_subevent=${se1}`)).status).toBe(200);
    expect((await selection(app, headers, `?current_event=e1&current_subevent=${se2}`)).status).toBe(304);
    // A series without a date reported counts as nothing selected.
    expect((await selection(app, headers, '?current_event=e1')).body).toMatchObject({ subevent: se2 });

    const onSe1 = `?current_event=e1&current_checkinlist=${cl1}&current_subevent=${se1}`;
    await expectSelections(app, headers, at, [
      ['2020-01-10T12:30:00', '', { event: { slug: 'e1' }, subevent: se1 }],
      ['2020-01-10T17:30:00', '', { event: { slug: 'e1' }, subevent: se2 }],
      ['2020-01-10T14:30:00', '', { subevent: se1 }],
    ]);
    at('2020-01-10T16:01:00');
    expect((await selection(app, headers, onSe1)).body).toEqual({
      event: { slug: 'e1', name: 'Event' },
      subevent: se2,
      checkinlist: cl2,
    });
    await expectSelections(app, headers, at, [
      ['2020-01-10T23:59:00', '', { subevent: se2 }],
      ['2020-01-11T01:00:00', onSe1, { subevent: seTomorrow, checkinlist: cl3 }],
      ['2020-01-10T15:29:00', '', { subevent: se1 }],
      ['2020-01-10T15:31:00', '', { subevent: se2 }],
    ]);
  });

  it("keeps to the device's gate (test_require_gate)", async () => {
    const { engine, clock, organizerId, app, admin } = await setup();
    const gate = Number(
      engine.db.prepare("INSERT INTO gates (organizer_id, name) VALUES (?, 'Gate 1')").run(organizerId)
        .lastInsertRowid,
    );
    const e = event(engine, organizerId, 'e1', '2020-01-10T14:00:00', null, { has_subevents: true });
    const se0 = subevent(engine, e, '2020-01-10T09:00:00', '2020-01-10T10:00:00');
    subevent(engine, e, '2020-01-10T14:00:00', '2020-01-10T15:00:00');
    const cl1 = list(engine, e, 'Same name', se0);
    const se2 = subevent(engine, e, '2020-01-10T16:00:00', '2020-01-10T17:00:00');
    list(engine, e, 'Same name', se2);
    const cl3 = list(engine, e, 'Other name', se2);
    engine.db.prepare('INSERT INTO checkin_list_gates (list_id, gate_id) VALUES (?, ?)').run(cl3, gate);
    const { headers } = await pairDevice(app, admin, { gate });

    clock.set(tokyo('2020-01-10T11:00:00'));
    expect(
      (await selection(app, headers, `?current_event=e1&current_checkinlist=${cl1}&current_subevent=${se0}`))
        .body,
    ).toEqual({ event: { slug: 'e1', name: 'Event' }, subevent: se2, checkinlist: cl3 });
  });
});
