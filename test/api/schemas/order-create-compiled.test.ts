import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseBody } from '../../../main/api/schemas/drf';
import { orderCreateSchema, readOrderCreate } from '../../../main/api/schemas/order-create';
import { EngineError } from '../../../main/engine/errors';
import { orderRequestLookups } from '../../../main/engine/orders';
import { testEngine } from '../../helpers';
import { orderBodies, orderBodyCatalog } from '../../support/order-bodies';

/**
 * The order body is read by zod's compiled form of its schema, which hands every body it refuses to the
 * schema itself. Both must give the same request, or the same error body in the same order, for any body.
 */

/** A reading's outcome as text: the request (decimals and dates as JSON writes them) or the error. */
function outcome(read: () => unknown): string {
  try {
    return `ok ${JSON.stringify(read())}`;
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    return `error ${e.code} ${e.kind} ${e.message} ${JSON.stringify(e.body)}`;
  }
}

describe('reading an order creation body', () => {
  const { engine, organizerId } = testEngine();
  const catalog = orderBodyCatalog(engine, organizerId);

  it('compiles the order schema (no fallback to zod’s interpreter for a good body)', () => {
    engine.command((ctx) => {
      const lookups = orderRequestLookups(ctx, catalog.eventId);
      expect(() => z.compile(orderCreateSchema(lookups), { strict: true })).not.toThrow();
    });
  });

  it('gives what the schema itself gives, for 1,500 bodies good and bad', () => {
    const bodies = orderBodies(catalog, 1500, 16);
    let accepted = 0;
    let refusedInSeveralPlaces = 0;
    engine.command((ctx) => {
      const schema = orderCreateSchema(orderRequestLookups(ctx, catalog.eventId));
      bodies.forEach((body, i) => {
        const expected = outcome(() => parseBody(schema, structuredClone(body)));
        const actual = outcome(() => readOrderCreate(ctx, catalog.eventId, structuredClone(body)));
        if (actual !== expected) expect({ i, body, actual }).toEqual({ i, body, actual: expected });
        if (expected.startsWith('ok')) accepted++;
        else if ((expected.match(/\["/g) ?? []).length > 1) refusedInSeveralPlaces++;
      });
    });
    // The bodies cover both sides: about half read cleanly, many fail in more than one field.
    expect(accepted).toBeGreaterThan(400);
    expect(bodies.length - accepted).toBeGreaterThan(400);
    expect(refusedInSeveralPlaces).toBeGreaterThan(100);
  });
});
