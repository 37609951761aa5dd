import type { Database } from 'better-sqlite3';
import type { EngineContext } from '../context';
import { isCountryCode } from '../orders/fields';
import { normaliseDate, normaliseDateTime, normaliseTime } from '../questions/position-answers';

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

export function checkinQuestionsFor(db: Database, eventId: number, itemId: number): CheckinQuestion[] {
  const rows = db
    .prepare(
      `SELECT q.id, q.type, q.required, q.identifier FROM questions q
       JOIN question_items qi ON qi.question_id = q.id AND qi.item_id = ?
       WHERE q.event_id = ? AND q.ask_during_checkin = 1 ORDER BY q.position, q.id`,
    )
    .all(itemId, eventId) as { id: number; type: string; required: number; identifier: string }[];
  return rows.map((r) => ({ ...r, required: r.required === 1 }));
}

/** The text of an i18n value as pretix's `str()` gives it: English first, else the first language. */
export function i18nText(raw: string): string {
  try {
    const value = JSON.parse(raw) as unknown;
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object') {
      const map = value as Record<string, string>;
      return map.en ?? Object.values(map)[0] ?? '';
    }
  } catch {
    return raw;
  }
  return '';
}

function optionsOf(db: Database, questionId: number): QuestionOption[] {
  return (
    db
      .prepare(
        'SELECT id, identifier, answer FROM question_options WHERE question_id = ? ORDER BY position, id',
      )
      .all(questionId) as { id: number; identifier: string; answer: string }[]
  ).map((o) => ({ ...o, answer: i18nText(o.answer) }));
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
export function cleanAnswer(db: Database, question: CheckinQuestion, raw: unknown): CleanAnswer | undefined {
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
      const limits = db
        .prepare('SELECT valid_number_min, valid_number_max FROM questions WHERE id = ?')
        .get(question.id) as { valid_number_min: string | null; valid_number_max: string | null };
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
    const existing = ctx.db
      .prepare('SELECT id FROM question_answers WHERE orderposition_id = ? AND question_id = ?')
      .get(positionId, questionId) as { id: number } | undefined;
    if (answer === null) {
      if (existing) {
        ctx.db.prepare('DELETE FROM question_answers WHERE id = ?').run(existing.id);
        written = true;
      }
      continue;
    }
    if (existing)
      ctx.db
        .prepare('UPDATE question_answers SET answer = ?, options = ? WHERE id = ?')
        .run(answer.text, JSON.stringify(answer.options), existing.id);
    else
      ctx.db
        .prepare(
          'INSERT INTO question_answers (orderposition_id, question_id, answer, options) VALUES (?, ?, ?, ?)',
        )
        .run(positionId, questionId, answer.text, JSON.stringify(answer.options));
    written = true;
  }
  return written;
}

export function answeredQuestionIds(db: Database, positionId: number): Set<number> {
  return new Set(
    (
      db.prepare('SELECT question_id FROM question_answers WHERE orderposition_id = ?').all(positionId) as {
        question_id: number;
      }[]
    ).map((r) => r.question_id),
  );
}
