import {
  cashierById,
  listCashiers,
  pinMatches,
  requireCashier,
  signedInCashier,
  type Cashier,
} from '../cashiers/cashiers';
import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import { safeZone } from '../clock';
import { activeCashierPinHash, eventSlugs, firstEventCurrency, firstEventTimezone } from '../db/queries/till';
import { refused } from '../errors';
import { deskName } from '../preferences/desk-settings';
import type { Receipt, TillMethod } from '../receipts/receipts';
import { denominationsOf } from './denominations';
import { openShiftOf, reportFigures, requireOpenShift, type ShiftFigures, type Shift } from './shifts';

/**
 * The till as the desk shows it: who sells here, the open shift and its figures, the receipts of a
 * sale. Read models, and the guard a desk command runs first.
 */

export interface ReceiptRef {
  id: number;
  number: number;
  kind: 'sale' | 'refund';
  desk: string;
  created: string;
  total: string;
  method: TillMethod;
}

export interface ShiftView {
  id: number;
  desk: string;
  state: 'open' | 'closed';
  currency: string;
  opened: string;
  openedBy: string;
  closed: string | null;
  closedBy: string | null;
  zNumber: number | null;
  openingFloat: string;
  expectedCash: string;
  countedCash: string | null;
  difference: string | null;
  comment: string | null;
  denominations: Record<string, number> | null;
  /** The X figures of the shift (frozen at the Z closing). */
  figures: ShiftFigures;
}

/** A member of staff with a PIN the demo gave them. */
export interface DemoPin {
  name: string;
  role: Cashier['role'];
  pin: string;
}

/** Who sells at this desk, whether a shift is open, and what the login screen may show. */
export interface TillSession {
  desk: string;
  cashier: Cashier | null;
  cashiers: Cashier[];
  /** The demo's cashier and manager PINs, shown while the demo event is the only event. */
  demoPins: DemoPin[];
  shift: ShiftView | null;
  /** The currency a new shift counts in, and its notes and coins. */
  currency: string;
  denominations: string[];
  /** The desk's wall clock (its event's time zone): the day of the report list, times on reports. */
  timeZone: string;
}

/** The desk's time zone: its (first) event's, as pretix shows an event's times; UTC without events. */
export function deskTimeZone(db: ReadableDB): string {
  return safeZone(firstEventTimezone(db) ?? 'UTC');
}

/** Inside a desk command: who sells here, and the open shift the money goes into. */
export function tillContext(ctx: EngineContext): { desk: string; cashier: Cashier; shift: Shift } {
  const desk = deskName(ctx.db);
  const cashier = requireCashier(ctx.db, desk);
  return { desk, cashier, shift: requireOpenShift(ctx.db, desk) };
}

export function shiftView(db: ReadableDB, row: Shift): ShiftView {
  const figures = reportFigures(db, row);
  const { id, desk, state, currency, opened, closed } = row;
  return {
    id,
    desk,
    state,
    currency,
    opened,
    openedBy: cashierById(db, row.opened_by)?.name ?? '',
    closed,
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
function demoPinsShown(db: ReadableDB, demo: readonly DemoPin[]): DemoPin[] {
  const slugs = eventSlugs(db);
  if (slugs.length !== 1 || !/^demo(-\d+)?$/.test(slugs[0]!)) return [];
  const shown: DemoPin[] = [];
  for (const staff of demo) {
    const hash = activeCashierPinHash(db, staff.name, staff.role);
    if (hash === undefined) continue;
    // scrypt is slow on purpose: check each stored hash against the demo's PIN once.
    const key = `${hash}\u0000${staff.pin}`;
    let matches = demoPinChecks.get(key);
    if (matches === undefined) {
      matches = pinMatches(staff.pin, hash);
      demoPinChecks.set(key, matches);
    }
    if (matches) shown.push({ name: staff.name, role: staff.role, pin: staff.pin });
  }
  return shown;
}

/** The till of this installation's desk; `demo` are the demo's staff, whose PINs the login may show. */
export function tillSession(db: ReadableDB, demo: readonly DemoPin[]): TillSession {
  const desk = deskName(db);
  const shift = openShiftOf(db, desk);
  const currency = shift?.currency ?? firstEventCurrency(db) ?? 'EUR';
  return {
    desk,
    cashier: signedInCashier(db, desk),
    cashiers: listCashiers(db),
    demoPins: demoPinsShown(db, demo),
    shift: shift ? shiftView(db, shift) : null,
    currency,
    denominations: denominationsOf(currency),
    timeZone: deskTimeZone(db),
  };
}

/** A new desk name only while no shift is open under the old one (the open drawer belongs to it). */
export function guardDeskRename(db: ReadableDB, next: string | undefined): void {
  if (next === undefined) return;
  const current = deskName(db);
  if (next.trim() !== current && openShiftOf(db, current))
    throw refused('shift_open', `Close the shift at ${current} before renaming the desk.`);
}
