import type { ReadableDB, WritableDB } from '../../handles';
import type { QuestionAnswerRow, QuestionOptionRow, QuestionRow } from '../../rows';
import { readExists, readOne } from '../statements';

// ---------------------------------------------------------------- questions

export const questionById = readOne<[id: number], QuestionRow>('SELECT * FROM questions WHERE id = ?');

/** A question's options in pretix's order. */
export function optionsOfQuestion(db: ReadableDB, questionId: number): QuestionOptionRow[] {
  const sql = 'SELECT * FROM question_options WHERE question_id = ? ORDER BY position, id';
  return db.prepare<[number], QuestionOptionRow>(sql).all(questionId);
}

export function questionInEvent(db: ReadableDB, eventId: number, id: number): boolean {
  return db.prepare('SELECT 1 FROM questions WHERE id = ? AND event_id = ?').get(id, eventId) !== undefined;
}

export const questionIdentifierExists = readExists<[eventId: number, identifier: string]>(
  'SELECT 1 FROM questions WHERE event_id = ? AND identifier = ?',
);

/** Whether another question of the event has this identifier, in any letter case. */
export const questionIdentifierTaken = readExists<
  [eventId: number, identifier: string, exceptId: number | null]
>('SELECT 1 FROM questions WHERE event_id = ? AND lower(identifier) = lower(?) AND id IS NOT ?');

export function questionType(db: ReadableDB, id: number): string {
  return (db.prepare('SELECT type FROM questions WHERE id = ?').get(id) as Pick<QuestionRow, 'type'>).type;
}

/** The question this one depends on; undefined when there is no such question. */
export function questionDependency(db: ReadableDB, id: number): number | null | undefined {
  const row = db.prepare('SELECT dependency_question_id AS d FROM questions WHERE id = ?').get(id) as
    { d: QuestionRow['dependency_question_id'] } | undefined;
  return row === undefined ? undefined : row.d;
}

export const questionHasDependents = readExists<[id: number]>(
  'SELECT 1 FROM questions WHERE dependency_question_id = ?',
);

export function addQuestionItems(db: WritableDB, questionId: number, itemIds: number[]): void {
  const link = db.prepare('INSERT INTO question_items (question_id, item_id) VALUES (?, ?)');
  for (const item of itemIds) link.run(questionId, item);
}

export function setQuestionItems(db: WritableDB, questionId: number, itemIds: number[]): void {
  db.prepare('DELETE FROM question_items WHERE question_id = ?').run(questionId);
  addQuestionItems(db, questionId, itemIds);
}

export function deleteQuestionRow(db: WritableDB, id: number): void {
  db.prepare('DELETE FROM questions WHERE id = ?').run(id);
}

/** A question as answer validation needs it, if it belongs to the organizer. */
export type AnsweredQuestion = Pick<
  QuestionRow,
  'id' | 'event_id' | 'type' | 'identifier' | 'valid_number_min' | 'valid_number_max'
>;

export const findOrganizerQuestion = readOne<[id: number, organizerId: number], AnsweredQuestion>(
  `SELECT q.id, q.event_id, q.type, q.identifier, q.valid_number_min, q.valid_number_max
           FROM questions q JOIN events e ON e.id = q.event_id WHERE q.id = ? AND e.organizer_id = ?`,
);

// ---------------------------------------------------------------- options

export type OptionColumns = Pick<QuestionOptionRow, 'identifier' | 'answer' | 'position'>;

/** Whether any option of the event's questions has this identifier. */
export const optionIdentifierExists = readExists<[eventId: number, identifier: string]>(
  'SELECT 1 FROM question_options o JOIN questions q ON q.id = o.question_id WHERE q.event_id = ? AND o.identifier = ?',
);

/** Whether another option of the question has this identifier. */
export const optionIdentifierTaken = readExists<
  [questionId: number, identifier: string, exceptId: number | null]
>('SELECT 1 FROM question_options WHERE question_id = ? AND identifier = ? AND id IS NOT ?');

export function nextOptionPosition(db: ReadableDB, questionId: number): number {
  return (
    db
      .prepare('SELECT COALESCE(MAX(position) + 1, 0) AS p FROM question_options WHERE question_id = ?')
      .get(questionId) as { p: number }
  ).p;
}

export function insertOptionRow(db: WritableDB, questionId: number, o: OptionColumns): number {
  return Number(
    db
      .prepare('INSERT INTO question_options (question_id, identifier, answer, position) VALUES (?, ?, ?, ?)')
      .run(questionId, o.identifier, o.answer, o.position).lastInsertRowid,
  );
}

export function findOption(db: ReadableDB, questionId: number, id: number): QuestionOptionRow | undefined {
  return db.prepare('SELECT * FROM question_options WHERE id = ? AND question_id = ?').get(id, questionId) as
    QuestionOptionRow | undefined;
}

export function updateOptionRow(db: WritableDB, id: number, o: OptionColumns): void {
  db.prepare('UPDATE question_options SET answer = ?, identifier = ?, position = ? WHERE id = ?').run(
    o.answer,
    o.identifier,
    o.position,
    id,
  );
}

/** Deletes the option of the question; false when there was none. */
export function deleteOptionRow(db: WritableDB, questionId: number, id: number): boolean {
  return (
    db.prepare('DELETE FROM question_options WHERE id = ? AND question_id = ?').run(id, questionId).changes >
    0
  );
}

/** An option as answer validation needs it, if it belongs to the organizer. */
export type AnsweredOption = Pick<QuestionOptionRow, 'id' | 'question_id' | 'answer' | 'identifier'>;

export function findOrganizerOption(
  db: ReadableDB,
  organizerId: number,
  id: number,
): AnsweredOption | undefined {
  return db
    .prepare(
      `SELECT o.id, o.question_id, o.answer, o.identifier FROM question_options o
               JOIN questions q ON q.id = o.question_id JOIN events e ON e.id = q.event_id
               WHERE o.id = ? AND e.organizer_id = ?`,
    )
    .get(id, organizerId) as AnsweredOption | undefined;
}

export const optionOrderKey = readOne<
  [id: number],
  Pick<QuestionOptionRow, 'id' | 'identifier' | 'position'>
>('SELECT id, identifier, position FROM question_options WHERE id = ?');

// ---------------------------------------------------------------- answers

export function insertAnswerRows(
  db: WritableDB,
  rows: Pick<
    QuestionAnswerRow,
    'orderposition_id' | 'cartposition_id' | 'question_id' | 'answer' | 'options'
  >[],
): void {
  const insert = db.prepare(
    'INSERT INTO question_answers (orderposition_id, cartposition_id, question_id, answer, options) VALUES (?, ?, ?, ?, ?)',
  );
  for (const r of rows) insert.run(r.orderposition_id, r.cartposition_id, r.question_id, r.answer, r.options);
}

/** A stored answer with its position and its question's identifier. */
export interface PositionAnswer {
  position_id: number;
  question_id: number;
  answer: string;
  options: string;
  identifier: string;
}

export function answersOfPositions(
  db: ReadableDB,
  owner: 'cartposition_id' | 'orderposition_id',
  positionIds: number[],
): PositionAnswer[] {
  return db
    .prepare(
      `SELECT a.${owner} AS position_id, a.question_id, a.answer, a.options, q.identifier
       FROM question_answers a JOIN questions q ON q.id = a.question_id
       WHERE a.${owner} IN (${positionIds.map(() => '?').join(', ')})
       ORDER BY a.id`,
    )
    .all(...positionIds) as PositionAnswer[];
}
