import type { ReadableDB } from '../db/handles';
import { organizerOfCheckinListEvent } from '../db/queries/checkin-list-owner';
import { rowExists } from '../db/queries/common';
import { notFound } from '../errors';

/** The organizer whose event holds this list; a list of no event is unknown. */
export function organizerOfList(db: ReadableDB, listId: number): number {
  const organizerId = organizerOfCheckinListEvent(db, listId);
  if (organizerId === undefined) throw notFound();
  return organizerId;
}

/** Whether the event holding this list is the organizer's. */
export function listOfOrganizer(db: ReadableDB, listId: number, organizerId: number): boolean {
  return organizerOfCheckinListEvent(db, listId) === organizerId;
}

const FILTER_TABLES = { list: 'checkin_lists', gate: 'gates', device: 'devices' } as const;

/** Whether the list, gate or device a check-in filter names exists. */
export function checkinFilterChoiceExists(
  db: ReadableDB,
  kind: keyof typeof FILTER_TABLES,
  id: number,
): boolean {
  return rowExists(db, FILTER_TABLES[kind], id);
}
