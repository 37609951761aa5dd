import type { EventSettings } from '../catalog/settings';
import type { ReadableDB } from '../db/handles';
import { orderCodeTaken, pseudonymizationIdTaken, ticketSecretTaken } from '../db/queries/orders/place';
import { generateOrderCode, generatePseudonymizationId, generateTicketSecret } from '../ids';

/** An order code no order of the organizer has yet; one character longer after 20 collisions. */
export function uniqueOrderCode(db: ReadableDB, organizerId: number, testmode: boolean): string {
  let length = 5;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0 && attempt % 20 === 0) length++;
    const code = generateOrderCode(length, testmode);
    if (!orderCodeTaken(db, organizerId, code)) return code;
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

export function uniquePseudonymizationId(db: ReadableDB): string {
  for (;;) {
    const s = generatePseudonymizationId();
    if (!pseudonymizationIdTaken(db, s)) return s;
  }
}
