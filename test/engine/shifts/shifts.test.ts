import { describe, expect, it } from 'vitest';
import { authorise, managerByPin, signIn, signedInCashier } from '../../../main/engine/cashiers/cashiers';
import { verifyTillJournal } from '../../../main/engine/journal/verify';
import { receiptsOfShift } from '../../../main/engine/receipts/receipts';
import {
  closeShift,
  listShifts,
  moveCash,
  openShift,
  shiftById,
  shiftFigures,
} from '../../../main/engine/shifts/shifts';
import { receiptRows, shiftReportRows } from '../../../main/engine/reports/documents';
import { deskTimeZone } from '../../../main/engine/shifts/till-session';
import { testEngine } from '../../helpers';
import { DESK, refund, sell, till } from './till';

function setup() {
  const { engine, clock, organizerId } = testEngine();
  const t = till(engine, organizerId);
  return { engine, clock, t };
}

describe('cashiers', () => {
  it('stores PINs hashed, signs in only with the right PIN, and finds a manager by PIN', () => {
    const { engine, t } = setup();
    const stored = engine.db.prepare('SELECT pin_hash FROM cashiers WHERE id = ?').get(t.anna.id) as {
      pin_hash: string;
    };
    expect(stored.pin_hash).not.toContain('1234');
    expect(stored.pin_hash).toMatch(/^scrypt\$/);
    expect(() =>
      engine.command((ctx) => signIn(ctx, { desk: DESK, cashierId: t.anna.id, pin: '1111' })),
    ).toThrow(/PIN is not right/);
    expect(signedInCashier(engine.db, DESK)).toBeNull();
    engine.command((ctx) => signIn(ctx, { desk: DESK, cashierId: t.anna.id, pin: '1234' }));
    expect(signedInCashier(engine.db, DESK)).toEqual({ id: t.anna.id, name: 'Anna', role: 'cashier' });
    expect(managerByPin(engine.db, '9999').name).toBe('Max');
    expect(() => managerByPin(engine.db, '1234')).toThrow(/manager/);
  });

  it('lets a cashier do a managed action only with a manager PIN, and records who authorised it', () => {
    const { engine, t } = setup();
    const ask = (pin: string | null) =>
      engine.command((ctx) =>
        authorise(ctx, { desk: DESK, shiftId: null, cashier: t.anna, action: 'refund', managerPin: pin }),
      );
    expect(() => ask(null)).toThrow(/manager’s PIN is needed for a refund/);
    expect(() => ask('1234')).toThrow(/not a manager’s PIN/);
    expect(ask('9999')).toBe(t.max.id);
    const rows = engine.db.prepare('SELECT action, manager_id, cashier_id FROM authorisations').all();
    expect(rows).toEqual([{ action: 'refund', manager_id: t.max.id, cashier_id: t.anna.id }]);
    // A manager acting alone needs no second PIN.
    expect(
      engine.command((ctx) =>
        authorise(ctx, { desk: DESK, shiftId: null, cashier: t.max, action: 'refund', managerPin: null }),
      ),
    ).toBeNull();
  });
});

describe('shifts', () => {
  it('runs a day: float, sales by method, refund, cash in and out, X figures, Z closing with the difference', () => {
    const { engine, t } = setup();
    expect(() => sell(engine, t, { adults: 1, method: 'cash' })).toThrow(/No shift is open at Box office 1/);
    engine.command((ctx) =>
      openShift(ctx, { desk: DESK, cashier: t.anna, openingFloat: '100.00', currency: 'EUR' }),
    );
    expect(() =>
      engine.command((ctx) =>
        openShift(ctx, { desk: DESK, cashier: t.anna, openingFloat: '5', currency: 'EUR' }),
      ),
    ).toThrow(/already open/);

    const cashSale = sell(engine, t, { adults: 2, children: 1, method: 'cash', given: '70.00' });
    expect(cashSale.receipt).toMatchObject({ number: 1, total: '62.50', given: '70.00', change: '7.50' });
    const content = JSON.parse(cashSale.receipt.content);
    expect(content.lines).toEqual([
      { description: 'Adult', quantity: 2, unitPrice: '25.00', taxRate: '19.00', total: '50.00' },
      { description: 'Child', quantity: 1, unitPrice: '12.50', taxRate: '7.00', total: '12.50' },
    ]);
    expect(content.taxes).toEqual([
      { rate: '7.00', net: '11.68', tax: '0.82', gross: '12.50' },
      { rate: '19.00', net: '42.02', tax: '7.98', gross: '50.00' },
    ]);
    const cardSale = sell(engine, t, { adults: 1, method: 'card' });
    expect(cardSale.receipt.number).toBe(2);
    sell(engine, t, { comps: 1, method: 'free' });
    refund(engine, cashSale.orderId, '12.50', 'cash', t.anna);
    engine.command((ctx) =>
      moveCash(ctx, { desk: DESK, cashier: t.anna, kind: 'in', amount: '50', reason: 'change drop' }),
    );
    expect(() =>
      engine.command((ctx) =>
        moveCash(ctx, { desk: DESK, cashier: t.anna, kind: 'out', amount: '20', reason: 'flowers' }),
      ),
    ).toThrow(/manager’s PIN is needed for taking cash out/);
    engine.command((ctx) =>
      moveCash(ctx, {
        desk: DESK,
        cashier: t.anna,
        kind: 'out',
        amount: '20',
        reason: 'flowers',
        managerPin: '9999',
      }),
    );

    const shift = listShifts(engine.db, { desk: DESK })[0]!;
    const x = shiftFigures(engine.db, shift);
    // 100 float + 62.50 cash sale − 12.50 cash refund + 50 in − 20 out
    expect(x.expectedCash).toBe('180.00');
    expect(x.sales).toEqual({ count: 3, total: '87.50' });
    expect(x.refunds).toEqual({ count: 1, total: '12.50' });
    expect(x.comps).toEqual({ count: 1 });
    expect(x.byMethod).toEqual([
      { method: 'cash', sales: '62.50', refunds: '12.50', net: '50.00' },
      { method: 'card', sales: '25.00', refunds: '0.00', net: '25.00' },
    ]);
    expect(x.firstReceipt).toBe(1);
    expect(x.lastReceipt).toBe(4);

    expect(() =>
      engine.command((ctx) =>
        closeShift(ctx, {
          desk: DESK,
          cashier: t.anna,
          count: { '100': 1, '50': 1, '20': 1, '5': 1, '2': 2, '0.50': 1 },
          comment: '',
        }),
      ),
    ).toThrow(/short by 0.50; say why/);
    expect(() =>
      engine.command((ctx) =>
        closeShift(ctx, { desk: DESK, cashier: t.anna, count: { '3': 1 }, comment: '' }),
      ),
    ).toThrow(/EUR has no 3 note or coin/);
    const z = engine.command((ctx) =>
      closeShift(ctx, {
        desk: DESK,
        cashier: t.anna,
        count: { '100': 1, '50': 1, '20': 1, '5': 1, '2': 2, '0.50': 1 },
        comment: 'coin rolled under the desk',
      }),
    );
    expect(z.shift).toMatchObject({
      z_number: 1,
      expected_cash: '180.00',
      counted_cash: '179.50',
      difference: '-0.50',
    });
    expect(z.journalHash).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyTillJournal(engine.db)).toMatchObject({ ok: true, unjournaled: [] });
  });

  it('puts a sale after the close into the next shift, and a later refund into the shift it happens in', () => {
    const { engine, clock, t } = setup();
    engine.command((ctx) =>
      openShift(ctx, { desk: DESK, cashier: t.anna, openingFloat: '50', currency: 'EUR' }),
    );
    const first = sell(engine, t, { adults: 1, method: 'cash' });
    const closed = engine.command((ctx) =>
      closeShift(ctx, { desk: DESK, cashier: t.anna, count: { '50': 1, '20': 1, '5': 1 }, comment: '' }),
    ).shift;
    expect(() => sell(engine, t, { adults: 1, method: 'cash' })).toThrow(/No shift is open/);
    clock.advanceMinutes(60);
    engine.command((ctx) =>
      openShift(ctx, { desk: DESK, cashier: t.anna, openingFloat: '50', currency: 'EUR' }),
    );
    const later = sell(engine, t, { children: 1, method: 'card' });
    refund(engine, first.orderId, '25.00', 'cash', t.anna);
    const next = listShifts(engine.db, { desk: DESK })[0]!;
    expect(next.id).not.toBe(closed.id);
    expect(later.receipt).toMatchObject({ shift_id: next.id, number: 2 });
    expect(receiptsOfShift(engine.db, closed.id).map((r) => r.number)).toEqual([1]);
    expect(receiptsOfShift(engine.db, next.id).map((r) => [r.number, r.kind])).toEqual([
      [2, 'sale'],
      [3, 'refund'],
    ]);
    expect(shiftFigures(engine.db, next).expectedCash).toBe('25.00');
    // The closed shift's figures did not move.
    expect(JSON.parse(shiftById(engine.db, closed.id)!.figures!).expectedCash).toBe('75.00');
    expect(() => engine.db.prepare("UPDATE shifts SET comment = 'x' WHERE id = ?").run(closed.id)).toThrow(
      /closed shift cannot be changed/,
    );
    expect(() => engine.db.prepare('DELETE FROM receipts').run()).toThrow(/cannot be deleted/);
  });
});

describe('journal verify', () => {
  function dayWithTwoShifts() {
    const s = setup();
    const { engine, t } = s;
    engine.command((ctx) =>
      openShift(ctx, { desk: DESK, cashier: t.anna, openingFloat: '100', currency: 'EUR' }),
    );
    sell(engine, t, { adults: 1, method: 'cash' });
    engine.command((ctx) =>
      moveCash(ctx, { desk: DESK, cashier: t.max, kind: 'out', amount: '20', reason: 'bank' }),
    );
    sell(engine, t, { children: 2, method: 'card' });
    engine.command((ctx) =>
      closeShift(ctx, { desk: DESK, cashier: t.anna, count: { '100': 1, '5': 1 }, comment: '' }),
    );
    engine.command((ctx) =>
      openShift(ctx, { desk: DESK, cashier: t.anna, openingFloat: '100', currency: 'EUR' }),
    );
    sell(engine, t, { adults: 1, method: 'cash' });
    expect(verifyTillJournal(engine.db).ok).toBe(true);
    return s;
  }

  it('catches a closed shift’s cash movement edited through SQL and names the entry', () => {
    const { engine } = dayWithTwoShifts();
    expect(() => engine.db.prepare("UPDATE cash_movements SET amount = '2.00'").run()).toThrow(
      /cannot be changed/,
    );
    // Someone who drops the guard and edits the row is still caught.
    engine.db.exec('DROP TRIGGER cash_movements_no_update');
    engine.db.prepare("UPDATE cash_movements SET amount = '2.00'").run();
    const result = verifyTillJournal(engine.db);
    expect(result.ok).toBe(false);
    expect(result.firstBad).toMatchObject({
      kind: 'cash.out',
      reason: 'its cash.out row was changed after it was written',
    });
    const entry = engine.db.prepare("SELECT id FROM journal WHERE kind = 'cash.out'").get() as { id: number };
    expect(result.firstBad!.entryId).toBe(entry.id);
  });

  it('catches an edited receipt, a rewritten Z closing, an edited journal entry and a deleted receipt', () => {
    const receipt = dayWithTwoShifts();
    receipt.engine.db.exec('DROP TRIGGER receipts_no_update');
    receipt.engine.db.prepare("UPDATE receipts SET total = '1.00' WHERE number = 2").run();
    expect(verifyTillJournal(receipt.engine.db).firstBad).toMatchObject({
      kind: 'receipt.sale',
      reason: expect.stringMatching(/changed/),
    });

    const closing = dayWithTwoShifts();
    closing.engine.db.exec('DROP TRIGGER shifts_closed_no_update');
    closing.engine.db
      .prepare("UPDATE shifts SET counted_cash = '100.00', difference = '-5.00' WHERE z_number = 1")
      .run();
    expect(verifyTillJournal(closing.engine.db).firstBad).toMatchObject({ kind: 'shift.closed' });

    const journal = dayWithTwoShifts();
    journal.engine.db.exec('DROP TRIGGER journal_no_update');
    const third = journal.engine.db
      .prepare('SELECT id, payload FROM journal ORDER BY id LIMIT 1 OFFSET 2')
      .get() as {
      id: number;
      payload: string;
    };
    journal.engine.db
      .prepare('UPDATE journal SET payload = ? WHERE id = ?')
      .run(third.payload.replace('20.00', '2.00'), third.id);
    expect(verifyTillJournal(journal.engine.db).firstBad).toMatchObject({
      entryId: third.id,
      reason: 'its content does not match its hash',
    });

    const deleted = dayWithTwoShifts();
    deleted.engine.db.exec('DROP TRIGGER receipts_no_delete');
    deleted.engine.db.pragma('foreign_keys = OFF');
    deleted.engine.db.prepare('DELETE FROM receipts WHERE number = 3').run();
    const result = verifyTillJournal(deleted.engine.db);
    expect(result.ok).toBe(false);
    expect(result.firstBad).toMatchObject({
      kind: 'receipt.sale',
      reason: 'its receipt.sale row is missing',
    });
    expect(result.unjournaled).toEqual([]);
  });
});

describe('the desk’s wall clock', () => {
  it('lists a day and prints report and receipt times as the event’s time zone shows them, not UTC', () => {
    const { engine, clock, t } = setup();
    engine.db.prepare("UPDATE events SET timezone = 'America/New_York' WHERE id = ?").run(t.eventId);
    expect(deskTimeZone(engine.db)).toBe('America/New_York');
    // 03:30 UTC on 2 March is 22:30 on 1 March in New York (UTC−5).
    clock.set('2026-03-02T03:30:00Z');
    engine.command((ctx) =>
      openShift(ctx, { desk: DESK, cashier: t.anna, openingFloat: '0', currency: 'EUR' }),
    );
    const sale = sell(engine, t, { adults: 1, method: 'cash', given: '25.00' });
    clock.set('2026-03-02T04:10:00Z');
    engine.command((ctx) =>
      closeShift(ctx, { desk: DESK, cashier: t.anna, count: { '20': 1, '5': 1 }, comment: '' }),
    );
    const zone = deskTimeZone(engine.db);
    const ids = (date: string, timeZone: string) =>
      listShifts(engine.db, { desk: DESK, date }, timeZone).map((s) => s.id);
    const [shift] = listShifts(engine.db, { desk: DESK });
    expect(ids('2026-03-01', zone)).toEqual([shift!.id]);
    expect(ids('2026-03-02', zone)).toEqual([]);
    expect(ids('2026-02-28', zone)).toEqual([]);
    expect(ids('2026-03-02', 'UTC')).toEqual([shift!.id]);
    expect(ids('2026-03-01', 'UTC')).toEqual([]);

    const pairs = (rows: { kind: string; label?: string; value?: string; text?: string }[]) =>
      Object.fromEntries(rows.filter((r) => r.kind === 'pair').map((r) => [r.label, r.value]));
    const z = pairs(shiftReportRows(engine.db, shiftById(engine.db, shift!.id)!, clock.now()).rows);
    expect(z).toMatchObject({ Opened: '2026-03-01 22:30', Closed: '2026-03-01 23:10' });
    expect(pairs(receiptRows(engine.db, sale.receipt.id).rows).Date).toBe('2026-03-01 22:30');

    // Without a time zone of its own the event is in UTC, and the reports say so.
    engine.db.prepare("UPDATE events SET timezone = 'UTC' WHERE id = ?").run(t.eventId);
    const utc = pairs(shiftReportRows(engine.db, shiftById(engine.db, shift!.id)!, clock.now()).rows);
    expect(utc).toMatchObject({ Opened: '2026-03-02 03:30 UTC', Closed: '2026-03-02 04:10 UTC' });
  });
});
