import { describe, expect, it } from 'vitest';
import { exportOrders, ordersAsCsv, ordersAsJson } from '../../../main/engine/backup/export';
import { testEngine } from '../../helpers';
import { fixtureEvent, fixtureItem } from '../../fixtures/catalog';

function insertOrder(
  db: ReturnType<typeof testEngine>['engine']['db'],
  ids: { organizerId: number; eventId: number; itemId: number },
  code: string,
  attendee: string,
): void {
  const orderId = Number(
    db
      .prepare(
        `INSERT INTO orders (organizer_id, event_id, code, status, email, secret, datetime, expires, total, last_modified)
         VALUES (?, ?, ?, 'p', 'a@example.org', 's', '2026-01-01T00:00:00.000Z', '2026-01-15T00:00:00.000Z', '23.00', '2026-01-01T00:00:00.000Z')`,
      )
      .run(ids.organizerId, ids.eventId, code).lastInsertRowid,
  );
  db.prepare(
    `INSERT INTO order_positions (order_id, organizer_id, positionid, item_id, price, secret, web_secret, pseudonymization_id, attendee_name_cached)
     VALUES (?, ?, 1, ?, '23.00', ?, 'w', ?, ?)`,
  ).run(orderId, ids.organizerId, ids.itemId, `secret${code}`, `PSEUDO${code}`, attendee);
  db.prepare(
    `INSERT INTO order_payments (order_id, local_id, state, amount, created, provider) VALUES (?, 1, 'confirmed', '23.00', '2026-01-01T00:00:00.000Z', 'boxoffice')`,
  ).run(orderId);
}

describe('order export', () => {
  it('exports every order as CSV and JSON, guarding spreadsheet formulas', () => {
    const { engine, organizerId } = testEngine();
    const eventId = fixtureEvent(engine, organizerId, { slug: 'gala' });
    const itemId = fixtureItem(engine, eventId, { name: 'Seat' });
    insertOrder(engine.db, { organizerId, eventId, itemId }, 'ABCDE', 'Zoë, "Ø"');
    insertOrder(engine.db, { organizerId, eventId, itemId }, 'FGHJK', '=HYPERLINK("x")');
    const csv = [...ordersAsCsv(exportOrders(engine.db))].join('');
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(
      'gala,ABCDE,p,a@example.org,2026-01-01T00:00:00.000Z,23.00,false,1,"Zoë, ""Ø""",boxoffice',
    );
    expect(lines[2]).toContain(`"'=HYPERLINK(""x"")"`);
    const json = JSON.parse([...ordersAsJson(exportOrders(engine.db, { eventSlug: 'gala' }))].join('')) as {
      code: string;
      positions: { item: string; attendee_name: string }[];
    }[];
    expect(json.map((o) => o.code)).toEqual(['ABCDE', 'FGHJK']);
    expect(json[0]!.positions[0]).toMatchObject({ item: 'Seat', attendee_name: 'Zoë, "Ø"' });
    expect([...exportOrders(engine.db, { eventSlug: 'other' })]).toEqual([]);
  });
});
