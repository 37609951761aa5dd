import { afterEach, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../../main/api/server';
import { createApiToken } from '../../main/engine/auth/tokens';
import type { Engine } from '../../main/engine/engine';
import type { OrderCreation } from '../../main/api/order-creation/create-order';

/**
 * REST doors for the tests of one file: `start` builds one over an engine (for `inject`, or to listen on a
 * loopback port), and every door started during a test is closed after it.
 */
export function apiServers() {
  const open: FastifyInstance[] = [];
  afterEach(async () => {
    for (const app of open.splice(0)) await app.close();
  });
  return {
    async start(options: Parameters<typeof buildApiServer>[0]): Promise<FastifyInstance> {
      const app = await buildApiServer(options);
      open.push(app);
      return app;
    },
    /** A door over `engine`, and the `authorization` header of a new API token of the organizer (all permissions). */
    async startAsAdmin(engine: Engine, organizerId: number) {
      const admin = { authorization: `Token ${apiToken(engine, organizerId)}` };
      return { app: await this.start({ engine }), admin };
    },
  };
}

/**
 * Creates the event's "Door" check-in list of all products through the REST door, as an admin does;
 * returns its id.
 */
export async function postDoorList(app: FastifyInstance, admin: Record<string, string>, eventSlug = 'gala') {
  const created = await app.inject({
    method: 'POST',
    url: `/api/v1/organizers/box-office/events/${eventSlug}/checkinlists/`,
    headers: admin,
    payload: { name: 'Door', all_products: true },
  });
  expect(created.statusCode).toBe(201);
  return created.json<{ id: number }>().id;
}

/** A new API token's secret for the organizer; all permissions unless `scope` limits it. */
export function apiToken(
  engine: Engine,
  organizerId: number,
  name = 'admin',
  scope?: 'all' | 'read' | 'checkin',
): string {
  return engine.command((ctx) => createApiToken(ctx, { organizerId, name, ...(scope ? { scope } : {}) }))
    .token;
}

/** The device a pretix app registers as when it initialises, unless a test says otherwise. */
const SCANNER_HARDWARE = {
  hardware_brand: 'Zebra',
  hardware_model: 'TC25',
  software_brand: 'pretixSCAN',
  software_version: '1.20.0',
};

/**
 * Pairs a device as pretix's apps do: an admin creates it (`device` fields, named "Scanner" unless given),
 * the app initialises with its one-time token. Returns the created device and the app's API token.
 */
export async function pairDevice(
  app: FastifyInstance,
  admin: Record<string, string>,
  device: Record<string, unknown>,
  hardware: Record<string, unknown> = {},
) {
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/organizers/box-office/devices/',
    headers: admin,
    payload: { name: 'Scanner', ...device },
  });
  expect(created.statusCode, JSON.stringify(device)).toBe(201);
  const init = await app.inject({
    method: 'POST',
    url: '/api/v1/device/initialize',
    payload: { token: created.json().initialization_token, ...SCANNER_HARDWARE, ...hardware },
  });
  expect(init.statusCode).toBe(200);
  const apiToken = init.json().api_token as string;
  return {
    created: created.json() as { device_id: number } & Record<string, unknown>,
    apiToken,
    headers: { authorization: `Device ${apiToken}` },
  };
}

/** A one-ticket paid order as a REST client creates it, handed to the order writer as the route would. */
export function paidOrderCreation(eventId: number, itemId: number): OrderCreation {
  return {
    eventId,
    body: { status: 'p', payment_provider: 'boxoffice', positions: [{ item: itemId, price: '25.00' }] },
    actor: 'test',
  };
}
