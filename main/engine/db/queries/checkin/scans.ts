import type { ReadableDB, WritableDB } from '../../handles';
import type {
  CheckinRow,
  EventRow,
  ItemRow,
  ItemVariationRow,
  OrderPositionRow,
  OrderRow,
  SubeventRow,
} from '../../rows';
import { readAll, readOne } from '../statements';

/** A position as a scan sees it: the ticket with its order's state. */
export type ScannedPosition = Pick<
  OrderPositionRow,
  | 'id'
  | 'order_id'
  | 'positionid'
  | 'item_id'
  | 'variation_id'
  | 'subevent_id'
  | 'addon_to_id'
  | 'canceled'
  | 'blocked'
  | 'valid_from'
  | 'valid_until'
> &
  Pick<OrderRow, 'event_id' | 'require_approval' | 'valid_if_pending'> & {
    order_status: string;
    order_checkin_attention: number;
    order_checkin_text: string | null;
  };

const POSITION_SELECT = `
  SELECT op.id, op.order_id, op.positionid, op.item_id, op.variation_id, op.subevent_id, op.addon_to_id,
         op.canceled, op.blocked, op.valid_from, op.valid_until, o.event_id, o.status AS order_status,
         o.require_approval, o.valid_if_pending, o.checkin_attention AS order_checkin_attention,
         o.checkin_text AS order_checkin_text
  FROM order_positions op JOIN orders o ON o.id = op.order_id`;

/** Which lists a search covers: each list's event and, for a list of one date, that date. */
export interface ListScope {
  event_id: number;
  subevent_id: number | null;
}

function onLists(of: readonly ListScope[]): { sql: string; params: (number | null)[] } {
  return {
    sql: `(${of.map(() => '(o.event_id = ? AND (? IS NULL OR op.subevent_id = ?))').join(' OR ')})`,
    params: of.flatMap((l) => [l.event_id, l.subevent_id, l.subevent_id]),
  };
}

/** The lists' positions matching one more condition (with one parameter), in id order. */
function scannedPositions(
  db: ReadableDB,
  lists: readonly ListScope[],
  condition: string,
  value: string | number,
): ScannedPosition[] {
  const scope = onLists(lists);
  return db
    .prepare(`${POSITION_SELECT} WHERE ${scope.sql} AND ${condition} ORDER BY op.id`)
    .all(...scope.params, value) as ScannedPosition[];
}

export function positionsBySecret(
  db: ReadableDB,
  lists: readonly ListScope[],
  secret: string,
): ScannedPosition[] {
  return scannedPositions(db, lists, 'op.secret = ?', secret);
}

/** Add-ons of the positions with this secret (a list's `addon_match`). */
export function addonsOfSecret(
  db: ReadableDB,
  lists: readonly ListScope[],
  secret: string,
): ScannedPosition[] {
  return scannedPositions(
    db,
    lists,
    'op.addon_to_id IN (SELECT id FROM order_positions WHERE secret = ?)',
    secret,
  );
}

export function positionsById(db: ReadableDB, lists: readonly ListScope[], id: number): ScannedPosition[] {
  return scannedPositions(db, lists, 'op.id = ?', id);
}

export function organizerIdOfEvent(db: ReadableDB, eventId: number): number | undefined {
  return db
    .prepare<[number], { organizer_id: number }>('SELECT organizer_id FROM events WHERE id = ?')
    .get(eventId)?.organizer_id;
}

export function touchOrderModified(db: WritableDB, orderId: number, at: string): void {
  db.prepare('UPDATE orders SET last_modified = ? WHERE id = ?').run(at, orderId);
}

export type EarlierCheckin = Pick<CheckinRow, 'id' | 'datetime' | 'nonce' | 'device_id'> & {
  type: 'entry' | 'exit';
};

/** A position's successful check-ins on a list, newest first. */
export const successfulCheckinsOnList = readAll<[positionId: number, listId: number], EarlierCheckin>(
  `SELECT id, type, datetime, nonce, device_id FROM checkins WHERE position_id = ? AND list_id = ? AND successful = 1 ORDER BY datetime DESC, id DESC`,
);

export function itemCheckinFlags(
  db: ReadableDB,
  itemId: number,
): Pick<ItemRow, 'checkin_attention' | 'checkin_text'> {
  return db.prepare('SELECT checkin_attention, checkin_text FROM items WHERE id = ?').get(itemId) as Pick<
    ItemRow,
    'checkin_attention' | 'checkin_text'
  >;
}

export const variationCheckinFlags = readOne<
  [variationId: number],
  Pick<ItemVariationRow, 'checkin_attention' | 'checkin_text'>
>('SELECT checkin_attention, checkin_text FROM item_variations WHERE id = ?');

export function eventDatesAndZone(
  db: ReadableDB,
  eventId: number,
): Pick<EventRow, 'timezone' | 'date_from' | 'date_to' | 'date_admission'> {
  return db
    .prepare('SELECT timezone, date_from, date_to, date_admission FROM events WHERE id = ?')
    .get(eventId) as Pick<EventRow, 'timezone' | 'date_from' | 'date_to' | 'date_admission'>;
}

export function subeventDates(
  db: ReadableDB,
  subeventId: number,
): Pick<SubeventRow, 'date_from' | 'date_to' | 'date_admission'> {
  return db
    .prepare('SELECT date_from, date_to, date_admission FROM subevents WHERE id = ?')
    .get(subeventId) as Pick<SubeventRow, 'date_from' | 'date_to' | 'date_admission'>;
}

/** A scan as stored (pretix's Checkin), successful or refused. */
export type ScanRecord = Omit<CheckinRow, 'id' | 'auto_checked_in' | 'type'> & { type: 'entry' | 'exit' };

export function insertScan(db: WritableDB, row: ScanRecord): number {
  return Number(
    db
      .prepare(
        `INSERT INTO checkins (list_id, position_id, type, datetime, created, nonce, device_id, gate_id, forced,
           successful, error_reason, error_explanation, raw_barcode, raw_item_id, raw_variation_id, raw_subevent_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.list_id,
        row.position_id,
        row.type,
        row.datetime,
        row.created,
        row.nonce,
        row.device_id,
        row.gate_id,
        row.forced,
        row.successful,
        row.error_reason,
        row.error_explanation,
        row.raw_barcode,
        row.raw_item_id,
        row.raw_variation_id,
        row.raw_subevent_id,
      ).lastInsertRowid,
  );
}

/** Whether this device already uploaded this scan (same position, list, direction and nonce). */
export function hasSuccessfulScanWithNonce(
  db: ReadableDB,
  scan: { positionId: number; listId: number; type: string; deviceId: number | null; nonce: string },
): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM checkins WHERE position_id = ? AND list_id = ? AND type = ? AND device_id IS ? AND nonce = ?
           AND successful = 1`,
      )
      .get(scan.positionId, scan.listId, scan.type, scan.deviceId, scan.nonce) !== undefined
  );
}

export type ScanByNonce = Pick<CheckinRow, 'id' | 'successful' | 'device_id' | 'datetime'> & {
  position_id: number;
};

/** Scans of positions with this nonce on some lists (what `checkinrpc/annul` looks for). */
export function scansByNonce(db: ReadableDB, nonce: string, listIds: readonly number[]): ScanByNonce[] {
  return db
    .prepare(
      `SELECT c.id, c.successful, c.device_id, c.datetime, c.position_id FROM checkins c
       WHERE c.nonce = ? AND c.list_id IN (${listIds.map(() => '?').join(',')}) AND c.position_id IS NOT NULL`,
    )
    .all(nonce, ...listIds) as ScanByNonce[];
}

export function annulScan(db: WritableDB, checkinId: number, explanation: string | null): void {
  db.prepare(
    "UPDATE checkins SET successful = 0, error_reason = 'annulled', error_explanation = ? WHERE id = ?",
  ).run(explanation, checkinId);
}

export function orderOfPosition(db: ReadableDB, positionId: number): number {
  return (
    db.prepare('SELECT order_id FROM order_positions WHERE id = ?').get(positionId) as { order_id: number }
  ).order_id;
}

export function positionOfEvent(db: ReadableDB, positionId: number, eventId: number): number | undefined {
  return (
    db
      .prepare(
        'SELECT op.id FROM order_positions op JOIN orders o ON o.id = op.order_id WHERE op.id = ? AND o.event_id = ?',
      )
      .get(positionId, eventId) as { id: number } | undefined
  )?.id;
}

/** Whether a row with this id exists in one of the tables a failed scan may point at. */
export function rawReferenceExists(
  db: ReadableDB,
  table: 'items' | 'item_variations' | 'subevents',
  id: number,
): boolean {
  return db.prepare(`SELECT id FROM ${table} WHERE id = ?`).get(id) !== undefined;
}

/** A refusal already uploaded by this device with this nonce on this list. */
export function failedScanByNonce(
  db: ReadableDB,
  listId: number,
  nonce: string,
  deviceId: number | null,
): number | undefined {
  return (
    db
      .prepare(
        'SELECT id FROM checkins WHERE list_id = ? AND nonce = ? AND device_id IS ? AND successful = 0',
      )
      .get(listId, nonce, deviceId) as { id: number } | undefined
  )?.id;
}
