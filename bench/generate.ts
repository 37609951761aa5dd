import type { Database } from 'better-sqlite3';
import { generatePseudonymizationId, generateTicketSecret } from '../main/engine/ids';
import { recountQuota } from '../main/engine/quotas/counters';
import { makeContext } from '../main/engine/context';
import { systemClock } from '../main/engine/clock';

export interface GeneratedEvent {
  organizerId: number;
  eventId: number;
  itemIds: number[];
  quotaIds: number[];
}

/** A benchmark event: `items` admission items, each in its own quota of `quotaSize` (null = unlimited). */
export function createBenchEvent(
  db: Database,
  options: { items?: number; quotaSize?: number | null } = {},
): GeneratedEvent {
  const now = new Date().toISOString();
  db.prepare("INSERT OR IGNORE INTO organizers (slug, name) VALUES ('bench', 'Bench')").run();
  const organizerId = (db.prepare("SELECT id FROM organizers WHERE slug = 'bench'").get() as { id: number })
    .id;
  const eventId = Number(
    db
      .prepare(
        `INSERT INTO events (organizer_id, slug, name, currency, date_from, settings, created)
         VALUES (?, ?, '{"en":"Bench"}', 'EUR', '2031-01-01T18:00:00.000Z', '{}', ?)`,
      )
      .run(organizerId, `bench${Math.random().toString(36).slice(2, 8)}`, now).lastInsertRowid,
  );
  const itemIds: number[] = [];
  const quotaIds: number[] = [];
  for (let i = 0; i < (options.items ?? 3); i++) {
    const itemId = Number(
      db
        .prepare("INSERT INTO items (event_id, name, default_price, admission) VALUES (?, ?, '25.00', 1)")
        .run(eventId, JSON.stringify({ en: `Ticket ${i + 1}` })).lastInsertRowid,
    );
    const quotaId = Number(
      db
        .prepare('INSERT INTO quotas (event_id, name, size) VALUES (?, ?, ?)')
        .run(eventId, `Quota ${i + 1}`, options.quotaSize === undefined ? 1_000_000_000 : options.quotaSize)
        .lastInsertRowid,
    );
    db.prepare('INSERT INTO quota_items (quota_id, item_id) VALUES (?, ?)').run(quotaId, itemId);
    itemIds.push(itemId);
    quotaIds.push(quotaId);
  }
  return { organizerId, eventId, itemIds, quotaIds };
}

/**
 * Fills the database with `count` paid one-position orders (with a payment and a log row each) by bare
 * inserts, in batches, then recounts the quota counters. Used to grow a database to 1M orders quickly.
 */
export function fillOrders(
  db: Database,
  event: GeneratedEvent,
  count: number,
  onProgress?: (done: number) => void,
): void {
  const insertOrder = db.prepare(
    `INSERT INTO orders (organizer_id, event_id, code, status, email, secret, datetime, expires, total, last_modified)
     VALUES (?, ?, ?, 'p', NULL, ?, ?, ?, '25.00', ?)`,
  );
  const insertPosition = db.prepare(
    `INSERT INTO order_positions (order_id, organizer_id, positionid, item_id, price, tax_rate, tax_value, secret, web_secret, pseudonymization_id)
     VALUES (?, ?, 1, ?, '25.00', '0.00', '0.00', ?, ?, ?)`,
  );
  const insertPayment = db.prepare(
    `INSERT INTO order_payments (order_id, local_id, state, amount, created, payment_date, provider)
     VALUES (?, 1, 'confirmed', '25.00', ?, ?, 'boxoffice')`,
  );
  const insertLog = db.prepare(
    `INSERT INTO audit_log (datetime, organizer_id, event_id, object_type, object_id, action_type, actor, data)
     VALUES (?, ?, ?, 'order', ?, 'pretix.event.order.placed', 'bench', '{}')`,
  );
  const start = (db.prepare('SELECT COALESCE(MAX(id), 0) AS n FROM orders').get() as { n: number }).n;
  const batch = 20_000;
  for (let done = 0; done < count;) {
    const n = Math.min(batch, count - done);
    db.transaction(() => {
      for (let i = 0; i < n; i++) {
        const seq = start + done + i + 1;
        const at = new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString();
        const code = 'B' + seq.toString(36).toUpperCase().padStart(8, '0');
        const orderId = Number(
          insertOrder.run(event.organizerId, event.eventId, code, generatePseudonymizationId(), at, at, at)
            .lastInsertRowid,
        );
        const item = event.itemIds[seq % event.itemIds.length]!;
        insertPosition.run(
          orderId,
          event.organizerId,
          item,
          generateTicketSecret(),
          'w',
          `P${seq.toString(36).toUpperCase()}`,
        );
        insertPayment.run(orderId, at, at);
        insertLog.run(at, event.organizerId, event.eventId, orderId);
      }
    })();
    done += n;
    onProgress?.(done);
  }
  const ctx = makeContext(db, systemClock, 'bench');
  for (const q of event.quotaIds) recountQuota(ctx, q);
}
