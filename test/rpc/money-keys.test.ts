import { describe, expect, it } from 'vitest';
import type { RpcInput, RpcMethod } from '../../shared/contract';
import { createOrderFromBody } from '../support/orders';
import { deskResult, sellingDesk } from '../support/desk-rpc';

/** A desk selling Adult at 35.00, a manager signed in, a shift open with no float. */
function setup() {
  const desk = sellingDesk({ event: { slug: 'keys' }, item: { name: 'Adult', price: '35.00' }, quota: 50 });
  const { engine, rpc, eventId, itemId } = desk;
  const ok = <M extends RpcMethod>(method: M, input: RpcInput<M>) => deskResult(rpc, method, input);
  const count = (table: string) =>
    (engine.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const expectedCash = async () => (await ok('till.session', {})).shift!.figures.expectedCash;
  const adult = { itemId, variationId: null, attendeeName: null, answers: [] };
  /** One Adult paid in cash: 35.00 into the drawer. */
  const cashSale = async (cartId: string) => {
    const payment = { method: 'cash' as const, given: '50' };
    const sale = { cartId, eventId, subeventId: null, email: null, payment, positions: [adult] };
    return (await ok('sale.complete', sale)).orderCode;
  };
  return { ...desk, ok, count, expectedCash, cashSale };
}

describe('a money action sent twice with the same key is recorded once', () => {
  it('cash in: the retry answers as the first call did and moves no cash; a new key moves it again', async () => {
    const { rpc, ok, count, expectedCash } = setup();
    const input = { kind: 'in' as const, amount: '12.50', reason: 'float top-up', managerPin: null };
    const first = await ok('shift.cash', { ...input, actionKey: 'cash-key-0001' });
    const after = await expectedCash();
    const retry = await ok('shift.cash', { ...input, actionKey: 'cash-key-0001' });
    expect(retry).toEqual(first);
    expect(count('cash_movements')).toBe(1);
    expect(await expectedCash()).toBe(after);
    expect(after).toBe('12.50');
    // The same key with another amount is another action: refused, nothing recorded.
    expect(
      await rpc.call('shift.cash', { ...input, amount: '99', actionKey: 'cash-key-0001' }),
    ).toMatchObject({
      error: {
        code: 'key_reused',
        message: 'This action was already done with other details. Start it again to do another one.',
      },
    });
    expect(count('cash_movements')).toBe(1);
    await ok('shift.cash', { ...input, actionKey: 'cash-key-0002' });
    expect(count('cash_movements')).toBe(2);
    expect(await expectedCash()).toBe('25.00');
  });

  it('a refused action keeps nothing under its key: the same key, once the cash is there, records it', async () => {
    const { rpc, ok, count, expectedCash, cashSale } = setup();
    const input = {
      kind: 'out' as const,
      amount: '20',
      reason: 'bank',
      managerPin: null,
      actionKey: 'out-key-0009',
    };
    expect(await rpc.call('shift.cash', { ...input, amount: '0' })).toMatchObject({
      error: { code: 'invalid_amount' },
    });
    expect(count('desk_actions')).toBe(0);
    await cashSale('desk-cart-refused@api');
    await ok('shift.cash', input);
    expect(count('cash_movements')).toBe(1);
    expect(await expectedCash()).toBe('15.00');
  });

  it('cash out sent concurrently with one key is one movement', async () => {
    const { rpc, count, expectedCash, cashSale } = setup();
    await cashSale('desk-cart-cashout@api');
    const input = {
      kind: 'out' as const,
      amount: '10',
      reason: 'bank',
      managerPin: null,
      actionKey: 'out-key-0001',
    };
    const [a, b] = await Promise.all([rpc.call('shift.cash', input), rpc.call('shift.cash', input)]);
    expect(a).toEqual(b);
    expect(count('cash_movements')).toBe(1);
    expect(await expectedCash()).toBe('25.00');
  });

  it('refund: the retry returns the same order, one refund, one receipt, the till unchanged', async () => {
    const { ok, count, expectedCash, cashSale } = setup();
    const code = await cashSale('desk-cart-refund@api');
    expect(await expectedCash()).toBe('35.00');
    // Five euros back in cash, against no particular payment or ticket.
    const refund: RpcInput<'refunds.create'> = {
      actionKey: 'refund-key-0001',
      amount: '5.00',
      method: 'cash',
      markRefunded: true,
      code,
      paymentId: null,
      positionIds: [],
    };
    const first = await ok('refunds.create', refund);
    const retry = await ok('refunds.create', refund);
    expect(retry).toEqual(first);
    expect(count('order_refunds')).toBe(1);
    expect(count("receipts WHERE kind = 'refund'")).toBe(1);
    expect(await expectedCash()).toBe('30.00');
    await ok('refunds.create', { ...refund, actionKey: 'refund-key-0002' });
    expect(count('order_refunds')).toBe(2);
    expect(count("receipts WHERE kind = 'refund'")).toBe(2);
    expect(await expectedCash()).toBe('25.00');
  });

  it('mark paid: the retry takes no second payment and issues no second receipt', async () => {
    const { engine, ok, count, expectedCash, eventId, itemId } = setup();
    const { order } = engine.command((ctx) =>
      createOrderFromBody(ctx, { eventId, body: { positions: [{ item: itemId }] } }),
    );
    const input = { code: order.code, method: 'cash' as const, actionKey: 'paid-key-0001' };
    const first = await ok('orders.markPaid', input);
    expect(first.status).toBe('p');
    const retry = await ok('orders.markPaid', input);
    expect(retry).toEqual(first);
    expect(count("order_payments WHERE state = 'confirmed'")).toBe(1);
    expect(count('receipts')).toBe(1);
    expect(await expectedCash()).toBe('35.00');
  });

  it('open drawer and cancel: the retry logs the drawer opening once and answers with the same cancelled order', async () => {
    const { ok, count, cashSale } = setup();
    const drawer = await ok('shift.openDrawer', { managerPin: null, actionKey: 'drawer-key-01' });
    expect(await ok('shift.openDrawer', { managerPin: null, actionKey: 'drawer-key-01' })).toEqual(drawer);
    expect(count("audit_log WHERE action_type = 'guichet.shift.drawer_opened'")).toBe(1);
    const code = await cashSale('desk-cart-cancel@api');
    const cancelled = await ok('orders.cancel', { code, actionKey: 'cancel-key-01' });
    expect(cancelled.status).toBe('c');
    expect(await ok('orders.cancel', { code, actionKey: 'cancel-key-01' })).toEqual(cancelled);
    expect(count("audit_log WHERE action_type = 'pretix.event.order.canceled'")).toBe(1);
  });

  it('opening the shift: the retry answers with the shift it opened, with its float once', async () => {
    const { ok, count, cashSale } = setup();
    await cashSale('desk-cart-reopen@api');
    await ok('shift.close', { count: { '20': 1, '10': 1, '5': 1 }, comment: '' });
    const opened = await ok('shift.open', {
      openingFloat: '80',
      currency: 'EUR',
      actionKey: 'open-key-0001',
    });
    expect(opened.shift?.figures.expectedCash).toBe('80.00');
    expect(
      await ok('shift.open', { openingFloat: '80', currency: 'EUR', actionKey: 'open-key-0001' }),
    ).toEqual(opened);
    expect(count("shifts WHERE state = 'open'")).toBe(1);
    expect(count('shifts')).toBe(2);
  });

  it('closing the shift: the retry answers with the same Z report; without the key it is refused', async () => {
    const { rpc, ok, count, cashSale } = setup();
    await cashSale('desk-cart-close@api');
    const input = { count: { '20': 1, '10': 1, '5': 1 }, comment: '', actionKey: 'close-key-0001' };
    const z = await ok('shift.close', input);
    expect(z).toMatchObject({ state: 'closed', zNumber: 1, countedCash: '35.00', difference: '0.00' });
    expect(await ok('shift.close', input)).toEqual(z);
    expect(count("shifts WHERE state = 'closed'")).toBe(1);
    expect(await rpc.call('shift.close', { ...input, actionKey: 'close-key-0002' })).toMatchObject({
      error: { code: 'no_open_shift' },
    });
  });
});
