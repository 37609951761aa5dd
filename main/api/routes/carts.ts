import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from 'better-sqlite3';
import {
  cartPositionChildren,
  cartRequestLookups,
  countApiCartPositions,
  findCartPosition,
  createCartPositions,
  deleteCartPosition,
  getApiCartPosition,
  listApiCartPositions,
  type CartCreateOutcome,
  type CartPosition,
} from '../../engine/carts';
import { EngineError, notFound } from '../../engine/errors';
import { answerResources } from '../../engine/questions';
import { actorOf, requireEvent, type ApiDeps } from '../context';
import { paginated } from '../pagination';
import { apiDatetime } from '../resources/order';
import { pathId, queryValue } from '../schemas/request';
import { cartPositionSchema, readCartPosition } from '../schemas/cart-positions';

/** pretix's CartPositionSerializer fields. */
function renderRows(db: Database, rows: CartPosition[]) {
  const answers = answerResources(
    db,
    'cartposition_id',
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    cart_id: r.cart_id,
    item: r.item_id,
    variation: r.variation_id,
    price: r.price,
    attendee_name: r.attendee_name_cached,
    attendee_name_parts: JSON.parse(r.attendee_name_parts) as Record<string, unknown>,
    attendee_email: r.attendee_email,
    voucher: r.voucher_id,
    addon_to: r.addon_to_id,
    subevent: r.subevent_id,
    datetime: apiDatetime(r.datetime),
    expires: apiDatetime(r.expires),
    includes_tax: Boolean(r.includes_tax),
    answers: answers.get(r.id) ?? [],
    seat: null,
    is_bundled: Boolean(r.is_bundled),
  }));
}

/** The created position with its `addons` and `bundled` positions, as the create endpoints answer. */
function renderCreated(db: Database, eventId: number, id: number) {
  const row = findCartPosition(db, eventId, id)!;
  const children = cartPositionChildren(db, id);
  const [main] = renderRows(db, [row]);
  return {
    ...main!,
    addons: renderRows(
      db,
      children.filter((c) => !c.is_bundled),
    ),
    bundled: renderRows(
      db,
      children.filter((c) => c.is_bundled),
    ),
  };
}

function positionId(req: FastifyRequest): number {
  return pathId(req);
}

function orderingOf(req: FastifyRequest): string[] {
  const value = queryValue(req, 'ordering');
  return value ? value.split(',').filter(Boolean) : [];
}

export function cartRoutes(app: FastifyInstance, { engine }: ApiDeps): void {
  const base = '/api/v1/organizers/:organizer/events/:event/cartpositions';

  app.get(`${base}/`, async (req) => {
    const { event } = requireEvent(engine, req);
    return engine.read((ctx) => {
      const count = countApiCartPositions(ctx.db, event.id);
      return paginated(req, count, (limit, offset) =>
        renderRows(
          ctx.db,
          listApiCartPositions(ctx.db, event.id, { limit, offset, ordering: orderingOf(req) }),
        ),
      );
    });
  });

  app.get(`${base}/:id/`, async (req) => {
    const { event } = requireEvent(engine, req);
    const id = positionId(req);
    return engine.read((ctx) => {
      const row = getApiCartPosition(ctx.db, event.id, id);
      if (!row) throw notFound();
      return renderRows(ctx.db, [row])[0];
    });
  });

  app.post(`${base}/`, async (req, reply) => {
    const { organizer, event } = requireEvent(engine, req);
    const result = engine.command((ctx) => {
      const read = readCartPosition(cartPositionSchema(cartRequestLookups(ctx.db, event.id)), req.body);
      const [outcome] = read.ok
        ? createCartPositions(ctx, { organizerId: organizer.id, eventId: event.id }, [read.request])
        : [{ ok: false as const, errors: read.errors }];
      if (!outcome!.ok) {
        // pretix raises here, rolling back; a bare message comes back as a list, field errors as a dict.
        throw new EngineError('cart_invalid', outcome!.plain ?? 'Invalid cart position.', {
          kind: 'invalid',
          body: outcome!.plain ? [outcome!.plain] : outcome!.errors,
        });
      }
      return renderCreated(ctx.db, event.id, outcome!.positionId);
    }, actorOf(req));
    reply.status(201);
    return result;
  });

  app.post(`${base}/bulk_create/`, async (req, reply) => {
    const { organizer, event } = requireEvent(engine, req);
    if (!Array.isArray(req.body)) {
      reply.status(400);
      return { error: 'Please supply a list' };
    }
    const body = req.body as unknown[];
    const results = engine.command((ctx) => {
      const schema = cartPositionSchema(cartRequestLookups(ctx.db, event.id));
      const reads = body.map((position) => readCartPosition(schema, position));
      const created = createCartPositions(
        ctx,
        { organizerId: organizer.id, eventId: event.id },
        reads.flatMap((read) => (read.ok ? [read.request] : [])),
      );
      // Positions that could not be read keep their place among the created ones' outcomes.
      const outcomes = reads.map((read): CartCreateOutcome =>
        read.ok ? created.shift()! : { ok: false, errors: read.errors },
      );
      return outcomes.map((o) =>
        o.ok
          ? { success: true, data: renderCreated(ctx.db, event.id, o.positionId), errors: null }
          : { success: false, data: null, errors: o.errors },
      );
    }, actorOf(req));
    return { results };
  });

  app.delete(`${base}/:id/`, async (req, reply) => {
    const { event } = requireEvent(engine, req);
    const id = positionId(req);
    engine.command((ctx) => deleteCartPosition(ctx, event.id, id), actorOf(req));
    reply.status(204);
    return reply.send();
  });
}
