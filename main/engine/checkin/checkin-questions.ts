import type { EngineContext } from '../context';
import type { JsonValue } from '../json';
import type { ReadableDB } from '../db/handles';
import {
  answeredQuestionIdsOf,
  answerIdOf,
  checkinQuestionRows,
  deleteAnswer,
  insertAnswer,
  numberLimitsOfQuestion,
  updateAnswer,
} from '../db/queries/checkin/questions';
import { optionsOfQuestion } from '../db/queries/desk-catalog';
import { isCountryCode } from '../orders/addresses';
import { normaliseDate, normaliseDateTime, normaliseTime } from '../questions/position-answers';
import { i18nText } from '../i18n';

/** A question asked at the door (`ask_during_checkin`) for one product. */
export interface CheckinQuestion {
  id: number;
  type: string;
  required: boolean;
  identifier: string;
}

export interface QuestionOption {
  id: number;
  identifier: string;
  answer: string;
}

export function checkinQuestionsFor(db: ReadableDB, eventId: number, itemId: number): CheckinQuestion[] {
  const rows = checkinQuestionRows(db, eventId, itemId);
  return rows.map((r) => ({ ...r, required: r.required === 1 }));
}

function optionsOf(db: ReadableDB, questionId: number): QuestionOption[] {
  return optionsOfQuestion(db, questionId).map((o) => ({ ...o, answer: i18nText(o.answer) }));
}

/** A validated answer: its stored text and chosen options; `null` is a valid empty answer. */
export type CleanAnswer = { text: string; options: number[] } | null;

function findOption(options: QuestionOption[], raw: string): QuestionOption | undefined {
  const trimmed = raw.trim();
  return options.find((o) => String(o.id) === trimmed) ?? options.find((o) => o.identifier === trimmed);
}

/**
 * Validates one answer as pretix's `Question.clean_answer` does. Returns undefined for an invalid value,
 * which then counts as not given.
 */
export function cleanAnswer(
  db: ReadableDB,
  question: CheckinQuestion,
  raw: JsonValue | undefined,
): CleanAnswer | undefined {
  const value = raw === null || raw === undefined ? '' : typeof raw === 'string' ? raw : String(raw);
  if (value.trim() === '') return question.required ? undefined : null;
  switch (question.type) {
    case 'C': {
      const option = findOption(optionsOf(db, question.id), value);
      return option ? { text: option.answer, options: [option.id] } : undefined;
    }
    case 'M': {
      const all = optionsOf(db, question.id);
      const chosen: QuestionOption[] = [];
      for (const part of value.split(',')) {
        const option = findOption(all, part);
        if (!option) return undefined;
        if (!chosen.includes(option)) chosen.push(option);
      }
      return { text: chosen.map((o) => o.answer).join(', '), options: chosen.map((o) => o.id) };
    }
    case 'N': {
      const text = value.trim().replace(',', '.');
      if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return undefined;
      const limits = numberLimitsOfQuestion(db, question.id);
      if (limits.valid_number_min !== null && Number(text) < Number(limits.valid_number_min))
        return undefined;
      if (limits.valid_number_max !== null && Number(text) > Number(limits.valid_number_max))
        return undefined;
      return { text, options: [] };
    }
    case 'B':
      // pretix: anything but "true" is false, and a required yes/no question needs a yes; no is not stored.
      if (value === 'true' || value === 'True') return { text: 'True', options: [] };
      return question.required ? undefined : null;
    case 'D': {
      const text = normaliseDate(value.trim());
      return text ? { text, options: [] } : undefined;
    }
    case 'H': {
      const text = normaliseTime(value.trim());
      return text ? { text, options: [] } : undefined;
    }
    case 'W': {
      const text = normaliseDateTime(value.trim());
      return text ? { text, options: [] } : undefined;
    }
    case 'CC':
      return isCountryCode(value.trim().toUpperCase()) ? { text: value.trim(), options: [] } : undefined;
    case 'F':
      // Files cannot be uploaded at the door here.
      return undefined;
    default:
      return { text: value, options: [] };
  }
}

/** Stores given answers on a position (an empty answer deletes a stored one), as pretix's `_save_answers`. */
export function saveAnswers(
  ctx: EngineContext,
  positionId: number,
  given: Map<number, CleanAnswer>,
): boolean {
  let written = false;
  for (const [questionId, answer] of given) {
    const existing = answerIdOf(ctx.db, positionId, questionId);
    if (answer === null) {
      if (existing !== undefined) {
        deleteAnswer(ctx.db, existing);
        written = true;
      }
      continue;
    }
    if (existing !== undefined)
      updateAnswer(ctx.db, existing, { answer: answer.text, options: JSON.stringify(answer.options) });
    else
      insertAnswer(ctx.db, {
        orderposition_id: positionId,
        question_id: questionId,
        answer: answer.text,
        options: JSON.stringify(answer.options),
      });
    written = true;
  }
  return written;
}

export function answeredQuestionIds(db: ReadableDB, positionId: number): Set<number> {
  return new Set(answeredQuestionIdsOf(db, positionId));
}
