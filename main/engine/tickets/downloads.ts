import type { Database } from 'better-sqlite3';
import { eventSettings } from '../catalog/settings';
import {
  orderForDownloadById,
  orderForDownloadByCode,
  orderForTickets,
  positionForDownload,
  type OrderForTicketDownload,
} from '../db/queries/tickets/ticket-positions';
import { eventPlugins } from '../db/queries/orders/place';
import { EngineError, forbidden, found } from '../errors';
import { orderDownloadRefusal, PDF_OUTPUT_PLUGIN, positionGeneratesTicket } from './eligibility';
import type { PaperName } from './layout';
import { layoutResolver } from './layouts-store';
import { loadTickets, orderTicketPositionIds } from './loader';
import { renderTicketsPdf } from './render';

/** Whether the event offers the PDF output at all (pretix: the ticket output plugin is active). */
export function pdfOutputActive(db: Database, eventId: number): boolean {
  const row = eventPlugins(db, eventId);
  if (!row) return false;
  try {
    const plugins = JSON.parse(row.plugins) as unknown;
    return Array.isArray(plugins) && plugins.includes(PDF_OUTPUT_PLUGIN);
  } catch {
    return false;
  }
}

export interface TicketFile {
  filename: string;
  contentType: 'application/pdf';
  data: Buffer;
}

function unknownOutput(): EngineError {
  return new EngineError('unknown_output', 'Unknown output provider.', { kind: 'not_found' });
}

function checkOrder(db: Database, eventId: number, order: OrderForTicketDownload): void {
  const refusal = orderDownloadRefusal(
    {
      status: order.status,
      require_approval: order.require_approval === 1,
      valid_if_pending: order.valid_if_pending === 1,
    },
    eventSettings(db, eventId),
  );
  if (refusal) throw forbidden(refusal);
}

/**
 * What a download is for, checked in pretix's order: the output first (404 "Unknown output provider."),
 * then what `find` looks up (404), then the order's state (403).
 */
function downloadable<T extends { order: OrderForTicketDownload }>(
  db: Database,
  eventId: number,
  output: string,
  find: () => T,
): T {
  if (output !== 'pdf' || !pdfOutputActive(db, eventId)) throw unknownOutput();
  const target = find();
  checkOrder(db, eventId, target.order);
  return target;
}

/** The tickets of the positions as one PDF file. */
async function ticketFile(
  db: Database,
  eventId: number,
  positionIds: number[],
  name: { title: string; filename: string },
): Promise<TicketFile> {
  const data = await renderTicketsPdf(loadTickets(db, positionIds), layoutResolver(db, eventId), {
    title: name.title,
  });
  return { filename: name.filename, contentType: 'application/pdf', data };
}

/** pretix's `GET …/orders/{code}/download/{output}/`: the order's tickets in one PDF. */
export async function orderTicketFile(
  db: Database,
  eventId: number,
  code: string,
  output: string,
): Promise<TicketFile> {
  const { order } = downloadable(db, eventId, output, () => ({
    order: found(orderForDownloadByCode(db, eventId, code)),
  }));
  return ticketFile(db, eventId, orderTicketPositionIds(db, order.id), {
    title: `Tickets ${order.code}`,
    filename: `${order.event_slug}-${order.code}-pdf.pdf`,
  });
}

/** pretix's `GET …/orderpositions/{id}/download/{output}/`: one position's ticket. */
export async function positionTicketFile(
  db: Database,
  eventId: number,
  positionId: number,
  output: string,
): Promise<TicketFile> {
  const { position, order } = downloadable(db, eventId, output, () => {
    const position = found(positionForDownload(db, eventId, positionId));
    return { position, order: found(orderForDownloadById(db, position.order_id)) };
  });
  const settings = eventSettings(db, eventId);
  const blocked = position.blocked ? (JSON.parse(position.blocked) as string[] | null) : null;
  const generates = positionGeneratesTicket(
    {
      addon_to: position.addon_to_id,
      blocked: Array.isArray(blocked) ? blocked : null,
      item_admission: position.admission === 1,
      item_generate_tickets: position.generate_tickets === null ? null : position.generate_tickets === 1,
    },
    settings,
  );
  if (!generates) throw forbidden('Downloads are not enabled for this product.');
  return ticketFile(db, eventId, [position.id], {
    title: `Ticket ${order.code}-${position.positionid}`,
    filename: `${order.event_slug}-${order.code}-${position.positionid}-pdf.pdf`,
  });
}

/**
 * The tickets of one order as a PDF for the desk (printing at the end of a sale), without the API's
 * download rules: the desk prints what it has just sold. Null when no position of the order gets a ticket.
 */
export async function renderOrderTickets(
  db: Database,
  orderId: number,
  options: { paper?: PaperName; marks?: string[] } = {},
): Promise<Buffer | null> {
  const order = orderForTickets(db, orderId);
  if (!order) return null;
  const ids = orderTicketPositionIds(db, orderId);
  if (ids.length === 0) return null;
  const tickets = loadTickets(db, ids).map((t) =>
    options.marks?.length ? { ...t, marks: options.marks } : t,
  );
  return renderTicketsPdf(tickets, layoutResolver(db, order.event_id, options.paper), {
    title: `Tickets ${order.code}`,
  });
}
