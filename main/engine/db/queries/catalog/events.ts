import type { ReadableDB, WritableDB } from '../../handles';
import type { EventRow } from '../../rows';

export function findEvent(db: ReadableDB, eventId: number): EventRow | undefined {
  return db.prepare('SELECT * FROM events WHERE id = ?').get(eventId) as EventRow | undefined;
}

/** How many events the database holds, of every organizer. */
export function eventCount(db: ReadableDB): number {
  return db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events').get()!.n;
}

export function findEventBySlug(db: ReadableDB, organizerId: number, slug: string): EventRow | undefined {
  return db.prepare('SELECT * FROM events WHERE organizer_id = ? AND slug = ?').get(organizerId, slug) as
    EventRow | undefined;
}

/** The ids of the organizer's events with these slugs (a scanner's event limit). */
export function eventIdsBySlugs(db: ReadableDB, organizerId: number, slugs: string[]): number[] {
  if (slugs.length === 0) return [];
  const marks = slugs.map(() => '?').join(',');
  return db
    .prepare<unknown[], { id: number }>(`SELECT id FROM events WHERE organizer_id = ? AND slug IN (${marks})`)
    .all(organizerId, ...slugs)
    .map((r) => r.id);
}

export function eventsOfOrganizer(db: ReadableDB, organizerId: number): EventRow[] {
  return db
    .prepare('SELECT * FROM events WHERE organizer_id = ? ORDER BY slug')
    .all(organizerId) as EventRow[];
}

/** Whether another event of the organizer has this slug, in any letter case. */
export function eventSlugTaken(db: ReadableDB, organizerId: number, slug: string): boolean {
  return (
    db
      .prepare('SELECT 1 FROM events WHERE organizer_id = ? AND lower(slug) = lower(?)')
      .get(organizerId, slug) !== undefined
  );
}

export function eventHasOrders(db: ReadableDB, eventId: number): boolean {
  return db.prepare('SELECT 1 FROM orders WHERE event_id = ? LIMIT 1').get(eventId) !== undefined;
}

export function eventHasQuotas(db: ReadableDB, eventId: number): boolean {
  return db.prepare('SELECT 1 FROM quotas WHERE event_id = ? LIMIT 1').get(eventId) !== undefined;
}

/** Whether the event is a series; undefined when there is no such event. */
export function eventSeriesFlag(
  db: ReadableDB,
  eventId: number,
): Pick<EventRow, 'has_subevents'> | undefined {
  return db.prepare('SELECT has_subevents FROM events WHERE id = ?').get(eventId) as
    Pick<EventRow, 'has_subevents'> | undefined;
}

export function eventOrganizerId(db: ReadableDB, eventId: number): number | undefined {
  const row = db.prepare('SELECT organizer_id FROM events WHERE id = ?').get(eventId) as
    Pick<EventRow, 'organizer_id'> | undefined;
  return row?.organizer_id;
}

/** Deletes an event (its catalog cascades); cart positions, which do not cascade, go first. */
export function deleteEventRows(db: WritableDB, eventId: number): void {
  db.prepare('DELETE FROM cart_positions WHERE event_id = ?').run(eventId);
  db.prepare('DELETE FROM events WHERE id = ?').run(eventId);
}

/** The event columns a clone takes over from its source. */
export function setClonedEventColumns(
  db: WritableDB,
  eventId: number,
  columns: Pick<EventRow, 'is_public' | 'testmode' | 'has_subevents' | 'meta_data' | 'extra'>,
): void {
  db.prepare(
    'UPDATE events SET is_public = ?, testmode = ?, has_subevents = ?, meta_data = ?, extra = ? WHERE id = ?',
  ).run(
    columns.is_public,
    columns.testmode,
    columns.has_subevents,
    columns.meta_data,
    columns.extra,
    eventId,
  );
}

export function setEventSettingsAndTimezone(
  db: WritableDB,
  eventId: number,
  settings: string,
  timezone: string,
): void {
  db.prepare('UPDATE events SET settings = ?, timezone = ? WHERE id = ?').run(settings, timezone, eventId);
}

export function setEventTimezone(db: WritableDB, eventId: number, timezone: string): void {
  db.prepare('UPDATE events SET timezone = ? WHERE id = ?').run(timezone, eventId);
}

/** The event's settings JSON text; undefined when there is no such event. */
export function eventSettingsText(db: ReadableDB, eventId: number): string | undefined {
  const row = db.prepare('SELECT settings FROM events WHERE id = ?').get(eventId) as
    Pick<EventRow, 'settings'> | undefined;
  return row?.settings;
}

export function setEventSettingsText(db: WritableDB, eventId: number, settings: string): void {
  db.prepare('UPDATE events SET settings = ? WHERE id = ?').run(settings, eventId);
}
