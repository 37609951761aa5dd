import type { ReadableDB } from '../../handles';
import type { QuestionAnswerRow } from '../../rows';
import { readColumn } from '../statements';

/** Where a position's meta data comes from: its event, date and product. */
export interface PositionMetaSources {
  id: number;
  event_id: number;
  event_meta: string | null;
  subevent_meta: string | null;
  item_meta: string | null;
}

export function positionMetaSources(db: ReadableDB, positionIds: readonly number[]): PositionMetaSources[] {
  const marks = positionIds.map(() => '?').join(',');
  return db
    .prepare(
      `SELECT op.id, o.event_id, e.meta_data AS event_meta, s.meta_data AS subevent_meta, i.meta_data AS item_meta
       FROM order_positions op JOIN orders o ON o.id = op.order_id JOIN events e ON e.id = o.event_id
       JOIN items i ON i.id = op.item_id LEFT JOIN subevents s ON s.id = op.subevent_id
       WHERE op.id IN (${marks})`,
    )
    .all(...positionIds) as PositionMetaSources[];
}

export function answersOfPositions(
  db: ReadableDB,
  positionIds: readonly number[],
): Pick<QuestionAnswerRow, 'orderposition_id' | 'question_id' | 'answer'>[] {
  const marks = positionIds.map(() => '?').join(',');
  return db
    .prepare(
      `SELECT orderposition_id, question_id, answer FROM question_answers WHERE orderposition_id IN (${marks})`,
    )
    .all(...positionIds) as Pick<QuestionAnswerRow, 'orderposition_id' | 'question_id' | 'answer'>[];
}

export const questionIdsOfEvent = readColumn<[eventId: number], number>(
  'SELECT id FROM questions WHERE event_id = ? ORDER BY id',
);
