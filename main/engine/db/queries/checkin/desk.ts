import type { ReadableDB } from '../../handles';
import type { EventRow } from '../../rows';

export function eventSlugAndName(db: ReadableDB, eventId: number): Pick<EventRow, 'slug' | 'name'> {
  return db.prepare('SELECT slug, name FROM events WHERE id = ?').get(eventId) as Pick<
    EventRow,
    'slug' | 'name'
  >;
}

/** A ticket as the desk's check-in screen lists it, with the name it shows (attendee, parent's, invoice). */
export interface DeskTicketFacts {
  id: number;
  positionid: number;
  secret: string;
  code: string;
  status: string;
  email: string | null;
  item_name: string;
  variation_name: string | null;
  attendee: string | null;
}

export function deskTicketFacts(db: ReadableDB, positionId: number): DeskTicketFacts {
  return db
    .prepare(
      `SELECT op.id, op.positionid, op.secret, o.code, o.status, o.email, i.name AS item_name, v.value AS variation_name,
              COALESCE(NULLIF(op.attendee_name_cached, ''), parent.attendee_name_cached, ia.name_cached) AS attendee
       FROM order_positions op JOIN orders o ON o.id = op.order_id JOIN items i ON i.id = op.item_id
       LEFT JOIN item_variations v ON v.id = op.variation_id
       LEFT JOIN order_positions parent ON parent.id = op.addon_to_id
       LEFT JOIN invoice_addresses ia ON ia.order_id = o.id WHERE op.id = ?`,
    )
    .get(positionId) as DeskTicketFacts;
}
