import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../../main/api/server';
import { createApiToken } from '../../main/engine/auth/tokens';
import type { Engine } from '../../main/engine/engine';

/**
 * The REST door listening on a free loopback port, as a client process would reach it, with a new API
 * token of the organizer (all permissions) in `headers`.
 */
export async function loopbackApi(
  engine: Engine,
  organizerId: number,
  tokenName: string,
): Promise<{ app: FastifyInstance; base: string; headers: Record<string, string> }> {
  const token = engine.command((ctx) => createApiToken(ctx, { organizerId, name: tokenName })).token;
  const app = await buildApiServer({ engine });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { app, base, headers: { authorization: `Token ${token}`, 'content-type': 'application/json' } };
}
