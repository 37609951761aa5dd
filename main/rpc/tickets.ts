import { layoutResolver } from '../engine/tickets/layouts-store';
import { loadTickets, orderTicketPositionIds } from '../engine/tickets/loader';
import { renderTicketsPdf } from '../engine/tickets/render';
import { readDeskSettings } from './desk-settings';
import type { RpcEnv } from './registry';

/**
 * The tickets of an order as one PDF (base64) for the desk to print: every live position that generates
 * a ticket under pretix's rules, on the item's layout, else the event's, else the default on the desk's
 * paper. Null when the order has no such position.
 */
export async function ticketPdfFor(env: RpcEnv, orderId: number): Promise<string | null> {
  const { tickets, layoutFor } = env.engine.read((ctx) => {
    const order = ctx.db.prepare('SELECT event_id FROM orders WHERE id = ?').get(orderId) as
      { event_id: number } | undefined;
    if (!order) return { tickets: [], layoutFor: null };
    const paper = readDeskSettings(ctx.db).printer.paper;
    return {
      tickets: loadTickets(ctx.db, orderTicketPositionIds(ctx.db, orderId)),
      layoutFor: layoutResolver(ctx.db, order.event_id, paper),
    };
  });
  if (tickets.length === 0 || !layoutFor) return null;
  const pdf = await renderTicketsPdf(tickets, layoutFor, { title: 'Tickets' });
  return pdf.toString('base64');
}
