import type { ReadableDB } from '../../handles';
import type { OrderPositionRow, OrderRow } from '../../rows';
import { readAll, readOne, readRows } from '../statements';

function marks(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** A position with everything its ticket prints: product, order, event, organizer and date. */
export interface TicketPosition extends Pick<
  OrderPositionRow,
  | 'id'
  | 'order_id'
  | 'positionid'
  | 'item_id'
  | 'secret'
  | 'price'
  | 'attendee_name_cached'
  | 'attendee_email'
  | 'company'
  | 'seat'
  | 'addon_to_id'
  | 'blocked'
> {
  item_name: string;
  item_admission: number;
  item_generate_tickets: number | null;
  variation_value: string | null;
  order_code: string;
  order_datetime: string;
  order_email: string | null;
  order_locale: string | null;
  order_testmode: number;
  event_id: number;
  event_slug: string;
  event_name: string;
  event_currency: string;
  event_date_from: string | null;
  event_date_to: string | null;
  event_date_admission: string | null;
  event_location: string | null;
  event_timezone: string;
  organizer_name: string;
  subevent_name: string | null;
  subevent_date_from: string | null;
  subevent_date_to: string | null;
  subevent_date_admission: string | null;
  subevent_location: string | null;
}

const POSITION_SELECT = `
  SELECT op.id, op.order_id, op.positionid, op.item_id, op.secret, op.price, op.attendee_name_cached,
         op.attendee_email, op.company, op.seat, op.addon_to_id, op.blocked,
         i.name AS item_name, i.admission AS item_admission, i.generate_tickets AS item_generate_tickets,
         v.value AS variation_value,
         o.code AS order_code, o.datetime AS order_datetime, o.email AS order_email, o.locale AS order_locale,
         o.testmode AS order_testmode,
         e.id AS event_id, e.slug AS event_slug, e.name AS event_name, e.currency AS event_currency,
         e.date_from AS event_date_from, e.date_to AS event_date_to, e.date_admission AS event_date_admission,
         e.location AS event_location, e.timezone AS event_timezone,
         og.name AS organizer_name,
         se.name AS subevent_name, se.date_from AS subevent_date_from, se.date_to AS subevent_date_to,
         se.date_admission AS subevent_date_admission, se.location AS subevent_location
  FROM order_positions op
  JOIN orders o ON o.id = op.order_id
  JOIN events e ON e.id = o.event_id
  JOIN organizers og ON og.id = e.organizer_id
  JOIN items i ON i.id = op.item_id
  LEFT JOIN item_variations v ON v.id = op.variation_id
  LEFT JOIN subevents se ON se.id = op.subevent_id`;

export function ticketPositions(db: ReadableDB, positionIds: readonly number[]): TicketPosition[] {
  return readRows<TicketPosition>(db, `${POSITION_SELECT} WHERE op.id IN (${marks(positionIds.length)})`, [
    ...positionIds,
  ]);
}

/** An add-on printed on its parent's ticket. */
export interface TicketAddon {
  addon_to_id: number;
  name: string;
  variation: string | null;
}

export function ticketAddons(db: ReadableDB, positionIds: readonly number[]): TicketAddon[] {
  return db
    .prepare(
      `SELECT op.addon_to_id, i.name, v.value AS variation FROM order_positions op
       JOIN items i ON i.id = op.item_id LEFT JOIN item_variations v ON v.id = op.variation_id
       WHERE op.addon_to_id IN (${marks(positionIds.length)}) AND op.canceled = 0 ORDER BY op.positionid`,
    )
    .all(...positionIds) as TicketAddon[];
}

/** An answer printed on a ticket, with its question. */
export interface TicketAnswer {
  orderposition_id: number;
  answer: string;
  identifier: string;
  question: string;
}

export function ticketAnswers(db: ReadableDB, positionIds: readonly number[]): TicketAnswer[] {
  return db
    .prepare(
      `SELECT qa.orderposition_id, qa.answer, q.identifier, q.question FROM question_answers qa
       JOIN questions q ON q.id = qa.question_id
       WHERE qa.orderposition_id IN (${marks(positionIds.length)}) ORDER BY q.position, q.id`,
    )
    .all(...positionIds) as TicketAnswer[];
}

/** What decides whether a position gets a ticket: its add-on parent, blocks and product settings. */
export interface TicketEligibility extends Pick<OrderPositionRow, 'id' | 'addon_to_id' | 'blocked'> {
  admission: number;
  generate_tickets: number | null;
}

export const orderEligibility = readAll<[orderId: number], TicketEligibility>(
  `SELECT op.id, op.addon_to_id, op.blocked, i.admission, i.generate_tickets FROM order_positions op JOIN items i ON i.id = op.item_id WHERE op.order_id = ? AND op.canceled = 0 ORDER BY op.positionid`,
);

/** Which positions a bulk export considers. */
export interface TicketPositionFilter {
  eventId: number;
  statuses: readonly string[];
  subeventId?: number;
  orderCodes?: readonly string[];
}

export function eligibilityForExport(db: ReadableDB, filter: TicketPositionFilter): TicketEligibility[] {
  const where = ['o.event_id = ?', 'op.canceled = 0', `o.status IN (${marks(filter.statuses.length)})`];
  const params: unknown[] = [filter.eventId, ...filter.statuses];
  if (filter.subeventId !== undefined) {
    where.push('op.subevent_id = ?');
    params.push(filter.subeventId);
  }
  if (filter.orderCodes) {
    where.push(`o.code IN (${marks(filter.orderCodes.length)})`);
    params.push(...filter.orderCodes);
  }
  return db
    .prepare(
      `SELECT op.id, op.addon_to_id, op.blocked, i.admission, i.generate_tickets
       FROM order_positions op JOIN orders o ON o.id = op.order_id JOIN items i ON i.id = op.item_id
       WHERE ${where.join(' AND ')} ORDER BY o.datetime, o.code, op.positionid`,
    )
    .all(...params) as TicketEligibility[];
}

/** An order's event and code, for the desk's ticket printing. */
export const orderForTickets = readOne<[orderId: number], Pick<OrderRow, 'event_id' | 'code'>>(
  'SELECT event_id, code FROM orders WHERE id = ?',
);

/** An order as the download rules see it, with its event's slug for the file name. */
export interface OrderForTicketDownload extends Pick<
  OrderRow,
  'id' | 'code' | 'require_approval' | 'valid_if_pending'
> {
  status: 'n' | 'p' | 'e' | 'c';
  event_slug: string;
}

const ORDER_SELECT = `SELECT o.id, o.code, o.status, o.require_approval, o.valid_if_pending, e.slug AS event_slug
  FROM orders o JOIN events e ON e.id = o.event_id`;

export const orderForDownloadByCode = readOne<[eventId: number, code: string], OrderForTicketDownload>(
  `${ORDER_SELECT} WHERE o.event_id = ? AND o.code = ?`,
);

export const orderForDownloadById = readOne<[orderId: number], OrderForTicketDownload>(
  `${ORDER_SELECT} WHERE o.id = ?`,
);

/** A live position of the event, with what decides whether it gets a ticket. */
export interface PositionForDownload
  extends TicketEligibility, Pick<OrderPositionRow, 'order_id' | 'positionid'> {}

export function positionForDownload(
  db: ReadableDB,
  eventId: number,
  positionId: number,
): PositionForDownload | undefined {
  return db
    .prepare(
      `SELECT op.id, op.order_id, op.positionid, op.addon_to_id, op.blocked, i.admission, i.generate_tickets
       FROM order_positions op JOIN orders o ON o.id = op.order_id JOIN items i ON i.id = op.item_id
       WHERE op.id = ? AND o.event_id = ? AND op.canceled = 0`,
    )
    .get(positionId, eventId) as PositionForDownload | undefined;
}
