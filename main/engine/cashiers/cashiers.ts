import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import {
  activeCashierNameTaken,
  activeCashierSignedInAt,
  activeCashiersByName,
  activeManagers,
  deactivateActiveCashier,
  deleteDeskSignIn,
  deleteSignInsOfCashier,
  findActiveCashier,
  findAuthorisation,
  findCashier,
  insertAuthorisation,
  insertCashier,
  updateActiveCashierPin,
  upsertDeskSignIn,
} from '../db/queries/cashiers';
import type { AuthorisationRow, CashierRow } from '../db/rows';
import { EngineError, found, notFound, refused } from '../errors';
import { journalStored, type JournalPayload } from '../journal/journal';

export type CashierRole = 'cashier' | 'manager';

export interface Cashier {
  id: number;
  name: string;
  role: CashierRole;
}

/** Actions a cashier may not do alone; a manager's PIN authorises them. */
export type ManagedAction =
  | 'refund'
  | 'comp'
  | 'discount'
  | 'cancel_paid_order'
  | 'open_drawer'
  | 'cash_out'
  | 'close_shift'
  | 'retry_upload'
  | 'change_pin'
  | 'deactivate_cashier'
  | 'drop_upload'
  | 'connect_server'
  | 'disconnect_server'
  | 'set_allotment';

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

/** `scrypt$N$r$p$salt$hash`: a PIN is short, so it is stretched and salted. */
function hashPin(pin: string): string {
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

function checkPinFormat(pin: string): void {
  if (!/^\d{4,8}$/.test(pin)) throw refused('invalid_pin', 'A PIN has 4 to 8 digits.');
}

function publicCashier(row: CashierRow): Cashier {
  return { id: row.id, name: row.name, role: row.role === 'manager' ? 'manager' : 'cashier' };
}

export function listCashiers(db: ReadableDB): Cashier[] {
  return activeCashiersByName(db).map(publicCashier);
}

export function cashierById(db: ReadableDB, id: number): Cashier | undefined {
  const row = findCashier(db, id);
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
  if (activeCashierNameTaken(ctx.db, name))
    throw refused('name_taken', `There is already a cashier called ${name}.`);
  const id = insertCashier(ctx.db, {
    name,
    role: input.role,
    pin_hash: hashPin(input.pin),
    created: ctx.now.toISOString(),
  });
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
  if (!updateActiveCashierPin(ctx.db, input.cashierId, hashPin(input.pin)))
    throw notFound('There is no such cashier.');
  ctx.audit({ objectType: 'cashier', objectId: input.cashierId, actionType: 'guichet.cashier.pin_changed' });
}

/** Engine command: a cashier who no longer sells; their past sales keep naming them. */
export function deactivateCashier(ctx: EngineContext, cashierId: number): void {
  const managers = activeManagers(ctx.db);
  if (managers.length === 1 && managers[0]!.id === cashierId)
    throw refused('last_manager', 'The last manager cannot be deactivated; add another manager first.');
  if (!deactivateActiveCashier(ctx.db, cashierId)) throw notFound('There is no such cashier.');
  deleteSignInsOfCashier(ctx.db, cashierId);
  ctx.audit({ objectType: 'cashier', objectId: cashierId, actionType: 'guichet.cashier.deactivated' });
}

function wrongPin(): EngineError {
  return new EngineError('wrong_pin', 'That PIN is not right.', {
    kind: 'forbidden',
    body: { detail: 'That PIN is not right.' },
  });
}

/** The active cashier with this id whose PIN matches, or a refusal that does not say which part was wrong. */
export function cashierByPin(db: ReadableDB, cashierId: number, pin: string): Cashier {
  const row = findActiveCashier(db, cashierId);
  if (!row || !pinMatches(pin, row.pin_hash)) throw wrongPin();
  return publicCashier(row);
}

/** The active manager whose PIN this is (any manager may authorise). */
export function managerByPin(db: ReadableDB, pin: string): Cashier {
  const match = activeManagers(db).find((m) => pinMatches(pin, m.pin_hash));
  if (!match)
    throw new EngineError('wrong_manager_pin', 'That is not a manager’s PIN.', {
      kind: 'forbidden',
      body: { detail: 'That is not a manager’s PIN.' },
    });
  return publicCashier(match);
}

/** Engine command: signs a cashier in at a desk (replacing whoever was signed in). */
export function signIn(ctx: EngineContext, input: { desk: string; cashierId: number; pin: string }): Cashier {
  const cashier = cashierByPin(ctx.db, input.cashierId, input.pin);
  upsertDeskSignIn(ctx.db, input.desk, cashier.id, ctx.now.toISOString());
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
  deleteDeskSignIn(ctx.db, desk);
  if (current)
    ctx.audit({
      objectType: 'cashier',
      objectId: current.id,
      actionType: 'guichet.cashier.signed_out',
      data: { desk },
    });
}

export function signedInCashier(db: ReadableDB, desk: string): Cashier | null {
  const row = activeCashierSignedInAt(db, desk);
  return row ? publicCashier(row) : null;
}

/** The signed-in cashier, or the refusal every desk action gives when nobody is. */
export function requireCashier(db: ReadableDB, desk: string): Cashier {
  return found(
    signedInCashier(db, desk),
    () => new EngineError('not_signed_in', 'Sign in with your PIN first.', { kind: 'unauthenticated' }),
  );
}

export function authorisationPayload(row: AuthorisationRow): JournalPayload {
  return {
    id: row.id,
    desk: row.desk,
    shift_id: row.shift_id,
    action: row.action,
    manager_id: row.manager_id,
    cashier_id: row.cashier_id,
    detail: JSON.parse(row.detail) as JournalPayload,
    created: row.created,
  };
}

const ACTION_WORDS: Record<ManagedAction, string> = {
  refund: 'a refund',
  comp: 'a free ticket',
  discount: 'a discount',
  cancel_paid_order: 'cancelling a paid order',
  open_drawer: 'opening the drawer without a sale',
  cash_out: 'taking cash out',
  close_shift: 'closing the shift',
  retry_upload: 'sending a refused upload again',
  change_pin: 'changing a PIN',
  deactivate_cashier: 'deactivating a cashier',
  drop_upload: 'dropping a refused upload',
  connect_server: 'connecting this desk to a server',
  disconnect_server: 'disconnecting this desk from its server',
  set_allotment: 'changing the places held on the server',
};

/**
 * Inside a desk command: a manager acting alone needs nothing; a cashier needs a manager's PIN, and
 * the authorisation is recorded (table, journal, audit log). With `recordManager`, a manager's own
 * decision is recorded the same way (as authorised by that manager). Returns the authorising manager's id.
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
    recordManager?: boolean;
  },
): number | null {
  const alone = input.cashier.role === 'manager';
  if (alone && !input.recordManager) return null;
  if (!alone && !input.managerPin) {
    const message = `A manager’s PIN is needed for ${ACTION_WORDS[input.action]}.`;
    throw new EngineError('manager_required', message, {
      kind: 'forbidden',
      body: { detail: message, action: input.action } as unknown as { detail: string },
    });
  }
  const manager = alone ? input.cashier : managerByPin(ctx.db, input.managerPin!);
  const detail = JSON.stringify(input.detail ?? {});
  const id = insertAuthorisation(ctx.db, {
    desk: input.desk,
    shift_id: input.shiftId,
    action: input.action,
    manager_id: manager.id,
    cashier_id: input.cashier.id,
    detail,
    created: ctx.now.toISOString(),
  });
  journalStored(ctx, input.desk, 'authorisation', id, findAuthorisation, authorisationPayload);
  ctx.audit({
    objectType: 'authorisation',
    objectId: id,
    actionType: 'guichet.desk.manager_authorised',
    data: { action: input.action, manager: manager.name, cashier: input.cashier.name, ...input.detail },
  });
  return manager.id;
}
