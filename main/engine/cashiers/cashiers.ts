import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { EngineContext } from '../context';
import { EngineError, notFound, refused } from '../errors';
import { appendJournal } from '../journal/journal';

export type CashierRole = 'cashier' | 'manager';

export interface CashierRow {
  id: number;
  name: string;
  role: CashierRole;
  pin_hash: string;
  active: number;
  created: string;
}

export interface Cashier {
  id: number;
  name: string;
  role: CashierRole;
}

export interface DeskSignInRow {
  desk: string;
  cashier_id: number;
  since: string;
}

/** Actions a cashier may not do alone; a manager's PIN authorises them. */
export type ManagedAction =
  'refund' | 'comp' | 'discount' | 'cancel_paid_order' | 'open_drawer' | 'cash_out' | 'close_shift';

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

/** `scrypt$N$r$p$salt$hash`: a PIN is short, so it is stretched and salted. */
export function hashPin(pin: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('hex'), hash.toString('hex')].join('$');
}

export function pinMatches(pin: string, stored: string): boolean {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'hex');
  const actual = scryptSync(pin, Buffer.from(salt, 'hex'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(expected, actual);
}

export function checkPinFormat(pin: string): void {
  if (!/^\d{4,8}$/.test(pin)) throw refused('invalid_pin', 'A PIN has 4 to 8 digits.');
}

function publicCashier(row: CashierRow): Cashier {
  return { id: row.id, name: row.name, role: row.role };
}

export function listCashiers(db: Database): Cashier[] {
  return (db.prepare('SELECT * FROM cashiers WHERE active = 1 ORDER BY name').all() as CashierRow[]).map(
    publicCashier,
  );
}

export function cashierById(db: Database, id: number): Cashier | undefined {
  const row = db.prepare('SELECT * FROM cashiers WHERE id = ?').get(id) as CashierRow | undefined;
  return row ? publicCashier(row) : undefined;
}

/** Engine command: a new cashier or manager with a hashed PIN. */
export function createCashier(
  ctx: EngineContext,
  input: { name: string; role: CashierRole; pin: string },
): Cashier {
  const name = input.name.trim();
  if (!name) throw refused('invalid_name', 'Enter a name.');
  checkPinFormat(input.pin);
  const taken = ctx.db
    .prepare('SELECT 1 FROM cashiers WHERE active = 1 AND name = ? COLLATE NOCASE')
    .get(name);
  if (taken) throw refused('name_taken', `There is already a cashier called ${name}.`);
  const id = Number(
    ctx.db
      .prepare('INSERT INTO cashiers (name, role, pin_hash, created) VALUES (?, ?, ?, ?)')
      .run(name, input.role, hashPin(input.pin), ctx.now.toISOString()).lastInsertRowid,
  );
  ctx.audit({
    objectType: 'cashier',
    objectId: id,
    actionType: 'guichet.cashier.created',
    data: { name, role: input.role },
  });
  return { id, name, role: input.role };
}

/** Engine command: a new PIN for a cashier. */
export function changePin(ctx: EngineContext, input: { cashierId: number; pin: string }): void {
  checkPinFormat(input.pin);
  const changed = ctx.db
    .prepare('UPDATE cashiers SET pin_hash = ? WHERE id = ? AND active = 1')
    .run(hashPin(input.pin), input.cashierId).changes;
  if (!changed) throw notFound('There is no such cashier.');
  ctx.audit({ objectType: 'cashier', objectId: input.cashierId, actionType: 'guichet.cashier.pin_changed' });
}

/** Engine command: a cashier who no longer sells; their past sales keep naming them. */
export function deactivateCashier(ctx: EngineContext, cashierId: number): void {
  const changed = ctx.db
    .prepare('UPDATE cashiers SET active = 0 WHERE id = ? AND active = 1')
    .run(cashierId).changes;
  if (!changed) throw notFound('There is no such cashier.');
  ctx.db.prepare('DELETE FROM desk_sign_ins WHERE cashier_id = ?').run(cashierId);
  ctx.audit({ objectType: 'cashier', objectId: cashierId, actionType: 'guichet.cashier.deactivated' });
}

function wrongPin(): EngineError {
  return new EngineError('wrong_pin', 'That PIN is not right.', {
    status: 403,
    body: { detail: 'That PIN is not right.' },
  });
}

/** The active cashier with this id whose PIN matches, or a refusal that does not say which part was wrong. */
export function cashierByPin(db: Database, cashierId: number, pin: string): Cashier {
  const row = db.prepare('SELECT * FROM cashiers WHERE id = ? AND active = 1').get(cashierId) as
    CashierRow | undefined;
  if (!row || !pinMatches(pin, row.pin_hash)) throw wrongPin();
  return publicCashier(row);
}

/** The active manager whose PIN this is (any manager may authorise). */
export function managerByPin(db: Database, pin: string): Cashier {
  const managers = db
    .prepare("SELECT * FROM cashiers WHERE role = 'manager' AND active = 1 ORDER BY id")
    .all() as CashierRow[];
  const match = managers.find((m) => pinMatches(pin, m.pin_hash));
  if (!match)
    throw new EngineError('wrong_manager_pin', 'That is not a manager’s PIN.', {
      status: 403,
      body: { detail: 'That is not a manager’s PIN.' },
    });
  return publicCashier(match);
}

/** Engine command: signs a cashier in at a desk (replacing whoever was signed in). */
export function signIn(ctx: EngineContext, input: { desk: string; cashierId: number; pin: string }): Cashier {
  const cashier = cashierByPin(ctx.db, input.cashierId, input.pin);
  ctx.db
    .prepare(
      `INSERT INTO desk_sign_ins (desk, cashier_id, since) VALUES (?, ?, ?)
       ON CONFLICT(desk) DO UPDATE SET cashier_id = excluded.cashier_id, since = excluded.since`,
    )
    .run(input.desk, cashier.id, ctx.now.toISOString());
  ctx.audit({
    objectType: 'cashier',
    objectId: cashier.id,
    actionType: 'guichet.cashier.signed_in',
    data: { desk: input.desk },
  });
  return cashier;
}

export function signOut(ctx: EngineContext, desk: string): void {
  const current = signedInCashier(ctx.db, desk);
  ctx.db.prepare('DELETE FROM desk_sign_ins WHERE desk = ?').run(desk);
  if (current)
    ctx.audit({
      objectType: 'cashier',
      objectId: current.id,
      actionType: 'guichet.cashier.signed_out',
      data: { desk },
    });
}

export function signedInCashier(db: Database, desk: string): Cashier | null {
  const row = db
    .prepare(
      `SELECT c.* FROM desk_sign_ins s JOIN cashiers c ON c.id = s.cashier_id
       WHERE s.desk = ? AND c.active = 1`,
    )
    .get(desk) as CashierRow | undefined;
  return row ? publicCashier(row) : null;
}

/** The signed-in cashier, or the refusal every desk action gives when nobody is. */
export function requireCashier(db: Database, desk: string): Cashier {
  const cashier = signedInCashier(db, desk);
  if (!cashier)
    throw new EngineError('not_signed_in', 'Sign in with your PIN first.', {
      status: 401,
      body: { detail: 'Sign in with your PIN first.' },
    });
  return cashier;
}

export interface AuthorisationRow {
  id: number;
  desk: string;
  shift_id: number | null;
  action: ManagedAction;
  manager_id: number;
  cashier_id: number;
  detail: string;
  created: string;
}

export function authorisationPayload(row: AuthorisationRow): unknown {
  return {
    id: row.id,
    desk: row.desk,
    shift_id: row.shift_id,
    action: row.action,
    manager_id: row.manager_id,
    cashier_id: row.cashier_id,
    detail: JSON.parse(row.detail) as unknown,
    created: row.created,
  };
}

export const ACTION_WORDS: Record<ManagedAction, string> = {
  refund: 'a refund',
  comp: 'a free ticket',
  discount: 'a discount',
  cancel_paid_order: 'cancelling a paid order',
  open_drawer: 'opening the drawer without a sale',
  cash_out: 'taking cash out',
  close_shift: 'closing the shift',
};

/**
 * Inside a desk command: a manager acting alone needs nothing; a cashier needs a manager's PIN, and
 * the authorisation is recorded (table, journal, audit log). Returns the authorising manager's id.
 */
export function authorise(
  ctx: EngineContext,
  input: {
    desk: string;
    shiftId: number | null;
    cashier: Cashier;
    action: ManagedAction;
    managerPin: string | null;
    detail?: Record<string, unknown>;
  },
): number | null {
  if (input.cashier.role === 'manager') return null;
  if (!input.managerPin) {
    const message = `A manager’s PIN is needed for ${ACTION_WORDS[input.action]}.`;
    throw new EngineError('manager_required', message, {
      status: 403,
      body: { detail: message, action: input.action } as unknown as { detail: string },
    });
  }
  const manager = managerByPin(ctx.db, input.managerPin);
  const detail = JSON.stringify(input.detail ?? {});
  const id = Number(
    ctx.db
      .prepare(
        `INSERT INTO authorisations (desk, shift_id, action, manager_id, cashier_id, detail, created)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.desk,
        input.shiftId,
        input.action,
        manager.id,
        input.cashier.id,
        detail,
        ctx.now.toISOString(),
      ).lastInsertRowid,
  );
  const row = ctx.db.prepare('SELECT * FROM authorisations WHERE id = ?').get(id) as AuthorisationRow;
  appendJournal(ctx, {
    desk: input.desk,
    kind: 'authorisation',
    refId: id,
    payload: authorisationPayload(row),
  });
  ctx.audit({
    objectType: 'authorisation',
    objectId: id,
    actionType: 'guichet.desk.manager_authorised',
    data: { action: input.action, manager: manager.name, cashier: input.cashier.name, ...input.detail },
  });
  return manager.id;
}
