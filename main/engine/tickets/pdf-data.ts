import type { ReadableDB } from '../db/handles';
import type { JsonObject, JsonValue } from '../json';
import { answersOfPositions, positionMetaSources, questionIdsOfEvent } from '../db/queries/tickets/pdf-data';
import { loadTickets } from './loader';
import { PLACEHOLDERS } from './ticket-data';

/** Desk-only marks (REPRINT, NOT PAID) are not ticket data a scanner prints from. */
const NOT_EXPORTED = new Set(['print_marks']);

function metaOf(raw: string | null | undefined): JsonObject {
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as JsonValue;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {};
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
export function positionPdfData(db: ReadableDB, positionIds: number[]): Map<number, JsonObject> {
  const out = new Map<number, JsonObject>();
  if (positionIds.length === 0) return out;
  const context = new Map(positionMetaSources(db, positionIds).map((r) => [r.id, r]));
  const answers = answersOfPositions(db, positionIds);
  const questionsByEvent = new Map<number, number[]>();
  const questionsOf = (eventId: number): number[] => {
    let ids = questionsByEvent.get(eventId);
    if (!ids) {
      ids = questionIdsOfEvent(db, eventId);
      questionsByEvent.set(eventId, ids);
    }
    return ids;
  };
  for (const ticket of loadTickets(db, positionIds)) {
    const id = ticket.position.id;
    const row = context.get(id);
    if (!row) continue;
    const data: JsonObject = {};
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
