import { describe, expect, it } from 'vitest';
import { createCashier } from '../../main/engine/cashiers/cashiers';
import { verifyTillJournal } from '../../main/engine/journal/verify';
import type { RpcInput, RpcMethod } from '../../shared/contract';
import { fixtureEvent, fixtureItem, fixtureQuota, fixtureTaxRule } from '../fixtures/catalog';
import { testEngine } from '../helpers';
import { browserDeskRpc, deskResult } from '../support/desk-rpc';
import { pdfText } from '../engine/tickets/pdf-tools';

/** The text of a base64 PDF, white space folded, contains each of `parts`. */
async function expectPdfSays(pdfBase64: string, parts: string[]) {
  const text = (await pdfText(Buffer.from(pdfBase64, 'base64'))).replace(/\s+/g, ' ');
  for (const part of parts) expect(text).toContain(part);
}

function setup() {
  const { engine, organizerId } = testEngine();
  const dispatcher = browserDeskRpc(engine);
  const eventId = fixtureEvent(engine, organizerId, { slug: 'till' });
  const vat = fixtureTaxRule(engine, eventId, '19.00');
  const itemId = fixtureItem(engine, eventId, { name: 'Adult', price: '20.00', taxRuleId: vat });
  fixtureQuota(engine, eventId, 100, { items: [itemId] });
  const ok = <M extends RpcMethod>(method: M, input: RpcInput<M>) => deskResult(dispatcher, method, input);
  const sale = (method: 'cash' | 'card', cartId: string, given = '') =>
    dispatcher.call('sale.complete', {
      cartId,
      eventId,
      subeventId: null,
      positions: [{ itemId, variationId: null, attendeeName: null, answers: [] }],
      email: null,
      payment: method === 'cash' ? { method, given } : { method },
    });
  return { engine, dispatcher, ok, sale, eventId, itemId };
}

describe('till at the desk', () => {
  it('starts with a first manager, refuses a sale without a shift, and sells into the open shift with a receipt', async () => {
    const { engine, dispatcher, ok, sale } = setup();
    const empty = await ok('till.session', {});
    expect(empty).toMatchObject({
      desk: 'Box office 1',
      cashier: null,
      cashiers: [],
      shift: null,
      currency: 'EUR',
    });
    expect(await sale('cash', 'c1')).toMatchObject({ error: { code: 'not_signed_in', status: 401 } });
    const session = await ok('till.firstManager', { name: 'Max', pin: '9999' });
    expect(session.cashier).toMatchObject({ name: 'Max', role: 'manager' });
    expect(await dispatcher.call('till.firstManager', { name: 'Eve', pin: '1111' })).toMatchObject({
      error: { status: 403 },
    });
    expect(await sale('cash', 'c1')).toMatchObject({
      error: {
        code: 'no_open_shift',
        message: 'No shift is open at Box office 1. Open a shift with the float first.',
      },
    });
    expect(engine.db.prepare('SELECT COUNT(*) AS n FROM orders').get()).toEqual({ n: 0 });

    await ok('shift.open', { openingFloat: '100.00', currency: 'EUR' });
    const first = await sale('cash', 'c1', '50');
    expect(first).toMatchObject({
      result: {
        total: '20.00',
        change: '30.00',
        receipt: { number: 1, kind: 'sale', method: 'cash', desk: 'Box office 1' },
      },
    });
    const second = await sale('card', 'c2');
    expect(second).toMatchObject({ result: { receipt: { number: 2, method: 'card' } } });
    const now = await ok('till.session', {});
    expect(now.shift?.figures).toMatchObject({ expectedCash: '120.00', sales: { count: 2, total: '40.00' } });
    // The audit log names the cashier and the desk.
    const actors = engine.db
      .prepare("SELECT DISTINCT actor FROM audit_log WHERE action_type = 'pretix.event.order.placed'")
      .all();
    expect(actors).toEqual([{ actor: 'Max at Box office 1' }]);
  });

  it('asks a cashier for a manager PIN to refund or cancel a paid order, records the authorisation, and issues a refund receipt', async () => {
    const { engine, dispatcher, ok, sale } = setup();
    await ok('till.firstManager', { name: 'Max', pin: '9999' });
    const anna = await ok('cashiers.create', { name: 'Anna', role: 'cashier', pin: '1234' });
    expect(await dispatcher.call('till.signIn', { cashierId: anna.id, pin: '0000' })).toMatchObject({
      error: { code: 'wrong_pin', message: 'That PIN is not right.' },
    });
    await ok('till.signIn', { cashierId: anna.id, pin: '1234' });
    expect(
      await dispatcher.call('cashiers.create', { name: 'Bob', role: 'manager', pin: '2222' }),
    ).toMatchObject({
      error: { status: 403 },
    });
    await ok('shift.open', { openingFloat: '50', currency: 'EUR' });
    const sold = await sale('cash', 'c1', '20');
    if (!('result' in sold)) throw new Error('sale refused');
    const code = sold.result.orderCode;
    const order = await ok('orders.get', { code });
    const refund = {
      code,
      paymentId: null,
      positionIds: [],
      amount: '5.00',
      method: 'cash' as const,
      markRefunded: true,
    };
    expect(await dispatcher.call('refunds.create', refund)).toMatchObject({
      error: { code: 'manager_required', status: 403, message: 'A manager’s PIN is needed for a refund.' },
    });
    expect(await dispatcher.call('refunds.create', { ...refund, managerPin: '1234' })).toMatchObject({
      error: { code: 'wrong_manager_pin' },
    });
    expect(engine.db.prepare('SELECT COUNT(*) AS n FROM order_refunds').get()).toEqual({ n: 0 });
    await ok('refunds.create', { ...refund, managerPin: '9999' });
    const receipts = await ok('receipts.ofOrder', { code });
    expect(receipts.map((r) => [r.number, r.kind, r.total, r.method])).toEqual([
      [1, 'sale', '20.00', 'cash'],
      [2, 'refund', '5.00', 'cash'],
    ]);
    expect(await dispatcher.call('orders.cancel', { code })).toMatchObject({
      error: { code: 'manager_required' },
    });
    await ok('orders.cancel', { code, managerPin: '9999' });
    const auths = engine.db
      .prepare(
        'SELECT a.action, m.name AS manager, c.name AS cashier FROM authorisations a JOIN cashiers m ON m.id = a.manager_id JOIN cashiers c ON c.id = a.cashier_id ORDER BY a.id',
      )
      .all();
    expect(auths).toEqual([
      { action: 'refund', manager: 'Max', cashier: 'Anna' },
      { action: 'cancel_paid_order', manager: 'Max', cashier: 'Anna' },
    ]);
    expect(order.code).toBe(code);
    const session = await ok('till.session', {});
    expect(session.shift?.figures.expectedCash).toBe('65.00');
  });

  it('cashes out with a manager PIN, closes with a count, lists the Z report and renders X and Z PDFs on A4 and 80 mm', async () => {
    const { engine, dispatcher, ok, sale } = setup();
    engine.command((ctx) => createCashier(ctx, { name: 'Max', role: 'manager', pin: '9999' }));
    const anna = engine.command((ctx) => createCashier(ctx, { name: 'Anna', role: 'cashier', pin: '1234' }));
    await ok('till.signIn', { cashierId: anna.id, pin: '1234' });
    await ok('shift.open', { openingFloat: '100', currency: 'EUR' });
    await sale('cash', 'c1', '20');
    expect(
      await dispatcher.call('shift.cash', { kind: 'out', amount: '20', reason: 'bank', managerPin: null }),
    ).toMatchObject({
      error: { code: 'manager_required' },
    });
    await ok('shift.cash', { kind: 'out', amount: '20', reason: 'bank', managerPin: '9999' });
    const shiftId = (await ok('till.session', {})).shift!.id;
    const x = await ok('shift.report', { id: shiftId, paper: '80mm' });
    expect(x.title).toBe('X report');
    const xPdf = Buffer.from(x.pdf, 'base64');
    expect(xPdf.subarray(0, 5).toString()).toBe('%PDF-');
    // An 80 mm page is 226.77 points wide.
    expect(xPdf.toString('latin1')).toMatch(/MediaBox \[0 0 226\.77\d* /);
    expect(await dispatcher.call('shift.close', { count: { '50': 1 }, comment: ' ' })).toMatchObject({
      error: { code: 'comment_required', message: 'The drawer is short by 50.00; say why in a comment.' },
    });
    const z = await ok('shift.close', {
      count: { '50': 1, '20': 2, '5': 1, '2': 2 },
      comment: 'one coin missing',
    });
    expect(z).toMatchObject({
      state: 'closed',
      zNumber: 1,
      expectedCash: '100.00',
      countedCash: '99.00',
      difference: '-1.00',
      comment: 'one coin missing',
    });
    const listed = await ok('shift.list', { desk: 'Box office 1', date: z.closed!.slice(0, 10) });
    expect(listed.map((s) => s.zNumber)).toEqual([1]);
    const zA4 = await ok('shift.report', { id: shiftId, paper: 'a4' });
    expect(zA4.title).toBe('Z report 1');
    expect(Buffer.from(zA4.pdf, 'base64').toString('latin1')).toMatch(/MediaBox \[0 0 595\.2\d* 841\.8\d*\]/);
    expect(await sale('cash', 'c2', '20')).toMatchObject({ error: { code: 'no_open_shift' } });
    const receipt = await ok('receipts.pdf', { id: 1, paper: '80mm' });
    expect(receipt.title).toBe('Receipt 1');
    await expectPdfSays(receipt.pdf, [
      'Box office 1',
      'No. 1',
      'Anna',
      'Adult',
      '19 %',
      'Total 20.00 EUR',
      'Paid by Cash',
      'Given 20.00 EUR',
      'Change 0.00 EUR',
    ]);
    await expectPdfSays(zA4.pdf, [
      'Z report No. 1',
      'Expected in the drawer 100.00 EUR',
      'Counted 99.00 EUR',
      'Difference -1.00 EUR',
      'Comment: one coin missing',
    ]);
    expect(verifyTillJournal(engine.db).ok).toBe(true);
  });
});

describe('staff at the desk', () => {
  it('changes a PIN and deactivates a cashier: a manager alone, a cashier only with a manager’s PIN', async () => {
    const { engine, dispatcher, ok } = setup();
    await ok('till.firstManager', { name: 'Max', pin: '9999' });
    const anna = await ok('cashiers.create', { name: 'Anna', role: 'cashier', pin: '1234' });
    const ben = await ok('cashiers.create', { name: 'Ben', role: 'cashier', pin: '5555' });

    // The signed-in manager gives Anna a new PIN; the old one no longer signs her in.
    await ok('cashiers.changePin', { cashierId: anna.id, pin: '2468', managerPin: null });
    expect(
      await dispatcher.call('cashiers.changePin', { cashierId: anna.id, pin: '12', managerPin: null }),
    ).toMatchObject({
      error: { code: 'invalid_pin', message: 'A PIN has 4 to 8 digits.' },
    });
    expect(await dispatcher.call('till.signIn', { cashierId: anna.id, pin: '1234' })).toMatchObject({
      error: { code: 'wrong_pin' },
    });
    await ok('till.signIn', { cashierId: anna.id, pin: '2468' });

    // Anna, a cashier, needs a manager's PIN for either change; a wrong one changes nothing.
    expect(
      await dispatcher.call('cashiers.deactivate', { cashierId: ben.id, managerPin: null }),
    ).toMatchObject({
      error: { code: 'manager_required', message: 'A manager’s PIN is needed for deactivating a cashier.' },
    });
    expect(
      await dispatcher.call('cashiers.deactivate', { cashierId: ben.id, managerPin: '2468' }),
    ).toMatchObject({
      error: { code: 'wrong_manager_pin' },
    });
    expect(
      await dispatcher.call('cashiers.changePin', { cashierId: ben.id, pin: '7777', managerPin: null }),
    ).toMatchObject({ error: { code: 'manager_required' } });
    const after = await ok('cashiers.deactivate', { cashierId: ben.id, managerPin: '9999' });
    expect(after.cashiers.map((c) => c.name)).toEqual(['Anna', 'Max']);
    expect(await dispatcher.call('till.signIn', { cashierId: ben.id, pin: '5555' })).toMatchObject({
      error: { code: 'wrong_pin' },
    });
    expect(
      await dispatcher.call('cashiers.deactivate', { cashierId: ben.id, managerPin: '9999' }),
    ).toMatchObject({
      error: { code: 'not_found' },
    });

    // The only manager stays: the box office would have nobody to authorise anything.
    const max = after.cashiers.find((c) => c.name === 'Max')!;
    expect(
      await dispatcher.call('cashiers.deactivate', { cashierId: max.id, managerPin: '9999' }),
    ).toMatchObject({
      error: { code: 'last_manager' },
    });

    const auths = engine.db
      .prepare(
        'SELECT a.action, m.name AS manager, c.name AS cashier FROM authorisations a JOIN cashiers m ON m.id = a.manager_id JOIN cashiers c ON c.id = a.cashier_id ORDER BY a.id',
      )
      .all();
    expect(auths).toEqual([{ action: 'deactivate_cashier', manager: 'Max', cashier: 'Anna' }]);
    const audit = engine.db
      .prepare("SELECT action_type FROM audit_log WHERE action_type LIKE 'guichet.cashier.%' ORDER BY id")
      .pluck()
      .all();
    expect(audit).toContain('guichet.cashier.pin_changed');
    expect(audit).toContain('guichet.cashier.deactivated');
    expect(verifyTillJournal(engine.db)).toMatchObject({ ok: true });
  });
});

describe('the demo till', () => {
  it('comes with a cashier and a manager whose PINs the login shows while the demo event is the only event', async () => {
    const { engine } = testEngine();
    const { seedDemo } = await import('../../main/demo/seed');
    engine.command((ctx) => seedDemo(ctx));
    const dispatcher = browserDeskRpc(engine);
    const session = await dispatcher.call('till.session', {});
    expect(session).toMatchObject({
      result: {
        cashier: null,
        demoPins: [
          { name: 'Anna', role: 'cashier', pin: '1234' },
          { name: 'Max', role: 'manager', pin: '9999' },
        ],
      },
    });
    if (!('result' in session)) throw new Error('no session');
    const anna = session.result.cashiers.find((c) => c.name === 'Anna')!;
    expect(await dispatcher.call('till.signIn', { cashierId: anna.id, pin: '1234' })).toMatchObject({
      result: { cashier: { name: 'Anna', role: 'cashier' } },
    });
    // A second event: the box office is no longer the demo, and the PINs are no longer shown.
    fixtureEvent(engine, engine.db.prepare('SELECT id FROM organizers').pluck().get() as number, {
      slug: 'real',
    });
    expect(await dispatcher.call('till.session', {})).toMatchObject({ result: { demoPins: [] } });
  });
});
