import { describe, expect, it } from 'vitest';
import { fixtureEvent, fixtureItem, fixtureQuestion } from '../fixtures/catalog';
import { testEngine } from '../helpers';
import { fixtureOrder } from '../engine/checkin/fixtures';
import { apiServers, postDoorList } from '../support/api';

/**
 * `pdf_data=true` as pretix serves it: api/serializers/order.py (PdfDataSerializer, OrderPositionSerializer
 * drops the field unless the context asks for it), api/views/order.py (EventOrderViewSet and
 * OrderPositionViewSet put `pdf_data` in the serializer context from the query; OrganizerOrderViewSet
 * never does) and api/views/checkin.py (check-in list positions), as doc/api/resources/orders.rst documents.
 */

const servers = apiServers();

async function setup() {
  const { engine, organizerId } = testEngine('2026-06-01T18:00:00Z');
  const eventId = fixtureEvent(engine, organizerId, { slug: 'gala' });
  engine.db.prepare(`UPDATE events SET meta_data = '{"Hall":"B"}' WHERE id = ?`).run(eventId);
  const ticket = fixtureItem(engine, eventId, { name: 'Ticket' });
  engine.db.prepare(`UPDATE items SET meta_data = '{"Zone":"VIP"}' WHERE id = ?`).run(ticket);
  const question = fixtureQuestion(engine, eventId, { type: 'S', items: [ticket], identifier: 'DIET' });
  const unanswered = fixtureQuestion(engine, eventId, { type: 'S', items: [ticket], identifier: 'SHIRT' });
  const order = fixtureOrder(engine, organizerId, eventId, {
    positions: [{ itemId: ticket, attendeeName: 'Zoë Ødegård' }],
  });
  engine.db
    .prepare('INSERT INTO question_answers (orderposition_id, question_id, answer) VALUES (?, ?, ?)')
    .run(order.positionIds[0], question.id, 'vegan');
  const code = (
    engine.db.prepare('SELECT code FROM orders WHERE id = ?').get(order.orderId) as { code: string }
  ).code;
  const { app, admin: headers } = await servers.startAsAdmin(engine, organizerId);
  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url, headers });
    expect(res.statusCode, url).toBe(200);
    return res.json();
  };
  const listId = await postDoorList(app, headers);
  return {
    get,
    code,
    order,
    question: question.id,
    unanswered: unanswered.id,
    listId,
  };
}

const EVENT = '/api/v1/organizers/box-office/events/gala';

describe('pdf_data=true', () => {
  it('adds each position’s ticket variables on the event-level order list and detail', async () => {
    const { get, code, order, question, unanswered } = await setup();
    const listed = await get(`${EVENT}/orders/?pdf_data=true`);
    const data = listed.results[0].positions[0].pdf_data as Record<string, unknown>;
    expect(data).toMatchObject({
      secret: order.secrets[0],
      order: code,
      positionid: '1',
      item: 'Ticket',
      attendee_name: 'Zoë Ødegård',
      event_name: 'Fixture Event',
      [`question_${question}`]: 'vegan',
      [`question_${unanswered}`]: '',
      'meta:Hall': 'B',
      'itemmeta:Zone': 'VIP',
      images: {},
    });
    expect(typeof data.event_date).toBe('string');
    expect(data).not.toHaveProperty('print_marks');
    const detail = await get(`${EVENT}/orders/${code}/?pdf_data=true`);
    expect(detail.positions[0].pdf_data).toEqual(data);
    // pretix reads the flag case-insensitively, and only `true` switches it on.
    expect((await get(`${EVENT}/orders/?pdf_data=TRUE`)).results[0].positions[0].pdf_data).toEqual(data);
    expect((await get(`${EVENT}/orders/?pdf_data=1`)).results[0].positions[0]).not.toHaveProperty('pdf_data');
    expect((await get(`${EVENT}/orders/`)).results[0].positions[0]).not.toHaveProperty('pdf_data');
  });

  it('adds it on event-level order positions and check-in list positions', async () => {
    const { get, order, listId } = await setup();
    const positions = await get(`${EVENT}/orderpositions/?pdf_data=true`);
    expect(positions.results[0].pdf_data.secret).toBe(order.secrets[0]);
    const one = await get(`${EVENT}/orderpositions/${order.positionIds[0]}/?pdf_data=true`);
    expect(one.pdf_data).toEqual(positions.results[0].pdf_data);
    const checkin = await get(`${EVENT}/checkinlists/${listId}/positions/?pdf_data=true`);
    expect(checkin.results[0].pdf_data).toEqual(positions.results[0].pdf_data);
    expect((await get(`${EVENT}/orderpositions/`)).results[0]).not.toHaveProperty('pdf_data');
  });

  it('is never added on organizer-level lists (OrganizerOrderViewSet sets pdf_data False)', async () => {
    const { get } = await setup();
    const orders = await get('/api/v1/organizers/box-office/orders/?pdf_data=true');
    expect(orders.results[0].positions[0]).not.toHaveProperty('pdf_data');
    const positions = await get('/api/v1/organizers/box-office/orderpositions/?pdf_data=true');
    expect(positions.results[0]).not.toHaveProperty('pdf_data');
  });
});
