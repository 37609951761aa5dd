import {
  identifierProblem,
  QUESTION_TYPES,
  type NewQuestionInput,
  type OptionInput,
  type QuestionInput,
} from '../../engine/catalog';
import { invalidFields, type FieldErrors } from '../../engine/errors';
import {
  bodyDict,
  catalogField as field,
  complete,
  eventObjects,
  readFields,
  type EventOfObject,
} from './catalog-fields';
import { DRF, drf } from './drf';

/** Bodies of pretix's question and question option endpoints (`QuestionSerializer`). */

/** An identifier as the catalog takes it (pretix's validator: letters, numbers, dots, dashes, underscores). */
function identifier(options: { blankMessage?: string } = {}) {
  return drf.field<string>((input) => {
    if (typeof input !== 'string') return { error: options.blankMessage ?? DRF.string };
    if (input === '' && options.blankMessage) return { error: options.blankMessage };
    const problem = identifierProblem(input);
    return problem === undefined ? { value: input } : { error: problem };
  });
}

function questionFields(eventOf: EventOfObject, eventId: number) {
  const objects = eventObjects(eventOf, eventId);
  return {
    question: field.i18n({ blankIsMissing: true }),
    help_text: field.i18n().optional(),
    type: drf.choice(QUESTION_TYPES),
    required: drf.boolean().optional(),
    position: drf.integer({ min: 0 }).optional(),
    ask_during_checkin: drf.boolean().optional(),
    show_during_checkin: drf.boolean().optional(),
    hidden: drf.boolean().optional(),
    print_on_invoice: drf.boolean().optional(),
    valid_number_min: drf.decimal().nullable().optional(),
    valid_number_max: drf.decimal().nullable().optional(),
    valid_date_min: drf.date().nullable().optional(),
    valid_date_max: drf.date().nullable().optional(),
    valid_datetime_min: drf.datetime().nullable().optional(),
    valid_datetime_max: drf.datetime().nullable().optional(),
    valid_string_length_max: drf.integer({ min: 0 }).nullable().optional(),
    valid_file_portrait: drf.boolean().optional(),
    dependency_values: field.texts().optional(),
    items: objects.pkList('item').optional(),
    dependency_question: objects.pk('question').nullable().optional(),
  };
}

const optionFields = {
  answer: field.i18n(),
  identifier: identifier().nullable().optional(),
  position: drf.integer().nullable().optional(),
};

/** An option's identifier left empty is made up, as one left out. */
function optionOf(raw: Record<string, unknown>, errors: FieldErrors, partial = false): Partial<OptionInput> {
  const body = raw.identifier === '' ? { ...raw, identifier: null } : raw;
  return readFields(optionFields, body, errors, partial);
}

export function questionBody(eventOf: EventOfObject, eventId: number, body: unknown): NewQuestionInput {
  const raw = bodyDict(body);
  const errors: FieldErrors = {};
  const fields: Partial<QuestionInput> = readFields(questionFields(eventOf, eventId), raw, errors);
  if (raw.identifier !== undefined && raw.identifier !== null && raw.identifier !== '') {
    const id = readFields({ identifier: identifier() }, raw, errors);
    if (id.identifier !== undefined) fields.identifier = id.identifier;
  }
  const options: OptionInput[] = [];
  if (raw.options !== undefined && raw.options !== null) {
    if (!Array.isArray(raw.options)) errors.options = [DRF.list(raw.options)];
    else {
      const perOption = raw.options.map((o: unknown) => {
        const e: FieldErrors = {};
        if (typeof o !== 'object' || o === null || Array.isArray(o)) e.non_field_errors = [DRF.dict(o)];
        else options.push(optionOf(o as Record<string, unknown>, e) as OptionInput);
        return e;
      });
      if (perOption.some((e) => Object.keys(e).length > 0)) errors.options = perOption;
    }
  }
  return { ...complete<QuestionInput>(fields, errors), options };
}

export function questionPatch(
  eventOf: EventOfObject,
  eventId: number,
  body: unknown,
): Partial<QuestionInput> {
  const raw = bodyDict(body);
  if (raw.options !== undefined)
    throw invalidFields('nested_update', {
      non_field_errors: [
        'Updating options via PATCH/PUT is not supported. Please use the dedicated nested endpoint.',
      ],
    });
  const errors: FieldErrors = {};
  const fields = readFields(
    { ...questionFields(eventOf, eventId), identifier: identifier({ blankMessage: DRF.blank }) },
    raw,
    errors,
    true,
  );
  return complete(fields, errors);
}

export function optionBody(body: unknown): OptionInput {
  const errors: FieldErrors = {};
  return complete(optionOf(bodyDict(body), errors), errors) as OptionInput;
}

export function optionPatch(body: unknown): Partial<OptionInput> {
  const errors: FieldErrors = {};
  return complete(optionOf(bodyDict(body), errors, true), errors);
}
