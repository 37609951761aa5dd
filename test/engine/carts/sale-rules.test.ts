import { describe, expect, it } from 'vitest';
import { getListedPrice } from '../../../main/engine/pricing/listed-price';
import { z } from 'zod';
import type { ReadableDB } from '../../../main/engine/db/handles';
import { answerLookups } from '../../../main/engine/questions/position-answers';
import { answersSchema } from '../../../main/api/schemas/answers';
import { drfErrorMap, drfFieldErrors } from '../../../main/api/schemas/drf';

/** A position's `answers` read as the REST door reads them. */
function validateAnswers(db: ReadableDB, scope: { organizerId: number; eventId: number }, answers: unknown) {
  const body = { answers };
  const result = z.object({ answers: answersSchema(answerLookups(db, scope)) }).safeParse(body, {
    error: drfErrorMap,
  });
  return result.success
    ? { ok: true, answers: result.data.answers }
    : { ok: false, errors: drfFieldErrors(result.error, body).answers };
}
import {
  checkItem,
  checkSubevent,
  checkVariation,
  isDisabledForSubevent,
  itemOfOrganizer,
  variationOfOrganizer,
} from '../../../main/engine/sales/product-checks';
import {
  checkVoucherForCart,
  voucherAppliesTo,
  voucherByCode,
  voucherPrice,
  voucherUsesLeft,
} from '../../../main/engine/vouchers/sale-rules';
import {
  fixtureEvent,
  fixtureItem,
  fixtureQuestion,
  fixtureQuota,
  fixtureVariation,
  fixtureVoucher,
} from '../../fixtures/catalog';
import { testEngine } from '../../helpers';

describe('listed price', () => {
  it('layers item, sub-event item, variation and sub-event variation prices', () => {
    const { engine, organizerId } = testEngine();
    const ev = fixtureEvent(engine, organizerId, { has_subevents: true });
    const item = fixtureItem(engine, ev, { price: '10.00' });
    const plain = fixtureVariation(engine, item, 'Plain');
    const red = fixtureVariation(engine, item, 'Red', '12.00');
    const se = Number(
      engine.db
        .prepare("INSERT INTO subevents (event_id, date_from) VALUES (?, '2030-01-01T00:00:00Z')")
        .run(ev).lastInsertRowid,
    );
    const price = (v: number | null, s: number | null) => getListedPrice(engine.db, item, v, s).toFixed(2);
    expect(price(null, null)).toBe('10.00');
    expect(price(plain, null)).toBe('10.00');
    expect(price(red, null)).toBe('12.00');
    engine.db
      .prepare("INSERT INTO subevent_item_prices (subevent_id, item_id, price) VALUES (?, ?, '8.00')")
      .run(se, item);
    expect(price(null, se)).toBe('8.00');
    expect(price(plain, se)).toBe('8.00');
    expect(price(red, se)).toBe('12.00');
    engine.db
      .prepare(
        "INSERT INTO subevent_variation_prices (subevent_id, variation_id, price) VALUES (?, ?, '15.00')",
      )
      .run(se, red);
    expect(price(red, se)).toBe('15.00');
  });
});

describe('product checks', () => {
  it('gives pretix messages for item, variation and sub-event problems', () => {
    const { engine, organizerId } = testEngine();
    const ev = fixtureEvent(engine, organizerId);
    const other = fixtureEvent(engine, organizerId);
    const ticket = fixtureItem(engine, ev);
    const shirt = fixtureItem(engine, ev, { name: 'Shirt' });
    const red = fixtureVariation(engine, shirt, 'Red');
    const foreign = fixtureItem(engine, other);
    engine.db.prepare('UPDATE items SET active = 0 WHERE id = ?').run(ticket);
    const item = (id: number) => itemOfOrganizer(engine.db, organizerId, id)!;
    expect(checkItem(item(foreign), ev)).toBe('The specified item does not belong to this event.');
    expect(checkItem(item(ticket), ev)).toBe('The specified item is not active.');
    expect(checkItem(item(shirt), ev)).toBeUndefined();
    const variation = variationOfOrganizer(engine.db, organizerId, red)!;
    expect(checkVariation(item(shirt), null)).toBe('You should specify a variation for this item.');
    expect(checkVariation(item(ticket), variation)).toBe('You cannot specify a variation for this item.');
    expect(checkVariation(item(shirt), variation)).toBeUndefined();
    expect(checkSubevent(null, { id: ev, has_subevents: 1 })).toBe('You need to set a subevent.');
    expect(
      checkSubevent(
        { id: 1, event_id: ev, name: '{}', active: 1, date_from: '' },
        { id: ev, has_subevents: 0 },
      ),
    ).toBe('You cannot set a subevent for this event.');
    expect(
      checkSubevent(
        { id: 1, event_id: other, name: '{}', active: 1, date_from: '' },
        { id: ev, has_subevents: 1 },
      ),
    ).toBe('The specified subevent does not belong to this event.');
    expect(isDisabledForSubevent(engine.db, null, shirt, red)).toBe(false);
  });
});

describe('vouchers at sale time', () => {
  it('computes prices for every price mode', () => {
    expect(voucherPrice({ price_mode: 'set', value: '12.00' }, '23.00').toFixed(2)).toBe('12.00');
    expect(voucherPrice({ price_mode: 'subtract', value: '5.00' }, '23.00').toFixed(2)).toBe('18.00');
    expect(voucherPrice({ price_mode: 'subtract', value: '50.00' }, '23.00').toFixed(2)).toBe('0.00');
    expect(voucherPrice({ price_mode: 'percent', value: '10.00' }, '23.00').toFixed(2)).toBe('20.70');
    expect(voucherPrice({ price_mode: 'percent', value: '33.33' }, '10.00').toFixed(2)).toBe('6.67');
    expect(voucherPrice({ price_mode: 'none', value: '10.00' }, '23.00').toFixed(2)).toBe('23.00');
    expect(voucherPrice({ price_mode: 'set', value: null }, '23.00').toFixed(2)).toBe('23.00');
    expect(voucherPrice({ price_mode: 'percent', value: '10' }, '1001', 'JPY').toFixed(0)).toBe('901');
  });

  it('applies to its item, variation or quota, and counts uses in unexpired carts', () => {
    const { engine, organizerId } = testEngine('2026-03-01T10:00:00Z');
    const ev = fixtureEvent(engine, organizerId);
    const ticket = fixtureItem(engine, ev);
    const shirt = fixtureItem(engine, ev);
    const red = fixtureVariation(engine, shirt, 'Red');
    const blue = fixtureVariation(engine, shirt, 'Blue');
    const q = fixtureQuota(engine, ev, 10, { items: [shirt], variations: [red] });
    const insert = (code: string, cols: Record<string, unknown>) => {
      fixtureVoucher(engine, ev, code, cols);
      return voucherByCode(engine.db, ev, code.toLowerCase())!;
    };
    const any = insert('ANYCODE', {});
    const forTicket = insert('TICKETV', { item_id: ticket, max_usages: 3, redeemed: 1 });
    const forRed = insert('REDVVV', { item_id: shirt, variation_id: red });
    const forQuota = insert('QUOTAV', { quota_id: q, valid_until: '2026-03-01T09:00:00.000Z' });
    expect(voucherAppliesTo(engine.db, any, ticket, null)).toBe(true);
    expect(voucherAppliesTo(engine.db, forTicket, ticket, null)).toBe(true);
    expect(voucherAppliesTo(engine.db, forTicket, shirt, red)).toBe(false);
    expect(voucherAppliesTo(engine.db, forRed, shirt, red)).toBe(true);
    expect(voucherAppliesTo(engine.db, forRed, shirt, blue)).toBe(false);
    expect(voucherAppliesTo(engine.db, forQuota, shirt, red)).toBe(true);
    expect(voucherAppliesTo(engine.db, forQuota, shirt, blue)).toBe(false);
    const now = new Date('2026-03-01T10:00:00Z');
    expect(
      checkVoucherForCart(engine.db, forQuota, { itemId: shirt, variationId: red, subeventId: null }, now),
    ).toBe('The specified voucher is expired.');
    expect(
      checkVoucherForCart(engine.db, forTicket, { itemId: shirt, variationId: red, subeventId: null }, now),
    ).toBe('The specified voucher is not valid for the given item and variation.');
    const cart = (cartId: string, expires: string) =>
      engine.db
        .prepare(
          `INSERT INTO cart_positions (event_id, cart_id, item_id, price, voucher_id, datetime, expires)
           VALUES (?, ?, ?, '1.00', ?, '2026-03-01T10:00:00.000Z', ?)`,
        )
        .run(ev, cartId, ticket, forTicket.id, expires);
    cart('a@api', '2026-03-01T11:00:00.000Z');
    cart('b@api', '2026-03-01T09:00:00.000Z');
    expect(voucherUsesLeft(engine.db, forTicket, now)).toBe(1);
    expect(voucherUsesLeft(engine.db, forTicket, now, ['a@api'])).toBe(2);
  });
});

describe('answers', () => {
  function setup() {
    const { engine, organizerId } = testEngine();
    const ev = fixtureEvent(engine, organizerId);
    const other = fixtureEvent(engine, organizerId);
    const item = fixtureItem(engine, ev);
    const q = (type: string, options?: string[]) =>
      fixtureQuestion(engine, ev, { type, items: [item], options });
    return { engine, organizerId, ev, other, item, q };
  }

  it('normalises booleans, choices, dates, times and datetimes', () => {
    const { engine, organizerId, ev, q } = setup();
    const b = q('B');
    const c = q('C', ['XL', 'L']);
    const m = q('M', ['XL', 'L']);
    const d = q('D');
    const h = q('H');
    const w = q('W');
    const n = q('N');
    const result = validateAnswers(engine.db, { organizerId, eventId: ev }, [
      { question: b.id, answer: '0', options: [] },
      { question: c.id, answer: 'x', options: [c.options[1]] },
      { question: m.id, answer: 'x', options: [m.options[0], m.options[1]] },
      { question: d.id, answer: '2018-5-4' },
      { question: h.id, answer: '13:00' },
      { question: w.id, answer: '2018-05-14T15:00:00+02:00' },
      { question: n.id, answer: '3.45' },
      { question: b.id, answer: 'True' },
    ]);
    expect(result).toEqual({
      ok: true,
      answers: [
        { questionId: b.id, answer: 'False', optionIds: [] },
        { questionId: c.id, answer: 'L', optionIds: [c.options[1]] },
        { questionId: m.id, answer: 'XL, L', optionIds: m.options },
        { questionId: d.id, answer: '2018-05-04', optionIds: [] },
        { questionId: h.id, answer: '13:00:00', optionIds: [] },
        { questionId: w.id, answer: '2018-05-14 13:00:00+00:00', optionIds: [] },
        { questionId: n.id, answer: '3.45', optionIds: [] },
      ],
    });
  });

  it('reports pretix messages per answer', () => {
    const { engine, organizerId, ev, other, q } = setup();
    const foreignItem = fixtureItem(engine, other);
    const foreign = fixtureQuestion(engine, other, { type: 'S', items: [foreignItem] });
    const s = q('S');
    const c = q('C', ['XL', 'L']);
    const c2 = q('C', ['A']);
    const n = q('N');
    const b = q('B');
    const d = q('D');
    const f = q('F');
    const result = validateAnswers(engine.db, { organizerId, eventId: ev }, [
      { question: foreign.id, answer: 'S' },
      { question: s.id, answer: 'S', options: [c.options[0]] },
      { question: c.id, answer: 'S', options: [] },
      { question: c.id, answer: 'S', options: c.options },
      { question: c.id, answer: 'S', options: [c2.options[0]] },
      { question: n.id, answer: 'foo' },
      { question: b.id, answer: 'bla' },
      { question: d.id, answer: 'bla' },
      { question: f.id, answer: 'file:abc' },
      { question: s.id, answer: 'fine' },
      { question: 999999, answer: 'x' },
    ]);
    expect(result).toEqual({
      ok: false,
      errors: [
        { question: ['The specified question does not belong to this event.'] },
        { non_field_errors: ['You should not specify options if the question is not of a choice type.'] },
        { non_field_errors: ['You need to specify options if the question is of a choice type.'] },
        { non_field_errors: ['You can specify at most one option for this question.'] },
        { non_field_errors: ['The specified option does not belong to this question.'] },
        { non_field_errors: ['A valid number is required.'] },
        { non_field_errors: ['Please specify "true" or "false" for boolean questions.'] },
        { non_field_errors: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'] },
        { non_field_errors: ['The submitted file ID "file:abc" was not found.'] },
        {},
        { question: ['Invalid pk "999999" - object does not exist.'] },
      ],
    });
  });
});
