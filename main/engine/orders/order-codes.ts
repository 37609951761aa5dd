import type { EventSettings } from '../catalog/settings';
import type { ReadableDB } from '../db/handles';
import { ticketSecretTaken } from '../db/queries/orders/place';
import { generateOrderCode, generatePseudonymizationId, generateTicketSecret } from '../ids';

/** Whether SQLite refused a row because it would repeat a unique index's `columns` (`table.column, …`). */
function repeatsUnique(e: unknown, columns: string): boolean {
  return (
    e instanceof Error &&
    (e as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    e.message === `UNIQUE constraint failed: ${columns}`
  );
}

/**
 * Inserts a new order under a code no order of the organizer has yet (one character longer after 20
 * collisions): the organizer's unique index on codes refuses a taken one, and the code is drawn again, so a free
 * code costs no lookup of its own. A refused INSERT changes nothing.
 */
export function insertWithFreshOrderCode(
  testmode: boolean,
  insert: (code: string) => number,
): { id: number; code: string } {
  let length = 5;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0 && attempt % 20 === 0) length++;
    const code = generateOrderCode(length, testmode);
    try {
      return { id: insert(code), code };
    } catch (e) {
      if (!repeatsUnique(e, 'orders.organizer_id, orders.code')) throw e;
    }
  }
}

/** What a new position draws: its ticket secret (unless the request gave one) and pseudonymization id. */
export interface PositionDraws {
  secret: string;
  pseudonymizationId: string;
}

/**
 * Inserts a new position with a drawn ticket secret (unless `givenSecret`, already checked) unique in the
 * organizer and not among `taken`, and a drawn pseudonymization id unique everywhere: the unique indexes
 * refuse a taken one, and that one is drawn again.
 */
export function insertWithFreshSecrets(
  secretLength: number,
  givenSecret: string | null,
  taken: Set<string>,
  insert: (draws: PositionDraws) => number,
): PositionDraws & { id: number } {
  const freshSecret = (): string => {
    for (;;) {
      const s = generateTicketSecret(secretLength);
      if (!taken.has(s)) return s;
    }
  };
  const draws = { secret: givenSecret ?? freshSecret(), pseudonymizationId: generatePseudonymizationId() };
  for (;;) {
    try {
      return { ...draws, id: insert(draws) };
    } catch (e) {
      if (givenSecret === null && repeatsUnique(e, 'order_positions.organizer_id, order_positions.secret'))
        draws.secret = freshSecret();
      else if (repeatsUnique(e, 'order_positions.pseudonymization_id'))
        draws.pseudonymizationId = generatePseudonymizationId();
      else throw e;
    }
  }
}

export function ticketSecretLength(settings: EventSettings): number {
  const n = Number(settings.ticket_secret_length ?? 32);
  return Number.isInteger(n) && n >= 12 && n <= 64 ? n : 32;
}

/** A ticket secret unique among the organizer's positions (and not among `taken`). */
export function uniqueTicketSecret(
  db: ReadableDB,
  organizerId: number,
  length: number,
  taken: Set<string> = new Set(),
): string {
  for (;;) {
    const s = generateTicketSecret(length);
    if (!taken.has(s) && !ticketSecretTaken(db, organizerId, s)) return s;
  }
}
