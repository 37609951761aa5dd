import { createCashier, type Cashier } from '../../../main/engine/cashiers/cashiers';
import type { Engine } from '../../../main/engine/engine';
import { moneyText, money } from '../../../main/engine/money';
import { createOrderFromBody } from '../../support/orders';
import { createRefund } from '../../../main/engine/payments/refunds';
import {
  issueRefundReceipt,
  issueSaleReceipt,
  type TillMethod,
} from '../../../main/engine/receipts/receipts';
import { requireOpenShift } from '../../../main/engine/shifts/shifts';
import { fixtureEvent, fixtureItem, fixtureQuota, fixtureTaxRule } from '../../fixtures/catalog';

export const DESK = 'Box office 1';

/** A box office with one event (a 25.00 ticket at 19 % VAT, a 12.50 one at 7 %, a free one), a cashier and a manager. */
export function till(engine: Engine, organizerId: number) {
  const eventId = fixtureEvent(engine, organizerId, { slug: 'till' });
  const vat19 = fixtureTaxRule(engine, eventId, '19.00');
  const vat7 = fixtureTaxRule(engine, eventId, '7.00');
  const adult = fixtureItem(engine, eventId, { name: 'Adult', price: '25.00', taxRuleId: vat19 });
  const child = fixtureItem(engine, eventId, { name: 'Child', price: '12.50', taxRuleId: vat7 });
  const comp = fixtureItem(engine, eventId, { name: 'Guest', price: '0.00', taxRuleId: vat19 });
  fixtureQuota(engine, eventId, null, { items: [adult, child, comp] });
  const { anna, max } = engine.command((ctx) => ({
    anna: createCashier(ctx, { name: 'Anna', role: 'cashier', pin: '1234' }),
    max: createCashier(ctx, { name: 'Max', role: 'manager', pin: '9999' }),
  }));
  return { eventId, items: { adult, child, comp }, anna, max };
}

export type Till = ReturnType<typeof till>;

/** A desk sale: a paid box-office order and its receipt in one command, as the desk makes it. */
export function sell(
  engine: Engine,
  t: Till,
  sale: { adults?: number; children?: number; comps?: number; method: TillMethod; given?: string },
  cashier: Cashier = t.anna,
  desk = DESK,
) {
  return engine.command((ctx) => {
    const shift = requireOpenShift(ctx.db, desk);
    const positions = [
      ...Array.from({ length: sale.adults ?? 0 }, () => ({ item: t.items.adult })),
      ...Array.from({ length: sale.children ?? 0 }, () => ({ item: t.items.child })),
      ...Array.from({ length: sale.comps ?? 0 }, () => ({ item: t.items.comp })),
    ];
    const { orderId, order } = createOrderFromBody(ctx, {
      eventId: t.eventId,
      body: {
        status: 'p',
        sales_channel: 'pretixpos',
        payment_provider: sale.method === 'free' ? 'free' : 'boxoffice',
        positions,
      },
    });
    const given = sale.method === 'cash' ? (sale.given ?? order.total) : null;
    const change = given === null ? null : moneyText(money(given).minus(order.total));
    const receipt = issueSaleReceipt(ctx, { shift, cashier, orderId, method: sale.method, given, change });
    return { orderId, total: order.total, receipt };
  }, `cashier:${cashier.name}`);
}

/** A desk refund of an amount: the pretix refund and its receipt in the shift open now. */
export function refund(
  engine: Engine,
  orderId: number,
  amount: string,
  method: TillMethod,
  cashier: Cashier,
  desk = DESK,
) {
  return engine.command((ctx) => {
    const shift = requireOpenShift(ctx.db, desk);
    createRefund(ctx, {
      orderId,
      state: 'done',
      source: 'admin',
      amount: money(amount),
      provider: method === 'cash' ? 'boxoffice' : 'manual',
    });
    return issueRefundReceipt(ctx, {
      shift,
      cashier,
      orderId,
      method,
      amount: money(amount),
      positionIds: [],
    });
  }, `cashier:${cashier.name}`);
}
