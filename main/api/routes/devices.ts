import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Engine } from '../../engine/engine';
import { EngineError, notFound } from '../../engine/errors';
import {
  authenticateDevice,
  createDevice,
  deviceByPk,
  getDevice,
  initializeDevice,
  listDevices,
  PRETIX_VERSION,
  PRETIX_VERSION_NUMERIC,
  revokeDevice,
  rollDeviceToken,
  updateDevice,
  updateDeviceHardware,
  type Device,
  deviceLookups,
  selectEventForDevice,
} from '../../engine/devices';
import { registerDeviceAuthenticator } from '../auth';
import { actorOf, requireOrganizer, type ApiDeps, type ApiPrincipal } from '../context';
import { paginateList } from '../pagination';
import { deviceResource, deviceSelfResource } from '../resources/checkin';
import { deviceBody, deviceInitializeBody, deviceUpdateBody } from '../schemas/devices';
import { bodyObject, pathId, queryValue } from '../schemas/request';

/** `Authorization: Device <token>` resolves to the paired device, or pretix's 401 (revoked: its exact sentence). */
export function devicePrincipal(engine: Engine, token: string): ApiPrincipal | EngineError {
  try {
    const device = authenticateDevice(engine.db, token);
    return {
      kind: 'device',
      organizerId: device.organizer_id,
      scope: 'checkin',
      deviceId: device.id,
      actor: `device:${device.device_id}`,
      device: {
        pk: device.id,
        securityProfile: device.security_profile,
        allEvents: device.all_events,
        limitEvents: device.limit_events,
        gateId: device.gate_id,
        softwareBrand: device.software_brand,
        apiToken: token,
      },
    };
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
}

registerDeviceAuthenticator(devicePrincipal);

/** The calling device; device endpoints answer 401 to anything else, as pretix's DeviceTokenAuthentication. */
function callingDevice(engine: Engine, req: FastifyRequest): { device: Device; token: string } {
  const principal = req.principal;
  if (!principal?.device)
    throw new EngineError('unauthorized', 'Authentication credentials were not provided.', {
      kind: 'unauthenticated',
    });
  const device = deviceByPk(engine.db, principal.device.pk);
  if (!device) throw new EngineError('unauthorized', 'Invalid token.', { kind: 'unauthenticated' });
  return { device, token: principal.device.apiToken };
}

function deviceNumber(req: FastifyRequest): number {
  return pathId(req, 'device');
}

export function deviceRoutes(app: FastifyInstance, { engine }: ApiDeps): void {
  const ORG = '/api/v1/organizers/:organizer';
  const scanner = { config: { checkin: true } };

  app.get(`${ORG}/devices/`, async (req) => {
    const organizer = requireOrganizer(engine, req);
    return paginateList(req, listDevices(engine.db, organizer.id).map(deviceResource));
  });

  app.post(`${ORG}/devices/`, async (req, reply) => {
    const organizer = requireOrganizer(engine, req);
    const data = deviceBody(bodyObject(req), deviceLookups(engine.db, organizer.id), 'create');
    const device = engine.command(
      (ctx) => createDevice(ctx, { organizerId: organizer.id, data }),
      actorOf(req),
    );
    return reply.status(201).send(deviceResource(device));
  });

  app.get(`${ORG}/devices/:device/`, async (req) => {
    const organizer = requireOrganizer(engine, req);
    const device = getDevice(engine.db, organizer.id, deviceNumber(req));
    if (!device) throw notFound();
    return deviceResource(device);
  });

  for (const method of ['patch', 'put'] as const) {
    app[method](`${ORG}/devices/:device/`, async (req) => {
      const organizer = requireOrganizer(engine, req);
      const deviceId = deviceNumber(req);
      const data = deviceBody(bodyObject(req), deviceLookups(engine.db, organizer.id), 'update');
      const device = engine.command(
        (ctx) => updateDevice(ctx, { organizerId: organizer.id, deviceId, data }),
        actorOf(req),
      );
      return deviceResource(device);
    });
  }

  app.post('/api/v1/device/initialize', { config: { public: true } }, async (req) => {
    const data = deviceInitializeBody(bodyObject(req));
    const { device, apiToken } = engine.command((ctx) => initializeDevice(ctx, data), 'device');
    return deviceSelfResource(engine.db, device, apiToken);
  });

  app.get('/api/v1/device/info', scanner, async (req) => {
    const { device, token } = callingDevice(engine, req);
    return {
      device: deviceSelfResource(engine.db, device, token),
      server: { version: { pretix: PRETIX_VERSION, pretix_numeric: PRETIX_VERSION_NUMERIC } },
      // pretix lists key sets only for a device that sent an rsa_pubkey, and only those of NFC media types
      // the organizer turned on; Guichet offers no reusable media, so the list is empty for every device.
      medium_key_sets: [],
    };
  });

  app.post('/api/v1/device/update', scanner, async (req) => {
    const { device, token } = callingDevice(engine, req);
    const data = deviceUpdateBody(bodyObject(req));
    const updated = engine.command(
      (ctx) => updateDeviceHardware(ctx, { deviceId: device.id, data }),
      actorOf(req),
    );
    return deviceSelfResource(engine.db, updated, token);
  });

  app.post('/api/v1/device/roll', scanner, async (req) => {
    const { device } = callingDevice(engine, req);
    const rolled = engine.command((ctx) => rollDeviceToken(ctx, device.id), actorOf(req));
    return deviceSelfResource(engine.db, rolled.device, rolled.apiToken);
  });

  app.post('/api/v1/device/revoke', scanner, async (req) => {
    const { device, token } = callingDevice(engine, req);
    const revoked = engine.command((ctx) => revokeDevice(ctx, device.id), actorOf(req));
    return deviceSelfResource(engine.db, revoked, token);
  });

  // pretix's EventSelectionView: 304 keeps what the scanner runs, 404 (empty body) when nothing can be scanned.
  app.get('/api/v1/device/eventselection', scanner, async (req, reply) => {
    const { device } = callingDevice(engine, req);
    const param = (name: string): string | undefined => queryValue(req, name);
    const selection = selectEventForDevice(
      engine.db,
      device,
      {
        event: param('current_event'),
        subevent: param('current_subevent'),
        checkinList: param('current_checkinlist'),
      },
      engine.clock.now(),
    );
    if (selection.kind === 'keep') return reply.status(304).send();
    if (selection.kind === 'nothing') return reply.status(404).send();
    return selection.suggestion;
  });

  app.get('/api/v1/version', scanner, async () => ({
    pretix: PRETIX_VERSION,
    pretix_numeric: PRETIX_VERSION_NUMERIC,
  }));
}
