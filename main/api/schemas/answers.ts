import { z } from 'zod';
import { checkAnswer, uniqueAnswers, type AnswerLookups, type AnswerRequest } from '../../engine/questions';
import { DRF, drf, drfRead, readThen, type Parsed } from './drf';

/**
 * A position's `answers` (pretix's `AnswerSerializer(many=True)`): each answer's question, text and
 * options read and looked up, then its question type's rules; duplicate answers to one question keep the
 * first. A body that is null or no list is refused as a whole, under `non_field_errors`.
 */

function issue(ctx: z.RefinementCtx, message: string, input: unknown, path: string[] = []): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', message, input, path });
  return z.NEVER;
}

const relatedPk = drfRead.relatedPk();

/** DRF's PrimaryKeyRelatedField(many=True) as the answer serializer runs it: the first bad id answers. */
function readOptions(lookups: AnswerLookups) {
  return (input: unknown): Parsed<AnswerRequest['options']> => {
    if (!Array.isArray(input)) return { error: DRF.list(input) };
    const options = [];
    for (const entry of input) {
      if (entry === null) return { error: DRF.pkType(entry) };
      if (entry === undefined) return { error: DRF.required };
      const id = relatedPk(entry);
      if ('error' in id) return id;
      const option = lookups.option(id.value);
      if (!option) return { error: DRF.pkMissing(id.value) };
      options.push(option);
    }
    return { value: options };
  };
}

function answerSchema(lookups: AnswerLookups) {
  const question = (id: number): Parsed<AnswerRequest['question']> =>
    lookups.question(id) ?? { error: DRF.pkMissing(id) };
  const noOptions = (): Parsed<AnswerRequest['options']> => ({ value: [] });
  const fields = {
    question: drf.field(readThen(relatedPk, question)),
    answer: drf.string(),
    options: drf.field(readOptions(lookups), { missing: noOptions }),
  };
  return drf.serializer(fields).transform((request: AnswerRequest, ctx) => {
    const checked = checkAnswer(request);
    return 'error' in checked ? issue(ctx, checked.error, request, ['non_field_errors']) : checked.value;
  });
}

/** The `answers` field; `none` is what leaving it out (or null, when `nullIsNone`) gives. */
export function answersSchema(lookups: AnswerLookups, options: { nullIsNone?: boolean } = {}) {
  return z
    .unknown()
    .optional()
    .superRefine((input, ctx) => {
      if (input === undefined || (input === null && options.nullIsNone)) return;
      if (input === null) issue(ctx, DRF.null, input, ['non_field_errors']);
      else if (!Array.isArray(input)) issue(ctx, DRF.list(input), input, ['non_field_errors']);
    })
    .pipe(z.array(answerSchema(lookups)).nullish())
    .transform((answers) => uniqueAnswers(answers ?? []));
}
