import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyTillJournal } from '../../../main/engine/journal/verify';
import {
  closeShift,
  moveCash,
  openShift,
  openShiftOf,
  shiftFigures,
} from '../../../main/engine/shifts/shifts';
import { testEngine } from '../../helpers';
import { DESK, refund, sell, till } from './till';

type Op =
  | { op: 'sale'; adults: number; children: number; method: 'cash' | 'card' | 'other'; tip: number }
  | { op: 'comp' }
  | { op: 'refund'; pick: number; share: number; method: 'cash' | 'card' | 'other' }
  | { op: 'in' | 'out'; cents: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('sale' as const),
      adults: fc.integer({ min: 0, max: 3 }),
      children: fc.integer({ min: 0, max: 3 }),
      method: fc.constantFrom('cash' as const, 'card' as const, 'other' as const),
      tip: fc.integer({ min: 0, max: 5000 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'comp' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('refund' as const),
      pick: fc.nat(),
      share: fc.integer({ min: 1, max: 100 }),
      method: fc.constantFrom('cash' as const, 'card' as const, 'other' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constantFrom('in' as const, 'out' as const),
      cents: fc.integer({ min: 1, max: 20_000 }),
    }),
  },
);

const cents = (text: string) => Math.round(Number(text) * 100);
const text = (c: number) =>
  `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;

describe('expected cash in the drawer', () => {
  it('is float + cash sales − cash refunds + cash in − cash out over 1,000+ random operations', () => {
    let operations = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50_000 }),
        fc.array(opArb, { minLength: 350, maxLength: 400 }),
        (floatCents, ops) => {
          const { engine, organizerId } = testEngine();
          const t = till(engine, organizerId);
          engine.command((ctx) =>
            openShift(ctx, { desk: DESK, cashier: t.anna, openingFloat: text(floatCents), currency: 'EUR' }),
          );
          // The model, in integer cents, kept apart from the engine's decimal arithmetic.
          let expected = floatCents;
          const refundable: { orderId: number; left: number }[] = [];
          for (const o of ops) {
            operations++;
            if (o.op === 'sale') {
              if (o.adults + o.children === 0) continue;
              const total = o.adults * 2500 + o.children * 1250;
              const given = o.method === 'cash' ? text(total + o.tip) : undefined;
              const { orderId, receipt } = sell(engine, t, {
                adults: o.adults,
                children: o.children,
                method: o.method,
                given,
              });
              expect(cents(receipt.total)).toBe(total);
              if (o.method === 'cash') expect(cents(receipt.change!)).toBe(o.tip);
              if (o.method === 'cash') expected += total;
              refundable.push({ orderId, left: total });
            } else if (o.op === 'comp') {
              sell(engine, t, { comps: 1, method: 'free' });
            } else if (o.op === 'refund') {
              const open = refundable.filter((r) => r.left > 0);
              if (open.length === 0) continue;
              const target = open[o.pick % open.length]!;
              const amount = Math.max(1, Math.floor((target.left * o.share) / 100));
              refund(engine, target.orderId, text(amount), o.method, t.anna);
              target.left -= amount;
              if (o.method === 'cash') expected -= amount;
            } else {
              engine.command((ctx) =>
                moveCash(ctx, {
                  desk: DESK,
                  cashier: t.max,
                  kind: o.op,
                  amount: text(o.cents),
                  reason: 'property',
                }),
              );
              expected += o.op === 'in' ? o.cents : -o.cents;
            }
          }
          const shift = openShiftOf(engine.db, DESK)!;
          expect(shiftFigures(engine.db, shift).expectedCash).toBe(text(expected));
          // Closing with exactly the expected amount counted leaves no difference, whatever its sign.
          const count: Record<string, number> = expected >= 0 ? { '0.01': expected } : {};
          const z = engine.command((ctx) =>
            closeShift(ctx, {
              desk: DESK,
              cashier: t.max,
              count,
              comment: expected < 0 ? 'drawer overdrawn' : '',
            }),
          );
          expect(z.shift.expected_cash).toBe(text(expected));
          if (expected >= 0) expect(z.shift.difference).toBe('0.00');
          expect(verifyTillJournal(engine.db).ok).toBe(true);
          engine.close();
        },
      ),
      { numRuns: 3 },
    );
    expect(operations).toBeGreaterThanOrEqual(1000);
  });
});
