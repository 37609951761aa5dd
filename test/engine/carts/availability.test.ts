import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/engine/engine';
import {
  AVAILABILITY_GONE,
  AVAILABILITY_OK,
  AVAILABILITY_ORDERED,
  AVAILABILITY_RESERVED,
  computeQuotaAvailability,
  grantQuotaUnits,
  QuotaLedger,
  quotasForProduct,
  takeQuotaUnits,
} from '../../../main/engine/quotas/availability';
import { holdOrderInQuotas, recountQuota } from '../../../main/engine/quotas/counters';
import {
  fixtureEvent,
  fixtureItem,
  fixtureOnSale,
  fixtureQuota,
  fixtureVariation,
} from '../../fixtures/catalog';
import { testEngine } from '../../helpers';

/** A fresh engine with an event whose one item sells from a quota of `size` places. */
function itemInQuota(size: number | null) {
  const { engine, organizerId } = testEngine();
  const { eventId: ev, itemId: item, quotaId: q } = fixtureOnSale(engine, organizerId, { quota: size });
  return { engine, organizerId, ev, item, q };
}

let orderSeq = 0;
function order(
  engine: Engine,
  organizerId: number,
  eventId: number,
  status: 'n' | 'p' | 'e' | 'c',
  positions: { item: number; variation?: number | null; subevent?: number | null }[],
): number {
  return engine.command((ctx) => {
    orderSeq++;
    const id = Number(
      ctx.db
        .prepare(
          `INSERT INTO orders (organizer_id, event_id, code, status, secret, datetime, expires, last_modified)
           VALUES (?, ?, ?, ?, 'sec', ?, ?, ?)`,
        )
        .run(
          organizerId,
          eventId,
          `C${orderSeq}`,
          status,
          ctx.now.toISOString(),
          ctx.now.toISOString(),
          ctx.now.toISOString(),
        ).lastInsertRowid,
    );
    positions.forEach((p, i) =>
      ctx.db
        .prepare(
          `INSERT INTO order_positions (order_id, organizer_id, positionid, item_id, variation_id, subevent_id, price, secret, web_secret, pseudonymization_id)
           VALUES (?, ?, ?, ?, ?, ?, '10.00', ?, 'w', ?)`,
        )
        .run(
          id,
          organizerId,
          i + 1,
          p.item,
          p.variation ?? null,
          p.subevent ?? null,
          `s${orderSeq}-${i}`,
          `P${orderSeq}-${i}`,
        ),
    );
    holdOrderInQuotas(ctx, id);
    return id;
  });
}

function cart(
  engine: Engine,
  eventId: number,
  p: {
    item: number;
    variation?: number | null;
    subevent?: number | null;
    expires: string;
    voucher?: number | null;
  },
): void {
  engine.db
    .prepare(
      `INSERT INTO cart_positions (event_id, cart_id, item_id, variation_id, subevent_id, price, voucher_id, datetime, expires)
       VALUES (?, 'x@api', ?, ?, ?, '10.00', ?, '2026-03-01T10:00:00.000Z', ?)`,
    )
    .run(eventId, p.item, p.variation ?? null, p.subevent ?? null, p.voucher ?? null, p.expires);
}

function voucher(
  engine: Engine,
  eventId: number,
  fields: {
    item?: number | null;
    variation?: number | null;
    quota?: number | null;
    max?: number;
    redeemed?: number;
    validUntil?: string | null;
    block?: boolean;
    subevent?: number | null;
  },
): number {
  return Number(
    engine.db
      .prepare(
        `INSERT INTO vouchers (event_id, code, max_usages, redeemed, valid_until, block_quota, item_id, variation_id, quota_id, subevent_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        eventId,
        `V${Math.random().toString(36).slice(2, 10)}`,
        fields.max ?? 1,
        fields.redeemed ?? 0,
        fields.validUntil ?? null,
        fields.block === false ? 0 : 1,
        fields.item ?? null,
        fields.variation ?? null,
        fields.quota ?? null,
        fields.subevent ?? null,
      ).lastInsertRowid,
  );
}

function availability(engine: Engine, quotaId: number) {
  return engine.command((ctx) =>
    computeQuotaAvailability(ctx, [quotaId], { fullResults: true }).get(quotaId)!,
  );
}

describe('quota availability', () => {
  it('treats an unlimited quota as OK without a number and size 0 as gone', () => {
    const { engine, organizerId } = testEngine();
    const ev = fixtureEvent(engine, organizerId);
    const item = fixtureItem(engine, ev);
    const unlimited = fixtureQuota(engine, ev, null, { items: [item] });
    const empty = fixtureQuota(engine, ev, 0, { items: [item] });
    expect(availability(engine, unlimited)).toMatchObject({ state: AVAILABILITY_OK, available: null });
    expect(availability(engine, empty)).toMatchObject({ state: AVAILABILITY_GONE, available: 0 });
  });

  it('subtracts paid then pending orders and names the stage that sold it out', () => {
    const { engine, organizerId, ev, item, q } = itemInQuota(3);
    order(engine, organizerId, ev, 'p', [{ item }]);
    expect(availability(engine, q)).toMatchObject({ state: AVAILABILITY_OK, available: 2, paidOrders: 1 });
    order(engine, organizerId, ev, 'n', [{ item }]);
    order(engine, organizerId, ev, 'e', [{ item }]);
    order(engine, organizerId, ev, 'c', [{ item }]);
    expect(availability(engine, q)).toMatchObject({ state: AVAILABILITY_OK, available: 1, pendingOrders: 1 });
    order(engine, organizerId, ev, 'n', [{ item }]);
    expect(availability(engine, q)).toMatchObject({ state: AVAILABILITY_ORDERED, available: 0 });
    const q2 = fixtureQuota(engine, ev, 1, { items: [item] });
    engine.command((ctx) => recountQuota(ctx, q2));
    expect(availability(engine, q2)).toMatchObject({ state: AVAILABILITY_GONE, available: 0 });
  });

  it('counts unexpired carts as reserved and frees them when they expire', () => {
    const { engine, clock, organizerId } = testEngine('2026-03-01T10:00:00Z');
    const ev = fixtureEvent(engine, organizerId);
    const item = fixtureItem(engine, ev);
    const q = fixtureQuota(engine, ev, 1, { items: [item] });
    cart(engine, ev, { item, expires: '2026-03-01T10:30:00.000Z' });
    expect(availability(engine, q)).toMatchObject({
      state: AVAILABILITY_RESERVED,
      available: 0,
      cartPositions: 1,
    });
    clock.set('2026-03-01T10:30:00Z');
    expect(availability(engine, q)).toMatchObject({ state: AVAILABILITY_RESERVED, available: 0 });
    clock.set('2026-03-01T10:30:00.001Z');
    expect(availability(engine, q)).toMatchObject({ state: AVAILABILITY_OK, available: 1, cartPositions: 0 });
  });

  it('matches variations only through quotas that list the variation', () => {
    const { engine, organizerId } = testEngine();
    const ev = fixtureEvent(engine, organizerId);
    const shirt = fixtureItem(engine, ev, { name: 'Shirt' });
    const red = fixtureVariation(engine, shirt, 'Red');
    const blue = fixtureVariation(engine, shirt, 'Blue');
    const itemOnly = fixtureQuota(engine, ev, 5, { items: [shirt] });
    const redQuota = fixtureQuota(engine, ev, 5, { items: [shirt], variations: [red] });
    order(engine, organizerId, ev, 'p', [
      { item: shirt, variation: red },
      { item: shirt, variation: blue },
    ]);
    cart(engine, ev, { item: shirt, variation: red, expires: '2030-01-01T00:00:00.000Z' });
    expect(availability(engine, itemOnly)).toMatchObject({ available: 5, paidOrders: 0, cartPositions: 0 });
    expect(availability(engine, redQuota)).toMatchObject({ available: 3, paidOrders: 1, cartPositions: 1 });
    engine.read((ctx) => {
      expect(quotasForProduct(ctx.db, ev, shirt, red, null).map((q) => q.id)).toEqual([redQuota]);
      expect(quotasForProduct(ctx.db, ev, shirt, blue, null)).toEqual([]);
      expect(quotasForProduct(ctx.db, ev, shirt, null, null).map((q) => q.id)).toEqual([itemOnly, redQuota]);
    });
  });

  it('keeps sub-event quotas as separate pools', () => {
    const { engine, organizerId } = testEngine();
    const ev = fixtureEvent(engine, organizerId, { has_subevents: true });
    const se = (d: string) =>
      Number(
        engine.db
          .prepare("INSERT INTO subevents (event_id, name, active, date_from) VALUES (?, '{}', 1, ?)")
          .run(ev, d).lastInsertRowid,
      );
    const s1 = se('2030-01-01T00:00:00.000Z');
    const s2 = se('2030-01-02T00:00:00.000Z');
    const item = fixtureItem(engine, ev);
    const q1 = fixtureQuota(engine, ev, 2, { items: [item], subeventId: s1 });
    const q2 = fixtureQuota(engine, ev, 2, { items: [item], subeventId: s2 });
    order(engine, organizerId, ev, 'p', [{ item, subevent: s1 }]);
    cart(engine, ev, { item, subevent: s1, expires: '2030-01-01T00:00:00.000Z' });
    voucher(engine, ev, { item, subevent: s2 });
    expect(availability(engine, q1)).toMatchObject({ state: AVAILABILITY_RESERVED, available: 0 });
    expect(availability(engine, q2)).toMatchObject({
      state: AVAILABILITY_OK,
      available: 1,
      blockingVouchers: 1,
    });
  });

  it('counts blocking vouchers by item, variation or quota while valid, and not their carts twice', () => {
    const { engine, clock, organizerId } = testEngine('2026-03-01T10:00:00Z');
    const ev = fixtureEvent(engine, organizerId);
    const item = fixtureItem(engine, ev);
    const other = fixtureItem(engine, ev);
    const q = fixtureQuota(engine, ev, 10, { items: [item] });
    voucher(engine, ev, { item, max: 3, redeemed: 1 });
    voucher(engine, ev, { quota: q, max: 1 });
    voucher(engine, ev, { item, max: 1, redeemed: 5 });
    voucher(engine, ev, { item: other, quota: q, max: 1 });
    voucher(engine, ev, { item, max: 4, block: false });
    const expiring = voucher(engine, ev, { item, max: 1, validUntil: '2026-03-01T11:00:00.000Z' });
    cart(engine, ev, { item, expires: '2030-01-01T00:00:00.000Z', voucher: expiring });
    expect(availability(engine, q)).toMatchObject({ available: 6, blockingVouchers: 4, cartPositions: 0 });
    clock.set('2026-03-01T12:00:00Z');
    // the voucher expired: it no longer blocks, and its cart position now counts instead
    expect(availability(engine, q)).toMatchObject({ available: 6, blockingVouchers: 3, cartPositions: 1 });
  });

  it('reports closed quotas as ordered and closes sold-out quotas that ask for it', () => {
    const { engine, organizerId, ev, item, q } = itemInQuota(1);
    engine.db.prepare('UPDATE quotas SET close_when_sold_out = 1 WHERE id = ?').run(q);
    expect(availability(engine, q)).toMatchObject({ state: AVAILABILITY_OK, available: 1 });
    order(engine, organizerId, ev, 'n', [{ item }]);
    expect(availability(engine, q)).toMatchObject({ state: AVAILABILITY_ORDERED });
    expect(engine.db.prepare('SELECT closed FROM quotas WHERE id = ?').get(q)).toEqual({ closed: 1 });
    const log = engine.db
      .prepare("SELECT action_type FROM audit_log WHERE object_type = 'quota' AND object_id = ?")
      .all(q);
    expect(log).toEqual([{ action_type: 'pretix.event.quota.closed' }]);
    engine.db.prepare("UPDATE orders SET status = 'c'").run();
    engine.db.prepare('UPDATE quotas SET pending_count = 0').run();
    expect(availability(engine, q)).toMatchObject({ state: AVAILABILITY_ORDERED, available: 0 });
  });
});

describe('taking quota units', () => {
  it('hands out exactly up to the boundary and keeps counting below zero', () => {
    const { engine, organizerId, ev, item, q } = itemInQuota(2);
    order(engine, organizerId, ev, 'p', [{ item }]);
    engine.command((ctx) => {
      const ledger = new QuotaLedger(ctx);
      expect(ledger.take(q)).toBe(true);
      expect(ledger.take(q)).toBe(false);
      expect(ledger.available(q)).toBe(-1);
      ledger.credit(q, 2);
      expect(ledger.take(q)).toBe(true);
    });
  });

  it('takes several quotas all or nothing; the tightest quota decides', () => {
    const { engine, organizerId } = testEngine();
    const ev = fixtureEvent(engine, organizerId);
    const item = fixtureItem(engine, ev);
    const wide = fixtureQuota(engine, ev, 100, { items: [item], name: 'Wide' });
    const tight = fixtureQuota(engine, ev, 1, { items: [item], name: 'Tight' });
    const unlimited = fixtureQuota(engine, ev, null, { items: [item] });
    engine.command((ctx) => {
      const ledger = new QuotaLedger(ctx);
      const needs = [wide, tight, unlimited].map((quota) => ({ quota, units: 1 }));
      expect(takeQuotaUnits(ledger, needs)).toEqual({ ok: true });
      const second = takeQuotaUnits(ledger, needs);
      expect(second).toMatchObject({
        ok: false,
        message: 'There is not enough quota available on quota "Tight" to perform the operation.',
      });
      expect(ledger.available(wide)).toBe(99);
      expect(ledger.available(unlimited)).toBe(Number.POSITIVE_INFINITY);
    });
  });

  it('grants min(demand, available) per quota', () => {
    const { engine, organizerId } = testEngine();
    const ev = fixtureEvent(engine, organizerId);
    const item = fixtureItem(engine, ev);
    const a = fixtureQuota(engine, ev, 3, { items: [item] });
    const b = fixtureQuota(engine, ev, null, { items: [item] });
    const c = fixtureQuota(engine, ev, 0, { items: [item] });
    const granted = engine.command((ctx) =>
      grantQuotaUnits(
        ctx,
        new Map([
          [a, 5],
          [b, 5],
          [c, 2],
        ]),
      ),
    );
    expect(Object.fromEntries(granted)).toEqual({ [a]: 3, [b]: 5, [c]: 0 });
  });
});
