import type { ReadableDB } from '../db/handles';
import { optionsOfQuestion, questionById } from '../db/queries/catalog/questions';
import { questionItemIds } from '../db/queries/catalog/resources';
import type { QuestionOptionRow, QuestionRow } from '../db/rows';

/** A question with the products it is asked for and its options, as pretix's question resource holds it. */
export interface QuestionWithOptions {
  question: QuestionRow;
  items: number[];
  options: QuestionOptionRow[];
}

/** The given questions, in the order given; ids of no question are left out. */
export function questionsWithOptions(db: ReadableDB, ids: readonly number[]): QuestionWithOptions[] {
  return ids.flatMap((id) => {
    const question = questionById(db, id);
    if (!question) return [];
    return [{ question, items: questionItemIds(db, id), options: optionsOfQuestion(db, id) }];
  });
}
