import type { EngineContext } from '../engine/context';
import { orderStatusOf } from '../engine/orders';
import { printMarks, queueOrderTickets } from '../engine/printing';
import { renderOrderTickets } from '../engine/tickets';
import type { PrintJobView } from '../../shared/contract';
import { printJobView } from '../engine/printing';
import { readDeskSettings } from '../engine/preferences';
import type { RpcEnv } from './registry';

/**
 * The tickets of an order as one PDF (base64) for the desk to print, on the desk's paper unless the item
 * or event has its own layout. Where the desk runs in Electron it is also sent to the printer. Null when
 * no position of the order gets a ticket.
 */
export async function ticketPdfFor(
  env: RpcEnv,
  orderId: number,
  options: { reprint?: boolean } = {},
): Promise<string | null> {
  const paper = readDeskSettings(env.engine.db).printer.paper;
  const status = orderStatusOf(env.engine.db, orderId);
  const marks = status ? printMarks({ status }, options.reprint ?? false) : [];
  const pdf = await renderOrderTickets(env.engine.db, orderId, { paper, marks });
  if (!pdf) return null;
  if (env.printTickets) await env.printTickets(pdf, `order-${orderId}`);
  return pdf.toString('base64');
}

/**
 * Inside the sale's own transaction: queues the order's tickets on the tickets printer, if one is set
 * up, so a sale and its print job commit together and a crash right after the sale still prints.
 */
export function queueSaleTickets<T extends { orderId: number }>(
  ctx: EngineContext,
  placed: T,
): T & { printJobId: number | null } {
  const job = queueOrderTickets(ctx, {
    orderId: placed.orderId,
    key: `sale:${placed.orderId}`,
    reprint: false,
  });
  return { ...placed, printJobId: job?.id ?? null };
}

/** What the desk hears after a sale: the queued print job, or else the PDF to print itself. */
export async function saleTickets(
  env: RpcEnv,
  placed: { orderId: number; printJobId: number | null },
): Promise<{ ticketPdf: string | null; printJob: PrintJobView | null }> {
  if (placed.printJobId === null)
    return { ticketPdf: await ticketPdfFor(env, placed.orderId), printJob: null };
  env.printQueue?.kick();
  const { printJobRow } = await import('../engine/printing');
  return {
    ticketPdf: null,
    printJob: printJobView(env.engine.db, printJobRow(env.engine.db, placed.printJobId)),
  };
}
