import type { ReadableDB, WritableDB } from '../handles';
import { insertRow, rowById } from './common';
import type { AuthorisationRow, CashierRow } from '../rows';
import { readOne, readAll } from './statements';

export const activeCashiersByName = readAll<[], CashierRow>(
  'SELECT * FROM cashiers WHERE active = 1 ORDER BY name',
);

export const findCashier = readOne<[id: number], CashierRow>('SELECT * FROM cashiers WHERE id = ?');

export const findActiveCashier = readOne<[id: number], CashierRow>(
  'SELECT * FROM cashiers WHERE id = ? AND active = 1',
);

export const activeManagers = readAll<[], CashierRow>(
  "SELECT * FROM cashiers WHERE role = 'manager' AND active = 1 ORDER BY id",
);

export function activeCashierNameTaken(db: ReadableDB, name: string): boolean {
  return Boolean(db.prepare('SELECT 1 FROM cashiers WHERE active = 1 AND name = ? COLLATE NOCASE').get(name));
}

export function insertCashier(
  db: WritableDB,
  row: Pick<CashierRow, 'name' | 'role' | 'pin_hash' | 'created'>,
): number {
  return insertRow(db, 'cashiers', row);
}

/** Returns whether an active cashier had the PIN changed. */
export function updateActiveCashierPin(db: WritableDB, cashierId: number, pinHash: string): boolean {
  return (
    db.prepare('UPDATE cashiers SET pin_hash = ? WHERE id = ? AND active = 1').run(pinHash, cashierId)
      .changes > 0
  );
}

/** Returns whether an active cashier was deactivated. */
export function deactivateActiveCashier(db: WritableDB, cashierId: number): boolean {
  return db.prepare('UPDATE cashiers SET active = 0 WHERE id = ? AND active = 1').run(cashierId).changes > 0;
}

export function deleteSignInsOfCashier(db: WritableDB, cashierId: number): void {
  db.prepare('DELETE FROM desk_sign_ins WHERE cashier_id = ?').run(cashierId);
}

export function upsertDeskSignIn(db: WritableDB, desk: string, cashierId: number, since: string): void {
  db.prepare(
    `INSERT INTO desk_sign_ins (desk, cashier_id, since) VALUES (?, ?, ?)
       ON CONFLICT(desk) DO UPDATE SET cashier_id = excluded.cashier_id, since = excluded.since`,
  ).run(desk, cashierId, since);
}

export function deleteDeskSignIn(db: WritableDB, desk: string): void {
  db.prepare('DELETE FROM desk_sign_ins WHERE desk = ?').run(desk);
}

export const activeCashierSignedInAt = readOne<
  [desk: string],
  CashierRow
>(`SELECT c.* FROM desk_sign_ins s JOIN cashiers c ON c.id = s.cashier_id
       WHERE s.desk = ? AND c.active = 1`);

export function insertAuthorisation(db: WritableDB, row: Omit<AuthorisationRow, 'id'>): number {
  return insertRow(db, 'authorisations', row);
}

export function findAuthorisation(db: ReadableDB, id: number): AuthorisationRow | undefined {
  return rowById(db, 'authorisations', id);
}
