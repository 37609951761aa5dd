import type { ReadableDB, WritableDB } from '../db/handles';
import {
  answersOfPositions,
  findOrganizerOption,
  findOrganizerQuestion,
  insertAnswerRows,
  optionOrderKey,
  type AnsweredOption,
  type AnsweredQuestion,
} from '../db/queries/catalog/questions';
import { shown } from '../errors';
import { i18nText } from '../i18n';

/**
 * Validation of question answers sent with a cart position or an order position, as pretix's
 * `AnswerSerializer` does it (api/serializers/order.py): field errors first (question, answer, options),
 * then the rules of the question's type as non-field errors. pretix's API does not require the question
 * to be asked for the position's product, does not enforce `required`, and does not check e-mail, phone
 * or country answers, so neither does this. Returns the normalised answers to store, or per-answer
 * errors in DRF's list shape (`{}` for valid answers).
 */

export interface NormalisedAnswer {
  questionId: number;
  answer: string;
  optionIds: number[];
}

type AnswerErrors = Record<string, string[]>;

type AnswersResult = { ok: true; answers: NormalisedAnswer[] } | { ok: false; errors: AnswerErrors[] };

export interface AnswerOptions {
  /** Also check number answers against the question's min/max (pretix's web forms do; its API does not). */
  enforceNumberLimits?: boolean;
}

const CHOICE_TYPES = new Set(['C', 'M']);

/** DRF's DecimalField(max_digits=50, decimal_places=25) check, as the API runs it on number answers. */
function numberError(text: string): string | undefined {
  if (text.length > 1000) return 'String value too large.';
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return 'A valid number is required.';
  const whole = match[2]!.replace(/^0+/, '');
  const fraction = match[3] ?? '';
  const exponent = Number(match[4] ?? '0');
  // Digits as Python's Decimal counts them: significant digits and the exponent-shifted decimal places.
  const digits = (whole + fraction).replace(/^0+/, '');
  const decimals = Math.max(0, fraction.length - exponent);
  const wholeDigits = Math.max(0, digits.length - decimals);
  const totalDigits = Math.max(digits.length, decimals);
  if (totalDigits > 50) return 'Ensure that there are no more than 50 digits in total.';
  if (decimals > 25) return 'Ensure that there are no more than 25 decimal places.';
  if (wholeDigits > 25) return 'Ensure that there are no more than 25 digits before the decimal point.';
  return undefined;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function validDate(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Django's parse_date; the stored text is Python's `str(date)`. */
export function normaliseDate(text: string): string | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!validDate(y, mo, d)) return undefined;
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
}

function timeText(h: number, mi: number, s: number, micro: string | undefined): string | undefined {
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const us = micro ? Number(micro.padEnd(6, '0')) : 0;
  return `${pad(h)}:${pad(mi)}:${pad(s)}${us ? `.${shown(us).padStart(6, '0')}` : ''}`;
}

/** Django's parse_time; the stored text is Python's `str(time)`. */
export function normaliseTime(text: string): string | undefined {
  const m = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d{0,6})?)?$/.exec(text);
  if (!m) return undefined;
  return timeText(Number(m[1]), Number(m[2]), Number(m[3] ?? '0'), m[4]);
}

/** Django's parse_datetime, made aware in UTC; the stored text is Python's `str(datetime)`. */
export function normaliseDateTime(text: string): string | undefined {
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d{0,6})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(
      text,
    );
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!validDate(y, mo, d)) return undefined;
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6] ?? '0')];
  if (timeText(h, mi, s, m[7]) === undefined) return undefined;
  let offsetMinutes = 0;
  const tz = m[8];
  if (tz && tz !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  }
  const micro = m[7] ? Number(m[7].padEnd(6, '0')) : 0;
  const utc = new Date(Date.UTC(y, mo - 1, d, h, mi, s) - offsetMinutes * 60_000);
  const time = timeText(
    utc.getUTCHours(),
    utc.getUTCMinutes(),
    utc.getUTCSeconds(),
    micro ? String(micro).padStart(6, '0') : undefined,
  )!;
  return `${pad(utc.getUTCFullYear(), 4)}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())} ${time}+00:00`;
}

/** One answer as the request gave it, its question and options looked up (`AnswerSerializer`'s fields). */
export interface AnswerRequest {
  question: AnsweredQuestion;
  /** The answer's text, trimmed and not blank. */
  answer: string;
  options: AnsweredOption[];
}

export type CheckedAnswer = { value: NormalisedAnswer } | { error: string };

/** What reading answers looks up: questions and options of the organizer, as pretix's related fields. */
export interface AnswerLookups {
  /** A question of the organizer; its problem when it is not of this event. */
  question(id: number): { value: AnsweredQuestion } | { error: string } | undefined;
  option(id: number): AnsweredOption | undefined;
}

export function answerLookups(
  db: ReadableDB,
  scope: { organizerId: number; eventId: number },
): AnswerLookups {
  return {
    question: (id) => {
      const question = findOrganizerQuestion(db, id, scope.organizerId);
      if (!question) return undefined;
      return question.event_id === scope.eventId
        ? { value: question }
        : { error: 'The specified question does not belong to this event.' };
    },
    option: (id) => findOrganizerOption(db, scope.organizerId, id),
  };
}

/**
 * The rules of the answer's question type (`AnswerSerializer.validate()`), run once its fields are read:
 * the answer to store, or the one non-field message.
 */
export function checkAnswer(request: AnswerRequest, options: AnswerOptions = {}): CheckedAnswer {
  const { question, answer: answerText, options: chosen } = request;
  const fail = (message: string): CheckedAnswer => ({ error: message });
  if (question.type === 'F') {
    return fail(`The submitted file ID "${answerText}" was not found.`);
  }
  if (CHOICE_TYPES.has(question.type)) {
    if (!chosen.length) return fail('You need to specify options if the question is of a choice type.');
    if (question.type === 'C' && chosen.length > 1) {
      return fail('You can specify at most one option for this question.');
    }
    for (const o of chosen) {
      if (o.question_id !== question.id)
        return fail('The specified option does not belong to this question.');
    }
    return {
      value: {
        questionId: question.id,
        answer: chosen.map((o) => i18nText(o.answer)).join(', '),
        optionIds: chosen.map((o) => o.id),
      },
    };
  }
  if (chosen.length) return fail('You should not specify options if the question is not of a choice type.');

  let stored = answerText;
  switch (question.type) {
    case 'B':
      if (['true', 'True', '1', 'TRUE'].includes(answerText)) stored = 'True';
      else if (['false', 'False', '0', 'FALSE'].includes(answerText)) stored = 'False';
      else return fail('Please specify "true" or "false" for boolean questions.');
      break;
    case 'N': {
      const problem = numberError(answerText);
      if (problem) return fail(problem);
      if (options.enforceNumberLimits) {
        const value = Number(answerText);
        if (question.valid_number_min !== null && value < Number(question.valid_number_min)) {
          return fail('The number is to low.');
        }
        if (question.valid_number_max !== null && value > Number(question.valid_number_max)) {
          return fail('The number is to high.');
        }
      }
      break;
    }
    case 'D': {
      const date = normaliseDate(answerText);
      if (!date) return fail('Date has wrong format. Use one of these formats instead: YYYY-MM-DD.');
      stored = date;
      break;
    }
    case 'H': {
      const time = normaliseTime(answerText);
      if (!time) return fail('Time has wrong format. Use one of these formats instead: hh:mm[:ss[.uuuuuu]].');
      stored = time;
      break;
    }
    case 'W': {
      const dt = normaliseDateTime(answerText);
      if (!dt) {
        return fail(
          'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
        );
      }
      stored = dt;
      break;
    }
    default:
      break;
  }
  return { value: { questionId: question.id, answer: stored, optionIds: [] } };
}

/** Duplicate answers to one question keep only the first, as pretix does. */
export function uniqueAnswers(answers: NormalisedAnswer[]): NormalisedAnswer[] {
  return answers.filter((a, i) => answers.findIndex((b) => b.questionId === a.questionId) === i);
}

/** An answer the engine's own callers (the desk) give by ids. */
export interface AnswerByIds {
  question: number;
  answer: string;
  options?: number[];
}

/**
 * Answers given by ids, read as the REST door reads them: the first problem of each answer in DRF's list
 * shape (`{}` for good ones), or the answers to store.
 */
export function answersByIds(lookups: AnswerLookups, given: AnswerByIds[]): AnswersResult {
  const errors: AnswerErrors[] = [];
  const answers: NormalisedAnswer[] = [];
  for (const a of given) {
    const question = lookups.question(a.question);
    const options = (a.options ?? []).map((id) => lookups.option(id));
    const missingOption = (a.options ?? []).find((_, i) => options[i] === undefined);
    let problem: AnswerErrors | undefined;
    if (!question) problem = { question: [`Invalid pk "${a.question}" - object does not exist.`] };
    else if ('error' in question) problem = { question: [question.error] };
    else if (a.answer.trim() === '') problem = { answer: ['This field may not be blank.'] };
    else if (missingOption !== undefined)
      problem = { options: [`Invalid pk "${missingOption}" - object does not exist.`] };
    else {
      const checked = checkAnswer({
        question: question.value,
        answer: a.answer.trim(),
        options: options as AnsweredOption[],
      });
      if ('error' in checked) problem = { non_field_errors: [checked.error] };
      else answers.push(checked.value);
    }
    errors.push(problem ?? {});
  }
  return errors.some((e) => Object.keys(e).length)
    ? { ok: false, errors }
    : { ok: true, answers: uniqueAnswers(answers) };
}

/** Writes answers for a cart position or an order position. */
export function storeAnswers(
  db: WritableDB,
  owner: { cartPositionId: number } | { orderPositionId: number },
  answers: NormalisedAnswer[],
): void {
  insertAnswerRows(
    db,
    answers.map((a) => ({
      orderposition_id: 'orderPositionId' in owner ? owner.orderPositionId : null,
      cartposition_id: 'cartPositionId' in owner ? owner.cartPositionId : null,
      question_id: a.questionId,
      answer: a.answer,
      options: JSON.stringify(a.optionIds),
    })),
  );
}

export interface AnswerResource {
  question: number;
  answer: string;
  question_identifier: string;
  options: number[];
  option_identifiers: string[];
}

/** The answers of positions in pretix's resource shape, options in the options' own order. */
export function answerResources(
  db: ReadableDB,
  owner: 'cartposition_id' | 'orderposition_id',
  positionIds: number[],
): Map<number, AnswerResource[]> {
  const out = new Map<number, AnswerResource[]>();
  if (!positionIds.length) return out;
  const rows = answersOfPositions(db, owner, positionIds);
  for (const row of rows) {
    const ids = JSON.parse(row.options) as number[];
    const opts = ids
      .map((id) => optionOrderKey(db, id))
      .filter((o): o is { id: number; identifier: string; position: number } => o !== undefined)
      .sort((a, b) => a.position - b.position || a.id - b.id);
    const list = out.get(row.position_id) ?? [];
    list.push({
      question: row.question_id,
      answer: row.answer,
      question_identifier: row.identifier,
      options: opts.map((o) => o.id),
      option_identifiers: opts.map((o) => o.identifier),
    });
    out.set(row.position_id, list);
  }
  return out;
}
