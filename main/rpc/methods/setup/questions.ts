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
import { i18nText, objectId, parentOf, yesNo, type SetupKindCommands, type SetupTarget } from './setup-kind';

const option = z.object({ answer: i18nText });

const question = z.object({
  question: i18nText,
  type: z.enum(QUESTION_TYPES, { error: 'Choose a kind of question.' }),
  required: yesNo,
  items: z.array(objectId, { error: 'Choose products from the list.' }),
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

const questionOf = (target: SetupTarget) => parentOf(target, 'A choice needs its question.');

/** One answer to choose from, of the question `parentId`. */
export const questionOptionSetup: SetupKindCommands<'question_option'> = {
  fields: option,
  changes: option.partial(),
  create: (ctx, target, fields) => createQuestionOption(ctx, target.eventId, questionOf(target), fields),
  update: (ctx, target, id, fields) =>
    updateQuestionOption(ctx, target.eventId, questionOf(target), id, fields),
  remove: (ctx, target, id) => deleteQuestionOption(ctx, target.eventId, questionOf(target), id),
};
