import { renderOrderTickets } from '../engine/tickets/downloads';
import { readDeskSettings } from './desk-settings';
import type { RpcEnv } from './registry';

/**
 * The tickets of an order as one PDF (base64) for the desk to print, on the desk's paper unless the item
 * or event has its own layout. Where the desk runs in Electron it is also sent to the printer. Null when
 * no position of the order gets a ticket.
 */
export async function ticketPdfFor(env: RpcEnv, orderId: number): Promise<string | null> {
  const paper = readDeskSettings(env.engine.db).printer.paper;
  const pdf = await renderOrderTickets(env.engine.db, orderId, { paper });
  if (!pdf) return null;
  if (env.printTickets) await env.printTickets(pdf, `order-${orderId}`);
  return pdf.toString('base64');
}
