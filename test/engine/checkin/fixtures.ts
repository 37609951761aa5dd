import type { Engine } from '../../../main/engine/engine';
import { generateTicketSecret } from '../../../main/engine/ids';

let counter = 0;

export interface FixturePosition {
  itemId: number;
  variationId?: number | null;
  subeventId?: number | null;
  secret?: string;
  attendeeName?: string | null;
  addonTo?: number;
  validFrom?: string;
  validUntil?: string;
  blocked?: string[];
  canceled?: boolean;
}

/**
 * Inserts an order with its positions straight in SQL, so check-in tests do not depend on order creation.
 * Returns the order id and the position ids in the given order.
 */
export function fixtureOrder(
  engine: Engine,
  organizerId: number,
  eventId: number,
  fields: {
    status?: 'n' | 'p' | 'e' | 'c';
    email?: string;
    requireApproval?: boolean;
    validIfPending?: boolean;
    checkinAttention?: boolean;
    checkinText?: string | null;
    positions: FixturePosition[];
  },
): { orderId: number; positionIds: number[]; secrets: string[] } {
  counter += 1;
  const code = `F${String(counter).padStart(4, '0')}`;
  const orderId = Number(
    engine.db
      .prepare(
        `INSERT INTO orders (organizer_id, event_id, code, status, require_approval, valid_if_pending, email, locale,
           secret, datetime, expires, total, checkin_attention, checkin_text, last_modified)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'en', ?, '2026-02-01T10:00:00.000Z', '2026-02-15T10:00:00.000Z', '23.00', ?, ?,
           '2026-02-01T10:00:00.000Z')`,
      )
      .run(
        organizerId,
        eventId,
        code,
        fields.status ?? 'p',
        fields.requireApproval ? 1 : 0,
        fields.validIfPending ? 1 : 0,
        fields.email ?? 'buyer@example.org',
        `s${counter}`,
        fields.checkinAttention ? 1 : 0,
        fields.checkinText ?? null,
      ).lastInsertRowid,
  );
  const positionIds: number[] = [];
  const secrets: string[] = [];
  fields.positions.forEach((p, i) => {
    const secret = p.secret ?? generateTicketSecret();
    const id = Number(
      engine.db
        .prepare(
          `INSERT INTO order_positions (order_id, organizer_id, positionid, item_id, variation_id, subevent_id, price,
             secret, web_secret, pseudonymization_id, attendee_name_cached, addon_to_id, canceled, blocked,
             valid_from, valid_until)
           VALUES (?, ?, ?, ?, ?, ?, '23.00', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          orderId,
          organizerId,
          i + 1,
          p.itemId,
          p.variationId ?? null,
          p.subeventId ?? null,
          secret,
          `w${counter}x${i}`,
          `P${counter}X${i}`,
          p.attendeeName === undefined ? 'Peter' : p.attendeeName,
          p.addonTo !== undefined ? positionIds[p.addonTo]! : null,
          p.canceled ? 1 : 0,
          p.blocked ? JSON.stringify(p.blocked) : null,
          p.validFrom ?? null,
          p.validUntil ?? null,
        ).lastInsertRowid,
    );
    positionIds.push(id);
    secrets.push(secret);
  });
  return { orderId, positionIds, secrets };
}

export function fixtureSubevent(engine: Engine, eventId: number, name: string, dateFrom: string): number {
  return Number(
    engine.db
      .prepare('INSERT INTO subevents (event_id, name, active, date_from) VALUES (?, ?, 1, ?)')
      .run(eventId, JSON.stringify({ en: name }), dateFrom).lastInsertRowid,
  );
}
