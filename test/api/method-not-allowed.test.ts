import { describe, expect, it } from 'vitest';
import { fixtureEvent } from '../fixtures/catalog';
import { testEngine } from '../helpers';
import { apiServers, pairDevice, postDoorList } from '../support/api';

/**
 * Methods a pretix view does not offer: DRF's APIView.dispatch runs authentication and permissions
 * (pretix's device security profiles among them, api/auth/permission.py) and then answers
 * `http_method_not_allowed` with 405 `Method "X" not allowed.`. Views: CheckinViewSet and
 * CheckinListPositionViewSet are ReadOnlyModelViewSets, the device views (InitializeView, …) and the
 * check-in RPC views only define `post`/`get` (api/views/checkin.py, api/views/device.py), DeviceViewSet has
 * no destroy (api/views/organizer.py).
 */

const servers = apiServers();

const ORG = '/api/v1/organizers/box-office';
const EVENT = `${ORG}/events/gala`;

async function setup() {
  const { engine, organizerId } = testEngine();
  fixtureEvent(engine, organizerId, { slug: 'gala' });
  const { app, admin: headers } = await servers.startAsAdmin(engine, organizerId);
  const listId = await postDoorList(app, headers);
  const kiosk = await pairDevice(
    app,
    headers,
    { name: 'Kiosk', all_events: true, security_profile: 'pretixscan_online_kiosk' },
    { hardware_brand: 'Test', hardware_model: 'Test', software_version: '1.0.0' },
  );
  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    h: Record<string, string> = headers,
  ) =>
    app.inject({
      method,
      url,
      headers: h,
      payload: method === 'GET' || method === 'DELETE' ? undefined : {},
    });
  return {
    call,
    listId,
    deviceId: kiosk.created.device_id,
    deviceHeaders: kiosk.headers,
  };
}

describe('405 for methods a pretix view does not offer', () => {
  it('answers DRF’s 405 on read-only and single-method views', async () => {
    const { call, listId, deviceId } = await setup();
    for (const [method, url] of [
      ['POST', `${EVENT}/checkins/`],
      ['DELETE', `${EVENT}/checkins/1/`],
      ['POST', `${EVENT}/checkinlists/${listId}/positions/`],
      ['PATCH', `${EVENT}/checkinlists/${listId}/positions/1/`],
      ['GET', `${EVENT}/checkinlists/${listId}/positions/abc/redeem/`],
      ['GET', `${ORG}/checkinrpc/redeem/`],
      ['POST', `${ORG}/checkinrpc/search/`],
      ['DELETE', `${ORG}/devices/${deviceId}/`],
      ['GET', '/api/v1/device/update'],
      ['POST', '/api/v1/device/info'],
    ] as const) {
      const res = await call(method, url);
      expect(res.statusCode, `${method} ${url}`).toBe(405);
      expect(res.json()).toEqual({ detail: `Method "${method}" not allowed.` });
    }
  });

  it('checks authentication, the organizer and event, and a device’s profile first', async () => {
    const { call, deviceHeaders } = await setup();
    expect((await call('POST', `${EVENT}/checkins/`, {})).statusCode).toBe(401);
    expect((await call('POST', `${ORG}/events/nowhere/checkins/`)).statusCode).toBe(403);
    const denied = await call('POST', `${EVENT}/checkins/`, deviceHeaders);
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toEqual({ detail: 'Request denied by device security profile.' });
    // Device initialisation needs no authentication, so its wrong method is a 405 at once.
    const init = await call('GET', '/api/v1/device/initialize', {});
    expect(init.statusCode).toBe(405);
    expect(init.json()).toEqual({ detail: 'Method "GET" not allowed.' });
  });
});
