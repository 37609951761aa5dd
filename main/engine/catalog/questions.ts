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
import { found, invalidFields, notFound } from '../errors';
import { randomString } from '../ids';
import { eventOfObjectIn, foreignObjectErrors } from './event-objects';
import {
  addResource,
  changeResource,
  deleteResource,
  type CatalogResource,
  type I18nText,
} from './stored-fields';

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

export type QuestionType = (typeof QUESTION_TYPES)[number];

/** A question asked per ticket (pretix's Question); its identifier is made up when none is given. */
export interface QuestionInput {
  question: I18nText;
  helpText?: I18nText;
  type: QuestionType;
  required?: boolean;
  position?: number;
  askDuringCheckin?: boolean;
  showDuringCheckin?: boolean;
  hidden?: boolean;
  printOnInvoice?: boolean;
  validNumberMin?: string | null;
  validNumberMax?: string | null;
  validDateMin?: string | null;
  validDateMax?: string | null;
  validDatetimeMin?: Date | null;
  validDatetimeMax?: Date | null;
  validStringLengthMax?: number | null;
  validFilePortrait?: boolean;
  dependencyValues?: string[];
  /** The products it is asked for. */
  items?: number[];
  identifier?: string;
  /** Asked only when this (boolean or choice) question is answered with one of `dependencyValues`. */
  dependencyQuestion?: number | null;
}

/** A new question with the answers to choose from. */
export interface NewQuestionInput extends QuestionInput {
  options?: OptionInput[];
}

/** One answer to choose from (pretix's QuestionOption). */
export interface OptionInput {
  answer: I18nText;
  identifier?: string | null;
  position?: number | null;
}

const QUESTION: CatalogResource<QuestionInput> = {
  table: 'questions',
  extra: ['validFilePortrait'],
  objectType: 'question',
  action: 'pretix.event.question',
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

/**
 * A question's or option's identifier has only letters, numbers, dots, dashes and underscores: pretix's
 * words when it has more, else undefined. The REST door asks it while reading a body.
 */
export function identifierProblem(identifier: string): string | undefined {
  return IDENTIFIER_PATTERN.test(identifier) ? undefined : IDENTIFIER_MESSAGE;
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
function dependencyProblem(db: ReadableDB, selfId: number | null, dependency: number): string | undefined {
  if (selfId !== null && dependency === selfId) return 'A question cannot depend on itself.';
  if (!DEPENDENCY_TYPES.includes(questionType(db, dependency)))
    return 'Question dependencies can only be set to boolean or choice questions.';
  let cursor: number | null = dependency;
  const seen = new Set<number>();
  while (cursor !== null && !seen.has(cursor)) {
    seen.add(cursor);
    if (selfId !== null && cursor === selfId) return 'Circular dependency between questions detected.';
    cursor = questionDependency(db, cursor) ?? null;
  }
  return undefined;
}

/**
 * pretix's checks of a question: the products it is asked for and the question it depends on are the
 * event's, its identifier and dependency are valid; as field errors.
 */
function checkQuestion(
  db: ReadableDB,
  eventId: number,
  selfId: number | null,
  input: Partial<QuestionInput>,
) {
  const errors = foreignObjectErrors(eventOfObjectIn(db), eventId, [
    ['items', 'item', input.items],
    ['dependency_question', 'question', input.dependencyQuestion],
  ]);
  if (input.identifier !== undefined) {
    const problem = checkIdentifier(db, eventId, input.identifier, selfId);
    if (problem) errors.identifier = [problem];
  }
  if (
    input.dependencyQuestion !== undefined &&
    input.dependencyQuestion !== null &&
    !errors.dependency_question
  ) {
    const problem = dependencyProblem(db, selfId, input.dependencyQuestion);
    if (problem) errors.dependency_question = [problem];
  }
  return errors;
}

function insertOptions(db: WritableDB, eventId: number, questionId: number, options: OptionInput[]): void {
  options.forEach((o, i) =>
    insertOptionRow(db, questionId, {
      identifier: o.identifier || newOptionIdentifier(db, eventId),
      answer: JSON.stringify(o.answer),
      position: o.position ?? i,
    }),
  );
}

export function createQuestion(ctx: EngineContext, eventId: number, input: NewQuestionInput): number {
  const errors = checkQuestion(ctx.db, eventId, null, input);
  const { items = [], options = [], dependencyQuestion, ...fields } = input;
  const ids = options.map((o) => o.identifier).filter((v): v is string => typeof v === 'string');
  const dup = ids.find((v, i) => ids.indexOf(v) !== i);
  const badId = ids.find((v) => v !== '' && identifierProblem(v));
  if (dup) errors.options = [`The identifier "${dup}" is used more than once.`];
  else if (badId !== undefined) errors.options = [IDENTIFIER_MESSAGE];
  if (Object.keys(errors).length > 0) throw invalidFields('invalid', errors);
  const id = addResource(ctx, QUESTION, eventId, fields, {
    fixed: {
      dependency_question_id: dependencyQuestion ?? null,
      identifier: input.identifier ?? newQuestionIdentifier(ctx.db, eventId),
    },
  });
  addQuestionItems(ctx.db, id, items);
  insertOptions(ctx.db, eventId, id, options);
  return id;
}

export function updateQuestion(
  ctx: EngineContext,
  eventId: number,
  id: number,
  input: Partial<QuestionInput>,
): void {
  if (!questionInEvent(ctx.db, eventId, id)) throw notFound();
  const errors = checkQuestion(ctx.db, eventId, id, input);
  if (input.type !== undefined && !DEPENDENCY_TYPES.includes(input.type) && questionHasDependents(ctx.db, id))
    errors.type = [
      'This question is used as a dependency of another question and must therefore keep a choice type.',
    ];
  if (Object.keys(errors).length > 0) throw invalidFields('invalid', errors);
  const { items, dependencyQuestion, ...fields } = input;
  const fixed = dependencyQuestion !== undefined ? { dependency_question_id: dependencyQuestion } : {};
  changeResource(ctx, QUESTION, eventId, id, fields, fixed);
  if (items) setQuestionItems(ctx.db, id, items);
}

export function deleteQuestion(ctx: EngineContext, eventId: number, id: number): void {
  deleteResource(ctx, QUESTION, eventId, id, () => deleteQuestionRow(ctx.db, id));
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
  const problem = identifierProblem(identifier);
  if (problem) return problem;
  return optionIdentifierTaken(db, questionId, identifier, exceptId)
    ? 'The identifier "' + identifier + '" is already used for a different option.'
    : undefined;
}

export function createQuestionOption(
  ctx: EngineContext,
  eventId: number,
  questionId: number,
  input: OptionInput,
): number {
  requireQuestion(ctx.db, eventId, questionId);
  if (input.identifier) {
    const problem = checkOptionIdentifier(ctx.db, questionId, input.identifier, null);
    if (problem) throw invalidFields('invalid', { identifier: [problem] });
  }
  const id = insertOptionRow(ctx.db, questionId, {
    identifier: input.identifier || newOptionIdentifier(ctx.db, eventId),
    answer: JSON.stringify(input.answer),
    position: input.position ?? nextOptionPosition(ctx.db, questionId),
  });
  logOption(ctx, eventId, questionId, 'added', { id });
  return id;
}

export function updateQuestionOption(
  ctx: EngineContext,
  eventId: number,
  questionId: number,
  id: number,
  input: Partial<OptionInput>,
): void {
  requireQuestion(ctx.db, eventId, questionId);
  const current = found(findOption(ctx.db, questionId, id));
  const identifier = input.identifier || current.identifier;
  const problem = checkOptionIdentifier(ctx.db, questionId, identifier, id);
  if (problem) throw invalidFields('invalid', { identifier: [problem] });
  updateOptionRow(ctx.db, id, {
    answer: input.answer ? JSON.stringify(input.answer) : current.answer,
    identifier,
    position: input.position ?? current.position,
  });
  logOption(ctx, eventId, questionId, 'changed', { id, ...input });
}

function logOption(
  ctx: EngineContext,
  eventId: number,
  questionId: number,
  what: string,
  data: object,
): void {
  ctx.audit({
    eventId,
    objectType: 'question',
    objectId: questionId,
    actionType: `pretix.event.question.option.${what}`,
    data,
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
  logOption(ctx, eventId, questionId, 'deleted', { id });
}
