import type { ReadableDB, WritableDB } from '../../handles';
import type { CheckinListRow } from '../../rows';
import { readAll, readColumn, readOne } from '../statements';

/** The stored columns of a check-in list that its commands write. */
export type CheckinListFields = Omit<CheckinListRow, 'id' | 'event_id' | 'extra'>;

export const productIdsOfList = readColumn<[listId: number], number>(
  'SELECT item_id FROM checkin_list_items WHERE list_id = ? ORDER BY item_id',
);

export const gateIdsOfList = readColumn<[listId: number], number>(
  'SELECT gate_id FROM checkin_list_gates WHERE list_id = ? ORDER BY gate_id',
);

export const findCheckinListRow = readOne<[listId: number], CheckinListRow>(
  'SELECT * FROM checkin_lists WHERE id = ?',
);

export const checkinListRowsOfEvent = readAll<[eventId: number], CheckinListRow>(
  'SELECT * FROM checkin_lists WHERE event_id = ? ORDER BY id',
);

export const checkinListRowsOfOrganizer = readAll<
  [organizerId: number],
  CheckinListRow
>(`SELECT cl.* FROM checkin_lists cl JOIN events e ON e.id = cl.event_id
       WHERE e.organizer_id = ? ORDER BY e.id, cl.id`);

/** The event of a product, for the list's product checks; undefined when there is no such product. */
export function eventOfItem(db: ReadableDB, itemId: number): number | undefined {
  return db.prepare<[number], { event_id: number }>('SELECT event_id FROM items WHERE id = ?').get(itemId)
    ?.event_id;
}

/** The event of a date of a series; undefined when there is no such date. */
export function eventOfSubevent(db: ReadableDB, subeventId: number): number | undefined {
  return db
    .prepare<[number], { event_id: number }>('SELECT event_id FROM subevents WHERE id = ?')
    .get(subeventId)?.event_id;
}

/** The organizer of a gate; undefined when there is no such gate. */
export function organizerOfGate(db: ReadableDB, gateId: number): number | undefined {
  return db
    .prepare<[number], { organizer_id: number }>('SELECT organizer_id FROM gates WHERE id = ?')
    .get(gateId)?.organizer_id;
}

export function eventSeriesAndOrganizer(
  db: ReadableDB,
  eventId: number,
): { has_subevents: number; organizer_id: number } {
  return db
    .prepare<[number], { has_subevents: number; organizer_id: number }>(
      'SELECT has_subevents, organizer_id FROM events WHERE id = ?',
    )
    .get(eventId)!;
}

/** Replaces a list's products and gates. */
export function replaceListRelations(
  db: WritableDB,
  listId: number,
  products: readonly number[],
  gates: readonly number[],
): void {
  db.prepare('DELETE FROM checkin_list_items WHERE list_id = ?').run(listId);
  for (const item of products)
    db.prepare('INSERT INTO checkin_list_items (list_id, item_id) VALUES (?, ?)').run(listId, item);
  db.prepare('DELETE FROM checkin_list_gates WHERE list_id = ?').run(listId);
  for (const gate of gates)
    db.prepare('INSERT INTO checkin_list_gates (list_id, gate_id) VALUES (?, ?)').run(listId, gate);
}

/** A list's stored fields in the column order both statements below name them. */
function listFieldValues(row: CheckinListFields): unknown[] {
  return [
    row.name,
    row.all_products,
    row.subevent_id,
    row.include_pending,
    row.allow_multiple_entries,
    row.allow_entry_after_exit,
    row.addon_match,
    row.exit_all_at,
    row.rules,
    row.consider_tickets_used,
    row.ignore_in_statistics,
  ];
}

export function insertCheckinList(db: WritableDB, eventId: number, row: CheckinListFields): number {
  return Number(
    db
      .prepare(
        `INSERT INTO checkin_lists (event_id, name, all_products, subevent_id, include_pending, allow_multiple_entries,
           allow_entry_after_exit, addon_match, exit_all_at, rules, consider_tickets_used, ignore_in_statistics)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(eventId, ...listFieldValues(row)).lastInsertRowid,
  );
}

export function updateCheckinListRow(db: WritableDB, listId: number, row: CheckinListFields): void {
  db.prepare(
    `UPDATE checkin_lists SET name = ?, all_products = ?, subevent_id = ?, include_pending = ?,
       allow_multiple_entries = ?, allow_entry_after_exit = ?, addon_match = ?, exit_all_at = ?, rules = ?,
       consider_tickets_used = ?, ignore_in_statistics = ? WHERE id = ?`,
  ).run(...listFieldValues(row), listId);
}

/** Orders with check-ins on a list change for the scanners' incremental sync when the list goes. */
export function touchOrdersCheckedInOnList(db: WritableDB, listId: number, at: string): void {
  db.prepare(
    `UPDATE orders SET last_modified = ? WHERE id IN (
       SELECT op.order_id FROM checkins c JOIN order_positions op ON op.id = c.position_id WHERE c.list_id = ?)`,
  ).run(at, listId);
}

export function deleteCheckinListRow(db: WritableDB, listId: number): void {
  db.prepare('DELETE FROM checkin_lists WHERE id = ?').run(listId);
}

export function organizerOfEvent(db: ReadableDB, eventId: number): number {
  return db
    .prepare<[number], { organizer_id: number }>('SELECT organizer_id FROM events WHERE id = ?')
    .get(eventId)!.organizer_id;
}
