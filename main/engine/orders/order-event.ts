import type { ReadableDB } from '../db/handles';
import { eventZoneSettings, findOrderEvent, type OrderEvent } from '../db/queries/orders/place';
import { EngineError } from '../errors';

/** The event an order is placed in, or pretix's 404. */
export function loadOrderEvent(db: ReadableDB, eventId: number): OrderEvent {
  const row = findOrderEvent(db, eventId);
  if (!row)
    throw new EngineError('not_found', 'Event not found.', {
      kind: 'not_found',
      body: { detail: 'Not found.' },
    });
  return row;
}

/** The event's time zone: an explicit setting wins over the event column. */
export function eventTimeZone(db: ReadableDB, eventId: number): string {
  const row = eventZoneSettings(db, eventId);
  if (!row) return 'UTC';
  try {
    const stored = JSON.parse(row.settings) as { timezone?: unknown };
    if (typeof stored.timezone === 'string' && stored.timezone) return stored.timezone;
  } catch {
    // fall through to the column
  }
  return row.timezone || 'UTC';
}
