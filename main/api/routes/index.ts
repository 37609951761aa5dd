import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../context';
import { orderRoutes } from './orders';
import { organizerRoutes } from './organizers';

/** Each room of the API registers its routes here. */
export async function registerApiRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  organizerRoutes(app, deps);
  orderRoutes(app, deps);
}
