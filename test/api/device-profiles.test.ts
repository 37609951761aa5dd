import { describe, expect, it } from 'vitest';
import { defaultLayout } from '../../main/engine/tickets/layout';
import { fixtureEvent, fixtureItem, fixtureQuota } from '../fixtures/catalog';
import { testEngine } from '../helpers';
import { apiServers, pairDevice, postDoorList } from '../support/api';

/**
 * What pretix's device security profiles allow (src/pretix/api/auth/devicesecurity.py:
 * PretixScanSecurityProfile, PretixScanNoSyncNoSearchSecurityProfile (`pretixscan_online_kiosk`),
 * PretixScanNoSyncSecurityProfile (`pretixscan_online_noorders`) and PretixPosSecurityProfile), matched by
 * route name, so `order-list` covers the event's and the organizer's order list; and the ticket layout
 * resource of doc/api/resources/ticketoutputpdf.rst that the `pretixpos` profile reads.
 */

const servers = apiServers();

const DENIED = { detail: 'Request denied by device security profile.' };
const ORG = '/api/v1/organizers/box-office';
const EVENT = `${ORG}/events/gala`;

async function setup() {
  const { engine, organizerId } = testEngine('2026-06-01T18:00:00Z');
  const eventId = fixtureEvent(engine, organizerId, { slug: 'gala' });
  const item = fixtureItem(engine, eventId, { name: 'Ticket', price: '10.00' });
  fixtureQuota(engine, eventId, 100, { items: [item] });
  const layoutId = Number(
    engine.db
      .prepare('INSERT INTO ticket_layouts (event_id, name, is_default, layout) VALUES (?, ?, 1, ?)')
      .run(eventId, 'Standard', JSON.stringify(defaultLayout('a4'))).lastInsertRowid,
  );
  engine.db.prepare('INSERT INTO ticket_layout_items (item_id, layout_id) VALUES (?, ?)').run(item, layoutId);
  const { app, admin } = await servers.startAsAdmin(engine, organizerId);
  const listId = await postDoorList(app, admin);
  const pair = async (profile: string) => {
    const { headers } = await pairDevice(
      app,
      admin,
      { name: profile, all_events: true, security_profile: profile },
      {
        hardware_brand: 'Test',
        hardware_model: 'Test',
        software_brand: profile === 'pretixpos' ? 'pretixPOS' : 'pretixSCAN',
        software_version: '1.0.0',
      },
    );
    return (method: 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
      app.inject({ method, url, headers, payload: payload as object });
  };
  return { pair, item, layoutId, listId };
}

describe('device security profiles (pretix api/auth/devicesecurity.py)', () => {
  it('pretixpos: sells and reads the catalog, quotas, vouchers and ticket layouts, and nothing else', async () => {
    const { pair, item, layoutId, listId } = await setup();
    const pos = await pair('pretixpos');
    for (const url of [
      `${EVENT}/quotas/`,
      `${EVENT}/taxrules/`,
      `${EVENT}/vouchers/`,
      `${EVENT}/items/`,
      `${EVENT}/checkinlists/`,
      `${ORG}/orders/`,
      `${EVENT}/orders/`,
      `${EVENT}/settings/`,
      `${EVENT}/ticketlayoutitems/`,
    ]) {
      expect((await pos('GET', url)).statusCode, url).toBe(200);
    }
    const sale = await pos('POST', `${EVENT}/orders/`, {
      email: 'desk@example.org',
      sales_channel: 'pretixpos',
      payment_provider: 'boxoffice',
      status: 'p',
      positions: [{ item }],
    });
    expect(sale.statusCode).toBe(201);
    expect((await pos('GET', `${EVENT}/orders/${sale.json().code}/`)).statusCode).toBe(200);
    expect((await pos('POST', `${EVENT}/orders/${sale.json().code}/mark_canceled/`)).statusCode).toBe(200);

    const layouts = await pos('GET', `${EVENT}/ticketlayouts/`);
    expect(layouts.statusCode).toBe(200);
    const [layout] = layouts.json().results;
    expect(layout).toMatchObject({
      id: layoutId,
      name: 'Standard',
      default: true,
      background: null,
      item_assignments: [{ sales_channel: 'web', item }],
    });
    const types = (layout.layout as { type: string }[]).map((e) => e.type);
    expect(types).toContain('textarea');
    expect(types).toContain('barcodearea');

    for (const [method, url] of [
      ['GET', `${EVENT}/checkinlists/${listId}/`],
      ['GET', `${EVENT}/orderpositions/`],
      ['PATCH', `${EVENT}/orders/${sale.json().code}/`],
      ['POST', `${EVENT}/orders/${sale.json().code}/mark_paid/`],
      ['GET', `${ORG}/devices/`],
      ['POST', `${EVENT}/items/`],
      // PretixPosSecurityProfile lists neither the check-in list status and positions nor failed check-ins
      // and print logs, which the scanner profiles have.
      ['GET', `${EVENT}/checkinlists/${listId}/status/`],
      ['GET', `${EVENT}/checkinlists/${listId}/positions/`],
      ['POST', `${EVENT}/checkinlists/${listId}/failed_checkins/`],
      ['GET', `${EVENT}/orderpositions/1/`],
      ['GET', `${ORG}/reusablemedia/`],
    ] as const) {
      const res = await pos(method, url, method === 'GET' ? undefined : {});
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json()).toEqual(DENIED);
    }
    // AllowListSecurityProfile.is_allowed keys on request.method as it is: HEAD is not GET.
    expect((await pos('HEAD', `${EVENT}/items/`)).statusCode).toBe(403);
  });

  it('pretixscan syncs orders at event and organizer level; noorders only searches; kiosk keeps checkinrpc/search', async () => {
    const { pair, listId } = await setup();
    const scan = await pair('pretixscan');
    expect((await scan('GET', `${EVENT}/orders/`)).statusCode).toBe(200);
    expect((await scan('GET', `${ORG}/orders/`)).statusCode).toBe(200);
    expect((await scan('GET', `${EVENT}/checkinlists/${listId}/positions/`)).statusCode).toBe(200);
    expect((await scan('GET', `${EVENT}/quotas/`)).json()).toEqual(DENIED);

    const noorders = await pair('pretixscan_online_noorders');
    expect((await noorders('GET', `${EVENT}/checkinlists/${listId}/positions/`)).statusCode).toBe(200);
    expect((await noorders('GET', `${EVENT}/orders/`)).json()).toEqual(DENIED);
    expect((await noorders('GET', `${ORG}/orders/`)).json()).toEqual(DENIED);

    const kiosk = await pair('pretixscan_online_kiosk');
    expect((await kiosk('GET', `${EVENT}/checkinlists/${listId}/positions/`)).json()).toEqual(DENIED);
    const search = await kiosk('GET', `${ORG}/checkinrpc/search/?list=${listId}&search=abc`);
    expect(search.statusCode).toBe(200);
    expect((await kiosk('GET', `${EVENT}/orders/`)).json()).toEqual(DENIED);
    const redeem = await kiosk('POST', `${ORG}/checkinrpc/redeem/`, { secret: 'nope', lists: [listId] });
    expect(redeem.statusCode).toBe(404);
  });
});
