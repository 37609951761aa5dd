import type { ReadableDB } from '../handles';
import type { CashierRow, EventRow } from '../rows';

/** What the desk's sign-in screen reads besides cashiers and shifts. */

export function eventSlugs(db: ReadableDB): string[] {
  return (db.prepare('SELECT slug FROM events').all() as Pick<EventRow, 'slug'>[]).map((r) => r.slug);
}

/** The PIN hash of the active cashier with this name and role. */
export function activeCashierPinHash(db: ReadableDB, name: string, role: string): string | undefined {
  return (
    db.prepare('SELECT pin_hash FROM cashiers WHERE active = 1 AND name = ? AND role = ?').get(name, role) as
      Pick<CashierRow, 'pin_hash'> | undefined
  )?.pin_hash;
}

export function firstEventCurrency(db: ReadableDB): string | undefined {
  return (
    db.prepare('SELECT currency FROM events ORDER BY id LIMIT 1').get() as
      Pick<EventRow, 'currency'> | undefined
  )?.currency;
}

/** The time zone of the box office's first event: the desk's wall clock for reports and day lists. */
export function firstEventTimezone(db: ReadableDB): string | undefined {
  return (
    db.prepare('SELECT timezone FROM events ORDER BY id LIMIT 1').get() as
      Pick<EventRow, 'timezone'> | undefined
  )?.timezone;
}
