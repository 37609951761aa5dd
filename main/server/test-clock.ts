import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { OffsetClock } from '../engine/clock';

const advance = z
  .object({
    advanceMs: z
      .number()
      .int()
      .min(0)
      .max(366 * 24 * 3600_000),
  })
  .strict();

/** `POST /test/clock` moves the engine's clock forward; served only by `guichet serve --test-clock`. */
export function registerTestClock(app: FastifyInstance, clock: OffsetClock): void {
  app.post('/test/clock', async (req, reply) => {
    const parsed = advance.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ detail: 'Send { "advanceMs": <milliseconds> }.' });
    clock.advance(parsed.data.advanceMs);
    return { now: clock.now().toISOString() };
  });
}
