import { i18nText } from '../i18n';
import { eventSettings } from '../catalog/settings';
import type { ReadableDB } from '../db/handles';
import { optionAnswerOf, questionType, requiredDeskQuestionsOfItem } from '../db/queries/desk-catalog';
import type { DraftAnswer } from '../orders';

/** An answer as the desk sends it: choice questions name their option ids, comma-separated. */
export interface DeskAnswer {
  questionId: number;
  answer: string;
}

const CHOICE_TYPES = new Set(['C', 'M']);

/** The answers a cashier gave: blank ones are not answers. */
export function givenAnswers(answers: DeskAnswer[]): DeskAnswer[] {
  return answers.filter((a) => a.answer.trim() !== '');
}

/** What a desk sale still lacks before it may be sold: the first position's missing field. */
export type MissingAtDesk =
  { position: number; field: 'attendee_name' } | { position: number; field: 'answer'; questionId: number };

/**
 * What the desk demands before a sale, beyond what pretix's API checks: required questions of each
 * item answered (a required yes/no question means yes, as in pretix's forms), and attendee names where
 * the event requires them. File questions cannot be answered at a desk; they stay for the customer.
 */
export function missingAtDesk(
  db: ReadableDB,
  sale: {
    eventId: number;
    positions: { itemId: number; attendeeName: string | null; answers: DeskAnswer[] }[];
  },
): MissingAtDesk | null {
  const settings = eventSettings(db, sale.eventId);
  for (const [i, p] of sale.positions.entries()) {
    if (settings.attendee_names_asked && settings.attendee_names_required && !p.attendeeName)
      return { position: i, field: 'attendee_name' };
    const answers = new Map(givenAnswers(p.answers).map((a) => [a.questionId, a.answer.trim()]));
    for (const q of requiredDeskQuestionsOfItem(db, p.itemId)) {
      const answer = answers.get(q.id);
      if (answer === undefined || (q.type === 'B' && answer !== 'True'))
        return { position: i, field: 'answer', questionId: q.id };
    }
  }
  return null;
}

/**
 * The answers in pretix's order body: choice answers name their options by id and carry the options'
 * text as the answer (pretix's serializer wants a non-blank answer and replaces it with the options').
 */
export function answersInPretixShape(db: ReadableDB, answers: DeskAnswer[]): DraftAnswer[] {
  return givenAnswers(answers).map((a) => {
    if (CHOICE_TYPES.has(questionType(db, a.questionId) ?? '')) {
      const options = a.answer
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean)
        .map(Number);
      const text = options
        .map((o) => optionAnswerOf(db, o, a.questionId))
        .map((t) => i18nText(t))
        .filter(Boolean)
        .join(', ');
      return { question: a.questionId, answer: text || a.answer, options };
    }
    return { question: a.questionId, answer: a.answer.trim() };
  });
}
