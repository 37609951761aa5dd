import type { Database } from 'better-sqlite3';
import type { EngineContext } from '../context';
import {
  clearDefaultTicketLayout,
  deleteTicketLayoutItem,
  insertTicketLayout,
  itemForLayout,
  ticketLayoutEvent,
  ticketLayoutExists,
  ticketLayoutItemsOfEvent,
  ticketLayoutsOfEvent,
  updateTicketLayout,
  upsertTicketLayoutItem,
} from '../db/queries/tickets/layouts';
import type { TicketLayoutItemRow, TicketLayoutRow } from '../db/rows';
import { notFound } from '../errors';
import { defaultLayout, parseTicketLayout, type PaperName, type TicketLayout } from './layout';
import type { TicketData } from './ticket-data';

export interface StoredLayout {
  id: number;
  eventId: number;
  name: string;
  isDefault: boolean;
  layout: TicketLayout;
}

function fromRow(row: TicketLayoutRow): StoredLayout {
  return {
    id: row.id,
    eventId: row.event_id,
    name: row.name,
    isDefault: row.is_default === 1,
    layout: parseTicketLayout(JSON.parse(row.layout)),
  };
}

/** Saves a layout for an event; `isDefault` makes it the one every product without its own uses. */
export function saveTicketLayout(
  ctx: EngineContext,
  input: { eventId: number; layout: TicketLayout; isDefault?: boolean; id?: number },
): StoredLayout {
  // A layout built in code is held to the same limits as one read from a file.
  const layout = parseTicketLayout(input.layout);
  const event = ticketLayoutEvent(ctx.db, input.eventId);
  if (!event) throw notFound('Unknown event.');
  if (input.isDefault) clearDefaultTicketLayout(ctx.db, event.id);
  let id = input.id;
  if (id !== undefined) {
    const changed = updateTicketLayout(ctx.db, {
      id,
      event_id: event.id,
      name: layout.name,
      layout: JSON.stringify(layout),
      is_default: input.isDefault ? 1 : 0,
    });
    if (changed === 0) throw notFound('Unknown ticket layout.');
  } else {
    id = insertTicketLayout(ctx.db, {
      event_id: event.id,
      name: layout.name,
      is_default: input.isDefault ? 1 : 0,
      layout: JSON.stringify(layout),
    });
  }
  ctx.audit({
    organizerId: event.organizer_id,
    eventId: event.id,
    objectType: 'ticketlayout',
    objectId: id,
    actionType:
      input.id === undefined
        ? 'pretix.plugins.ticketoutputpdf.layout.added'
        : 'pretix.plugins.ticketoutputpdf.layout.changed',
    data: { name: layout.name, default: Boolean(input.isDefault) },
  });
  return { id, eventId: event.id, name: layout.name, isDefault: Boolean(input.isDefault), layout };
}

/** Gives a product its own layout, or (null) lets it use the event's default again. */
export function assignTicketLayout(
  ctx: EngineContext,
  input: { itemId: number; layoutId: number | null },
): void {
  const item = itemForLayout(ctx.db, input.itemId);
  if (!item) throw notFound('Unknown product.');
  if (input.layoutId === null) {
    deleteTicketLayoutItem(ctx.db, item.id);
  } else {
    if (!ticketLayoutExists(ctx.db, input.layoutId, item.event_id)) throw notFound('Unknown ticket layout.');
    upsertTicketLayoutItem(ctx.db, { item_id: item.id, layout_id: input.layoutId });
  }
  ctx.audit({
    organizerId: item.organizer_id,
    eventId: item.event_id,
    objectType: 'item',
    objectId: item.id,
    actionType: 'pretix.plugins.ticketoutputpdf.layout.assigned',
    data: { layout: input.layoutId },
  });
}

export function listTicketLayouts(db: Database, eventId: number): StoredLayout[] {
  return ticketLayoutsOfEvent(db, eventId).map(fromRow);
}

/**
 * Chooses the layout of each ticket: the product's own, else the event's default, else the built-in
 * default on the given paper. Layouts are read once per resolver, so a bulk export reads them once.
 */
export function layoutResolver(
  db: Database,
  eventId: number,
  fallbackPaper: PaperName = 'a4',
): (ticket: TicketData) => TicketLayout {
  const layouts = listTicketLayouts(db, eventId);
  const byId = new Map(layouts.map((l) => [l.id, l.layout]));
  const eventDefault = layouts.find((l) => l.isDefault)?.layout ?? defaultLayout(fallbackPaper);
  const byItem = new Map<number, TicketLayout>();
  for (const row of layoutAssignments(db, eventId)) {
    const layout = byId.get(row.layout_id);
    if (layout) byItem.set(row.item_id, layout);
  }
  return (ticket) => (ticket.position.itemId !== null && byItem.get(ticket.position.itemId)) || eventDefault;
}

/** Which products of an event print with which layout (products without one use the event's default). */
export function layoutAssignments(db: Database, eventId: number): TicketLayoutItemRow[] {
  return ticketLayoutItemsOfEvent(db, eventId);
}
