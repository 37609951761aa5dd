import type { ReadableDB } from '../handles';
import type {
  EventRow,
  ItemRow,
  ItemVariationRow,
  OrderPaymentRow,
  OrderPositionRow,
  OrderRow,
} from '../rows';
import { readAll } from './statements';

/** An order as the export lists it, with its event's slug. */
export type ExportedOrder = Pick<
  OrderRow,
  'id' | 'code' | 'status' | 'email' | 'datetime' | 'total' | 'testmode'
> & {
  event: EventRow['slug'];
};

/** A position as the export lists it, with the names of its product (i18n JSON text). */
export type ExportedPosition = Pick<
  OrderPositionRow,
  'positionid' | 'price' | 'attendee_email' | 'secret' | 'canceled'
> & {
  item: ItemRow['name'];
  variation: ItemVariationRow['value'] | null;
  attendee_name: OrderPositionRow['attendee_name_cached'];
};

export type ExportedPayment = Pick<OrderPaymentRow, 'local_id' | 'provider' | 'state' | 'amount'>;

/** The next up to 500 orders after `afterId`, of the event with this slug or of all events. */
export function exportOrderBatch(db: ReadableDB, eventSlug: string | null, afterId: number): ExportedOrder[] {
  return db
    .prepare<[string | null, string | null, number], ExportedOrder>(
      `SELECT o.id, e.slug AS event, o.code, o.status, o.email, o.datetime, o.total, o.testmode
     FROM orders o JOIN events e ON e.id = o.event_id
     WHERE (? IS NULL OR e.slug = ?) AND o.id > ?
     ORDER BY o.id LIMIT 500`,
    )
    .all(eventSlug, eventSlug, afterId);
}

export const exportPositions = readAll<
  [orderId: number],
  ExportedPosition
>(`SELECT op.positionid, i.name AS item, v.value AS variation, op.price, op.attendee_name_cached AS attendee_name,
            op.attendee_email, op.secret, op.canceled
     FROM order_positions op JOIN items i ON i.id = op.item_id LEFT JOIN item_variations v ON v.id = op.variation_id
     WHERE op.order_id = ? ORDER BY op.positionid`);

export const exportPayments = readAll<[orderId: number], ExportedPayment>(
  'SELECT local_id, provider, state, amount FROM order_payments WHERE order_id = ? ORDER BY local_id',
);

/** A consistent copy of everything committed (the WAL included) written to `target` by SQLite itself. */
export function vacuumInto(db: ReadableDB, target: string): void {
  db.prepare('VACUUM INTO ?').run(target);
}
