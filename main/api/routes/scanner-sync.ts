import type { FastifyInstance } from 'fastify';
import { requireEvent, requireOrganizer, type ApiDeps } from '../context';
import { paginateList, setPageGenerated } from '../pagination';

/**
 * Resources a scanner downloads on every sync that Guichet has nothing to put in (badge layouts, revoked
 * and blocked secrets, reusable media). They must answer empty paginated lists, not a JSON 404, or
 * pretixSCAN's sync fails. Registered last, and only where no other part of the API serves the path.
 */
export function scannerSyncRoutes(app: FastifyInstance, { engine }: ApiDeps): void {
  const EVENT = '/api/v1/organizers/:organizer/events/:event';
  const served = (url: string) =>
    app.hasRoute({ method: 'GET', url }) || app.hasRoute({ method: 'GET', url: url.replace(/\/$/, '') });
  const scanner = { config: { checkin: true } };

  for (const resource of ['badgelayouts', 'badgeitems', 'revokedsecrets', 'blockedsecrets']) {
    const url = `${EVENT}/${resource}/`;
    if (served(url)) continue;
    app.get(url, scanner, async (req) => {
      requireEvent(engine, req);
      return paginateList(req, []);
    });
  }

  const media = '/api/v1/organizers/:organizer/reusablemedia/';
  if (!served(media))
    app.get(media, scanner, async (req, reply) => {
      requireOrganizer(engine, req);
      setPageGenerated(reply, engine.clock.now());
      return paginateList(req, []);
    });

  const settings = `${EVENT}/settings/`;
  if (!served(settings))
    app.get(settings, scanner, async (req) => {
      requireEvent(engine, req);
      return {};
    });
}
