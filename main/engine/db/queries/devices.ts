import type { ReadableDB, WritableDB } from '../handles';
import type { DeviceRow, EventRow, GateRow, SubeventRow } from '../rows';
import { readAll, readOne, write } from './statements';

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
export const eventBySlug = readOne<
  [organizerId: number, slug: string],
  Pick<
    EventRow,
    'id' | 'slug' | 'name' | 'has_subevents' | 'date_from' | 'date_to' | 'date_admission' | 'timezone'
  >
>(
  `SELECT id, slug, name, has_subevents, date_from, date_to, date_admission, timezone FROM events WHERE organizer_id = ? AND slug = ?`,
);

/** A date of an event by id. */
export const subeventOfEvent = readOne<
  [eventId: number, subeventId: number],
  Pick<SubeventRow, 'id' | 'date_from' | 'date_to' | 'date_admission'>
>('SELECT id, date_from, date_to, date_admission FROM subevents WHERE event_id = ? AND id = ?');

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

export const devicesOfOrganizer = readAll<[organizerId: number], DeviceRow>(
  'SELECT * FROM devices WHERE organizer_id = ? ORDER BY device_id',
);

/** A device by the organizer's device number (pretix's `device_id`). */
export const findDeviceByNumber = readOne<[organizerId: number, deviceId: number], DeviceRow>(
  'SELECT * FROM devices WHERE organizer_id = ? AND device_id = ?',
);

export const findDeviceById = readOne<[id: number], DeviceRow>('SELECT * FROM devices WHERE id = ?');

export const findDeviceByInitializationTokenHash = readOne<[tokenHash: string], DeviceRow>(
  'SELECT * FROM devices WHERE initialization_token = ?',
);

export const findDeviceByApiTokenHash = readOne<[tokenHash: string], DeviceRow>(
  'SELECT * FROM devices WHERE api_token_hash = ?',
);

export function eventIdBySlug(db: ReadableDB, organizerId: number, slug: string): number | undefined {
  return db
    .prepare<[number, string], { id: number }>('SELECT id FROM events WHERE organizer_id = ? AND slug = ?')
    .get(organizerId, slug)?.id;
}

export const gateOfOrganizer = readOne<[organizerId: number, gateId: number], GateRow>(
  'SELECT * FROM gates WHERE organizer_id = ? AND id = ?',
);

export const findGate = readOne<[gateId: number], GateRow>('SELECT * FROM gates WHERE id = ?');

export function organizerSlug(db: ReadableDB, organizerId: number): string {
  return db.prepare<[number], { slug: string }>('SELECT slug FROM organizers WHERE id = ?').get(organizerId)!
    .slug;
}

export function nextDeviceNumber(db: ReadableDB, organizerId: number): number {
  return db
    .prepare<[number], { n: number }>(
      'SELECT COALESCE(MAX(device_id), 0) + 1 AS n FROM devices WHERE organizer_id = ?',
    )
    .get(organizerId)!.n;
}

export function insertDevice(
  db: WritableDB,
  row: Pick<
    DeviceRow,
    | 'organizer_id'
    | 'device_id'
    | 'name'
    | 'unique_serial'
    | 'initialization_token'
    | 'all_events'
    | 'limit_events'
    | 'gate_id'
    | 'security_profile'
    | 'created'
  >,
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO devices (organizer_id, device_id, name, unique_serial, initialization_token, all_events,
           limit_events, gate_id, security_profile, created)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.organizer_id,
        row.device_id,
        row.name,
        row.unique_serial,
        row.initialization_token,
        row.all_events,
        row.limit_events,
        row.gate_id,
        row.security_profile,
        row.created,
      ).lastInsertRowid,
  );
}

export function updateDeviceSettings(
  db: WritableDB,
  id: number,
  row: Pick<DeviceRow, 'name' | 'all_events' | 'limit_events' | 'security_profile' | 'gate_id'>,
): void {
  db.prepare(
    'UPDATE devices SET name = ?, all_events = ?, limit_events = ?, security_profile = ?, gate_id = ? WHERE id = ?',
  ).run(row.name, row.all_events, row.limit_events, row.security_profile, row.gate_id, id);
}

/** What the app reports about itself; `info` null keeps the stored info. */
export function updateDeviceHardwareRow(
  db: WritableDB,
  id: number,
  row: Pick<
    DeviceRow,
    'hardware_brand' | 'hardware_model' | 'os_name' | 'os_version' | 'software_brand' | 'software_version'
  > & { info: string | null },
): void {
  db.prepare(
    // pretix's InitializeView and UpdateView set os_name and os_version to what was sent, null when absent.
    `UPDATE devices SET hardware_brand = ?, hardware_model = ?, os_name = ?, os_version = ?,
       software_brand = ?, software_version = ?, info = COALESCE(?, info) WHERE id = ?`,
  ).run(
    row.hardware_brand,
    row.hardware_model,
    row.os_name,
    row.os_version,
    row.software_brand,
    row.software_version,
    row.info,
    id,
  );
}

export const markDeviceInitialized = write<
  [initialized: string, apiTokenHash: string, rsaPubkey: string | null, id: number]
>('UPDATE devices SET initialized = ?, api_token_hash = ?, rsa_pubkey = ? WHERE id = ?');

export function setDeviceRsaPubkey(db: WritableDB, id: number, key: string): void {
  db.prepare('UPDATE devices SET rsa_pubkey = ? WHERE id = ?').run(key, id);
}

export function setDeviceApiTokenHash(db: WritableDB, id: number, tokenHash: string): void {
  db.prepare('UPDATE devices SET api_token_hash = ? WHERE id = ?').run(tokenHash, id);
}

export function markDeviceRevoked(db: WritableDB, id: number): void {
  db.prepare('UPDATE devices SET revoked = 1 WHERE id = ?').run(id);
}
