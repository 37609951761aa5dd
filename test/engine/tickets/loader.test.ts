import { describe, expect, it } from 'vitest';
import {
  orderTicketPositionIds,
  loadTickets,
  selectTicketPositionIds,
} from '../../../main/engine/tickets/loader';
import {
  layoutResolver,
  saveTicketLayout,
  assignTicketLayout,
} from '../../../main/engine/tickets/layouts-store';
import { renderTicketsPdf } from '../../../main/engine/tickets/render';
import { defaultLayout } from '../../../main/engine/tickets/layout';
import { testEngine } from '../../helpers';
import { placeOrder, ticketEvent } from './fixtures';
import { decodeQrOnPage, pdfPageCount, pdfText } from './pdf-tools';

describe('tickets from the database', () => {
  it("renders an order's PDF with event, attendee, order code and price, and the secret in the QR code", async () => {
    const { engine, organizerId } = testEngine();
    const { eventId, ticket } = ticketEvent(engine, organizerId);
    const order = placeOrder(engine, eventId, [
      { item: ticket, price: '23.00', name: 'Zoë Ødegård' },
      { item: ticket, price: '19.50', name: '王芳' },
    ]);
    const ids = orderTicketPositionIds(engine.db, order.id);
    expect(ids).toEqual(order.positions.map((p) => p.id));
    const tickets = loadTickets(engine.db, ids);
    expect(tickets[0]).toMatchObject({
      event: { name: 'Summer Fest', location: 'Open Air Stage', currency: 'EUR' },
      order: { code: order.code },
      position: { item: 'Day Pass', attendeeName: 'Zoë Ødegård', price: '23.00', positionid: 1 },
    });
    const pdf = await renderTicketsPdf(tickets, layoutResolver(engine.db, eventId));
    const pages = (await pdfText(pdf)).split('\f');
    expect(pages).toHaveLength(3);
    expect(pages[0]).toContain('Summer Fest');
    expect(pages[0]).toContain('Zoë Ødegård');
    expect(pages[0]).toContain(order.code);
    expect(pages[0]).toContain('23.00');
    expect(pages[1]).toContain('王芳');
    expect(pages[1]).toContain('19.50');
    expect(await decodeQrOnPage(pdf, 2)).toBe(order.positions[1]!.secret);
  });

  it('leaves out canceled positions, and non-admission products when the event says so', () => {
    const { engine, organizerId } = testEngine();
    const { eventId, ticket, merch } = ticketEvent(engine, organizerId);
    const order = placeOrder(engine, eventId, [
      { item: ticket, price: '23.00' },
      { item: merch, price: '9.00' },
      { item: ticket, price: '23.00' },
    ]);
    const [first, mug, third] = order.positions.map((p) => p.id);
    expect(orderTicketPositionIds(engine.db, order.id)).toEqual([first, mug, third]);
    engine.db.prepare('UPDATE order_positions SET canceled = 1 WHERE id = ?').run(third);
    engine.db
      .prepare('UPDATE events SET settings = json_set(settings, ?, json(?)) WHERE id = ?')
      .run('$.ticket_download_nonadm', 'false', eventId);
    expect(orderTicketPositionIds(engine.db, order.id)).toEqual([first]);
    engine.db.prepare('UPDATE items SET generate_tickets = 1 WHERE id = ?').run(merch);
    expect(orderTicketPositionIds(engine.db, order.id)).toEqual([first, mug]);
  });

  it('selects paid tickets of an event or of listed orders, in order of sale', () => {
    const { engine, organizerId, clock } = testEngine();
    const { eventId, ticket } = ticketEvent(engine, organizerId);
    const a = placeOrder(engine, eventId, [{ item: ticket, price: '23.00' }]);
    clock.advance(1000);
    const pending = placeOrder(engine, eventId, [{ item: ticket, price: '23.00' }], 'n');
    const b = placeOrder(engine, eventId, [
      { item: ticket, price: '23.00' },
      { item: ticket, price: '23.00' },
    ]);
    const all = selectTicketPositionIds(engine.db, { eventId });
    expect(all).toHaveLength(3);
    expect(all).not.toContain(pending.positions[0]!.id);
    expect(selectTicketPositionIds(engine.db, { eventId, orderCodes: [b.code] })).toEqual(
      b.positions.map((p) => p.id),
    );
    expect(selectTicketPositionIds(engine.db, { eventId, statuses: ['n', 'p'] })).toHaveLength(4);
    expect(selectTicketPositionIds(engine.db, { eventId, orderCodes: [] })).toEqual([]);
    expect(all[0]).toBe(a.positions[0]!.id);
  });

  it("prints a product with its own layout, others with the event's default", async () => {
    const { engine, organizerId } = testEngine();
    const { eventId, ticket, merch } = ticketEvent(engine, organizerId);
    const vip = engine.command((ctx) =>
      saveTicketLayout(ctx, {
        eventId,
        layout: {
          name: 'Mug voucher',
          paper: '80mm',
          elements: [{ type: 'text', x: 5, y: 5, width: 70, content: 'MUG VOUCHER {order}', fontSize: 12 }],
        },
      }),
    );
    engine.command((ctx) =>
      saveTicketLayout(ctx, { eventId, layout: defaultLayout('letter'), isDefault: true }),
    );
    engine.command((ctx) => assignTicketLayout(ctx, { itemId: merch, layoutId: vip.id }));
    const order = placeOrder(engine, eventId, [
      { item: ticket, price: '23.00' },
      { item: merch, price: '9.00' },
    ]);
    const tickets = loadTickets(engine.db, orderTicketPositionIds(engine.db, order.id));
    const resolve = layoutResolver(engine.db, eventId);
    expect(resolve(tickets[0]!).paper).toBe('letter');
    expect(resolve(tickets[1]!).name).toBe('Mug voucher');
    const pdf = await renderTicketsPdf(tickets, resolve);
    expect(await pdfPageCount(pdf)).toBe(2);
    expect((await pdfText(pdf)).split('\f')[1]).toContain(`MUG VOUCHER ${order.code}`);
    const audit = engine.db
      .prepare(
        "SELECT action_type FROM audit_log WHERE action_type LIKE 'pretix.plugins.ticketoutputpdf.%' ORDER BY id",
      )
      .all() as { action_type: string }[];
    expect(audit.map((r) => r.action_type)).toEqual([
      'pretix.plugins.ticketoutputpdf.layout.added',
      'pretix.plugins.ticketoutputpdf.layout.added',
      'pretix.plugins.ticketoutputpdf.layout.assigned',
    ]);
  });
});
