import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../main/engine/engine';
import { openDatabase } from '../../main/engine/db/open';
import { createOrder } from '../../main/engine/orders/create';
import { readOrderCreate } from '../../main/api/schemas/order-create';
import {
  generateOrderCode,
  generatePseudonymizationId,
  generateTicketSecret,
  generateWebSecret,
} from '../../main/engine/ids';
import { createBenchEvent } from '../generate';
import { fmt, rate, type Figure } from '../measure';

function withDatabase<T>(fn: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-bench-'));
  try {
    return fn(join(dir, 'bench.sqlite'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Engine order creation, `positions` positions each (with a text answer when `withAnswers`). */
function engineRate(positions: number, withAnswers: boolean, count: number): number {
  return withDatabase((path) => {
    const engine = Engine.open(path);
    const event = createBenchEvent(engine.db, { items: 1 });
    const itemId = event.itemIds[0]!;
    let questionId = 0;
    if (withAnswers) {
      questionId = Number(
        engine.db
          .prepare(
            "INSERT INTO questions (event_id, question, type, identifier) VALUES (?, '{\"en\":\"Company?\"}', 'S', 'COMPANY')",
          )
          .run(event.eventId).lastInsertRowid,
      );
      engine.db
        .prepare('INSERT INTO question_items (question_id, item_id) VALUES (?, ?)')
        .run(questionId, itemId);
    }
    const body = {
      status: 'p',
      payment_provider: 'boxoffice',
      email: 'buyer@example.org',
      positions: Array.from({ length: positions }, () => ({
        item: itemId,
        price: '25.00',
        attendee_name_parts: { full_name: 'Zoë Ødegård' },
        answers: withAnswers ? [{ question: questionId, answer: 'Acme', options: [] }] : [],
      })),
    };
    const ops = rate(count, () =>
      engine.command((ctx) =>
        createOrder(ctx, { eventId: event.eventId, request: readOrderCreate(ctx, event.eventId, body) }),
      ),
    );
    engine.close();
    return ops;
  });
}

/**
 * The physical limit: the same rows (order, positions, answers, payment, log row, counter update) written
 * by bare prepared INSERTs, one transaction per order, same pragmas.
 */
function bareRate(positions: number, withAnswers: boolean, count: number): number {
  return withDatabase((path) => {
    const db = openDatabase(path);
    const event = createBenchEvent(db, { items: 1 });
    const itemId = event.itemIds[0]!;
    const questionId = Number(
      db
        .prepare(
          "INSERT INTO questions (event_id, question, type, identifier) VALUES (?, '{}', 'S', 'COMPANY')",
        )
        .run(event.eventId).lastInsertRowid,
    );
    const order = db.prepare(
      `INSERT INTO orders (organizer_id, event_id, code, status, email, secret, datetime, expires, total, last_modified)
       VALUES (?, ?, ?, 'p', 'buyer@example.org', ?, ?, ?, ?, ?)`,
    );
    const position = db.prepare(
      `INSERT INTO order_positions (order_id, organizer_id, positionid, item_id, price, secret, web_secret, pseudonymization_id, attendee_name_cached, attendee_name_parts)
       VALUES (?, ?, ?, ?, '25.00', ?, ?, ?, 'Zoë Ødegård', '{"full_name":"Zoë Ødegård"}')`,
    );
    const answer = db.prepare(
      "INSERT INTO question_answers (orderposition_id, question_id, answer) VALUES (?, ?, 'Acme')",
    );
    const payment = db.prepare(
      `INSERT INTO order_payments (order_id, local_id, state, amount, created, payment_date, provider)
       VALUES (?, 1, 'confirmed', ?, ?, ?, 'boxoffice')`,
    );
    const log = db.prepare(
      `INSERT INTO audit_log (datetime, organizer_id, event_id, object_type, object_id, action_type, actor, data)
       VALUES (?, ?, ?, 'order', ?, 'pretix.event.order.placed', 'bench', '{}')`,
    );
    const counter = db.prepare('UPDATE quotas SET paid_count = paid_count + ? WHERE id = ?');
    // Five-character codes collide now and then over thousands of orders: draw again, as the engine does.
    const insertOrder = (now: string, total: string): number => {
      for (;;) {
        try {
          return Number(
            order.run(
              event.organizerId,
              event.eventId,
              generateOrderCode(),
              generateWebSecret(),
              now,
              now,
              total,
              now,
            ).lastInsertRowid,
          );
        } catch (e) {
          if ((e as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw e;
        }
      }
    };
    const write = db.transaction(() => {
      const now = new Date().toISOString();
      const total = (25 * positions).toFixed(2);
      const orderId = insertOrder(now, total);
      for (let p = 1; p <= positions; p++) {
        const positionId = Number(
          position.run(
            orderId,
            event.organizerId,
            p,
            itemId,
            generateTicketSecret(),
            generateWebSecret(),
            generatePseudonymizationId(),
          ).lastInsertRowid,
        );
        if (withAnswers) answer.run(positionId, questionId);
      }
      payment.run(orderId, total, now, now);
      log.run(now, event.organizerId, event.eventId, orderId);
      counter.run(positions, event.quotaIds[0]!);
    });
    const ops = rate(count, () => write.immediate());
    db.close();
    return ops;
  });
}

export function orderCreationFigures(quick: boolean): Figure[] {
  const count = quick ? 100 : 1000;
  const figures: Figure[] = [];
  for (const [positions, withAnswers, label] of [
    [1, false, '1 position'],
    [5, true, '5 positions with answers'],
  ] as const) {
    // Alternating runs, medians of three each: both sides see the same disk and machine load, and one
    // slow fsync burst does not decide the ratio.
    const engine: number[] = [];
    const bare: number[] = [];
    for (let round = 0; round < 3; round++) {
      engine.push(engineRate(positions, withAnswers, count));
      bare.push(bareRate(positions, withAnswers, count));
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[1]!;
    const e = median(engine);
    const b = median(bare);
    const ratio = e / b;
    const runs = engine.map((x, i) => fmt(x / bare[i]!, 2)).join(', ');
    figures.push({
      name: `order_creation_${positions}`,
      value: ratio,
      unit: 'ratio',
      summary: `order creation (${label}): engine ${fmt(e)} orders/s, bare inserts ${fmt(b)} orders/s, medians of 3 alternating runs, ratio ${fmt(ratio, 2)} (runs ${runs}; target ≥ 0.5)`,
      target: { description: 'engine ≥ 0.5 × bare', met: ratio >= 0.5 },
      details: { engine_orders_per_s: e, bare_orders_per_s: b, orders: count },
    });
  }
  return figures;
}
