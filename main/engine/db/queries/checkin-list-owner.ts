import type { ReadableDB } from '../handles';
import type { EventRow } from '../rows';

/** The organizer of the event that holds this check-in list. */
export function organizerOfCheckinListEvent(db: ReadableDB, listId: number): number | undefined {
  return (
    db
      .prepare('SELECT e.organizer_id FROM checkin_lists l JOIN events e ON e.id = l.event_id WHERE l.id = ?')
      .get(listId) as Pick<EventRow, 'organizer_id'> | undefined
  )?.organizer_id;
}
