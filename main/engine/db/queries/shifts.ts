import type { ReadableDB, WritableDB } from '../handles';
import { insertRow, rowById } from './common';
import type { CashMovementRow, JournalRow, ShiftRow } from '../rows';

/** A shift, with the states its table allows. */
export type Shift = ShiftRow & { state: 'open' | 'closed' };

/** A cash movement, with the kinds its table allows. */
export type CashMovement = CashMovementRow & { kind: 'in' | 'out' };

export function findShift(db: ReadableDB, id: number): Shift | undefined {
  return rowById(db, 'shifts', id);
}

export function findOpenShiftOfDesk(db: ReadableDB, desk: string): Shift | undefined {
  return db.prepare<[string], Shift>("SELECT * FROM shifts WHERE desk = ? AND state = 'open'").get(desk);
}

export function insertOpenShift(
  db: WritableDB,
  row: Pick<ShiftRow, 'desk' | 'currency' | 'opened' | 'opened_by' | 'opening_float'>,
): number {
  return insertRow(db, 'shifts', { ...row, state: 'open' });
}

export function insertCashMovement(db: WritableDB, row: Omit<CashMovementRow, 'id'>): number {
  return insertRow(db, 'cash_movements', row);
}

export function findCashMovement(db: ReadableDB, id: number): CashMovement | undefined {
  return rowById(db, 'cash_movements', id);
}

export function cashMovementsOfShift(db: ReadableDB, shiftId: number): CashMovement[] {
  return db
    .prepare<[number], CashMovement>('SELECT * FROM cash_movements WHERE shift_id = ? ORDER BY id')
    .all(shiftId);
}

export function highestZNumber(db: ReadableDB, desk: string): number | null {
  return db
    .prepare<[string], { z: number | null }>('SELECT MAX(z_number) AS z FROM shifts WHERE desk = ?')
    .get(desk)!.z;
}

export function closeOpenShift(
  db: WritableDB,
  id: number,
  closing: Pick<
    ShiftRow,
    | 'closed'
    | 'closed_by'
    | 'z_number'
    | 'expected_cash'
    | 'counted_cash'
    | 'difference'
    | 'denominations'
    | 'comment'
    | 'figures'
  >,
): void {
  db.prepare(
    `UPDATE shifts SET state = 'closed', closed = ?, closed_by = ?, z_number = ?, expected_cash = ?,
         counted_cash = ?, difference = ?, denominations = ?, comment = ?, figures = ?
       WHERE id = ? AND state = 'open'`,
  ).run(
    closing.closed,
    closing.closed_by,
    closing.z_number,
    closing.expected_cash,
    closing.counted_cash,
    closing.difference,
    closing.denominations,
    closing.comment,
    closing.figures,
    id,
  );
}

export function closingEntryHash(db: ReadableDB, shiftId: number): string | undefined {
  return db
    .prepare<[number], Pick<JournalRow, 'hash'>>(
      "SELECT hash FROM journal WHERE kind = 'shift.closed' AND ref_id = ?",
    )
    .get(shiftId)?.hash;
}

/**
 * Shifts of a desk (all desks when null), newest first, optionally opened or closed within a day given
 * as its first instant and the next day's (UTC ISO texts, which compare as the instants do).
 */
export function findShifts(
  db: ReadableDB,
  filter: { desk?: string | null; day?: { from: string; to: string } | null },
): Shift[] {
  const where: string[] = [];
  const args: string[] = [];
  if (filter.desk) {
    where.push('desk = ?');
    args.push(filter.desk);
  }
  if (filter.day) {
    where.push('((opened >= ? AND opened < ?) OR (closed >= ? AND closed < ?))');
    args.push(filter.day.from, filter.day.to, filter.day.from, filter.day.to);
  }
  return db
    .prepare<string[], Shift>(
      `SELECT * FROM shifts ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT 500`,
    )
    .all(...args);
}
