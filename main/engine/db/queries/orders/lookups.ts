import type { ReadableDB } from '../../handles';
import type { OrderPositionRow, OrderRow } from '../../rows';

/** Which orders (and events) a read may reach: one event, or an organizer's events (all, or some). */
export interface OrderScope {
  eventId?: number;
  organizerId: number;
  /** The events the caller may see; undefined: all of the organizer's. */
  eventIds?: number[];
}

/** The scope as SQL over `orders o`. */
export function orderScopeSql(scope: OrderScope): { sql: string; params: number[] } {
  if (scope.eventId !== undefined) return { sql: 'o.event_id = ?', params: [scope.eventId] };
  const ids = scope.eventIds;
  if (!ids) return { sql: 'o.organizer_id = ?', params: [scope.organizerId] };
  const marks = ids.map(() => '?').join(',') || 'NULL';
  return { sql: `o.organizer_id = ? AND o.event_id IN (${marks})`, params: [scope.organizerId, ...ids] };
}

/** The order with this code among an organizer's orders the caller may see. */
export function findOrderOfOrganizer(
  db: ReadableDB,
  organizerId: number,
  code: string,
  eventIds: number[] | undefined,
): Pick<OrderRow, 'id' | 'event_id'> | undefined {
  const visible =
    eventIds === undefined
      ? '1'
      : eventIds.length === 0
        ? '0'
        : `event_id IN (${eventIds.map(() => '?').join(',')})`;
  return db
    .prepare(`SELECT id, event_id FROM orders WHERE organizer_id = ? AND code = ? AND ${visible}`)
    .get(organizerId, code, ...(eventIds ?? [])) as Pick<OrderRow, 'id' | 'event_id'> | undefined;
}

/** The position with this id within the scope, canceled or not (with its country, for a PATCH's state). */
export function findPositionInScope(
  db: ReadableDB,
  scope: OrderScope,
  positionId: number,
): Pick<OrderPositionRow, 'id' | 'canceled' | 'country'> | undefined {
  const s = orderScopeSql(scope);
  return db
    .prepare(
      `SELECT op.id, op.canceled, op.country FROM order_positions op JOIN orders o ON o.id = op.order_id
       WHERE op.id = ? AND ${s.sql}`,
    )
    .get(positionId, ...s.params) as Pick<OrderPositionRow, 'id' | 'canceled' | 'country'> | undefined;
}

/** The order of each of these positions. */
export function ordersOfPositions(
  db: ReadableDB,
  positionIds: number[],
): Pick<OrderPositionRow, 'id' | 'order_id'>[] {
  if (positionIds.length === 0) return [];
  return db
    .prepare(`SELECT id, order_id FROM order_positions WHERE id IN (${positionIds.map(() => '?').join(',')})`)
    .all(...positionIds) as Pick<OrderPositionRow, 'id' | 'order_id'>[];
}
