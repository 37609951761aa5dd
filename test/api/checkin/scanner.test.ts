import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { hashToken } from '../../../main/engine/auth/tokens';
import { fixtureEvent, fixtureItem } from '../../fixtures/catalog';
import { testEngine } from '../../helpers';
import { fixtureOrder } from '../../engine/checkin/fixtures';
import { apiServers, pairDevice, postDoorList } from '../../support/api';

const servers = apiServers();

async function setup() {
  const { engine, clock, organizerId } = testEngine('2026-06-01T18:00:00Z');
  const eventId = fixtureEvent(engine, organizerId, { slug: 'gala' });
  const otherEventId = fixtureEvent(engine, organizerId, { slug: 'other' });
  const ticket = fixtureItem(engine, eventId, { name: 'Ticket' });
  const { app, admin } = await servers.startAsAdmin(engine, organizerId);
  const listId = await postDoorList(app, admin);
  return {
    engine,
    clock,
    organizerId,
    eventId,
    otherEventId,
    ticket,
    admin,
    app,
    listId,
  };
}

/** A door scanner running pretixSCAN for Android, paired by the admin. */
function pair(app: FastifyInstance, admin: Record<string, string>, body: Record<string, unknown>) {
  return pairDevice(app, admin, { name: 'Door scanner', ...body }, { software_brand: 'pretixSCAN Android' });
}

describe('scanner API', () => {
  it('pairs a device, lets it scan, and after revocation answers the exact 401 sentence', async () => {
    const { engine, organizerId, eventId, ticket, admin, app, listId } = await setup();
    const { secrets } = fixtureOrder(engine, organizerId, eventId, { positions: [{ itemId: ticket }] });
    const { created, apiToken } = await pair(app, admin, {
      all_events: true,
      security_profile: 'pretixscan',
    });
    expect(created.initialization_token).toMatch(/^[a-z0-9]{16}$/);
    const device = { authorization: `Device ${apiToken}` };

    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/device/initialize',
      payload: {
        token: created.initialization_token,
        hardware_brand: 'x',
        hardware_model: 'y',
        software_brand: 'z',
        software_version: '1',
      },
    });
    expect(again.statusCode).toBe(400);
    expect(again.json()).toEqual({ token: ['This initialization token has already been used.'] });

    const info = await app.inject({ method: 'GET', url: '/api/v1/device/info', headers: device });
    expect(info.statusCode).toBe(200);
    expect(info.json()).toMatchObject({
      device: { organizer: 'box-office', device_id: created.device_id, api_token: apiToken, gate: null },
      server: { version: { pretix_numeric: expect.any(Number) } },
    });
    expect(info.json().server.version.pretix_numeric).toBeGreaterThanOrEqual(40120001001);

    const scan = await app.inject({
      method: 'POST',
      url: '/api/v1/organizers/box-office/checkinrpc/redeem/',
      headers: device,
      payload: { secret: secrets[0], lists: [listId] },
    });
    expect(scan.statusCode).toBe(201);
    expect(scan.json()).toMatchObject({
      status: 'ok',
      position: { secret: secrets[0] },
      list: { id: listId },
    });
    const stored = engine.db.prepare('SELECT device_id FROM checkins WHERE successful = 1').get() as {
      device_id: number;
    };
    expect(stored.device_id).not.toBeNull();

    // The pretixscan profile does not reach the organizer's administration.
    const devices = await app.inject({
      method: 'GET',
      url: '/api/v1/organizers/box-office/devices/',
      headers: device,
    });
    expect(devices.statusCode).toBe(403);
    expect(devices.json()).toEqual({ detail: 'Request denied by device security profile.' });
    // Nor what pretix's PretixScanSecurityProfile (src/pretix/api/auth/devicesecurity.py) leaves out of its
    // allowlist: checkinlist-detail, checkinlistpos-detail, checkinrpc.annul, organizer-list. The scan stays.
    const EVENT = '/api/v1/organizers/box-office/events/gala';
    for (const [method, url, payload] of [
      ['GET', `${EVENT}/checkinlists/${listId}/`, undefined],
      ['GET', `${EVENT}/checkinlists/${listId}/positions/${secrets[0]}/`, undefined],
      ['POST', '/api/v1/organizers/box-office/checkinrpc/annul/', { lists: [listId], nonce: 'n' }],
      ['GET', '/api/v1/organizers/', undefined],
    ] as const) {
      const refused = await app.inject({ method, url, headers: device, payload });
      expect(refused.statusCode, url).toBe(403);
      expect(refused.json()).toEqual({ detail: 'Request denied by device security profile.' });
    }
    expect(
      (engine.db.prepare('SELECT COUNT(*) AS n FROM checkins WHERE successful = 1').get() as { n: number }).n,
    ).toBe(1);

    const revoke = await app.inject({ method: 'POST', url: '/api/v1/device/revoke', headers: device });
    expect(revoke.statusCode).toBe(200);
    const after = await app.inject({ method: 'GET', url: '/api/v1/organizers/', headers: device });
    expect(after.statusCode).toBe(401);
    expect(after.body).toBe('{"detail":"Device access has been revoked."}');
  });

  it('device/update stores the hardware it is sent, and forgets an os_name it is no longer sent', async () => {
    // pretix src/pretix/api/views/device.py, UpdateView.post: device.os_name = validated_data.get('os_name'),
    // likewise os_version, so an update without them clears them.
    const { admin, app } = await setup();
    const { created, apiToken } = await pair(app, admin, {
      all_events: true,
      security_profile: 'pretixscan',
    });
    const device = { authorization: `Device ${apiToken}` };
    const hardware = {
      hardware_brand: 'Zebra',
      hardware_model: 'TC25',
      software_brand: 'pretixSCAN',
      software_version: '1.20',
    };
    const update = (payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/api/v1/device/update', headers: device, payload });
    const first = await update({ ...hardware, os_name: 'Android', os_version: '8.1' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ device_id: created.device_id, security_profile: 'pretixscan' });
    const stored = async () =>
      (
        await app.inject({
          method: 'GET',
          url: `/api/v1/organizers/box-office/devices/${created.device_id}/`,
          headers: admin,
        })
      ).json();
    expect(await stored()).toMatchObject({ hardware_model: 'TC25', os_name: 'Android', os_version: '8.1' });
    expect((await update({ ...hardware, hardware_model: 'TC26' })).statusCode).toBe(200);
    expect(await stored()).toMatchObject({ hardware_model: 'TC26', os_name: null, os_version: null });
    const missing = await update({ hardware_brand: 'Zebra' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ hardware_model: ['This field is required.'] });
    expect(await stored()).toMatchObject({ hardware_model: 'TC26' });

    // UpdateRequestSerializer.validate: an rsa_pubkey that load_pem_public_key refuses is a 400 on that field.
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    for (const bad of ['not a key', privateKey.export({ type: 'pkcs8', format: 'pem' }) as string]) {
      const refused = await update({ ...hardware, hardware_model: 'TC27', rsa_pubkey: bad });
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toEqual({ rsa_pubkey: ['Not a valid public key.'] });
    }
    expect(await stored()).toMatchObject({ hardware_model: 'TC26' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect((await update({ ...hardware, hardware_model: 'TC27', rsa_pubkey: pem })).statusCode).toBe(200);
    expect(await stored()).toMatchObject({ hardware_model: 'TC27' });
  });

  it('device initialisation tokens are stored hashed and shown only when the device is created', async () => {
    const { engine, admin, app } = await setup();
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/organizers/box-office/devices/',
      headers: admin,
      payload: { name: 'Door scanner', all_events: true, security_profile: 'pretixscan' },
    });
    const plain = created.json().initialization_token as string;
    expect(plain).toMatch(/^[a-z0-9]{16}$/);
    const stored = engine.db.prepare('SELECT * FROM devices').all();
    expect(JSON.stringify(stored)).not.toContain(plain);
    expect(JSON.stringify(stored)).toContain(hashToken(plain));
    const listed = await app.inject({
      method: 'GET',
      url: '/api/v1/organizers/box-office/devices/',
      headers: admin,
    });
    expect(listed.body).not.toContain(plain);
    const init = (token: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/device/initialize',
        payload: {
          token,
          hardware_brand: 'Zebra',
          hardware_model: 'TC25',
          software_brand: 'pretixSCAN Android',
          software_version: '1.20.0',
        },
      });
    // The stored hash itself does not pair a device; the plain token does.
    expect((await init(hashToken(plain))).statusCode).toBe(400);
    expect((await init(plain)).statusCode).toBe(200);
  });

  it('rolls the token: the old one stops working at once', async () => {
    const { admin, app } = await setup();
    const { apiToken } = await pair(app, admin, { all_events: true });
    const rolled = await app.inject({
      method: 'POST',
      url: '/api/v1/device/roll',
      headers: { authorization: `Device ${apiToken}` },
    });
    expect(rolled.statusCode).toBe(200);
    const fresh = rolled.json().api_token as string;
    expect(fresh).not.toBe(apiToken);
    const old = await app.inject({
      method: 'GET',
      url: '/api/v1/device/info',
      headers: { authorization: `Device ${apiToken}` },
    });
    expect(old.statusCode).toBe(401);
    const ok = await app.inject({
      method: 'GET',
      url: '/api/v1/device/info',
      headers: { authorization: `Device ${fresh}` },
    });
    expect(ok.statusCode).toBe(200);
  });

  it('keeps a device to its events', async () => {
    const { admin, app } = await setup();
    const { apiToken } = await pair(app, admin, { all_events: false, limit_events: ['gala'] });
    const device = { authorization: `Device ${apiToken}` };
    const own = await app.inject({
      method: 'GET',
      url: '/api/v1/organizers/box-office/events/gala/checkinlists/',
      headers: device,
    });
    expect(own.statusCode).toBe(200);
    const foreign = await app.inject({
      method: 'GET',
      url: '/api/v1/organizers/box-office/events/other/checkinlists/',
      headers: device,
    });
    expect(foreign.statusCode).toBe(403);
  });

  it('an event-limited scanner reads only its events on organizer-level lists', async () => {
    const { engine, organizerId, eventId, otherEventId, ticket, admin, app } = await setup();
    const otherTicket = fixtureItem(engine, otherEventId, { name: 'Other ticket' });
    const mine = fixtureOrder(engine, organizerId, eventId, {
      email: 'mine@example.org',
      positions: [{ itemId: ticket }],
    });
    const theirs = fixtureOrder(engine, organizerId, otherEventId, {
      email: 'theirs@example.org',
      positions: [{ itemId: otherTicket }],
    });
    const { apiToken } = await pair(app, admin, {
      all_events: false,
      limit_events: ['gala'],
      security_profile: 'full',
    });
    const device = { authorization: `Device ${apiToken}` };
    const get = async (url: string, headers: Record<string, string>) => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/organizers/box-office/${url}`, headers });
      expect(res.statusCode).toBe(200);
      return res;
    };
    const orders = await get('orders/', device);
    expect(orders.body).not.toContain('theirs@example.org');
    expect(orders.json().results.map((o: { event: string }) => o.event)).toEqual(['gala']);
    const positions = await get('orderpositions/', device);
    expect(positions.body).not.toContain(theirs.secrets[0]!);
    expect(positions.json().results.map((p: { secret: string }) => p.secret)).toEqual(mine.secrets);
    const theirPosition = engine.db
      .prepare('SELECT id FROM order_positions WHERE secret = ?')
      .get(theirs.secrets[0]!) as { id: number };
    const detail = await app.inject({
      method: 'GET',
      url: `/api/v1/organizers/box-office/orderpositions/${theirPosition.id}/`,
      headers: device,
    });
    expect(detail.statusCode).toBe(404);
    const events = await get('events/', device);
    expect(events.json().results.map((e: { slug: string }) => e.slug)).toEqual(['gala']);
    // The organizer's own token still sees both events.
    expect((await get('orders/', admin)).json().count).toBe(2);
    expect((await get('orderpositions/', admin)).json().count).toBe(2);
  });

  it('accepts an offline upload on the legacy path with force and a past datetime, idempotent by nonce', async () => {
    const { engine, organizerId, eventId, ticket, admin, app, listId } = await setup();
    const { positionIds, secrets } = fixtureOrder(engine, organizerId, eventId, {
      status: 'n',
      positions: [{ itemId: ticket, secret: 'abc+/==' }],
    });
    const { apiToken } = await pair(app, admin, { all_events: true, security_profile: 'pretixscan' });
    const upload = () =>
      app.inject({
        method: 'POST',
        url: `/api/v1/organizers/box-office/events/gala/checkinlists/${listId}/positions/${encodeURIComponent(secrets[0]!)}/redeem/`,
        headers: { authorization: `Device ${apiToken}` },
        payload: {
          datetime: '2026-06-01T17:30:00Z',
          force: true,
          ignore_unpaid: false,
          nonce: 'q7zv2m5k3a',
          type: 'entry',
          questions_supported: false,
          canceled_supported: true,
        },
      });
    const first = await upload();
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ status: 'ok', position: { id: positionIds[0] } });
    const retry = await upload();
    expect(retry.statusCode).toBe(201);
    expect(retry.json().status).toBe('ok');
    const rows = engine.db.prepare('SELECT datetime, forced FROM checkins WHERE successful = 1').all();
    expect(rows).toEqual([{ datetime: '2026-06-01T17:30:00.000Z', forced: 1 }]);

    // A scanner's path is untrusted: a position id is not a ticket.
    const byId = await app.inject({
      method: 'POST',
      url: `/api/v1/organizers/box-office/events/gala/checkinlists/${listId}/positions/${positionIds[0]}/redeem/`,
      headers: { authorization: `Device ${apiToken}` },
      payload: {},
    });
    expect(byId.statusCode).toBe(404);
  });

  it('serves the empty sync resources a scanner needs, and the list status', async () => {
    const { admin, app, listId } = await setup();
    for (const path of ['badgelayouts', 'badgeitems', 'revokedsecrets', 'blockedsecrets']) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/organizers/box-office/events/gala/${path}/`,
        headers: admin,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ count: 0, next: null, previous: null, results: [] });
    }
    const status = await app.inject({
      method: 'GET',
      url: `/api/v1/organizers/box-office/events/gala/checkinlists/${listId}/status/`,
      headers: admin,
    });
    expect(status.json()).toMatchObject({
      checkin_count: 0,
      position_count: 0,
      event: { name: 'Fixture Event' },
    });
  });
});
