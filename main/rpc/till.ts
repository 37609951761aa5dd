import type { Database } from 'better-sqlite3';
import { cashierById, listCashiers, pinMatches, requireCashier, type Cashier } from '../engine/cashiers';
import type { EngineContext } from '../engine/context';
import { refused } from '../engine/errors';
import type { Receipt } from '../engine/receipts';
import { denominationsOf, openShiftOf, reportFigures, requireOpenShift, type Shift } from '../engine/shifts';
import { DEMO_CASHIERS } from '../demo/seed';
import type { ReceiptRef, ShiftView, TillSession } from '../../shared/contract';
import { readDeskSettings } from './desk-settings';

/** This installation's desk name (settings), which every shift, receipt and report carries. */
export function deskName(db: Database): string {
  return readDeskSettings(db).deskName;
}

/** Inside a desk command: who sells here, and the open shift the money goes into. */
export function tillContext(ctx: EngineContext): { desk: string; cashier: Cashier; shift: Shift } {
  const desk = deskName(ctx.db);
  const cashier = requireCashier(ctx.db, desk);
  return { desk, cashier, shift: requireOpenShift(ctx.db, desk) };
}

export function shiftView(db: Database, row: Shift): ShiftView {
  const figures = reportFigures(db, row);
  return {
    id: row.id,
    desk: row.desk,
    state: row.state,
    currency: row.currency,
    opened: row.opened,
    openedBy: cashierById(db, row.opened_by)?.name ?? '',
    closed: row.closed,
    closedBy: row.closed_by === null ? null : (cashierById(db, row.closed_by)?.name ?? ''),
    zNumber: row.z_number,
    openingFloat: row.opening_float,
    expectedCash: row.expected_cash ?? figures.expectedCash,
    countedCash: row.counted_cash,
    difference: row.difference,
    comment: row.comment,
    denominations: row.denominations ? (JSON.parse(row.denominations) as Record<string, number>) : null,
    figures,
  };
}

export function receiptRef(row: Receipt): ReceiptRef {
  return {
    id: row.id,
    number: row.number,
    kind: row.kind,
    desk: row.desk,
    created: row.created,
    total: row.total,
    method: row.payment_method,
  };
}

const demoPinChecks = new Map<string, boolean>();

/** The demo staff whose PINs are still the demo's, while the demo event is the only event. */
function demoPins(db: Database): TillSession['demoPins'] {
  const events = db.prepare('SELECT slug FROM events').all() as { slug: string }[];
  if (events.length !== 1 || !/^demo(-\d+)?$/.test(events[0]!.slug)) return [];
  const shown: TillSession['demoPins'] = [];
  for (const demo of DEMO_CASHIERS) {
    const row = db
      .prepare('SELECT pin_hash FROM cashiers WHERE active = 1 AND name = ? AND role = ?')
      .get(demo.name, demo.role) as { pin_hash: string } | undefined;
    if (!row) continue;
    const key = `${row.pin_hash}\u0000${demo.pin}`;
    let matches = demoPinChecks.get(key);
    if (matches === undefined) {
      matches = pinMatches(demo.pin, row.pin_hash);
      demoPinChecks.set(key, matches);
    }
    if (matches) shown.push({ name: demo.name, role: demo.role, pin: demo.pin });
  }
  return shown;
}

function defaultCurrency(db: Database): string {
  const row = db.prepare('SELECT currency FROM events ORDER BY id LIMIT 1').get() as
    { currency: string } | undefined;
  return row?.currency ?? 'EUR';
}

export function tillSession(db: Database): TillSession {
  const desk = deskName(db);
  const shift = openShiftOf(db, desk);
  const currency = shift?.currency ?? defaultCurrency(db);
  const signedIn = db.prepare('SELECT cashier_id FROM desk_sign_ins WHERE desk = ?').get(desk) as
    { cashier_id: number } | undefined;
  const cashier = signedIn ? (cashierById(db, signedIn.cashier_id) ?? null) : null;
  return {
    desk,
    cashier: cashier && listCashiers(db).some((c) => c.id === cashier.id) ? cashier : null,
    cashiers: listCashiers(db),
    demoPins: demoPins(db),
    shift: shift ? shiftView(db, shift) : null,
    currency,
    denominations: denominationsOf(currency),
  };
}

/** A new desk name only while no shift is open under the old one (the open drawer belongs to it). */
export function guardDeskRename(db: Database, next: string | undefined): void {
  if (next === undefined) return;
  const current = deskName(db);
  if (next.trim() !== current && openShiftOf(db, current))
    throw refused('shift_open', `Close the shift at ${current} before renaming the desk.`);
}
