import { money } from '../../../main/engine/money';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/engine/engine';
import { auditFor } from '../../../main/engine/log/audit';
import { createOrderFromBody } from '../../support/orders';
import { loadOrder } from '../../../main/engine/orders/model';
import { cancelPosition } from '../../../main/engine/orders/positions';
import {
  approveOrder,
  denyOrder,
  extendOrder,
  markOrderCanceled,
  markOrderExpired,
  markOrderPaid,
  markOrderPending,
  markOrderRefunded,
  reactivateOrder,
} from '../../../main/engine/orders/transitions';
import { confirmPayment, createPayment } from '../../../main/engine/payments/payments';
import { extendBody } from '../../../main/api/schemas/orders';
import { recountQuota } from '../../../main/engine/quotas/counters';
import { fixtureEvent, fixtureItem, fixtureQuota } from '../../fixtures/catalog';
import { engineFailure, testEngine } from '../../helpers';

function setup(quotaSize: number | null = 10, settings: Record<string, unknown> = {}) {
  const t = testEngine('2026-03-02T10:00:00Z');
  const eventId = fixtureEvent(t.engine, t.organizerId, { settings: { name_scheme: 'full', ...settings } });
  const item = fixtureItem(t.engine, eventId, { name: 'Ticket', price: '23.00' });
  const quota = fixtureQuota(t.engine, eventId, quotaSize, { items: [item], name: 'Main' });
  return { ...t, eventId, item, quota };
}

function order(
  engine: Engine,
  eventId: number,
  item: number,
  extra: Record<string, unknown> = {},
  positions = [{ item, price: '23.00' }],
) {
  return engine.command((ctx) =>
    createOrderFromBody(ctx, {
      eventId,
      body: { email: 'a@example.org', payment_provider: 'manual', positions, ...extra },
    }),
  ).orderId;
}

/** Order `a` expired, and a second order took the last place of the quota of 1 it held. */
function expiredAndSoldOut() {
  const t = setup(1);
  const a = order(t.engine, t.eventId, t.item);
  t.engine.command((ctx) => markOrderExpired(ctx, { orderId: a }));
  order(t.engine, t.eventId, t.item);
  return { ...t, a };
}

function current(engine: Engine, orderId: number) {
  const o = loadOrder(engine.db, orderId);
  if (!o) throw new Error('order missing');
  return o;
}

/** The live counters must always equal a recount from the orders. */
function expectCountersExact(engine: Engine, quotaId: number) {
  const before = engine.db.prepare('SELECT paid_count, pending_count FROM quotas WHERE id = ?').get(quotaId);
  engine.command((ctx) => recountQuota(ctx, quotaId));
  const after = engine.db.prepare('SELECT paid_count, pending_count FROM quotas WHERE id = ?').get(quotaId);
  expect(before).toEqual(after);
  return after as { paid_count: number; pending_count: number };
}

describe('cancel', () => {
  it('frees the quota, gives the voucher use back and cancels open payments', () => {
    const { engine, eventId, item, quota } = setup(1);
    engine.db
      .prepare("INSERT INTO vouchers (event_id, code, max_usages, redeemed) VALUES (?, 'SAVE1', 1, 0)")
      .run(eventId);
    const a = order(engine, eventId, item, {}, [{ item, price: '23.00', voucher: 'SAVE1' } as never]);
    expect(engine.db.prepare("SELECT redeemed FROM vouchers WHERE code = 'SAVE1'").get()).toEqual({
      redeemed: 1,
    });
    expect(engineFailure(() => order(engine, eventId, item)).body).toMatchObject({
      positions: [{ item: [expect.stringContaining('quota')] }],
    });

    engine.command((ctx) => markOrderCanceled(ctx, { orderId: a }));
    const canceled = current(engine, a);
    expect(canceled.status).toBe('c');
    expect(canceled.cancellation_date).toBe('2026-03-02T10:00:00.000Z');
    expect(canceled.positions[0]!.canceled).toBe(false);
    expect(canceled.payments[0]!.state).toBe('canceled');
    expect(engine.db.prepare("SELECT redeemed FROM vouchers WHERE code = 'SAVE1'").get()).toEqual({
      redeemed: 0,
    });
    expect(auditFor(engine.db, 'order', a).map((r) => r.action_type)).toEqual(
      expect.arrayContaining(['pretix.event.order.canceled', 'pretix.event.order.payment.canceled']),
    );
    expect(expectCountersExact(engine, quota)).toEqual({ paid_count: 0, pending_count: 0 });

    order(engine, eventId, item);
    expect(engineFailure(() => engine.command((ctx) => markOrderCanceled(ctx, { orderId: a }))).body).toEqual(
      {
        detail: 'The order is not allowed to be canceled.',
      },
    );
  });

  it('with a fee keeps an unpaid order pending and a paid one paid, with the fee as total', () => {
    const { engine, eventId, item, quota } = setup(10);
    const pending = order(engine, eventId, item);
    expect(
      engineFailure(() =>
        engine.command((ctx) =>
          markOrderCanceled(ctx, { orderId: pending, cancellationFee: money('700.00') }),
        ),
      ).body,
    ).toEqual({ detail: 'The cancellation fee cannot be higher than the total amount of this order.' });
    expect(current(engine, pending)).toMatchObject({ status: 'n', total: '23.00' });

    engine.command((ctx) => markOrderCanceled(ctx, { orderId: pending, cancellationFee: money('7.00') }));
    const p = current(engine, pending);
    expect(p).toMatchObject({ status: 'n', total: '7.00' });
    expect(p.positions.every((x) => x.canceled)).toBe(true);
    expect(p.fees).toMatchObject([{ fee_type: 'cancellation', value: '7.00', canceled: false }]);

    const paid = order(engine, eventId, item, { status: 'p' });
    engine.command((ctx) => markOrderCanceled(ctx, { orderId: paid, cancellationFee: money(6) }));
    expect(current(engine, paid)).toMatchObject({ status: 'p', total: '6.00' });
    expect(expectCountersExact(engine, quota)).toEqual({ paid_count: 0, pending_count: 0 });

    const zero = order(engine, eventId, item);
    engine.command((ctx) => markOrderCanceled(ctx, { orderId: zero, cancellationFee: money('0.00') }));
    expect(current(engine, zero).status).toBe('c');
  });

  it('mark_refunded cancels a paid order and refuses anything else', () => {
    const { engine, eventId, item } = setup();
    const pending = order(engine, eventId, item);
    expect(
      engineFailure(() => engine.command((ctx) => markOrderRefunded(ctx, { orderId: pending }))).body,
    ).toEqual({
      detail: 'The order is not paid.',
    });
    const paid = order(engine, eventId, item, { status: 'p' });
    engine.command((ctx) => markOrderRefunded(ctx, { orderId: paid }));
    expect(current(engine, paid).status).toBe('c');
  });
});

describe('paying', () => {
  it('mark_paid reuses the open manual payment and pays a pending order', () => {
    const { engine, eventId, item, quota } = setup();
    const a = order(engine, eventId, item);
    const out = engine.command((ctx) => markOrderPaid(ctx, { orderId: a }));
    expect(out.error).toBeUndefined();
    const paid = current(engine, a);
    expect(paid.status).toBe('p');
    expect(paid.payments).toMatchObject([
      { local_id: 1, state: 'confirmed', provider: 'manual', amount: '23.00' },
    ]);
    expect(expectCountersExact(engine, quota)).toEqual({ paid_count: 1, pending_count: 0 });
    expect(engineFailure(() => engine.command((ctx) => markOrderPaid(ctx, { orderId: a }))).body).toEqual({
      detail: 'The order is not pending or expired.',
    });
    engine.command((ctx) => markOrderPending(ctx, { orderId: a }));
    expect(current(engine, a).status).toBe('n');
    expect(expectCountersExact(engine, quota)).toEqual({ paid_count: 0, pending_count: 1 });
  });

  it('an expired order cannot be paid once its quota is gone; the payment stays confirmed', () => {
    const { engine, quota, a } = expiredAndSoldOut();
    const out = engine.command((ctx) => markOrderPaid(ctx, { orderId: a }));
    expect(out.error?.body).toEqual({ detail: 'The ordered product "Ticket" is no longer available.' });
    const still = current(engine, a);
    expect(still.status).toBe('e');
    expect(still.payments[0]!.state).toBe('confirmed');
    expect(auditFor(engine.db, 'order', a).map((r) => r.action_type)).toContain(
      'pretix.event.order.quotaexceeded',
    );
    expect(expectCountersExact(engine, quota)).toEqual({ paid_count: 0, pending_count: 1 });
  });

  it('confirming a payment with force pays an expired order even past its quota', () => {
    const { engine, quota, a } = expiredAndSoldOut();
    const plain = engine.command((ctx) => confirmPayment(ctx, { orderId: a, localId: 1 }));
    expect(plain.error?.body).toEqual({ detail: 'The ordered product "Ticket" is no longer available.' });
    expect(current(engine, a).status).toBe('e');

    const second = engine.command((ctx) =>
      createPayment(ctx, { orderId: a, state: 'pending', amount: money('0.00'), provider: 'manual' }),
    );
    const forced = engine.command((ctx) =>
      confirmPayment(ctx, { orderId: a, localId: second.local_id, force: true }),
    );
    expect(forced.error).toBeUndefined();
    expect(current(engine, a).status).toBe('p');
    expect(expectCountersExact(engine, quota)).toEqual({ paid_count: 1, pending_count: 1 });
  });

  it('an expired order with quota left is paid, and late payments can be refused by setting', () => {
    const { engine, eventId, item } = setup(5);
    const a = order(engine, eventId, item);
    engine.command((ctx) => markOrderExpired(ctx, { orderId: a }));
    expect(engine.command((ctx) => markOrderPaid(ctx, { orderId: a })).error).toBeUndefined();
    expect(current(engine, a).status).toBe('p');

    const late = setup(5, { payment_term_accept_late: false });
    const b = order(late.engine, late.eventId, late.item);
    late.engine.command((ctx) => markOrderExpired(ctx, { orderId: b }));
    const out = late.engine.command((ctx) => markOrderPaid(ctx, { orderId: b }));
    expect(out.error?.body).toEqual({
      detail:
        'The payment can not be accepted as the order is expired and you configured that no late payments should be accepted in the payment settings.',
    });
  });

  it('a partial payment leaves the order pending until payments cover the total', () => {
    const { engine, eventId, item } = setup();
    const a = order(engine, eventId, item);
    engine.command((ctx) =>
      createPayment(ctx, {
        orderId: a,
        state: 'confirmed',
        amount: money('20.00'),
        provider: 'banktransfer',
      }),
    );
    expect(current(engine, a).status).toBe('n');
    const p = engine.command((ctx) =>
      createPayment(ctx, {
        orderId: a,
        state: 'confirmed',
        amount: money('3.00'),
        provider: 'banktransfer',
      }),
    );
    expect(p).toMatchObject({ local_id: 3, state: 'confirmed' });
    expect(current(engine, a).status).toBe('p');
  });
});

describe('approval', () => {
  it('approving a paid-for order leaves it pending without approval; a free order becomes paid', () => {
    const { engine, eventId, item, quota } = setup();
    const a = order(engine, eventId, item, { require_approval: true });
    const blocked = engine.command((ctx) => markOrderPaid(ctx, { orderId: a }));
    expect(blocked.error?.body).toEqual({ detail: 'This order is not yet approved by the event organizer.' });
    engine.command((ctx) => approveOrder(ctx, { orderId: a }));
    expect(current(engine, a)).toMatchObject({ status: 'n', require_approval: false });
    expect(engineFailure(() => engine.command((ctx) => approveOrder(ctx, { orderId: a }))).body).toEqual({
      detail: 'This order is not pending approval.',
    });

    const free = order(engine, eventId, item, { require_approval: true, payment_provider: null }, [
      { item, price: '0.00' },
    ]);
    expect(current(engine, free)).toMatchObject({ status: 'n', require_approval: true });
    engine.command((ctx) => approveOrder(ctx, { orderId: free }));
    const approved = current(engine, free);
    expect(approved).toMatchObject({ status: 'p', require_approval: false });
    expect(approved.payments).toMatchObject([{ provider: 'free', state: 'confirmed', amount: '0.00' }]);
    expect(expectCountersExact(engine, quota)).toEqual({ paid_count: 1, pending_count: 1 });
  });

  it('deny cancels, keeps require_approval, and reactivate brings the order back pending', () => {
    const { engine, eventId, item, quota } = setup(1);
    const a = order(engine, eventId, item, { require_approval: true });
    engine.command((ctx) => denyOrder(ctx, { orderId: a, comment: 'sold out' }));
    expect(current(engine, a)).toMatchObject({
      status: 'c',
      require_approval: true,
      cancellation_date: null,
    });
    const denied = auditFor(engine.db, 'order', a).find((r) => r.action_type === 'pretix.event.order.denied');
    expect(JSON.parse(denied!.data)).toEqual({ comment: 'sold out' });
    expect(expectCountersExact(engine, quota)).toEqual({ paid_count: 0, pending_count: 0 });

    engine.command((ctx) => reactivateOrder(ctx, { orderId: a }));
    expect(current(engine, a)).toMatchObject({ status: 'n' });
    expect(expectCountersExact(engine, quota)).toEqual({ paid_count: 0, pending_count: 1 });
    expect(engineFailure(() => engine.command((ctx) => reactivateOrder(ctx, { orderId: a }))).body).toEqual({
      detail: 'The order is not allowed to be reactivated.',
    });
  });

  it('reactivate refuses when the quota was sold meanwhile', () => {
    const { engine, eventId, item } = setup(1);
    const a = order(engine, eventId, item, { status: 'p' });
    engine.command((ctx) => markOrderCanceled(ctx, { orderId: a }));
    order(engine, eventId, item);
    expect(engineFailure(() => engine.command((ctx) => reactivateOrder(ctx, { orderId: a }))).body).toEqual({
      detail: 'The ordered product "Ticket" is no longer available.',
    });
    expect(current(engine, a).status).toBe('c');
  });
});

describe('extend', () => {
  it('sets 23:59:59 of the date in the event time zone and revives an expired order after the quota check', () => {
    const { engine, eventId, item, quota } = setup(1, { timezone: 'Europe/Berlin' });
    const a = order(engine, eventId, item);
    engine.command((ctx) => extendOrder(ctx, { orderId: a, expires: '2026-07-10' }));
    expect(current(engine, a)).toMatchObject({ status: 'n', expires: '2026-07-10T21:59:59.000Z' });

    engine.command((ctx) => markOrderExpired(ctx, { orderId: a }));
    const b = order(engine, eventId, item);
    expect(
      engineFailure(() => engine.command((ctx) => extendOrder(ctx, { orderId: a, expires: '2026-07-11' })))
        .body,
    ).toEqual({ detail: 'The ordered product "Ticket" is no longer available.' });
    expect(current(engine, a).status).toBe('e');

    engine.command((ctx) => extendOrder(ctx, { orderId: a, expires: '2026-07-11', force: true }));
    expect(current(engine, a)).toMatchObject({ status: 'n', expires: '2026-07-11T21:59:59.000Z' });
    expect(expectCountersExact(engine, quota)).toEqual({ paid_count: 0, pending_count: 2 });

    engine.command((ctx) => markOrderPaid(ctx, { orderId: b }));
    for (const [body, detail] of [
      [{}, 'New date is missing.'],
      [{ expires: '2026-07-11T10:00:00Z' }, 'New date is invalid.'],
      [{ expires: '2026-02-30' }, 'New date is invalid.'],
      [{ expires: '2026-03-01' }, 'The new expiry date needs to be in the future.'],
      [{ expires: '2026-08-01' }, 'The order is not pending or expired.'],
    ] as const) {
      expect(
        engineFailure(() => engine.command((ctx) => extendOrder(ctx, { orderId: b, ...extendBody(body) })))
          .body,
      ).toEqual({
        detail,
      });
    }
  });
});

describe('position delete', () => {
  it('never removes the last position; otherwise cancels it and recomputes the total', () => {
    const { engine, eventId, item, quota } = setup();
    const single = order(engine, eventId, item);
    const only = current(engine, single).positions[0]!.id;
    expect(
      engineFailure(() => engine.command((ctx) => cancelPosition(ctx, { positionId: only }))).body,
    ).toEqual(['This operation would leave the order empty. Please cancel the order itself instead.']);
    const two = order(engine, eventId, item, {}, [
      { item, price: '23.00' },
      { item, price: '12.00' },
    ]);
    const second = current(engine, two).positions[1]!.id;
    engine.command((ctx) => cancelPosition(ctx, { positionId: second }));
    const after = current(engine, two);
    expect(after.total).toBe('23.00');
    expect(after.positions.map((p) => p.canceled)).toEqual([false, true]);
    expect(expectCountersExact(engine, quota)).toEqual({ paid_count: 0, pending_count: 2 });
  });

  it('a pending order that is now covered by its payments becomes paid', () => {
    const { engine, eventId, item } = setup();
    const a = order(engine, eventId, item, {}, [
      { item, price: '23.00' },
      { item, price: '12.00' },
    ]);
    engine.command((ctx) =>
      createPayment(ctx, { orderId: a, state: 'confirmed', amount: money('23.00'), provider: 'manual' }),
    );
    expect(current(engine, a).status).toBe('n');
    engine.command((ctx) => cancelPosition(ctx, { positionId: current(engine, a).positions[1]!.id }));
    expect(current(engine, a)).toMatchObject({ status: 'p', total: '23.00' });
  });
});
