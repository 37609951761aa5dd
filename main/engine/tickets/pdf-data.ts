import type { Database } from 'better-sqlite3';
import { loadTickets } from './loader';
import { PLACEHOLDERS } from './ticket-data';

/** Desk-only marks (REPRINT, NOT PAID) are not ticket data a scanner prints from. */
const NOT_EXPORTED = new Set(['print_marks']);

function metaOf(raw: string | null | undefined): Record<string, unknown> {
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/**
 * pretix's `pdf_data` of order positions (api/serializers/order.py PdfDataSerializer): every text variable
 * a ticket or badge layout can print, evaluated for the position in its order's language, so a scanner can
 * print badges offline; `question_<id>` for each of the event's questions, `meta:<key>` for the event's
 * (or sub-event's) meta data, `itemmeta:<key>` for the product's, and `images` (Guichet's layouts have no
 * image variables, so it is empty). Returned per position id.
 */
export function positionPdfData(db: Database, positionIds: number[]): Map<number, Record<string, unknown>> {
  const out = new Map<number, Record<string, unknown>>();
  if (positionIds.length === 0) return out;
  const marks = positionIds.map(() => '?').join(',');
  const context = new Map(
    (
      db
        .prepare(
          `SELECT op.id, o.event_id, e.meta_data AS event_meta, s.meta_data AS subevent_meta, i.meta_data AS item_meta
           FROM order_positions op JOIN orders o ON o.id = op.order_id JOIN events e ON e.id = o.event_id
           JOIN items i ON i.id = op.item_id LEFT JOIN subevents s ON s.id = op.subevent_id
           WHERE op.id IN (${marks})`,
        )
        .all(...positionIds) as {
        id: number;
        event_id: number;
        event_meta: string | null;
        subevent_meta: string | null;
        item_meta: string | null;
      }[]
    ).map((r) => [r.id, r]),
  );
  const answers = db
    .prepare(
      `SELECT orderposition_id, question_id, answer FROM question_answers WHERE orderposition_id IN (${marks})`,
    )
    .all(...positionIds) as { orderposition_id: number; question_id: number; answer: string }[];
  const questionsByEvent = new Map<number, number[]>();
  const questionsOf = (eventId: number): number[] => {
    let ids = questionsByEvent.get(eventId);
    if (!ids) {
      ids = (
        db.prepare('SELECT id FROM questions WHERE event_id = ? ORDER BY id').all(eventId) as { id: number }[]
      ).map((r) => r.id);
      questionsByEvent.set(eventId, ids);
    }
    return ids;
  };
  for (const ticket of loadTickets(db, positionIds)) {
    const id = ticket.position.id;
    const row = context.get(id);
    if (!row) continue;
    const data: Record<string, unknown> = {};
    for (const [key, placeholder] of Object.entries(PLACEHOLDERS)) {
      if (!NOT_EXPORTED.has(key)) data[key] = placeholder.value(ticket);
    }
    for (const questionId of questionsOf(row.event_id)) {
      const answer = answers.find((a) => a.orderposition_id === id && a.question_id === questionId);
      data[`question_${questionId}`] = answer?.answer ?? '';
    }
    const eventMeta = { ...metaOf(row.event_meta), ...metaOf(row.subevent_meta) };
    for (const [key, value] of Object.entries(eventMeta)) data[`meta:${key}`] = value;
    for (const [key, value] of Object.entries(metaOf(row.item_meta))) data[`itemmeta:${key}`] = value;
    data.images = {};
    out.set(id, data);
  }
  return out;
}
