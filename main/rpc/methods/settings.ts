import { z } from 'zod';
import { createApiToken, listApiTokens, revokeApiToken, type ApiTokenInfo } from '../../engine/auth';
import { ensureDefaultOrganizer } from '../../engine/organizers';
import { backupDatabase } from '../../engine/backup';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import type { ApiTokenView, DeskSettings } from '../../../shared/contract';
import { readDeskSettings, updateDeskSettings } from '../../engine/preferences';
import { defineMethods, type RpcEnv } from '../registry';
import { camelCased } from '../camel-case';
import { empty, id } from '../inputs';
import { guardDeskRename } from '../../engine/shifts';

function tokenView(t: ApiTokenInfo): ApiTokenView {
  return camelCased(t, ['id', 'name', 'scope', 'created', 'revoked_at', 'last_used']);
}

const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

const settingsChange = z
  .object({
    locale: z.enum(['en', 'de']),
    api: z.object({
      enabled: z.boolean(),
      // The REST API listens there: a name or an address it can bind, never words typed by mistake.
      host: z
        .string()
        .trim()
        .min(1)
        .max(255)
        .refine((host) => host === '' || isIP(host) !== 0 || HOST_NAME.test(host), {
          error: 'Enter a host name or an IP address, such as 127.0.0.1.',
        }),
      port: z.number().int().min(1).max(65535),
    }),
    printer: z.object({
      name: z.string().max(200),
      paper: z.enum(['a4', 'letter', '80mm', 'thermal-2x5.5in']),
    }),
    backupFolder: z.string().min(1).nullable(),
    deskName: z.string().trim().min(1).max(60),
    quickSell: z
      .object({
        eventId: id,
        subeventId: id.nullable(),
        itemId: id,
        name: z.string().max(400),
        variationId: id.nullable(),
      })
      .nullable(),
    printReceipts: z.boolean(),
  })
  .partial()
  .strict() satisfies z.ZodType<Partial<DeskSettings>>;

export function backupFolderOf(env: RpcEnv): string {
  return readDeskSettings(env.engine.db).backupFolder ?? join(dirname(env.databasePath), 'backups');
}

export const settingsMethods = defineMethods({
  'app.info': {
    input: empty,
    run: (env, _input) => ({
      version: process.env.npm_package_version ?? '0.1.0',
      mode: env.mode,
      databasePath: env.databasePath,
      api: { running: env.apiUrl() !== null, url: env.apiUrl() },
      methods: [],
      settings: readDeskSettings(env.engine.db),
    }),
  },
  'settings.update': {
    input: settingsChange,
    async run(env, input) {
      const settings = env.engine.command((ctx) => {
        guardDeskRename(ctx.db, input.deskName);
        return updateDeskSettings(ctx, input);
      }, env.actor);
      await env.onSettingsChanged?.();
      return settings;
    },
  },
  'tokens.list': {
    input: empty,
    run: (env) => listApiTokens(env.engine.db).map(tokenView),
  },
  'tokens.create': {
    input: z.object({ name: z.string().trim().min(1).max(190), scope: z.enum(['all', 'read', 'checkin']) }),
    run(env, input) {
      const { token, info } = env.engine.command(
        (ctx) => createApiToken(ctx, { organizerId: ensureDefaultOrganizer(ctx).id, ...input }),
        env.actor,
      );
      return { token, info: tokenView(info) };
    },
  },
  'tokens.revoke': {
    input: z.object({ id }),
    run: (env, input) => tokenView(env.engine.command((ctx) => revokeApiToken(ctx, input.id), env.actor)),
  },
  'backup.now': {
    input: empty,
    async run(env) {
      const result = await backupDatabase(env.engine.db, backupFolderOf(env), { clock: env.engine.clock });
      return { path: result.path, bytes: result.bytes };
    },
  },
});
