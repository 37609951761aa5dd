import { describe, expect, it } from 'vitest';
import {
  createCheckinList,
  deskCheckinLists,
  deskListStatus,
  deskRedeem,
  deskSearch,
} from '../../../main/engine/checkin';
import { createDeviceForPairing } from '../../../main/engine/devices';
import { fixtureEvent, fixtureItem } from '../../fixtures/catalog';
import { testEngine } from '../../helpers';
import { fixtureOrder } from './fixtures';

describe('desk check-in functions', () => {
  it('lists lists, finds a ticket, checks it in and counts it', () => {
    const { engine, organizerId } = testEngine();
    const eventId = fixtureEvent(engine, organizerId, { slug: 'gala' });
    const ticket = fixtureItem(engine, eventId, { name: 'Ticket' });
    const list = engine.command((ctx) =>
      createCheckinList(ctx, { eventId, data: { name: 'Door', allProducts: true } }),
    );
    const { secrets } = fixtureOrder(engine, organizerId, eventId, {
      positions: [{ itemId: ticket, attendeeName: 'Ada Lovelace' }],
    });
    expect(deskCheckinLists(engine.db, organizerId)).toEqual([
      { id: list.id, name: 'Door', eventId, eventSlug: 'gala', eventName: 'Fixture Event', subeventId: null },
    ]);
    const found = deskSearch(engine.db, { eventId, listId: list.id, query: 'lovelace' });
    expect(found.tickets).toMatchObject([{ attendeeName: 'Ada Lovelace', itemName: 'Ticket', checkins: [] }]);
    const { result, ticket: scanned } = engine.command((ctx) =>
      deskRedeem(ctx, { organizerId, listId: list.id, secret: secrets[0]! }),
    );
    expect(result.status).toBe('ok');
    expect(scanned?.checkins).toHaveLength(1);
    expect(deskListStatus(engine.db, { eventId, listId: list.id })).toMatchObject({
      checkin_count: 1,
      position_count: 1,
    });
  });

  it('creates a device with the pairing payload pretixSCAN reads from the QR code', () => {
    const { engine, organizerId } = testEngine();
    const { device, pairing } = engine.command((ctx) =>
      createDeviceForPairing(ctx, { organizerId, name: 'Gate 1', baseUrl: 'http://192.168.1.20:8787/' }),
    );
    expect(pairing).toEqual({
      handshake_version: 1,
      url: 'http://192.168.1.20:8787',
      token: device.initialization_token,
    });
    expect(pairing.token).toMatch(/^[a-z0-9]{16}$/);
    expect(device.security_profile).toBe('pretixscan');
  });
});
