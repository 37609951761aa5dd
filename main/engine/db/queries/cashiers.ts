import type { ReadableDB, WritableDB } from '../handles';
import { insertRow, rowById } from './common';
import type { AuthorisationRow, CashierRow } from '../rows';

export function activeCashiersByName(db: ReadableDB): CashierRow[] {
  return db.prepare<[], CashierRow>('SELECT * FROM cashiers WHERE active = 1 ORDER BY name').all();
}

export function findCashier(db: ReadableDB, id: number): CashierRow | undefined {
  return db.prepare<[number], CashierRow>('SELECT * FROM cashiers WHERE id = ?').get(id);
}

export function findActiveCashier(db: ReadableDB, id: number): CashierRow | undefined {
  return db.prepare<[number], CashierRow>('SELECT * FROM cashiers WHERE id = ? AND active = 1').get(id);
}

export function activeManagers(db: ReadableDB): CashierRow[] {
  return db
    .prepare<[], CashierRow>("SELECT * FROM cashiers WHERE role = 'manager' AND active = 1 ORDER BY id")
    .all();
}

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

export function activeCashierSignedInAt(db: ReadableDB, desk: string): CashierRow | undefined {
  return db
    .prepare<[string], CashierRow>(
      `SELECT c.* FROM desk_sign_ins s JOIN cashiers c ON c.id = s.cashier_id
       WHERE s.desk = ? AND c.active = 1`,
    )
    .get(desk);
}

export function insertAuthorisation(db: WritableDB, row: Omit<AuthorisationRow, 'id'>): number {
  return insertRow(db, 'authorisations', row);
}

export function findAuthorisation(db: ReadableDB, id: number): AuthorisationRow | undefined {
  return rowById(db, 'authorisations', id);
}
