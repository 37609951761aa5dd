import { z } from 'zod';
import QRCode from 'qrcode';
import { createDeviceForPairing, listDevices, revokeDevice, type Device } from '../../engine/devices';
import { ensureDefaultOrganizer, listOrganizers } from '../../engine/organizers';
import { lanBaseUrls } from '../../api/lan';
import type { DeviceView } from '../../../shared/contract';
import { readDeskSettings } from '../../engine/preferences';
import { defineMethods, type RpcEnv } from '../registry';
import { camelCased } from '../camel-case';
import { empty, id } from '../inputs';

function deviceView(d: Device): DeviceView {
  return camelCased(d, ['id', 'device_id', 'name', 'created', 'initialized', 'revoked']);
}

const LOOPBACK = /^(127\.|localhost$|\[?::1\]?$)/;

/**
 * The URL a scanner pairs with: the API's root (pretixSCAN drops any path). Where the API listens on every
 * interface, the desk's LAN address; on loopback only, that address, which no scanner can reach.
 */
function pairingBase(env: RpcEnv): { url: string; reachable: boolean } {
  const running = env.apiUrl();
  const settings = readDeskSettings(env.engine.db).api;
  const origin = running ? new URL(running) : null;
  const port = origin?.port ? Number(origin.port) : settings.port;
  const host = origin?.hostname ?? settings.host;
  if (!LOOPBACK.test(host)) {
    const lan = host === '0.0.0.0' || host === '::' ? lanBaseUrls(port)[0] : `http://${host}:${port}`;
    if (lan) return { url: lan, reachable: true };
  }
  return { url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`, reachable: false };
}

/** Settings › Devices: pretixSCAN devices created with a one-time pairing QR code, listed and revoked. */
export const deviceMethods = defineMethods({
  'devices.list': {
    input: empty,
    run: (env) =>
      env.engine.read((ctx) =>
        listOrganizers(ctx.db).flatMap((o) => listDevices(ctx.db, o.id).map(deviceView)),
      ),
  },
  'devices.create': {
    input: z.object({ name: z.string().trim().min(1).max(190) }),
    async run(env, input) {
      const base = pairingBase(env);
      const { device, pairing } = env.engine.command(
        (ctx) =>
          createDeviceForPairing(ctx, {
            organizerId: ensureDefaultOrganizer(ctx).id,
            ...input,
            baseUrl: base.url,
          }),
        env.actor,
      );
      const payload = JSON.stringify(pairing);
      const qrSvg = await QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return {
        device: deviceView(device),
        pairing: { url: pairing.url, payload, qrSvg, reachable: base.reachable },
      };
    },
  },
  'devices.revoke': {
    input: z.object({ id }),
    run: (env, input) => deviceView(env.engine.command((ctx) => revokeDevice(ctx, input.id), env.actor)),
  },
});
