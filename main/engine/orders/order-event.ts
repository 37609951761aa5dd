import { settingsFromText, type EventSettings } from '../catalog/settings';
import type { ReadableDB } from '../db/handles';
import { eventZoneSettings, findOrderEvent, type OrderEvent } from '../db/queries/orders/place';
import type { EventRow } from '../db/rows';
import { notFound } from '../errors';

/** Where an order is placed: its event, the event's settings and time zone, from one read of its row. */
export interface Placement {
  event: OrderEvent;
  settings: EventSettings;
  timeZone: string;
}

/** The placement of an order in `eventId`, or pretix's 404. */
export function loadPlacement(db: ReadableDB, eventId: number): Placement {
  const event = findOrderEvent(db, eventId);
  if (!event) throw notFound('Event not found.');
  return { event, settings: settingsFromText(event.settings), timeZone: timeZoneOf(event) };
}

/** The event's time zone: an explicit setting wins over the event column. */
export function eventTimeZone(db: ReadableDB, eventId: number): string {
  const row = eventZoneSettings(db, eventId);
  return row ? timeZoneOf(row) : 'UTC';
}

function timeZoneOf(row: Pick<EventRow, 'timezone' | 'settings'>): string {
  try {
    const stored = JSON.parse(row.settings) as { timezone?: unknown };
    if (typeof stored.timezone === 'string' && stored.timezone) return stored.timezone;
  } catch {
    // fall through to the column
  }
  return row.timezone || 'UTC';
}
