import { describe, expect, it } from 'vitest';
import { createOrderFromBody } from '../../support/orders';
import { insertWithFreshOrderCode, insertWithFreshSecrets } from '../../../main/engine/orders/order-codes';
import { testEngine } from '../../helpers';
import { fixtureEvent, fixtureItem, fixtureQuota } from '../../fixtures/catalog';

/** An event with one stored order, whose code, ticket secret and pseudonymization id are then taken. */
function withOneOrder() {
  const t = testEngine();
  const eventId = fixtureEvent(t.engine, t.organizerId, { settings: {} });
  const item = fixtureItem(t.engine, eventId, { price: '10.00' });
  fixtureQuota(t.engine, eventId, 10, { items: [item] });
  const { order } = t.engine.command((ctx) =>
    createOrderFromBody(ctx, { eventId, body: { positions: [{ item }] } }),
  );
  const position = order.positions[0]!;
  return { ...t, eventId, item, orderId: order.id, code: order.code, position };
}

describe('codes and secrets drawn against the unique indexes', () => {
  it('draws the order code again while the index refuses it, one character longer after 20 refusals', () => {
    const { engine, organizerId, eventId, code: takenCode } = withOneOrder();
    const lengths: number[] = [];
    const stored = engine.command((ctx) => {
      const insert = ctx.db.prepare(
        `INSERT INTO orders (organizer_id, event_id, code, status, secret, datetime, expires, total, last_modified)
         VALUES (?, ?, ?, 'n', 'secret', '2026-03-01', '2026-03-15', '0.00', '2026-03-01')`,
      );
      return insertWithFreshOrderCode(false, (code) => {
        lengths.push(code.length);
        // The first 23 draws are refused by the real index: they are stored under the taken code.
        const stored = lengths.length <= 23 ? takenCode : code;
        return Number(insert.run(organizerId, eventId, stored).lastInsertRowid);
      });
    });
    expect(lengths).toEqual([...Array(20).fill(5), 6, 6, 6, 6]);
    expect(stored.code).toHaveLength(6);
    const rows = engine.db.prepare('SELECT id, code FROM orders ORDER BY id').all() as {
      id: number;
      code: string;
    }[];
    // The refused INSERTs left nothing: the first order and the one just stored.
    expect(rows).toEqual([
      { id: rows[0]!.id, code: takenCode },
      { id: stored.id, code: stored.code },
    ]);
  });

  it('draws again whichever of a position’s secret and pseudonymization id the index refuses', () => {
    const { engine, organizerId, orderId, item, position } = withOneOrder();
    const tried: { secret: string; pseudonymizationId: string }[] = [];
    const stored = engine.command((ctx) => {
      const insert = ctx.db.prepare(
        `INSERT INTO order_positions (order_id, organizer_id, positionid, item_id, price, secret, web_secret, pseudonymization_id)
         VALUES (?, ?, 2, ?, '10.00', ?, 'web', ?)`,
      );
      return insertWithFreshSecrets(32, null, new Set(), (draws) => {
        tried.push({ ...draws });
        // First the taken secret, then the taken pseudonymization id: both refused by the real indexes.
        const secret = tried.length === 1 ? position.secret : draws.secret;
        const pseudonymizationId =
          tried.length === 2 ? position.pseudonymization_id : draws.pseudonymizationId;
        return Number(insert.run(orderId, organizerId, item, secret, pseudonymizationId).lastInsertRowid);
      });
    });
    expect(tried).toHaveLength(3);
    expect(tried[1]!.secret).not.toBe(tried[0]!.secret);
    expect(tried[1]!.pseudonymizationId).toBe(tried[0]!.pseudonymizationId);
    expect(tried[2]!.secret).toBe(tried[1]!.secret);
    expect(tried[2]!.pseudonymizationId).not.toBe(tried[1]!.pseudonymizationId);
    expect(stored).toEqual({ ...tried[2], id: stored.id });
    expect(engine.db.prepare('SELECT COUNT(*) AS n FROM order_positions').get()).toEqual({ n: 2 });
  });

  it('keeps a secret the request gave and never draws one the request holds for a later position', () => {
    const { engine, orderId, organizerId, item } = withOneOrder();
    const stored = engine.command((ctx) =>
      insertWithFreshSecrets(32, 'given-secret-0000', new Set(['given-secret-0000']), (draws) =>
        Number(
          ctx.db
            .prepare(
              `INSERT INTO order_positions (order_id, organizer_id, positionid, item_id, price, secret, web_secret, pseudonymization_id)
               VALUES (?, ?, 2, ?, '10.00', ?, 'web', ?)`,
            )
            .run(orderId, organizerId, item, draws.secret, draws.pseudonymizationId).lastInsertRowid,
        ),
      ),
    );
    expect(stored.secret).toBe('given-secret-0000');
  });

  it('lets any other refusal through', () => {
    const { engine, organizerId, eventId } = withOneOrder();
    expect(() =>
      engine.command((ctx) =>
        insertWithFreshOrderCode(false, (code) =>
          Number(
            ctx.db
              .prepare(
                `INSERT INTO orders (organizer_id, event_id, code, status, secret, datetime, expires, total, last_modified)
                 VALUES (?, ?, ?, 'n', 'secret', '2026-03-01', '2026-03-15', '0.00', '2026-03-01')`,
              )
              .run(organizerId, eventId + 1000, code).lastInsertRowid,
          ),
        ),
      ),
    ).toThrow(/FOREIGN KEY/);
  });
});
