import { z } from 'zod';
import { authorise, requireCashier, type ManagedAction } from '../../engine/cashiers';
import type { EngineContext } from '../../engine/context';
import { deskName, readDeskSettings } from '../../engine/preferences';
import { openShiftOf } from '../../engine/shifts';
import { dropRefused, listOutbox, retryRefused, syncStatus } from '../../engine/sync';
import { SyncError } from '../../sync/client';
import type { DeskLink } from '../../sync/desk-link';
import { Unreachable } from '../../sync/http';
import type { SyncConnectInput } from '../../../shared/contract';
import { DeskRefusal } from '../messages';
import { empty, id } from '../inputs';
import { defineMethods, type RpcEnv } from '../registry';

/** Rolls back a permission check made only to ask before the server is called. */
const NOT_YET = new Error('checked only');

const managerPin = z.string().trim().max(8).nullable().optional();

/**
 * Decisions about the server are a manager's: a cashier needs a manager's PIN. Each is recorded in the
 * journal with who decided it, a manager acting alone included.
 */
function asManager(
  ctx: EngineContext,
  action: ManagedAction,
  pin: string | null | undefined,
  detail: Record<string, unknown>,
): void {
  const desk = deskName(ctx.db);
  authorise(ctx, {
    desk,
    shiftId: openShiftOf(ctx.db, desk)?.id ?? null,
    cashier: requireCashier(ctx.db, desk),
    action,
    managerPin: pin ?? null,
    detail,
    recordManager: true,
  });
}

/** What a journal entry about an upload names: the call and the order it is for. */
function uploadDetail(ctx: EngineContext, seq: number): Record<string, unknown> {
  const row = listOutbox(ctx.db, 'refused').find((r) => r.seq === seq);
  return row?.order_code ? { upload: seq, order: row.order_code } : { upload: seq };
}

function status(env: RpcEnv) {
  return syncStatus(env.engine.db, readDeskSettings(env.engine.db).locale);
}

function link(env: RpcEnv): DeskLink {
  if (!env.sync)
    throw new DeskRefusal('sync_unavailable', 'This desk cannot reach a server from where it runs.');
  return env.sync;
}

/** `https://pretix.example.com/` from what a manager typed; a refusal in plain words for anything else. */
export function serverAddress(typed: string): string {
  const text = typed.trim();
  const refusal = new DeskRefusal(
    'sync_bad_url',
    `“${text}” is not a server address. Type it as it starts in the browser, e.g. https://pretix.eu/.`,
  );
  // "pretix.eu" and "localhost:8000" get https:// and http:// in front; any other "scheme:" is not a server.
  const hasScheme = /^[a-z][a-z0-9+.-]*:(?!\d)/i.test(text);
  if (!text || /\s/.test(text) || (hasScheme && !/^https?:\/\//i.test(text))) throw refusal;
  const local = /^(localhost|127\.|\[::1\])/i.test(text);
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `${local ? 'http' : 'https'}://${text}`);
  } catch {
    throw refusal;
  }
  const host = url.hostname;
  const hostLooksReal =
    host === 'localhost' || host.startsWith('[') || /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(host);
  if (!hostLooksReal || url.search || url.hash || url.username || url.password) throw refusal;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}/`;
}

/** A failed connection in words a manager can act on. */
function connectionRefusal(e: unknown, input: SyncConnectInput, url: string): unknown {
  if (e instanceof Unreachable)
    return new DeskRefusal(
      'sync_unreachable',
      `Nothing answers at ${url}. Check the address and that this computer is on the network.`,
    );
  if (!(e instanceof SyncError)) return e;
  const status = e.status;
  const reason = /<\s*(html|!doctype|body)/i.test(e.message) ? '' : e.message;
  if (status === 409) return new DeskRefusal('sync_already_connected', e.message);
  if (status === undefined) return new DeskRefusal('sync_refused', e.message);
  if (!reason && status !== 401 && status !== 403)
    return new DeskRefusal(
      'sync_not_pretix',
      `${url} answers, but not as a pretix server. Check the address.`,
    );
  if (input.kind === 'pairing') {
    if (status === 404)
      return new DeskRefusal(
        'sync_not_pretix',
        `${url} answers, but knows no device pairing: it is not a pretix server. Check the address.`,
      );
    if (/already been used/i.test(reason))
      return new DeskRefusal(
        'sync_token_used',
        'This pairing code has already been used. Create a new device on the server and use its new code.',
      );
    if (/unknown/i.test(reason) || status === 400)
      return new DeskRefusal(
        'sync_token_unknown',
        `The server does not know this pairing code (${reason}). Check it, or create a new device on the server.`,
      );
  } else {
    if (status === 401)
      return new DeskRefusal(
        'sync_token_refused',
        'The server does not accept this API token. Check it, or create a new one in the organizer’s team.',
      );
    if (status === 403 || status === 404)
      return new DeskRefusal(
        'sync_event_unknown',
        `The server shows this token no event “${input.event}” of organizer “${input.organizer ?? ''}”. ` +
          'Check both short names, and that the token’s team may see the event.',
      );
  }
  return new DeskRefusal('sync_refused', `The server refused: ${reason || `it answered ${status}`}.`);
}

const slug = z
  .string()
  .trim()
  .min(1, 'This field may not be blank.')
  .max(50)
  .regex(/^[a-zA-Z0-9._-]+$/, 'Use the short name from the address, letters, digits and dashes only.');

export const syncMethods = defineMethods({
  'sync.status': {
    input: empty,
    run: (env) => env.engine.read(() => status(env)),
  },
  'sync.retry': {
    input: z.object({ seq: z.number().int().positive(), managerPin }),
    run: (env, input) => {
      const after = env.engine.command((ctx) => {
        // Sending a refused upload again is a manager's decision: the server said no once.
        asManager(ctx, 'retry_upload', input.managerPin, uploadDetail(ctx, input.seq));
        retryRefused(ctx, input.seq);
        return status(env);
      }, env.actor);
      env.sync?.kick();
      return after;
    },
  },
  'sync.drop': {
    input: z.object({ seq: z.number().int().positive(), managerPin }),
    run: (env, input) =>
      env.engine.command((ctx) => {
        asManager(ctx, 'drop_upload', input.managerPin, uploadDetail(ctx, input.seq));
        dropRefused(ctx, input.seq);
        return status(env);
      }, env.actor),
  },
  'sync.connect': {
    input: z.object({
      url: z.string().max(500),
      kind: z.enum(['pairing', 'token']),
      token: z.string().trim().min(1, 'This field may not be blank.').max(200),
      organizer: slug.optional(),
      event: slug,
      managerPin,
    }),
    run: async (env, input) => {
      const url = serverAddress(input.url);
      if (input.kind === 'token' && !input.organizer)
        throw new DeskRefusal('sync_organizer_missing', 'An API token needs the organizer’s short name.');
      const desk = link(env);
      const decide = (ctx: EngineContext) =>
        asManager(ctx, 'connect_server', input.managerPin, { url, event: input.event });
      // Who may connect is checked before the server is asked (a pairing code works once); the decision
      // is recorded once the desk is connected, so a failed attempt leaves no entry behind.
      try {
        env.engine.command((ctx) => {
          decide(ctx);
          throw NOT_YET;
        }, env.actor);
      } catch (e) {
        if (e !== NOT_YET) throw e;
      }
      try {
        await desk.connect(
          input.kind === 'token'
            ? {
                kind: 'token',
                baseUrl: url,
                organizer: input.organizer!,
                event: input.event,
                token: input.token,
              }
            : { kind: 'pairing', baseUrl: url, event: input.event, token: input.token },
          env.actor,
        );
      } catch (e) {
        throw connectionRefusal(e, input, url);
      }
      env.engine.command(decide, env.actor);
      return status(env);
    },
  },
  'sync.disconnect': {
    input: z.object({ managerPin }),
    run: async (env, input) => {
      env.engine.command((ctx) => asManager(ctx, 'disconnect_server', input.managerPin, {}), env.actor);
      await link(env).disconnect(env.actor);
      return status(env);
    },
  },
  'sync.allotment': {
    input: z.object({
      quotaId: id,
      size: z.number().int('Enter a whole number of places.').min(0).max(100_000),
      managerPin,
    }),
    run: async (env, input) => {
      const desk = link(env);
      const known = status(env);
      if (!known.server)
        throw new DeskRefusal('sync_not_connected', 'This desk is not connected to a server.');
      if (![...known.quotas, ...known.allotments].some((q) => q.quotaId === input.quotaId))
        throw new DeskRefusal('sync_quota_unknown', 'The server has no such quota for this event.');
      env.engine.command(
        (ctx) =>
          asManager(ctx, 'set_allotment', input.managerPin, { quota: input.quotaId, size: input.size }),
        env.actor,
      );
      try {
        await desk.setAllotmentSize(input.quotaId, input.size, env.actor);
      } catch (e) {
        if (e instanceof SyncError) throw new DeskRefusal('sync_refused', `The server refused: ${e.message}`);
        throw e;
      }
      return status(env);
    },
  },
});
