import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '../../engine/errors';
import { orderTicketFile, positionTicketFile, type TicketFile } from '../../engine/tickets';
import { requireEvent, type ApiDeps } from '../context';
import { pathParam } from '../schemas/request';

function send(reply: FastifyReply, file: TicketFile): FastifyReply {
  return reply
    .header('Content-Type', file.contentType)
    .header('Content-Disposition', `attachment; filename="${file.filename}"`)
    .send(file.data);
}

/**
 * Ticket downloads (pretix's `download/{output}/` actions). Tickets are rendered on request, so the first
 * request already answers 200 where pretix may answer 409 while its worker renders.
 */
export function downloadRoutes(app: FastifyInstance, { engine }: ApiDeps): void {
  const base = '/api/v1/organizers/:organizer/events/:event';

  app.get(`${base}/orders/:code/download/:output/`, async (req, reply) => {
    const { event } = requireEvent(engine, req);
    const [code, output] = [pathParam(req, 'code'), pathParam(req, 'output')];
    return send(reply, await orderTicketFile(engine.db, event.id, code, output));
  });

  app.get(`${base}/orderpositions/:id/download/:output/`, async (req, reply) => {
    const { event } = requireEvent(engine, req);
    const [id, output] = [pathParam(req, 'id'), pathParam(req, 'output')];
    const positionId = /^\d{1,15}$/.test(id) ? Number(id) : NaN;
    if (!Number.isSafeInteger(positionId)) {
      // pretix checks the output before the position.
      await positionTicketFile(engine.db, event.id, -1, output);
      throw notFound();
    }
    return send(reply, await positionTicketFile(engine.db, event.id, positionId, output));
  });
}
