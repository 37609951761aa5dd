import type { Database } from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import {
  paperSize,
  type LayoutElement,
  type TicketLayout,
  layoutAssignments,
  listTicketLayouts,
} from '../../engine/tickets';
import { requireEvent, type ApiDeps } from '../context';
import { paginateList } from '../pagination';

function rgba(hex: string | undefined): [number, number, number, number] {
  const h = hex ?? '#000000';
  return [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16), 1];
}

/**
 * One of Guichet's layout elements in pretix's ticket layout language (ticketoutputpdf): text becomes a
 * `textarea` with its `{placeholders}` as free text, the QR code a `barcodearea` of the secret; positions
 * in millimetres from the bottom-left corner, as pretix measures them. Shapes have no pretix equivalent.
 */
function pretixElement(e: LayoutElement, pageHeight: number): Record<string, unknown> | null {
  if (e.type === 'text') {
    return {
      type: 'textarea',
      left: e.x.toFixed(2),
      bottom: (pageHeight - e.y - e.fontSize * 0.3528).toFixed(2),
      fontsize: e.fontSize.toFixed(1),
      color: rgba(e.color),
      fontfamily: 'Open Sans',
      bold: e.bold ?? false,
      italic: false,
      width: e.width.toFixed(2),
      content: 'other',
      text: e.content,
      align: e.align ?? 'left',
      autoresize: e.autoShrink ?? false,
    };
  }
  if (e.type === 'qrcode') {
    return {
      type: 'barcodearea',
      left: e.x.toFixed(2),
      bottom: (pageHeight - e.y - e.size).toFixed(2),
      size: e.size.toFixed(2),
      content: 'secret',
    };
  }
  if (e.type === 'image' && e.source === 'logo') {
    return {
      type: 'imagearea',
      left: e.x.toFixed(2),
      bottom: (pageHeight - e.y - e.height).toFixed(2),
      width: e.width.toFixed(2),
      height: e.height.toFixed(2),
      content: 'event_logo',
    };
  }
  return null;
}

function pretixLayout(layout: TicketLayout): Record<string, unknown>[] {
  const { width, height } = paperSize(layout);
  return [
    { type: 'paper', width: width.toFixed(2), height: height.toFixed(2) },
    ...layout.elements.map((e) => pretixElement(e, height)).filter((e): e is Record<string, unknown> => !!e),
  ];
}

function assignments(db: Database, eventId: number): { id: number; item: number; layout: number }[] {
  return layoutAssignments(db, eventId).map((a) => ({ item: a.item_id, layout: a.layout_id, id: a.item_id }));
}

/**
 * pretix's ticket layout API (doc/api/resources/ticketoutputpdf.rst: `ticketlayouts/`, `ticketlayoutitems/`),
 * read-only, over Guichet's own layouts, so pretixPOS and scripts see which layout prints which product.
 */
export function ticketLayoutRoutes(app: FastifyInstance, { engine }: ApiDeps): void {
  const EVENT = '/api/v1/organizers/:organizer/events/:event';
  app.get(`${EVENT}/ticketlayouts/`, async (req) => {
    const { event } = requireEvent(engine, req);
    return engine.read(() => {
      const items = assignments(engine.db, event.id);
      return paginateList(
        req,
        listTicketLayouts(engine.db, event.id).map((l) => ({
          id: l.id,
          name: l.name,
          default: l.isDefault,
          layout: pretixLayout(l.layout),
          background: null,
          item_assignments: items
            .filter((a) => a.layout === l.id)
            .map((a) => ({ sales_channel: 'web', item: a.item })),
        })),
      );
    });
  });
  app.get(`${EVENT}/ticketlayoutitems/`, async (req) => {
    const { event } = requireEvent(engine, req);
    return engine.read(() =>
      paginateList(
        req,
        assignments(engine.db, event.id).map((a) => ({
          id: a.id,
          layout: a.layout,
          item: a.item,
          sales_channel: 'web',
        })),
      ),
    );
  });
}
