import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify';
import { requireEvent, requireOrganizer, type ApiDeps } from '../context';
import { pathParams } from '../schemas/request';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

interface Registered {
  methods: Set<string>;
  config: FastifyContextConfig | undefined;
}

/** Starts recording the API routes registered from now on, with their methods and config. */
export function recordRoutes(app: FastifyInstance): Map<string, Registered> {
  const routes = new Map<string, Registered>();
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1/')) return;
    const entry = routes.get(route.url) ?? { methods: new Set<string>(), config: route.config };
    for (const m of [route.method].flat()) entry.methods.add(m);
    routes.set(route.url, entry);
  });
  return routes;
}

/**
 * DRF answers a method a view does not offer with 405 `Method "X" not allowed.`, after authentication and
 * permissions (a device's security profile included), and the organizer or event of the path are checked;
 * a missing route is not a 404. Registers that answer for every method a recorded path lacks.
 */
export function registerMethodNotAllowed(
  app: FastifyInstance,
  { engine }: ApiDeps,
  routes: Map<string, Registered>,
): void {
  const scopeOf = (req: FastifyRequest) => {
    const params = pathParams(req);
    if (params.event !== undefined) requireEvent(engine, req);
    else if (params.organizer !== undefined) requireOrganizer(engine, req);
  };
  for (const [url, entry] of [...routes.entries()]) {
    for (const method of METHODS) {
      if (entry.methods.has(method)) continue;
      app.route({
        method,
        url,
        exposeHeadRoute: false,
        config: entry.config?.public ? { public: true } : {},
        handler: async (req, reply) => {
          scopeOf(req);
          return reply.status(405).send({ detail: `Method "${method}" not allowed.` });
        },
      });
    }
  }
}
