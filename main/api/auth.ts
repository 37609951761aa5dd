import type { FastifyRequest } from 'fastify';
import type { Engine } from '../engine/engine';
import { LAST_USED_RESOLUTION_MS, markApiTokenUsed, verifyApiToken } from '../engine/auth';
import { EngineError } from '../engine/errors';
import type { ApiPrincipal } from './context';

export type DeviceAuthenticator = (engine: Engine, token: string) => ApiPrincipal | EngineError;

const deviceAuthenticators: DeviceAuthenticator[] = [];

/** Scanner devices authenticate with `Authorization: Device <token>`; the check-in room registers how. */
export function registerDeviceAuthenticator(fn: DeviceAuthenticator): void {
  deviceAuthenticators.push(fn);
}

function unauthorized(message: string): EngineError {
  return new EngineError('unauthorized', message, { kind: 'unauthenticated' });
}

/** Resolves the caller from the Authorization header, or answers 401 in DRF's words. */
export function authenticate(engine: Engine, req: FastifyRequest): ApiPrincipal {
  const header = req.headers.authorization;
  if (!header) throw unauthorized('Authentication credentials were not provided.');
  const [scheme, credential, ...rest] = header.trim().split(/\s+/);
  if (!credential || rest.length > 0) throw unauthorized('Invalid token header. No credentials provided.');
  if (scheme?.toLowerCase() === 'token') {
    const token = verifyApiToken(engine.db, credential);
    if (!token) throw unauthorized('Invalid token.');
    const last = token.last_used ? Date.parse(token.last_used) : NaN;
    if (!(engine.clock.now().getTime() - last < LAST_USED_RESOLUTION_MS))
      engine.command((ctx) => markApiTokenUsed(ctx, token), 'api');
    return {
      kind: 'token',
      organizerId: token.organizer_id,
      scope: token.scope,
      tokenId: token.id,
      actor: `api_token:${token.id}`,
    };
  }
  if (scheme?.toLowerCase() === 'device') {
    for (const fn of deviceAuthenticators) {
      const result = fn(engine, credential);
      if (result instanceof EngineError) throw result;
      return result;
    }
    throw unauthorized('Invalid token.');
  }
  throw unauthorized('Authentication credentials were not provided.');
}
