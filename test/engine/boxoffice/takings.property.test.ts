import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deskRefund, orderRefundable } from '../../../main/engine/boxoffice/refund';
import { completeDeskSale } from '../../../main/engine/boxoffice/sale';
import { shareByWeight, takings, type Takings } from '../../../main/engine/boxoffice/takings';
import type { DeskMethod } from '../../../main/engine/boxoffice/methods';
import { Decimal, moneyText, sumMoney } from '../../../main/engine/money';
import { createOrderFromBody } from '../../support/orders';
import { markOrderCanceled, markOrderPaid } from '../../../main/engine/orders/transitions';
import { fixtureEvent, fixtureItem, fixtureQuota } from '../../fixtures/catalog';
import { testEngine } from '../../helpers';

/** At least this many random operation sequences (the floor); each runs on its own event. */
const RUNS = 1000;

const method = fc.constantFrom<DeskMethod>('cash', 'card', 'other');
const operation = fc.oneof(
  fc.record({
    kind: fc.constant('sell' as const),
    lines: fc.array(fc.nat(2), { minLength: 1, maxLength: 3 }),
    pay: fc.constantFrom<'cash' | 'card' | 'other' | 'free'>('cash', 'card', 'other', 'free'),
    discount: fc.option(fc.constantFrom('0', '1.10', '5'), { nil: null }),
  }),
  fc.record({
    kind: fc.constant('sellPending' as const),
    lines: fc.array(fc.nat(2), { minLength: 1, maxLength: 2 }),
  }),
  fc.record({ kind: fc.constant('pay' as const), order: fc.nat(20), method }),
  fc.record({
    kind: fc.constant('refundTickets' as const),
    order: fc.nat(20),
    count: fc.integer({ min: 1, max: 3 }),
    method,
  }),
  fc.record({
    kind: fc.constant('refundAmount' as const),
    order: fc.nat(20),
    percent: fc.integer({ min: 1, max: 100 }),
    method,
  }),
  fc.record({ kind: fc.constant('cancel' as const), order: fc.nat(20) }),
  fc.record({ kind: fc.constant('tick' as const), hours: fc.integer({ min: 1, max: 30 }) }),
);

/** The method of a payment or refund read back from its provider and info, not from the derived column. */
function recountMethod(provider: string | null, info: string): DeskMethod {
  if (provider !== 'boxoffice') return 'other';
  const type = (JSON.parse(info) as { payment_type?: string }).payment_type;
  return type === 'cash' || type === 'card' ? type : 'other';
}

const text = (t: Takings) => ({
  net: moneyText(t.net),
  byMethod: Object.fromEntries(t.byMethod.map((m) => [m.method, moneyText(m.net)])),
  perItem: Object.fromEntries(t.perItem.map((r) => [String(r.itemId), moneyText(r.net)])),
});

describe('takings', () => {
  it('shares an amount by weight exactly to the cent', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 8 }),
        (cents, weights) => {
          const parts = shareByWeight(
            new Decimal(cents).dividedBy(100),
            weights.map((w) => new Decimal(w).dividedBy(100)),
          );
          expect(moneyText(sumMoney(parts))).toBe(moneyText(new Decimal(cents).dividedBy(100)));
          for (const p of parts) expect(p.isNegative()).toBe(false);
        },
      ),
    );
  });

  it(`add up against a recount from the rows over ${RUNS} random sequences of sales, refunds, cancellations and payments`, () => {
    const { engine, clock, organizerId } = testEngine('2026-03-01T08:00:00Z');
    const db = engine.db;
    let sequence = 0;
    fc.assert(
      fc.property(
        fc.array(operation, { minLength: 1, maxLength: 10 }),
        fc.nat(1000),
        fc.nat(1000),
        (ops, a, b) => {
          sequence += 1;
          const started = clock.now().toISOString();
          const eventId = fixtureEvent(engine, organizerId, { slug: `t${sequence}` });
          const prices = ['35.00', '7.33', '0.00'];
          const items = prices.map((price, i) => fixtureItem(engine, eventId, { name: `I${i}`, price }));
          fixtureQuota(engine, eventId, 1000, { items });
          const orders: number[] = [];
          let exact = true; // only whole sales and ticket refunds: every item's money is its live tickets' prices
          const pick = (n: number) => (orders.length === 0 ? undefined : orders[n % orders.length]);
          for (const op of ops) {
            try {
              engine.command((ctx) => {
                if (op.kind === 'sell') {
                  const result = completeDeskSale(ctx, {
                    saleId: `s${sequence}-${orders.length}-${ctx.now.getTime()}`,
                    cartId: null,
                    eventId,
                    subeventId: null,
                    positions: op.lines.map((i) => ({
                      itemId: items[i]!,
                      variationId: null,
                      attendeeName: null,
                      answers: [],
                      price: op.discount !== null && i === 0 ? op.discount : null,
                    })),
                    email: null,
                    payment: op.pay === 'cash' ? { method: 'cash', given: '' } : { method: op.pay },
                    priceReason: 'staff',
                    locale: 'en',
                  });
                  orders.push(result.orderId);
                } else if (op.kind === 'sellPending') {
                  const { orderId } = createOrderFromBody(ctx, {
                    eventId,
                    body: { positions: op.lines.map((i) => ({ item: items[i]! })) },
                  });
                  orders.push(orderId);
                } else if (op.kind === 'pay') {
                  const orderId = pick(op.order);
                  if (orderId !== undefined) markOrderPaid(ctx, { orderId, deskMethod: op.method });
                } else if (op.kind === 'refundTickets') {
                  const orderId = pick(op.order);
                  if (orderId === undefined) return;
                  const live = ctx.db
                    .prepare('SELECT id FROM order_positions WHERE order_id = ? AND canceled = 0 ORDER BY id')
                    .all(orderId) as { id: number }[];
                  deskRefund(ctx, orderId, {
                    paymentId: null,
                    positionIds: live.slice(0, op.count).map((p) => p.id),
                    amount: null,
                    method: op.method,
                    markRefunded: true,
                  });
                } else if (op.kind === 'refundAmount') {
                  const orderId = pick(op.order);
                  if (orderId === undefined) return;
                  const amount = orderRefundable(ctx, orderId)
                    .times(op.percent)
                    .dividedBy(100)
                    .toDecimalPlaces(2, Decimal.ROUND_DOWN);
                  if (amount.lte(0)) return;
                  exact = false;
                  deskRefund(ctx, orderId, {
                    paymentId: null,
                    positionIds: [],
                    amount: moneyText(amount),
                    method: op.method,
                    markRefunded: true,
                  });
                } else if (op.kind === 'cancel') {
                  const orderId = pick(op.order);
                  if (orderId === undefined) return;
                  markOrderCanceled(ctx, { orderId });
                  exact = false;
                } else clock.advanceMinutes(op.hours * 60);
              });
            } catch {
              // A refused operation (nothing to refund, already canceled, not pending) changes nothing.
            }
          }
          const ended = new Date(clock.now().getTime() + 1).toISOString();
          const all = takings(db, { eventId, from: started, to: ended });

          // Recount from the rows: payments by payment date, refunds done by execution date.
          const pays = db
            .prepare(
              `SELECT p.amount, p.provider, p.info, p.payment_date AS at FROM order_payments p JOIN orders o ON o.id = p.order_id
             WHERE o.event_id = ? AND p.state IN ('confirmed', 'refunded')`,
            )
            .all(eventId) as { amount: string; provider: string; info: string; at: string }[];
          const backs = db
            .prepare(
              `SELECT r.amount, r.provider, r.info, r.execution_date AS at FROM order_refunds r JOIN orders o ON o.id = r.order_id
             WHERE o.event_id = ? AND r.state = 'done'`,
            )
            .all(eventId) as { amount: string; provider: string; info: string; at: string }[];
          const recount = (from: string, to: string) => {
            const inRange = (r: { at: string }) => r.at >= from && r.at < to;
            const perMethod: Record<string, Decimal> = {};
            for (const p of pays.filter(inRange)) {
              const m = recountMethod(p.provider, p.info);
              perMethod[m] = (perMethod[m] ?? new Decimal(0)).plus(p.amount);
            }
            for (const r of backs.filter(inRange)) {
              const m = recountMethod(r.provider, r.info);
              perMethod[m] = (perMethod[m] ?? new Decimal(0)).minus(r.amount);
            }
            return {
              net: moneyText(sumMoney(Object.values(perMethod))),
              byMethod: Object.fromEntries(Object.entries(perMethod).map(([m, v]) => [m, moneyText(v)])),
            };
          };
          const expected = recount(started, ended);
          expect(moneyText(all.net)).toBe(expected.net);
          expect(text(all).byMethod).toEqual(expected.byMethod);
          expect(moneyText(sumMoney(all.perItem.map((r) => r.net)))).toBe(expected.net);
          expect(moneyText(sumMoney(all.byMethod.map((m) => m.net)))).toBe(expected.net);
          expect(all.byEvent.map((e) => [e.eventId, moneyText(e.net)])).toEqual(
            expected.net === '0.00' && all.byEvent.length === 0 ? [] : [[eventId, expected.net]],
          );
          for (const m of all.byMethod) expect(moneyText(m.taken.minus(m.refunded))).toBe(moneyText(m.net));

          // Never more refunded than paid, per order.
          const over = db
            .prepare(
              `SELECT o.id FROM orders o WHERE o.event_id = ? AND
               (SELECT COALESCE(SUM(CAST(amount AS REAL)), 0) FROM order_refunds WHERE order_id = o.id AND state = 'done') >
               (SELECT COALESCE(SUM(CAST(amount AS REAL)), 0) FROM order_payments WHERE order_id = o.id AND state IN ('confirmed', 'refunded')) + 0.001`,
            )
            .all(eventId);
          expect(over).toEqual([]);

          // A chosen date range: its two halves add up to it, by method and by item.
          const span = Date.parse(ended) - Date.parse(started);
          const [lo, hi] = [a, b]
            .sort((x, y) => x - y)
            .map((n) => new Date(Date.parse(started) + Math.floor((span * n!) / 1000)).toISOString());
          const left = takings(db, { eventId, from: started, to: lo! });
          const middle = takings(db, { eventId, from: lo!, to: hi! });
          const right = takings(db, { eventId, from: hi!, to: ended });
          expect(moneyText(middle.net)).toBe(recount(lo!, hi!).net);
          expect(text(middle).byMethod).toEqual(recount(lo!, hi!).byMethod);
          expect(moneyText(left.net.plus(middle.net).plus(right.net))).toBe(expected.net);
          for (const item of [...items, null]) {
            const part = (t: Takings) => t.perItem.find((r) => r.itemId === item)?.net ?? new Decimal(0);
            expect(moneyText(part(left).plus(part(middle)).plus(part(right)))).toBe(moneyText(part(all)));
          }

          // Whole sales and ticket refunds only: each item's takings are the prices of its live tickets.
          if (exact) {
            const live = db
              .prepare(
                `SELECT op.item_id, op.price FROM order_positions op JOIN orders o ON o.id = op.order_id
               WHERE o.event_id = ? AND o.status = 'p' AND op.canceled = 0`,
              )
              .all(eventId) as { item_id: number; price: string }[];
            for (const item of items) {
              const mine = live.filter((l) => l.item_id === item).map((l) => l.price);
              expect(moneyText(all.perItem.find((r) => r.itemId === item)?.net ?? 0)).toBe(
                moneyText(sumMoney(mine)),
              );
            }
          }
        },
      ),
      { numRuns: RUNS },
    );
    expect(sequence).toBeGreaterThanOrEqual(RUNS);
  }, 600_000);
});
