import type { Database } from 'better-sqlite3';
import { eventSettings, type EventSettings } from '../catalog/settings';
import { positionGeneratesTicket } from './eligibility';
import type { TicketData } from './ticket-data';
import { i18nText } from '../i18n';

interface PositionRow {
  id: number;
  order_id: number;
  positionid: number;
  item_id: number;
  secret: string;
  price: string;
  attendee_name_cached: string | null;
  attendee_email: string | null;
  company: string | null;
  seat: string | null;
  addon_to_id: number | null;
  blocked: string | null;
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

function marks(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/**
 * Builds the ticket data of the given positions, in the order given. Reads a fixed number of queries
 * per call whatever the count, so exports load positions in chunks.
 */
export function loadTickets(db: Database, positionIds: number[]): TicketData[] {
  if (positionIds.length === 0) return [];
  const rows = db
    .prepare(`${POSITION_SELECT} WHERE op.id IN (${marks(positionIds.length)})`)
    .all(...positionIds) as PositionRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const addonRows = db
    .prepare(
      `SELECT op.addon_to_id, i.name, v.value AS variation FROM order_positions op
       JOIN items i ON i.id = op.item_id LEFT JOIN item_variations v ON v.id = op.variation_id
       WHERE op.addon_to_id IN (${marks(positionIds.length)}) AND op.canceled = 0 ORDER BY op.positionid`,
    )
    .all(...positionIds) as { addon_to_id: number; name: string; variation: string | null }[];
  const answerRows = db
    .prepare(
      `SELECT qa.orderposition_id, qa.answer, q.identifier, q.question FROM question_answers qa
       JOIN questions q ON q.id = qa.question_id
       WHERE qa.orderposition_id IN (${marks(positionIds.length)}) ORDER BY q.position, q.id`,
    )
    .all(...positionIds) as {
    orderposition_id: number;
    answer: string;
    identifier: string;
    question: string;
  }[];
  const settingsByEvent = new Map<number, EventSettings>();
  const tickets: TicketData[] = [];
  for (const id of positionIds) {
    const r = byId.get(id);
    if (!r) continue;
    let settings = settingsByEvent.get(r.event_id);
    if (!settings) {
      settings = eventSettings(db, r.event_id);
      settingsByEvent.set(r.event_id, settings);
    }
    const locale = r.order_locale || settings.locale || 'en';
    const eventName = i18nText(r.event_name, locale);
    const subeventName = i18nText(r.subevent_name, locale);
    tickets.push({
      organizer: r.organizer_name,
      event: {
        name: subeventName || eventName,
        slug: r.event_slug,
        dateFrom: r.subevent_date_from ?? r.event_date_from,
        dateTo: r.subevent_date_from ? r.subevent_date_to : r.event_date_to,
        dateAdmission: r.subevent_date_from ? r.subevent_date_admission : r.event_date_admission,
        location: i18nText(r.subevent_location ?? r.event_location, locale) || null,
        timezone: settings.timezone || r.event_timezone || 'UTC',
        currency: r.event_currency,
        locale,
      },
      order: {
        code: r.order_code,
        datetime: r.order_datetime,
        email: r.order_email,
        testmode: r.order_testmode === 1,
      },
      position: {
        id: r.id,
        positionid: r.positionid,
        itemId: r.item_id,
        secret: r.secret,
        item: i18nText(r.item_name, locale),
        variation: r.variation_value ? i18nText(r.variation_value, locale) : null,
        price: r.price,
        attendeeName: r.attendee_name_cached,
        attendeeEmail: r.attendee_email,
        company: r.company,
        seat: r.seat,
        addons: addonRows
          .filter((a) => a.addon_to_id === r.id)
          .map((a) => {
            const name = i18nText(a.name, locale);
            return a.variation ? `${name} – ${i18nText(a.variation, locale)}` : name;
          }),
        answers: answerRows
          .filter((a) => a.orderposition_id === r.id)
          .map((a) => ({
            question: i18nText(a.question, locale),
            identifier: a.identifier,
            answer: a.answer,
          })),
      },
    });
  }
  return tickets;
}

interface EligibilityRow {
  id: number;
  addon_to_id: number | null;
  blocked: string | null;
  admission: number;
  generate_tickets: number | null;
}

function parseBlocked(value: string | null): string[] | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(value) as unknown;
    return Array.isArray(parsed) ? (parsed as string[]) : null;
  } catch {
    return null;
  }
}

function generatesTicket(row: EligibilityRow, settings: EventSettings): boolean {
  return positionGeneratesTicket(
    {
      addon_to: row.addon_to_id,
      blocked: parseBlocked(row.blocked),
      item_admission: row.admission === 1,
      item_generate_tickets: row.generate_tickets === null ? null : row.generate_tickets === 1,
    },
    settings,
  );
}

/** The positions of an order that get a ticket (pretix's `positions_with_tickets`), by positionid. */
export function orderTicketPositionIds(db: Database, orderId: number): number[] {
  const order = db.prepare('SELECT event_id FROM orders WHERE id = ?').get(orderId) as
    { event_id: number } | undefined;
  if (!order) return [];
  const settings = eventSettings(db, order.event_id);
  const rows = db
    .prepare(
      `SELECT op.id, op.addon_to_id, op.blocked, i.admission, i.generate_tickets
       FROM order_positions op JOIN items i ON i.id = op.item_id
       WHERE op.order_id = ? AND op.canceled = 0 ORDER BY op.positionid`,
    )
    .all(orderId) as EligibilityRow[];
  return rows.filter((r) => generatesTicket(r, settings)).map((r) => r.id);
}

export interface TicketSelection {
  eventId: number;
  /** Only this date of an event series. */
  subeventId?: number;
  /** Only these orders (codes). */
  orderCodes?: string[];
  /** Order states to include; paid orders by default. */
  statuses?: ('n' | 'p')[];
}

/** The positions a bulk export prints: every ticket of the selected orders, in order of sale. */
export function selectTicketPositionIds(db: Database, selection: TicketSelection): number[] {
  const settings = eventSettings(db, selection.eventId);
  const statuses = selection.statuses ?? ['p'];
  const where = ['o.event_id = ?', 'op.canceled = 0', `o.status IN (${marks(statuses.length)})`];
  const params: unknown[] = [selection.eventId, ...statuses];
  if (selection.subeventId !== undefined) {
    where.push('op.subevent_id = ?');
    params.push(selection.subeventId);
  }
  if (selection.orderCodes) {
    if (selection.orderCodes.length === 0) return [];
    where.push(`o.code IN (${marks(selection.orderCodes.length)})`);
    params.push(...selection.orderCodes);
  }
  const rows = db
    .prepare(
      `SELECT op.id, op.addon_to_id, op.blocked, i.admission, i.generate_tickets
       FROM order_positions op JOIN orders o ON o.id = op.order_id JOIN items i ON i.id = op.item_id
       WHERE ${where.join(' AND ')} ORDER BY o.datetime, o.code, op.positionid`,
    )
    .all(...params) as EligibilityRow[];
  return rows.filter((r) => generatesTicket(r, settings)).map((r) => r.id);
}

/** Ticket data for many positions, loaded a chunk at a time so an export holds only one chunk. */
export function* iterateTickets(db: Database, positionIds: number[], chunkSize = 200): Generator<TicketData> {
  for (let i = 0; i < positionIds.length; i += chunkSize) {
    yield* loadTickets(db, positionIds.slice(i, i + chunkSize));
  }
}
