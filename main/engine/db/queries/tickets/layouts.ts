import type { ReadableDB, WritableDB } from '../../handles';
import type { EventRow, TicketLayoutItemRow, TicketLayoutRow } from '../../rows';
import { readAll, readExists, readOne } from '../statements';

/** The event a layout is saved under, with the organizer its audit entry names. */
export const ticketLayoutEvent = readOne<[eventId: number], Pick<EventRow, 'id' | 'organizer_id'>>(
  'SELECT id, organizer_id FROM events WHERE id = ?',
);

export function clearDefaultTicketLayout(db: WritableDB, eventId: number): void {
  db.prepare('UPDATE ticket_layouts SET is_default = 0 WHERE event_id = ?').run(eventId);
}

/** Number of layouts changed (0 when the layout is not the event's). */
export function updateTicketLayout(
  db: WritableDB,
  row: Pick<TicketLayoutRow, 'id' | 'event_id' | 'name' | 'layout' | 'is_default'>,
): number {
  return db
    .prepare('UPDATE ticket_layouts SET name = ?, layout = ?, is_default = ? WHERE id = ? AND event_id = ?')
    .run(row.name, row.layout, row.is_default, row.id, row.event_id).changes;
}

export function insertTicketLayout(
  db: WritableDB,
  row: Pick<TicketLayoutRow, 'event_id' | 'name' | 'is_default' | 'layout'>,
): number {
  return Number(
    db
      .prepare('INSERT INTO ticket_layouts (event_id, name, is_default, layout) VALUES (?, ?, ?, ?)')
      .run(row.event_id, row.name, row.is_default, row.layout).lastInsertRowid,
  );
}

/** A product with the event and organizer its layout assignment is recorded under. */
export interface ItemForLayout {
  id: number;
  event_id: number;
  organizer_id: number;
}

export const itemForLayout = readOne<[itemId: number], ItemForLayout>(
  'SELECT i.id, i.event_id, e.organizer_id FROM items i JOIN events e ON e.id = i.event_id WHERE i.id = ?',
);

export function deleteTicketLayoutItem(db: WritableDB, itemId: number): void {
  db.prepare('DELETE FROM ticket_layout_items WHERE item_id = ?').run(itemId);
}

export const ticketLayoutExists = readExists<[layoutId: number, eventId: number]>(
  'SELECT id FROM ticket_layouts WHERE id = ? AND event_id = ?',
);

export function upsertTicketLayoutItem(db: WritableDB, row: TicketLayoutItemRow): void {
  db.prepare(
    'INSERT INTO ticket_layout_items (item_id, layout_id) VALUES (?, ?) ON CONFLICT (item_id) DO UPDATE SET layout_id = excluded.layout_id',
  ).run(row.item_id, row.layout_id);
}

export const ticketLayoutsOfEvent = readAll<[eventId: number], TicketLayoutRow>(
  'SELECT * FROM ticket_layouts WHERE event_id = ? ORDER BY id',
);

/** The layout assignments of an event's products, by product. */
export function ticketLayoutItemsOfEvent(db: ReadableDB, eventId: number): TicketLayoutItemRow[] {
  const sql =
    'SELECT tli.item_id, tli.layout_id FROM ticket_layout_items tli JOIN items i ON i.id = tli.item_id WHERE i.event_id = ? ORDER BY tli.item_id';
  return db.prepare<[number], TicketLayoutItemRow>(sql).all(eventId);
}
