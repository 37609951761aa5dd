import type { FastifyInstance } from 'fastify';
import { listOrganizers } from '../../engine/organizers';
import { requireOrganizer, type ApiDeps } from '../context';
import { paginateList } from '../pagination';

function organizerResource(o: { slug: string; name: string }) {
  return { name: o.name, slug: o.slug, public_url: null };
}

export function organizerRoutes(app: FastifyInstance, { engine }: ApiDeps): void {
  app.get('/api/v1/organizers/', { config: { checkin: true } }, async (req) => {
    const visible = listOrganizers(engine.db).filter((o) => o.id === req.principal?.organizerId);
    return paginateList(req, visible.map(organizerResource));
  });

  app.get('/api/v1/organizers/:organizer/', { config: { checkin: true } }, async (req) =>
    organizerResource(requireOrganizer(engine, req)),
  );
}
