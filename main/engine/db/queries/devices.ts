import type { ReadableDB } from '../handles';
import type { EventRow, SubeventRow } from '../rows';

/** An event a scanner could be switched to, with pretix's `first_date`/`last_date` annotations. */
export type SelectableEvent = Pick<
  EventRow,
  'id' | 'slug' | 'name' | 'date_from' | 'date_to' | 'date_admission' | 'timezone'
>;

/** A date of an event series a scanner could be switched to, with its event's slug, name and zone. */
export type SelectableSubevent = Pick<
  SubeventRow,
  'id' | 'event_id' | 'date_from' | 'date_to' | 'date_admission'
> & {
  event_slug: string;
  event_name: string;
  timezone: string;
};

/**
 * Live single events of an organizer (EventSelectionView.base_event_qs before the device's event limits),
 * only those with a check-in list at `gateId` when one is given.
 */
export function liveSingleEvents(
  db: ReadableDB,
  organizerId: number,
  gateId: number | null,
): SelectableEvent[] {
  return db
    .prepare(
      `SELECT e.id, e.slug, e.name, e.date_from, e.date_to, e.date_admission, e.timezone FROM events e
       WHERE e.organizer_id = ? AND e.live = 1 AND e.has_subevents = 0 AND e.date_from IS NOT NULL
         AND (? IS NULL OR EXISTS (SELECT 1 FROM checkin_lists l JOIN checkin_list_gates g ON g.list_id = l.id
                                   WHERE l.event_id = e.id AND g.gate_id = ?))`,
    )
    .all(organizerId, gateId, gateId) as SelectableEvent[];
}

/**
 * Active dates of live events of an organizer (EventSelectionView.base_subevent_qs before the device's event
 * limits), only those with a check-in list at `gateId` (for all dates or this one) when one is given.
 */
export function activeSubevents(
  db: ReadableDB,
  organizerId: number,
  gateId: number | null,
): SelectableSubevent[] {
  return db
    .prepare(
      `SELECT s.id, s.event_id, s.date_from, s.date_to, s.date_admission,
              e.slug AS event_slug, e.name AS event_name, e.timezone
       FROM subevents s JOIN events e ON e.id = s.event_id
       WHERE e.organizer_id = ? AND e.live = 1 AND s.active = 1
         AND (? IS NULL OR EXISTS (SELECT 1 FROM checkin_lists l JOIN checkin_list_gates g ON g.list_id = l.id
                                   WHERE l.event_id = s.event_id AND (l.subevent_id IS NULL OR l.subevent_id = s.id)
                                     AND g.gate_id = ?))`,
    )
    .all(organizerId, gateId, gateId) as SelectableSubevent[];
}

/** An event of the organizer by slug, whatever its state (the `current_event` a scanner reports). */
export function eventBySlug(
  db: ReadableDB,
  organizerId: number,
  slug: string,
):
  | Pick<
      EventRow,
      'id' | 'slug' | 'name' | 'has_subevents' | 'date_from' | 'date_to' | 'date_admission' | 'timezone'
    >
  | undefined {
  return db
    .prepare(
      `SELECT id, slug, name, has_subevents, date_from, date_to, date_admission, timezone
       FROM events WHERE organizer_id = ? AND slug = ?`,
    )
    .get(organizerId, slug) as
    | Pick<
        EventRow,
        'id' | 'slug' | 'name' | 'has_subevents' | 'date_from' | 'date_to' | 'date_admission' | 'timezone'
      >
    | undefined;
}

/** A date of an event by id. */
export function subeventOfEvent(
  db: ReadableDB,
  eventId: number,
  subeventId: number,
): Pick<SubeventRow, 'id' | 'date_from' | 'date_to' | 'date_admission'> | undefined {
  return db
    .prepare('SELECT id, date_from, date_to, date_admission FROM subevents WHERE event_id = ? AND id = ?')
    .get(eventId, subeventId) as
    Pick<SubeventRow, 'id' | 'date_from' | 'date_to' | 'date_admission'> | undefined;
}

/** A check-in list of an event by id. */
export function checkinListOfEvent(
  db: ReadableDB,
  eventId: number,
  listId: number,
): { id: number; name: string } | undefined {
  return db
    .prepare('SELECT id, name FROM checkin_lists WHERE event_id = ? AND id = ?')
    .get(eventId, listId) as { id: number; name: string } | undefined;
}

/**
 * The check-in lists a scanner switched to `eventId` (and `subeventId`: its lists and those for all dates)
 * may use, at `gateId` when given, in pretix's CheckinList ordering (date, name, pk; PostgreSQL puts lists
 * for all dates last).
 */
export function checkinListsForSelection(
  db: ReadableDB,
  eventId: number,
  subeventId: number | null,
  gateId: number | null,
): { id: number; name: string }[] {
  return db
    .prepare(
      `SELECT l.id, l.name FROM checkin_lists l LEFT JOIN subevents s ON s.id = l.subevent_id
       WHERE l.event_id = ? AND (? IS NULL OR l.subevent_id IS NULL OR l.subevent_id = ?)
         AND (? IS NULL OR EXISTS (SELECT 1 FROM checkin_list_gates g WHERE g.list_id = l.id AND g.gate_id = ?))
       ORDER BY s.date_from IS NULL, s.date_from, l.name, l.id`,
    )
    .all(eventId, subeventId, subeventId, gateId, gateId) as { id: number; name: string }[];
}
