import type { ReadableDB } from '../db/handles';
import { organizerOfCheckinListEvent } from '../db/queries/checkin-list-owner';
import { notFound } from '../errors';

/** The organizer whose event holds this list; a list of no event is unknown. */
export function organizerOfList(db: ReadableDB, listId: number): number {
  const organizerId = organizerOfCheckinListEvent(db, listId);
  if (organizerId === undefined) throw notFound();
  return organizerId;
}
