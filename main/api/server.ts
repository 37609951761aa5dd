import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Engine } from '../engine/engine';
import { diskFullError, EngineError, isEngineError } from '../engine/errors';
import { authenticate } from './auth';
import { checkScannerAccess } from './device-security';
import { registerIdempotency } from './idempotency';
import { placeCreation } from './order-creation/create-order';
import { OrderWriter } from './order-creation/order-writer';
import { permissionDenied, type ApiDeps } from './context';
import { registerApiRoutes } from './routes';
import { httpStatusOf, restAnswer } from './errors';

export interface RouteSummary {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the server answers, for tests that walk the whole API. */
    routeSummaries: RouteSummary[];
    /** The thread order creations run on, where the database allows one (see `OrderWriter`). */
    orderWriter: OrderWriter | undefined;
  }
}

export interface ApiServerOptions {
  engine: Engine;
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Origins allowed to call the API from a browser; none unless configured. */
  corsOrigins?: string[];
  logger?: boolean;
  /** Where an unexpected error (a 500) is written, with its stack; standard error unless given. */
  logError?: (line: string) => void;
  /**
   * Order creations on a worker thread of their own (`OrderWriter`), where the database allows it; on by
   * default.
   */
  orderWriter?: boolean;
  /** Extra routes on the same server (the desk's RPC and UI in `guichet serve`). */
  extend?: (app: FastifyInstance, deps: ApiDeps) => void | Promise<void>;
}

const MAX_JSON_DEPTH = 64;

/** How deeply arrays and objects nest in a JSON text (brackets inside strings do not count). */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* backslash */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123 /* [ { */) deepest = Math.max(deepest, ++depth);
    else if (c === 93 || c === 125 /* ] } */) depth--;
  }
  return deepest;
}

/**
 * The pretix-compatible REST API. Routes map pretix shapes onto engine commands and back; errors become
 * pretix's bodies. Nothing here decides a business rule.
 */
export async function buildApiServer(options: ApiServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
    return503OnClosing: true,
  });
  const { engine } = options;
  const writer =
    options.orderWriter !== false && OrderWriter.usable(engine) ? new OrderWriter(engine) : undefined;
  const deps: ApiDeps = {
    engine,
    placeOrder: writer
      ? (creation) => writer.create(creation)
      : (creation) => placeCreation(engine, creation),
  };
  const routes: RouteSummary[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url });
    }
  });
  app.decorate('routeSummaries', routes);
  app.decorate('orderWriter', writer);

  // An empty body counts as `{}`, as DRF treats it; malformed JSON is a 400 in DRF's words, and so is JSON
  // nested deeper than any pretix resource goes (deep nesting would only exhaust the stack further on).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, {});
    if (nestingDepth(text) > MAX_JSON_DEPTH) {
      return done(
        new EngineError('parse_error', `JSON parse error - nested deeper than ${MAX_JSON_DEPTH} levels.`, {
          kind: 'invalid',
        }) as never,
        undefined,
      );
    }
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(
        new EngineError('parse_error', `JSON parse error - ${(e as Error).message}`, {
          kind: 'invalid',
        }) as never,
        undefined,
      );
    }
  });

  const cors = new Set(options.corsOrigins ?? []);
  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    if (origin && cors.has(origin)) {
      reply.header('Access-Control-Allow-Origin', origin);
      reply.header('Vary', 'Origin');
      reply.header('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      reply.header('Access-Control-Allow-Methods', 'GET, POST, PATCH, PUT, DELETE, OPTIONS');
    }
  });

  registerIdempotency(app, options.engine);

  // Every /api/v1 route is authenticated unless it says it is public; scopes narrow what a token may do.
  // Decided on the route the router matched (its decoded, normalised path), never on the raw URL: a
  // percent-encoded `/%61pi/v1/...` reaches the same routes.
  app.addHook('preHandler', async (req) => {
    const route = req.routeOptions.url;
    if (route === undefined || !route.startsWith('/api/v1/')) return;
    const config = req.routeOptions.config;
    if (config?.public) return;
    const principal = authenticate(options.engine, req);
    req.principal = principal;
    const readOnly = req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS';
    if (principal.kind === 'device' || principal.scope === 'checkin') {
      checkScannerAccess(req, principal, config);
    } else if (principal.scope === 'read' && !readOnly) {
      throw permissionDenied();
    }
  });

  app.setErrorHandler((error: FastifyError | EngineError, req, reply) => {
    if (isEngineError(error)) {
      const answer = restAnswer(error);
      for (const [k, v] of Object.entries(answer.headers)) reply.header(k, v);
      return reply.status(answer.status).send(answer.body);
    }
    const full = diskFullError(error);
    if (full) return reply.status(httpStatusOf(full.kind)).send(full.body);
    const status = error.statusCode ?? 500;
    if (status === 413) return reply.status(413).send({ detail: 'Request body is too large.' });
    if (status === 415) return reply.status(415).send({ detail: `Unsupported media type in request.` });
    if (status >= 400 && status < 500) return reply.status(status).send({ detail: error.message });
    (options.logError ?? ((line) => process.stderr.write(`${line}\n`)))(
      `guichet: ${req.method} ${req.routeOptions.url ?? '(no route)'} failed: ${error.stack ?? error.message}`,
    );
    return reply.status(500).send({ detail: 'Internal server error.' });
  });

  app.setNotFoundHandler((_req, reply) => reply.status(404).send({ detail: 'Not found.' }));
  // Closing answers the order creations still waiting for their group's commit before the caller may close
  // the database (a client that hung up does not end its request's work).
  app.addHook('onClose', async () => {
    await writer?.close();
    await engine.settled();
  });

  await registerApiRoutes(app, deps);
  if (options.extend) await options.extend(app, deps);
  return app;
}
