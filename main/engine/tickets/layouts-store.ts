import type { Database } from 'better-sqlite3';
import type { EngineContext } from '../context';
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

interface LayoutRow {
  id: number;
  event_id: number;
  name: string;
  is_default: number;
  layout: string;
}

function fromRow(row: LayoutRow): StoredLayout {
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
  input: { eventId: number; layout: unknown; isDefault?: boolean; id?: number },
): StoredLayout {
  const layout = parseTicketLayout(input.layout);
  const event = ctx.db.prepare('SELECT id, organizer_id FROM events WHERE id = ?').get(input.eventId) as
    { id: number; organizer_id: number } | undefined;
  if (!event) throw notFound('Unknown event.');
  if (input.isDefault)
    ctx.db.prepare('UPDATE ticket_layouts SET is_default = 0 WHERE event_id = ?').run(event.id);
  let id = input.id;
  if (id !== undefined) {
    const changed = ctx.db
      .prepare('UPDATE ticket_layouts SET name = ?, layout = ?, is_default = ? WHERE id = ? AND event_id = ?')
      .run(layout.name, JSON.stringify(layout), input.isDefault ? 1 : 0, id, event.id).changes;
    if (changed === 0) throw notFound('Unknown ticket layout.');
  } else {
    id = Number(
      ctx.db
        .prepare('INSERT INTO ticket_layouts (event_id, name, is_default, layout) VALUES (?, ?, ?, ?)')
        .run(event.id, layout.name, input.isDefault ? 1 : 0, JSON.stringify(layout)).lastInsertRowid,
    );
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
  const item = ctx.db
    .prepare(
      'SELECT i.id, i.event_id, e.organizer_id FROM items i JOIN events e ON e.id = i.event_id WHERE i.id = ?',
    )
    .get(input.itemId) as { id: number; event_id: number; organizer_id: number } | undefined;
  if (!item) throw notFound('Unknown product.');
  if (input.layoutId === null) {
    ctx.db.prepare('DELETE FROM ticket_layout_items WHERE item_id = ?').run(item.id);
  } else {
    const layout = ctx.db
      .prepare('SELECT id FROM ticket_layouts WHERE id = ? AND event_id = ?')
      .get(input.layoutId, item.event_id);
    if (!layout) throw notFound('Unknown ticket layout.');
    ctx.db
      .prepare(
        'INSERT INTO ticket_layout_items (item_id, layout_id) VALUES (?, ?) ON CONFLICT (item_id) DO UPDATE SET layout_id = excluded.layout_id',
      )
      .run(item.id, input.layoutId);
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
  return (
    db.prepare('SELECT * FROM ticket_layouts WHERE event_id = ? ORDER BY id').all(eventId) as LayoutRow[]
  ).map(fromRow);
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
export function layoutAssignments(db: Database, eventId: number): { item_id: number; layout_id: number }[] {
  return db
    .prepare(
      'SELECT tli.item_id, tli.layout_id FROM ticket_layout_items tli JOIN items i ON i.id = tli.item_id WHERE i.event_id = ? ORDER BY tli.item_id',
    )
    .all(eventId) as { item_id: number; layout_id: number }[];
}
