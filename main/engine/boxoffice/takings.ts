import type { ReadableDB } from '../db/handles';
import { moneyMovements, takingsFees, takingsPositions, type MoneyMovement } from '../db/queries/boxoffice';
import { Decimal, ZERO, type Money } from '../money';
import type { DeskMethod } from './methods';

/**
 * Takings: the money that came in (confirmed payments, by their payment date) minus the money that went
 * back (refunds done, by their execution date), net per method, per event and per item.
 *
 * Every movement is attributed to items so that the per-item rows add up to the total to the cent: a
 * refund that paid back chosen tickets goes to their items; any other movement is shared over its
 * order's lines (tickets and fees) in proportion to their price, the rounding remainder by largest
 * remainder. Fees are one row of their own.
 */
export interface TakingsQuery {
  /** Only this event's money; null for all events. */
  eventId: number | null;
  /** Half-open range of instants, UTC ISO-8601: from ≤ t < to. */
  from: string;
  to: string;
}

export interface MethodTakings {
  method: DeskMethod;
  taken: Money;
  refunded: Money;
  net: Money;
}

export interface ItemTakings {
  /** Null for the row of fees. */
  itemId: number | null;
  net: Money;
}

export interface Takings {
  net: Money;
  byMethod: MethodTakings[];
  byEvent: { eventId: number; net: Money }[];
  perItem: ItemTakings[];
}

interface Line {
  positionId: number | null;
  itemId: number | null;
  price: Money;
  canceled: boolean;
}

const METHOD_ORDER: DeskMethod[] = ['cash', 'card', 'other'];

/** Splits `amount` over `weights` in proportion, exact to the cent (largest remainder). */
export function shareByWeight(amount: Money, weights: Money[]): Money[] {
  if (weights.length === 0) return [];
  const positive = weights.map((w) => (w.isNegative() ? ZERO : w));
  const sum = positive.reduce((a, b) => a.plus(b), ZERO);
  const shares = sum.isZero() ? positive.map((_, i) => (i === 0 ? new Decimal(1) : ZERO)) : positive;
  const total = sum.isZero() ? new Decimal(1) : sum;
  const cents = amount.times(100);
  const raw = shares.map((w) => cents.times(w).dividedBy(total));
  const floors = raw.map((r) => r.floor());
  let left = cents.minus(floors.reduce((a, b) => a.plus(b), ZERO)).toNumber();
  const order = raw
    .map((r, i) => ({ i, frac: r.minus(floors[i]!) }))
    .sort((a, b) => b.frac.comparedTo(a.frac) || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = floors[i]!.plus(1);
    left -= 1;
  }
  return floors.map((c) => c.dividedBy(100));
}

function linesOf(db: ReadableDB, orderId: number): Line[] {
  const positions = takingsPositions(db, orderId);
  const fees = takingsFees(db, orderId);
  return [
    ...positions.map((p) => ({
      positionId: p.id,
      itemId: p.item_id,
      price: new Decimal(p.price),
      canceled: p.canceled === 1,
    })),
    ...fees.map((f) => ({
      positionId: null,
      itemId: null,
      price: new Decimal(f.value),
      canceled: f.canceled === 1,
    })),
  ];
}

function refundedPositions(text: string | null): number[] {
  if (!text) return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? parsed.filter((n): n is number => Number.isInteger(n)) : [];
  } catch {
    return [];
  }
}

export function takings(db: ReadableDB, query: TakingsQuery): Takings {
  const { payments, refunds } = moneyMovements(db, query);
  const movements: MoneyMovement[] = [...payments, ...refunds];

  const byMethod = new Map<DeskMethod, { taken: Money; refunded: Money }>();
  const byEvent = new Map<number, Money>();
  const perItem = new Map<number | null, Money>();
  const lineCache = new Map<number, Line[]>();
  let net = ZERO;
  for (const m of movements) {
    const amount = new Decimal(m.amount);
    const signed = m.sign === 1 ? amount : amount.negated();
    net = net.plus(signed);
    const row = byMethod.get(m.method) ?? { taken: ZERO, refunded: ZERO };
    if (m.sign === 1) row.taken = row.taken.plus(amount);
    else row.refunded = row.refunded.plus(amount);
    byMethod.set(m.method, row);
    byEvent.set(m.event_id, (byEvent.get(m.event_id) ?? ZERO).plus(signed));

    let lines = lineCache.get(m.order_id);
    if (!lines) lineCache.set(m.order_id, (lines = linesOf(db, m.order_id)));
    const chosen = refundedPositions(m.positions);
    let over =
      chosen.length > 0 ? lines.filter((l) => l.positionId !== null && chosen.includes(l.positionId)) : [];
    // A refund of an amount comes out of what is still live; a payment paid for every line it had.
    if (over.length === 0 && m.sign === -1) over = lines.filter((l) => !l.canceled);
    if (over.length === 0) over = lines;
    if (over.length === 0) {
      perItem.set(null, (perItem.get(null) ?? ZERO).plus(signed));
      continue;
    }
    const shares = shareByWeight(
      amount,
      over.map((l) => l.price),
    );
    over.forEach((l, i) => {
      const share = m.sign === 1 ? shares[i]! : shares[i]!.negated();
      perItem.set(l.itemId, (perItem.get(l.itemId) ?? ZERO).plus(share));
    });
  }
  return {
    net,
    byMethod: METHOD_ORDER.filter((method) => byMethod.has(method)).map((method) => {
      const row = byMethod.get(method)!;
      return { method, taken: row.taken, refunded: row.refunded, net: row.taken.minus(row.refunded) };
    }),
    byEvent: [...byEvent.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([eventId, value]) => ({ eventId, net: value })),
    perItem: [...perItem.entries()]
      .sort((a, b) => (a[0] ?? Number.MAX_SAFE_INTEGER) - (b[0] ?? Number.MAX_SAFE_INTEGER))
      .map(([itemId, value]) => ({ itemId, net: value })),
  };
}
