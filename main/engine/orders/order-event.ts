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

/**
 * The placement the request's lookups read, handed on to the placement of that request in the same
 * command, so that the event row is read once per order (nothing in between writes it).
 */
const lookedUp = new WeakMap<object, Placement>();

/** The placement for the lookups of a request placed in the command `scope`; see `takePlacement`. */
export function placementForLookups(scope: object, db: ReadableDB, eventId: number): Placement {
  const placement = loadPlacement(db, eventId);
  lookedUp.set(scope, placement);
  return placement;
}

/** The placement the command's lookups read for `eventId` (once), else read now. */
export function takePlacement(scope: object, db: ReadableDB, eventId: number): Placement {
  const placement = lookedUp.get(scope);
  lookedUp.delete(scope);
  return placement && placement.event.id === eventId ? placement : loadPlacement(db, eventId);
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
