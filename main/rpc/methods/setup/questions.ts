import { z } from 'zod';
import {
  createQuestion,
  createQuestionOption,
  deleteQuestion,
  deleteQuestionOption,
  QUESTION_TYPES,
  updateQuestion,
  updateQuestionOption,
} from '../../../engine/catalog';
import { notFound } from '../../../engine/errors';
import { i18nText, type SetupKindCommands } from './setup-kind';

const option = z.object({ answer: i18nText });

const question = z.object({
  question: i18nText,
  type: z.enum(QUESTION_TYPES, { error: 'Choose a kind of question.' }),
  required: z.boolean({ error: 'Must be a valid boolean.' }),
  items: z.array(z.number().int().positive(), { error: 'Choose products from the list.' }),
  options: z.array(option, { error: 'Enter the choices as a list.' }).optional(),
});

/**
 * A question asked per ticket of its products; the catalog checks that they, and anything the question
 * names, are the event's. Its choices are added, changed and deleted one by one (`question_option`).
 */
export const questionSetup: SetupKindCommands<'question'> = {
  fields: question,
  changes: question.omit({ options: true }).partial(),
  create: (ctx, { eventId }, fields) => createQuestion(ctx, eventId, fields),
  update: (ctx, { eventId }, id, fields) => updateQuestion(ctx, eventId, id, fields),
  remove: (ctx, { eventId }, id) => deleteQuestion(ctx, eventId, id),
};

function questionOf(parentId: number | null): number {
  if (parentId === null) throw notFound('A choice needs its question.');
  return parentId;
}

/** One answer to choose from, of the question `parentId`. */
export const questionOptionSetup: SetupKindCommands<'question_option'> = {
  fields: option,
  changes: option.partial(),
  create: (ctx, { eventId, parentId }, fields) =>
    createQuestionOption(ctx, eventId, questionOf(parentId), fields),
  update: (ctx, { eventId, parentId }, id, fields) =>
    updateQuestionOption(ctx, eventId, questionOf(parentId), id, fields),
  remove: (ctx, { eventId, parentId }, id) => deleteQuestionOption(ctx, eventId, questionOf(parentId), id),
};
