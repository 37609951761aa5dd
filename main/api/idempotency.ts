import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Engine } from '../engine/engine';
import {
  authHash,
  claimApiCall,
  finishApiCall,
  queryApiCall,
  releaseApiCall,
  type StoredResponse,
} from '../engine/idempotency';
import { queryValue } from './schemas/request';

declare module 'fastify' {
  interface FastifyRequest {
    /** The api_calls row this request claimed with its X-Idempotency-Key, until its response is stored. */
    idempotentCallId?: number;
  }
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Added by the HTTP layer for each response; not part of what is replayed. */
const TRANSPORT_HEADERS = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'date',
  'keep-alive',
]);

function sendConcurrent(reply: FastifyReply): FastifyReply {
  return reply
    .code(409)
    .header('Retry-After', '5')
    .send({ detail: 'Concurrent request with idempotency key.' });
}

function sendStored(reply: FastifyReply, stored: StoredResponse): FastifyReply {
  reply.code(stored.status);
  for (const [name, value] of Object.entries(stored.headers)) reply.header(name, value);
  return reply.send(stored.body);
}

function headersOf(reply: FastifyReply): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value === undefined || TRANSPORT_HEADERS.has(name.toLowerCase())) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

async function bodyOf(payload: unknown): Promise<Buffer> {
  if (payload === null || payload === undefined) return Buffer.alloc(0);
  if (Buffer.isBuffer(payload)) return payload;
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  if (payload instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const chunk of payload) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    return Buffer.concat(chunks);
  }
  return Buffer.from(String(payload), 'utf8');
}

/** The request's path as the router sees it (percent-decoded, like Django's request.path), without the query. */
function decodedPath(url: string): string {
  const raw = url.split('?')[0] ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * pretix's X-Idempotency-Key (doc/api/fundamentals.rst "Idempotency", api/middleware.py
 * IdempotencyMiddleware): every POST, PUT, PATCH and DELETE under /api/ that carries the header is stored
 * under the key and a hash of the Authorization header. A second request with both the same gets the stored
 * response (whatever its path, method or body) without running again; while the first still runs it gets
 * 409 with Retry-After: 5. Responses 409, 429, 500 and 503 are not stored, so those can be retried. Keys
 * are kept 24 hours. This runs before routing and authentication, as pretix's middleware does, so a stored
 * 401 or 404 is replayed too.
 */
export function registerIdempotency(app: FastifyInstance, engine: Engine): void {
  app.addHook('onRequest', async (req, reply) => {
    if (READ_METHODS.has(req.method)) return;
    const path = decodedPath(req.url);
    if (!path.startsWith('/api/')) return;
    const key = req.headers['x-idempotency-key'];
    const value = Array.isArray(key) ? key[0] : key;
    if (!value) return;
    const claim = claimApiCall(engine.db, engine.clock, {
      authHash: authHash(req.headers.authorization),
      key: value,
      method: req.method,
      path,
    });
    if (claim.kind === 'running') return sendConcurrent(reply);
    if (claim.kind === 'replay') return sendStored(reply, claim.response);
    req.idempotentCallId = claim.id;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const id = req.idempotentCallId;
    if (id === undefined) return payload;
    req.idempotentCallId = undefined;
    const body = await bodyOf(payload);
    finishApiCall(engine.db, id, { status: reply.statusCode, headers: headersOf(reply), body });
    return body;
  });

  // A request that ended without passing onSend (a broken stream, a lost socket) frees its key for a retry.
  app.addHook('onResponse', async (req) => {
    const id = req.idempotentCallId;
    if (id === undefined) return;
    req.idempotentCallId = undefined;
    releaseApiCall(engine.db, id);
  });

  // pretix's IdempotencyQueryView: no authentication of its own; the Authorization header only selects keys.
  app.get('/api/v1/idempotency_query', { config: { public: true } }, async (req, reply) => {
    const key = queryValue(req, 'key');
    if (typeof key !== 'string' || key === '') {
      return reply.code(404).send({ detail: 'No idempotency key given.' });
    }
    const found = queryApiCall(engine.db, engine.clock, authHash(req.headers.authorization), key);
    if (found.kind === 'unknown') return reply.code(404).send({ detail: 'Idempotency key not seen before.' });
    if (found.kind === 'running') return sendConcurrent(reply);
    return sendStored(reply, found.response);
  });
}
