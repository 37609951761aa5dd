import type { ReadableDB, WritableDB } from '../../handles';
import type { EventRow } from '../../rows';
import { readAll, readExists, readOne } from '../statements';

export const findEvent = readOne<[eventId: number], EventRow>('SELECT * FROM events WHERE id = ?');

/** How many events the database holds, of every organizer. */
export function eventCount(db: ReadableDB): number {
  return db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events').get()!.n;
}

export const findEventBySlug = readOne<[organizerId: number, slug: string], EventRow>(
  'SELECT * FROM events WHERE organizer_id = ? AND slug = ?',
);

/** The ids of the organizer's events with these slugs (a scanner's event limit). */
export function eventIdsBySlugs(db: ReadableDB, organizerId: number, slugs: string[]): number[] {
  if (slugs.length === 0) return [];
  const marks = slugs.map(() => '?').join(',');
  return db
    .prepare<unknown[], { id: number }>(`SELECT id FROM events WHERE organizer_id = ? AND slug IN (${marks})`)
    .all(organizerId, ...slugs)
    .map((r) => r.id);
}

export const eventsOfOrganizer = readAll<[organizerId: number], EventRow>(
  'SELECT * FROM events WHERE organizer_id = ? ORDER BY slug',
);

/** Whether another event of the organizer has this slug, in any letter case. */
export const eventSlugTaken = readExists<[organizerId: number, slug: string]>(
  'SELECT 1 FROM events WHERE organizer_id = ? AND lower(slug) = lower(?)',
);

export const eventHasOrders = readExists<[eventId: number]>(
  'SELECT 1 FROM orders WHERE event_id = ? LIMIT 1',
);

export const eventHasQuotas = readExists<[eventId: number]>(
  'SELECT 1 FROM quotas WHERE event_id = ? LIMIT 1',
);

/** Whether the event is a series; undefined when there is no such event. */
export const eventSeriesFlag = readOne<[eventId: number], Pick<EventRow, 'has_subevents'>>(
  'SELECT has_subevents FROM events WHERE id = ?',
);

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
