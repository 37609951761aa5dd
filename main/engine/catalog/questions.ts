import type { EngineContext } from '../context';
import type { ReadableDB, WritableDB } from '../db/handles';
import {
  addQuestionItems,
  deleteOptionRow,
  deleteQuestionRow,
  findOption,
  insertOptionRow,
  nextOptionPosition,
  optionIdentifierExists,
  optionIdentifierTaken,
  questionDependency,
  questionHasDependents,
  questionIdentifierExists,
  questionIdentifierTaken,
  questionInEvent,
  questionType,
  setQuestionItems,
  updateOptionRow,
} from '../db/queries/catalog/questions';
import { invalidFields, notFound, type FieldErrors } from '../errors';
import { randomString } from '../ids';
import { isPlainObject, typeName } from '../orders/fields';
import {
  hasErrors,
  insertRow,
  parseEventPk,
  parseEventPkList,
  parseFields,
  parseI18n,
  throwIfErrors,
  updateRow,
  type FieldSpecs,
} from './field-specs';

/** Questions and their options, with pretix's identifiers and validation (base/models/items.py Question). */
export const QUESTION_TYPES = [
  'N',
  'S',
  'T',
  'B',
  'C',
  'M',
  'F',
  'D',
  'H',
  'W',
  'CC',
  'TEL',
  'EMAIL',
] as const;

/** pretix's identifier alphabet for questions and options (`Question.save`, `QuestionOption.save`). */
const IDENTIFIER_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ3789';
const IDENTIFIER_PATTERN = /^[a-zA-Z0-9.\-_]+$/;
const IDENTIFIER_MESSAGE = 'The identifier may only contain letters, numbers, dots, dashes, and underscores.';

const QUESTION_FIELDS: FieldSpecs = {
  question: { kind: 'i18n', required: true },
  help_text: { kind: 'i18n', allowBlank: true },
  type: { kind: 'choice', required: true, choices: QUESTION_TYPES },
  required: { kind: 'bool' },
  position: { kind: 'int', min: 0 },
  ask_during_checkin: { kind: 'bool' },
  show_during_checkin: { kind: 'bool' },
  hidden: { kind: 'bool' },
  print_on_invoice: { kind: 'bool' },
  valid_number_min: { kind: 'decimal', nullable: true, money: false },
  valid_number_max: { kind: 'decimal', nullable: true, money: false },
  valid_date_min: { kind: 'date', nullable: true },
  valid_date_max: { kind: 'date', nullable: true },
  valid_datetime_min: { kind: 'datetime', nullable: true },
  valid_datetime_max: { kind: 'datetime', nullable: true },
  valid_string_length_max: { kind: 'int', nullable: true, min: 0 },
  valid_file_portrait: { kind: 'bool', column: 'extra.valid_file_portrait' },
  dependency_values: { kind: 'stringlist' },
};

const DEPENDENCY_TYPES = ['B', 'C', 'M'];

function uniqueIdentifier(taken: (code: string) => boolean): string {
  for (;;) {
    const code = randomString(IDENTIFIER_ALPHABET, 8);
    if (!taken(code)) return code;
  }
}

function newQuestionIdentifier(db: ReadableDB, eventId: number): string {
  return uniqueIdentifier((code) => questionIdentifierExists(db, eventId, code));
}

function newOptionIdentifier(db: ReadableDB, eventId: number): string {
  return uniqueIdentifier((code) => optionIdentifierExists(db, eventId, code));
}

interface OptionInput {
  answer: string;
  identifier: string | null;
  position: number | null;
}

function parseOption(raw: unknown): { value?: OptionInput; errors?: FieldErrors } {
  if (!isPlainObject(raw))
    return {
      errors: { non_field_errors: [`Invalid data. Expected a dictionary, but got ${typeName(raw)}.`] },
    };
  const errors: FieldErrors = {};
  let answer = '';
  if (raw.answer === undefined) errors.answer = ['This field is required.'];
  else {
    const r = parseI18n(raw.answer);
    if (r.error !== undefined) errors.answer = [r.error];
    else answer = JSON.stringify(r.value);
  }
  let identifier: string | null = null;
  if (raw.identifier !== undefined && raw.identifier !== null && raw.identifier !== '') {
    if (typeof raw.identifier !== 'string' || !IDENTIFIER_PATTERN.test(raw.identifier))
      errors.identifier = [IDENTIFIER_MESSAGE];
    else identifier = raw.identifier;
  }
  let position: number | null = null;
  if (raw.position !== undefined && raw.position !== null) {
    if (typeof raw.position === 'number' && Number.isInteger(raw.position)) position = raw.position;
    else errors.position = ['A valid integer is required.'];
  }
  return hasErrors(errors) ? { errors } : { value: { answer, identifier, position } };
}

function checkIdentifier(
  db: ReadableDB,
  eventId: number,
  identifier: string,
  exceptId: number | null,
): string | undefined {
  if (!IDENTIFIER_PATTERN.test(identifier)) return IDENTIFIER_MESSAGE;
  return questionIdentifierTaken(db, eventId, identifier, exceptId)
    ? 'This identifier is already used for a different question.'
    : undefined;
}

/** Dependencies: the question depended on must be of this event, of a choice type, and not make a loop. */
function checkDependency(
  db: ReadableDB,
  eventId: number,
  selfId: number | null,
  input: unknown,
  errors: FieldErrors,
): number | null | undefined {
  if (input === undefined) return undefined;
  const r = parseEventPk(db, 'questions', eventId, input, { nullable: true });
  if (r.error !== undefined) {
    errors.dependency_question = [r.error];
    return undefined;
  }
  if (r.value === null) return null;
  if (selfId !== null && r.value === selfId) {
    errors.dependency_question = ['A question cannot depend on itself.'];
    return undefined;
  }
  if (!DEPENDENCY_TYPES.includes(questionType(db, r.value))) {
    errors.dependency_question = ['Question dependencies can only be set to boolean or choice questions.'];
    return undefined;
  }
  let cursor: number | null = r.value;
  const seen = new Set<number>();
  while (cursor !== null && !seen.has(cursor)) {
    seen.add(cursor);
    if (selfId !== null && cursor === selfId) {
      errors.dependency_question = ['Circular dependency between questions detected.'];
      return undefined;
    }
    cursor = questionDependency(db, cursor) ?? null;
  }
  return r.value;
}

function insertOptions(db: WritableDB, eventId: number, questionId: number, options: OptionInput[]): void {
  options.forEach((o, i) =>
    insertOptionRow(db, questionId, {
      identifier: o.identifier ?? newOptionIdentifier(db, eventId),
      answer: o.answer,
      position: o.position ?? i,
    }),
  );
}

export function createQuestion(ctx: EngineContext, eventId: number, body: unknown): number {
  const raw = isPlainObject(body) ? body : {};
  const { values, errors } = parseFields(body, QUESTION_FIELDS);
  let items: number[] = [];
  if (raw.items !== undefined) {
    const r = parseEventPkList(ctx.db, 'items', eventId, raw.items);
    if (r.error !== undefined) errors.items = [r.error];
    else items = r.value;
  }
  let identifier: string | null = null;
  if (raw.identifier !== undefined && raw.identifier !== null && raw.identifier !== '') {
    if (typeof raw.identifier !== 'string') errors.identifier = ['Not a valid string.'];
    else {
      const problem = checkIdentifier(ctx.db, eventId, raw.identifier, null);
      if (problem) errors.identifier = [problem];
      else identifier = raw.identifier;
    }
  }
  const dependency = checkDependency(ctx.db, eventId, null, raw.dependency_question, errors);
  const options: OptionInput[] = [];
  if (raw.options !== undefined && raw.options !== null) {
    if (!Array.isArray(raw.options))
      errors.options = [`Expected a list of items but got type "${typeName(raw.options)}".`];
    else {
      const perOption: FieldErrors[] = [];
      let bad = false;
      for (const o of raw.options) {
        const r = parseOption(o);
        perOption.push(r.errors ?? {});
        if (r.errors) bad = true;
        else options.push(r.value!);
      }
      if (bad) errors.options = perOption;
      const ids = options.map((o) => o.identifier).filter((v): v is string => v !== null);
      const dup = ids.find((v, i) => ids.indexOf(v) !== i);
      if (!bad && dup) errors.options = [`The identifier "${dup}" is used more than once.`];
    }
  }
  throwIfErrors(errors);
  const fixed: Record<string, unknown> = {
    event_id: eventId,
    identifier: identifier ?? newQuestionIdentifier(ctx.db, eventId),
  };
  if (dependency !== undefined) fixed.dependency_question_id = dependency;
  const id = insertRow(ctx.db, 'questions', values, QUESTION_FIELDS, fixed);
  addQuestionItems(ctx.db, id, items);
  insertOptions(ctx.db, eventId, id, options);
  ctx.audit({
    eventId,
    objectType: 'question',
    objectId: id,
    actionType: 'pretix.event.question.added',
    data: raw,
  });
  return id;
}

export function updateQuestion(ctx: EngineContext, eventId: number, id: number, body: unknown): void {
  if (!questionInEvent(ctx.db, eventId, id)) throw notFound();
  const raw = isPlainObject(body) ? body : {};
  if (raw.options !== undefined)
    throw invalidFields('nested_update', {
      non_field_errors: [
        'Updating options via PATCH/PUT is not supported. Please use the dedicated nested endpoint.',
      ],
    });
  const { values, errors } = parseFields(body, QUESTION_FIELDS, { partial: true });
  let items: number[] | undefined;
  if (raw.items !== undefined) {
    const r = parseEventPkList(ctx.db, 'items', eventId, raw.items);
    if (r.error !== undefined) errors.items = [r.error];
    else items = r.value;
  }
  const fixed: Record<string, unknown> = {};
  if (raw.identifier !== undefined) {
    if (typeof raw.identifier !== 'string' || raw.identifier === '')
      errors.identifier = ['This field may not be blank.'];
    else {
      const problem = checkIdentifier(ctx.db, eventId, raw.identifier, id);
      if (problem) errors.identifier = [problem];
      else fixed.identifier = raw.identifier;
    }
  }
  const dependency = checkDependency(ctx.db, eventId, id, raw.dependency_question, errors);
  if (dependency !== undefined) fixed.dependency_question_id = dependency;
  if (typeof values.type === 'string' && !DEPENDENCY_TYPES.includes(values.type)) {
    if (questionHasDependents(ctx.db, id))
      errors.type = [
        'This question is used as a dependency of another question and must therefore keep a choice type.',
      ];
  }
  throwIfErrors(errors);
  updateRow(ctx.db, 'questions', id, values, QUESTION_FIELDS, fixed);
  if (items) setQuestionItems(ctx.db, id, items);
  ctx.audit({
    eventId,
    objectType: 'question',
    objectId: id,
    actionType: 'pretix.event.question.changed',
    data: raw,
  });
}

export function deleteQuestion(ctx: EngineContext, eventId: number, id: number): void {
  if (!questionInEvent(ctx.db, eventId, id)) throw notFound();
  deleteQuestionRow(ctx.db, id);
  ctx.audit({
    eventId,
    objectType: 'question',
    objectId: id,
    actionType: 'pretix.event.question.deleted',
    data: {},
  });
}

// ---------------------------------------------------------------- options

function requireQuestion(db: ReadableDB, eventId: number, questionId: number): void {
  if (!questionInEvent(db, eventId, questionId)) throw notFound();
}

function checkOptionIdentifier(
  db: ReadableDB,
  questionId: number,
  identifier: string,
  exceptId: number | null,
): string | undefined {
  return optionIdentifierTaken(db, questionId, identifier, exceptId)
    ? 'The identifier "' + identifier + '" is already used for a different option.'
    : undefined;
}

export function createQuestionOption(
  ctx: EngineContext,
  eventId: number,
  questionId: number,
  body: unknown,
): number {
  requireQuestion(ctx.db, eventId, questionId);
  const r = parseOption(body);
  if (r.errors) throw invalidFields('invalid', r.errors);
  const o = r.value!;
  if (o.identifier) {
    const problem = checkOptionIdentifier(ctx.db, questionId, o.identifier, null);
    if (problem) throw invalidFields('invalid', { identifier: [problem] });
  }
  const position = o.position ?? nextOptionPosition(ctx.db, questionId);
  const id = insertOptionRow(ctx.db, questionId, {
    identifier: o.identifier ?? newOptionIdentifier(ctx.db, eventId),
    answer: o.answer,
    position,
  });
  ctx.audit({
    eventId,
    objectType: 'question',
    objectId: questionId,
    actionType: 'pretix.event.question.option.added',
    data: { id },
  });
  return id;
}

export function updateQuestionOption(
  ctx: EngineContext,
  eventId: number,
  questionId: number,
  id: number,
  body: unknown,
): void {
  requireQuestion(ctx.db, eventId, questionId);
  const current = findOption(ctx.db, questionId, id);
  if (!current) throw notFound();
  const raw = isPlainObject(body) ? body : {};
  const r = parseOption({
    answer: JSON.parse(current.answer) as unknown,
    identifier: current.identifier,
    position: current.position,
    ...raw,
  });
  if (r.errors) throw invalidFields('invalid', r.errors);
  const o = r.value!;
  const identifier = o.identifier ?? current.identifier;
  const problem = checkOptionIdentifier(ctx.db, questionId, identifier, id);
  if (problem) throw invalidFields('invalid', { identifier: [problem] });
  updateOptionRow(ctx.db, id, { answer: o.answer, identifier, position: o.position ?? current.position });
  ctx.audit({
    eventId,
    objectType: 'question',
    objectId: questionId,
    actionType: 'pretix.event.question.option.changed',
    data: { id, ...raw },
  });
}

export function deleteQuestionOption(
  ctx: EngineContext,
  eventId: number,
  questionId: number,
  id: number,
): void {
  requireQuestion(ctx.db, eventId, questionId);
  if (!deleteOptionRow(ctx.db, questionId, id)) throw notFound();
  ctx.audit({
    eventId,
    objectType: 'question',
    objectId: questionId,
    actionType: 'pretix.event.question.option.deleted',
    data: { id },
  });
}
