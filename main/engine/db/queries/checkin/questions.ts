import type { ReadableDB, WritableDB } from '../../handles';
import type { QuestionAnswerRow, QuestionRow } from '../../rows';
import { readColumn } from '../statements';

/** The questions asked at the door (`ask_during_checkin`) for a product, in the event's order. */
export function checkinQuestionRows(
  db: ReadableDB,
  eventId: number,
  itemId: number,
): Pick<QuestionRow, 'id' | 'type' | 'required' | 'identifier'>[] {
  return db
    .prepare(
      `SELECT q.id, q.type, q.required, q.identifier FROM questions q
       JOIN question_items qi ON qi.question_id = q.id AND qi.item_id = ?
       WHERE q.event_id = ? AND q.ask_during_checkin = 1 ORDER BY q.position, q.id`,
    )
    .all(itemId, eventId) as Pick<QuestionRow, 'id' | 'type' | 'required' | 'identifier'>[];
}

export function numberLimitsOfQuestion(
  db: ReadableDB,
  questionId: number,
): Pick<QuestionRow, 'valid_number_min' | 'valid_number_max'> {
  return db
    .prepare('SELECT valid_number_min, valid_number_max FROM questions WHERE id = ?')
    .get(questionId) as Pick<QuestionRow, 'valid_number_min' | 'valid_number_max'>;
}

export function answerIdOf(db: ReadableDB, positionId: number, questionId: number): number | undefined {
  return (
    db
      .prepare('SELECT id FROM question_answers WHERE orderposition_id = ? AND question_id = ?')
      .get(positionId, questionId) as { id: number } | undefined
  )?.id;
}

export function deleteAnswer(db: WritableDB, answerId: number): void {
  db.prepare('DELETE FROM question_answers WHERE id = ?').run(answerId);
}

export function updateAnswer(
  db: WritableDB,
  answerId: number,
  row: Pick<QuestionAnswerRow, 'answer' | 'options'>,
): void {
  db.prepare('UPDATE question_answers SET answer = ?, options = ? WHERE id = ?').run(
    row.answer,
    row.options,
    answerId,
  );
}

export function insertAnswer(
  db: WritableDB,
  row: Pick<QuestionAnswerRow, 'orderposition_id' | 'question_id' | 'answer' | 'options'>,
): void {
  db.prepare(
    'INSERT INTO question_answers (orderposition_id, question_id, answer, options) VALUES (?, ?, ?, ?)',
  ).run(row.orderposition_id, row.question_id, row.answer, row.options);
}

export const answeredQuestionIdsOf = readColumn<[positionId: number], number>(
  'SELECT question_id FROM question_answers WHERE orderposition_id = ?',
);
