import type { Database } from 'better-sqlite3';
import { eventSettings, type EventSettings } from '../catalog/settings';
import { positionGeneratesTicket } from './eligibility';
import type { TicketData } from './ticket-data';
import { i18nText } from '../i18n';
import {
  eligibilityForExport,
  orderEligibility,
  orderForTickets,
  ticketAddons,
  ticketAnswers,
  ticketPositions,
  type TicketEligibility,
} from '../db/queries/tickets/ticket-positions';

/**
 * Builds the ticket data of the given positions, in the order given. Reads a fixed number of queries
 * per call whatever the count, so exports load positions in chunks.
 */
export function loadTickets(db: Database, positionIds: number[]): TicketData[] {
  if (positionIds.length === 0) return [];
  const rows = ticketPositions(db, positionIds);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const addonRows = ticketAddons(db, positionIds);
  const answerRows = ticketAnswers(db, positionIds);
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

function parseBlocked(value: string | null): string[] | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(value) as unknown;
    return Array.isArray(parsed) ? (parsed as string[]) : null;
  } catch {
    return null;
  }
}

function generatesTicket(row: TicketEligibility, settings: EventSettings): boolean {
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
  const order = orderForTickets(db, orderId);
  if (!order) return [];
  const settings = eventSettings(db, order.event_id);
  const rows = orderEligibility(db, orderId);
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
  if (selection.orderCodes?.length === 0) return [];
  const rows = eligibilityForExport(db, {
    eventId: selection.eventId,
    statuses: selection.statuses ?? ['p'],
    subeventId: selection.subeventId,
    orderCodes: selection.orderCodes,
  });
  return rows.filter((r) => generatesTicket(r, settings)).map((r) => r.id);
}

/** Ticket data for many positions, loaded a chunk at a time so an export holds only one chunk. */
export function* iterateTickets(db: Database, positionIds: number[], chunkSize = 200): Generator<TicketData> {
  for (let i = 0; i < positionIds.length; i += chunkSize) {
    yield* loadTickets(db, positionIds.slice(i, i + chunkSize));
  }
}
