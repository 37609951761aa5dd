import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../context';
import { cartRoutes } from './carts';
import { catalogEventRoutes } from './catalog-events';
import { catalogItemRoutes } from './catalog-items';
import { catalogSeriesRoutes } from './catalog-series';
import { checkinRoutes } from './checkin';
import { deviceRoutes } from './devices';
import { downloadRoutes } from './downloads';
import { orderActionRoutes } from './order-actions';
import { orderPositionRoutes } from './order-positions';
import { orderRoutes } from './orders';
import { organizerRoutes } from './organizers';
import { quotaAvailabilityRoutes } from './quota-availability';
import { scannerSyncRoutes } from './scanner-sync';
import { ticketLayoutRoutes } from './ticket-layouts';
import { recordRoutes, registerMethodNotAllowed } from './method-not-allowed';

/** Each room of the API registers its routes here. */
export async function registerApiRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const routes = recordRoutes(app);
  organizerRoutes(app, deps);
  catalogEventRoutes(app, deps);
  catalogItemRoutes(app, deps);
  catalogSeriesRoutes(app, deps);
  orderRoutes(app, deps);
  cartRoutes(app, deps);
  quotaAvailabilityRoutes(app, deps);
  orderActionRoutes(app, deps);
  orderPositionRoutes(app, deps);
  checkinRoutes(app, deps);
  deviceRoutes(app, deps);
  downloadRoutes(app, deps);
  ticketLayoutRoutes(app, deps);
  // Last: fills in only the scanner sync paths nobody else serves.
  scannerSyncRoutes(app, deps);
  // After every route: the methods a path lacks answer 405, as DRF does.
  registerMethodNotAllowed(app, deps, routes);
}
