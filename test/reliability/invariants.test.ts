import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Decimal from 'decimal.js';
import { isEngineError } from '../../main/engine/errors';
import { createOrderFromBody } from '../support/orders';
import {
  approveOrder,
  extendOrder,
  markOrderCanceled,
  markOrderExpired,
  markOrderPaid,
  markOrderPending,
  reactivateOrder,
} from '../../main/engine/orders/transitions';
import { createPayment, refundPayment } from '../../main/engine/payments/payments';
import { recountQuota } from '../../main/engine/quotas/counters';
import { fixtureEvent, fixtureItem, fixtureQuota } from '../fixtures/catalog';
import { testEngine } from '../helpers';

type Step =
  | { kind: 'create'; positions: number; status: 'n' | 'p'; force: boolean; item: 0 | 1; fee: string | null }
  | { kind: 'paid' | 'pending' | 'expired' | 'cancel' | 'reactivate' | 'approve'; order: number }
  | { kind: 'extend'; order: number; force: boolean }
  | { kind: 'pay'; order: number; amount: string }
  | { kind: 'refund'; order: number; payment: number; amount: string };

const money = fc.integer({ min: -500, max: 20_000 }).map((c) => new Decimal(c).div(100).toFixed(2));
const orderIndex = fc.nat({ max: 12 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('create' as const),
    positions: fc.integer({ min: 1, max: 3 }),
    status: fc.constantFrom('n' as const, 'p' as const),
    force: fc.boolean().map((b) => b && Math.random() < 0.2),
    item: fc.constantFrom(0 as const, 1 as const),
    fee: fc.option(money, { nil: null }),
  }),
  fc.record({
    kind: fc.constantFrom(
      'paid' as const,
      'pending' as const,
      'expired' as const,
      'cancel' as const,
      'reactivate' as const,
      'approve' as const,
    ),
    order: orderIndex,
  }),
  fc.record({ kind: fc.constant('extend' as const), order: orderIndex, force: fc.boolean() }),
  fc.record({ kind: fc.constant('pay' as const), order: orderIndex, amount: money }),
  fc.record({
    kind: fc.constant('refund' as const),
    order: orderIndex,
    payment: fc.integer({ min: 1, max: 3 }),
    amount: money,
  }),
);

/**
 * Random command sequences against one event with two items sharing a quota of 6 (one item also has a
 * quota of its own). Whatever the engine accepts or refuses, after every command: paid + pending never
 * exceed a quota unless something was forced, the counters equal a recount, each order's total is its
 * positions plus fees, and no payment was refunded beyond its amount.
 */
describe('engine invariants under random command sequences', () => {
  it('holds quota, total and refund invariants after every command', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 5, maxLength: 30 }), (steps) => {
        const { engine, clock, organizerId } = testEngine('2026-03-01T10:00:00Z');
        const eventId = fixtureEvent(engine, organizerId, { slug: 'inv' });
        const items = [
          fixtureItem(engine, eventId, { price: '20.00' }),
          fixtureItem(engine, eventId, { price: '12.50' }),
        ];
        const shared = fixtureQuota(engine, eventId, 6, { items });
        const own = fixtureQuota(engine, eventId, 4, { items: [items[1]!] });
        const orders: number[] = [];
        let forced = false;
        for (const s of steps) {
          clock.advanceMinutes(7);
          try {
            engine.command((ctx) => {
              const orderId = 'order' in s ? orders[s.order % Math.max(orders.length, 1)] : undefined;
              switch (s.kind) {
                case 'create': {
                  const body: Record<string, unknown> = {
                    status: s.status,
                    payment_provider: 'manual',
                    force: s.force,
                    positions: Array.from({ length: s.positions }, () => ({ item: items[s.item] })),
                  };
                  if (s.fee) body.fees = [{ fee_type: 'service', value: s.fee }];
                  const { orderId: id } = createOrderFromBody(ctx, { eventId, body });
                  orders.push(id);
                  if (s.force) forced = true;
                  return;
                }
                default:
                  if (orderId === undefined) return;
              }
              switch (s.kind) {
                case 'paid':
                  return void markOrderPaid(ctx, { orderId });
                case 'pending':
                  return markOrderPending(ctx, { orderId });
                case 'expired':
                  return markOrderExpired(ctx, { orderId });
                case 'cancel':
                  return markOrderCanceled(ctx, { orderId });
                case 'reactivate':
                  return reactivateOrder(ctx, { orderId });
                case 'approve':
                  return approveOrder(ctx, { orderId });
                case 'extend':
                  if (s.force) forced = true;
                  return extendOrder(ctx, { orderId, expires: '2026-12-24', force: s.force });
                case 'pay':
                  return void createPayment(ctx, {
                    orderId,
                    state: 'confirmed',
                    amount: new Decimal(s.amount),
                    provider: 'manual',
                  });
                case 'refund':
                  return void refundPayment(ctx, {
                    orderId,
                    localId: s.payment,
                    amount: new Decimal(s.amount),
                  });
              }
            });
          } catch (e) {
            // Refusals are fine; anything but an engine error is a bug.
            if (!isEngineError(e)) throw e;
          }

          const db = engine.db;
          const counters = db
            .prepare('SELECT id, size, paid_count + pending_count AS used FROM quotas ORDER BY id')
            .all() as {
            id: number;
            size: number;
            used: number;
          }[];
          if (!forced)
            for (const q of counters)
              expect(q.used, `quota ${q.id} after ${s.kind}`).toBeLessThanOrEqual(q.size);
          engine.command((ctx) => {
            recountQuota(ctx, shared);
            recountQuota(ctx, own);
          });
          expect(
            db.prepare('SELECT id, size, paid_count + pending_count AS used FROM quotas ORDER BY id').all(),
          ).toEqual(counters);

          for (const o of db.prepare('SELECT id, total FROM orders').all() as {
            id: number;
            total: string;
          }[]) {
            const prices = db
              .prepare('SELECT price FROM order_positions WHERE order_id = ? AND canceled = 0')
              .all(o.id) as { price: string }[];
            const fees = db
              .prepare('SELECT value FROM order_fees WHERE order_id = ? AND canceled = 0')
              .all(o.id) as { value: string }[];
            const sum = [...prices.map((p) => p.price), ...fees.map((f) => f.value)].reduce(
              (a, v) => a.plus(v),
              new Decimal(0),
            );
            expect(
              new Decimal(o.total).equals(sum),
              `order ${o.id} total ${o.total} vs ${sum.toFixed(2)}`,
            ).toBe(true);
          }
          // No payment has more refunded (created, in transit or done) than it brought in.
          const payments = db.prepare('SELECT id, amount FROM order_payments').all() as {
            id: number;
            amount: string;
          }[];
          for (const p of payments) {
            const refunds = db
              .prepare(
                "SELECT amount FROM order_refunds WHERE payment_id = ? AND state IN ('created', 'transit', 'done')",
              )
              .all(p.id) as { amount: string }[];
            if (refunds.length === 0) continue;
            const refunded = refunds.reduce((a, r) => a.plus(r.amount), new Decimal(0));
            expect(
              refunded.lte(p.amount),
              `payment ${p.id}: ${refunded.toFixed(2)} refunded of ${p.amount}`,
            ).toBe(true);
          }
        }
        engine.close();
      }),
      { numRuns: 40, seed: 20261124 },
    );
  });
});
