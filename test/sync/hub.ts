import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../../main/api/server';
import { createApiToken } from '../../main/engine/auth/tokens';
import { ManualClock } from '../../main/engine/clock';
import { Engine } from '../../main/engine/engine';
import { connectByToken, SyncClient } from '../../main/sync/client';
import { testEngine } from '../helpers';
import { fixtureEvent, fixtureItem, fixtureQuota } from '../fixtures/catalog';

/** A Guichet hub on a loopback port with one event, one item and one quota, and desks' engines. */
export async function startHub(size: number) {
  const hub = testEngine();
  const token = hub.engine.command((ctx) =>
    createApiToken(ctx, { organizerId: hub.organizerId, name: 'desks' }),
  ).token;
  const eventId = fixtureEvent(hub.engine, hub.organizerId, { slug: 'gala' });
  const item = fixtureItem(hub.engine, eventId, { price: '23.00' });
  const quota = fixtureQuota(hub.engine, eventId, size, { items: [item] });
  const app: FastifyInstance = await buildApiServer({ engine: hub.engine });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  const eventUrl = `${baseUrl}/api/v1/organizers/box-office/events/gala/`;
  const get = async (path: string) =>
    (await fetch(`${eventUrl}${path}`, { headers: { authorization: `Token ${token}` } })).json() as Promise<
      Record<string, unknown>
    >;
  return {
    ...hub,
    app,
    token,
    item,
    quota,
    eventId,
    baseUrl,
    eventUrl,
    get,
    availability: async () =>
      (await get(`quotas/${quota}/availability/`)) as {
        available_number: number;
        paid_orders: number;
        blocking_vouchers?: number;
      },
  };
}

/** A new desk connected to the hub, its catalog pulled and imported. */
export async function connectedDesk(h: { baseUrl: string; token: string }) {
  const desk = deskEngine();
  return { desk, client: await connectedClient(desk, h) };
}

export function deskEngine(): Engine {
  return Engine.open(':memory:', { clock: new ManualClock('2026-03-01T10:00:00Z') });
}

/** Connects a desk's engine to a hub's event `gala` with a team token and pulls its lists once. */
export async function connectedClient(engine: Engine, hub: { baseUrl: string; token: string }) {
  await connectByToken(engine, {
    baseUrl: hub.baseUrl,
    token: hub.token,
    organizer: 'box-office',
    event: 'gala',
  });
  const client = new SyncClient(engine);
  await client.pull();
  return client;
}
