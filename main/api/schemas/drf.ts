import { z } from 'zod';
import { parseIsoDateTime } from '../../engine/clock';
import { invalidFields, pythonType, shown as shownValue, type FieldErrors } from '../../engine/errors';
import { Decimal } from '../../engine/money';
import { isEmailAddress } from '../../engine/orders';

/**
 * Django REST framework's request parsing, as zod schemas: pretix's fields accept what DRF's fields
 * accept and fail with DRF's words, so a client sees the same 400 bodies as from pretix. Build a
 * resource's body schema from these fields and parse it with `parseBody` (after the lookups that may answer
 * 404, as DRF does); any other zod schema gets DRF's words from `drfErrorMap`.
 */

/** DRF's (and Django's) messages, as pretix answers them. */
export const DRF = {
  required: 'This field is required.',
  null: 'This field may not be null.',
  blank: 'This field may not be blank.',
  string: 'Not a valid string.',
  integer: 'A valid integer is required.',
  number: 'A valid number is required.',
  boolean: 'Must be a valid boolean.',
  datetime:
    'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
  date: 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.',
  time: 'Time has wrong format. Use one of these formats instead: hh:mm[:ss[.uuuuuu]].',
  email: 'Enter a valid email address.',
  emptyList: 'This list may not be empty.',
  choice: (value: unknown) => `"${shownValue(value)}" is not a valid choice.`,
  list: (value: unknown) => `Expected a list of items but got type "${pythonType(value)}".`,
  dict: (value: unknown) => `Invalid data. Expected a dictionary, but got ${pythonType(value)}.`,
  maxLength: (n: number) => `Ensure this field has no more than ${n} characters.`,
  minLength: (n: number) => `Ensure this field has at least ${n} characters.`,
  maxValue: (n: number | string) => `Ensure this value is less than or equal to ${n}.`,
  minValue: (n: number | string) => `Ensure this value is greater than or equal to ${n}.`,
  maxDigits: (n: number) => `Ensure that there are no more than ${n} digits in total.`,
  maxPlaces: (n: number) => `Ensure that there are no more than ${n} decimal places.`,
  maxWholeDigits: (n: number) => `Ensure that there are no more than ${n} digits before the decimal point.`,
  pkType: (value: unknown) => `Incorrect type. Expected pk value, received ${pythonType(value)}.`,
  pkMissing: (value: unknown) => `Invalid pk "${shownValue(value)}" - object does not exist.`,
  /** SlugRelatedField's: no row whose `slug` field holds `value`. */
  slugMissing: (slug: string, value: unknown) => `Object with ${slug}=${shownValue(value)} does not exist.`,
  /** django-filter's (Django forms') words for a query parameter. */
  filterChoice: 'Select a valid choice. That choice is not one of the available choices.',
  filterDatetime: 'Enter a valid date/time.',
  filterNumber: 'Enter a number.',
} as const;

/** DRF's message for a value of the wrong type, by the type zod expected. */
const WRONG_TYPE: Partial<Record<string, (input: unknown) => string>> = {
  string: () => DRF.string,
  int: () => DRF.integer,
  number: () => DRF.number,
  boolean: () => DRF.boolean,
  array: DRF.list,
  object: DRF.dict,
};

/**
 * DRF's words for zod's own checks (`z.string()`, `z.array()`, `z.enum()`, `.max()`, ...), so that plain
 * zod schemas answer like DRF fields. The DRF fields below set their messages themselves.
 */
export const drfErrorMap: z.core.$ZodErrorMap = (issue) => {
  const input = issue.input;
  if (issue.code === 'invalid_type') {
    if (input === undefined) return DRF.required;
    if (input === null) return DRF.null;
    return WRONG_TYPE[issue.expected]?.(input);
  }
  if (issue.code === 'invalid_value') return DRF.choice(input);
  if (issue.code === 'too_big' && issue.origin === 'string') return DRF.maxLength(Number(issue.maximum));
  if (issue.code === 'too_small' && issue.origin === 'string') {
    return Number(issue.minimum) === 1 ? DRF.blank : DRF.minLength(Number(issue.minimum));
  }
  if (issue.code === 'too_big' && issue.origin === 'number') return DRF.maxValue(Number(issue.maximum));
  if (issue.code === 'too_small' && issue.origin === 'number') return DRF.minValue(Number(issue.minimum));
  if (issue.code === 'too_small' && issue.origin === 'array') return DRF.emptyList;
  if (issue.code === 'invalid_format' && issue.format === 'email') return DRF.email;
  return undefined;
};

/** A field's reading of a present, non-null value: the value, or DRF's message. */
export type Parsed<T> = { value: T } | { error: string };

/** Reads a present, non-null value. */
export type Reader<T> = (input: unknown) => Parsed<T>;

/**
 * What a field gives for a missing and for a null value, when not DRF's "required" and "may not be
 * null" (`required=False` or a `default`, `allow_null=True`); a function, as it may look a row up.
 */
export interface Absent<M, N> {
  missing?: () => Parsed<M>;
  null?: () => Parsed<N>;
}

const REQUIRED: Parsed<never> = { error: DRF.required };
const NOT_NULL: Parsed<never> = { error: DRF.null };

/**
 * A DRF field, as one zod step: `parse` turns a present, non-null value into `T` or DRF's message. A
 * missing value is "required" and null is "may not be null", unless `absent` says what they give, or the
 * schema is made `.optional()`, `.nullable()` or given a `.default()`, as `required=False`,
 * `allow_null=True` and `default=` do in DRF. Giving `absent` rather than chaining wrappers keeps the
 * field one step (zod runs each wrapper of every field, present or not).
 */
export function drfField<T, M = never, N = never>(parse: Reader<T>, absent: Absent<M, N> = {}) {
  const missing = absent.missing;
  const nullValue = absent.null;
  return z.transform((input: unknown, ctx): T | M | N => {
    const result: Parsed<T | M | N> =
      input === undefined
        ? missing
          ? missing()
          : REQUIRED
        : input === null
          ? nullValue
            ? nullValue()
            : NOT_NULL
          : parse(input);
    if ('error' in result) {
      ctx.addIssue({ code: 'custom', message: result.error, input });
      return z.NEVER;
    }
    return result.value;
  });
}

/** DRF's BooleanField.TRUE_VALUES / FALSE_VALUES: exactly these spellings, no others (no trimming). */
const BODY_TRUE = new Set<unknown>(['t', 'T', 'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE']);
const BODY_TRUE_MORE = new Set<unknown>(['on', 'On', 'ON', '1', 1, true]);
const BODY_FALSE = new Set<unknown>(['f', 'F', 'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE']);
const BODY_FALSE_MORE = new Set<unknown>(['off', 'Off', 'OFF', '0', 0, false]);

/** A request body's boolean as DRF's BooleanField reads it; undefined for anything else. */
export function bodyBoolean(input: unknown): boolean | undefined {
  if (BODY_TRUE.has(input) || BODY_TRUE_MORE.has(input)) return true;
  if (BODY_FALSE.has(input) || BODY_FALSE_MORE.has(input)) return false;
  return undefined;
}

/**
 * A query parameter's boolean as django-filter's BooleanFilter reads it in pretix's API (its
 * BooleanWidget): `true`/`false`/`1`/`0` in any case; anything else is no filter at all (undefined).
 */
export function queryBoolean(input: string | undefined): boolean | undefined {
  switch (input?.toLowerCase()) {
    case 'true':
    case '1':
      return true;
    case 'false':
    case '0':
      return false;
    default:
      return undefined;
  }
}

const TRUE: Parsed<boolean> = { value: true };
const FALSE: Parsed<boolean> = { value: false };
const NOT_BOOLEAN: Parsed<never> = { error: DRF.boolean };

function readBoolean(): Reader<boolean> {
  return (input) => {
    const value = bodyBoolean(input);
    return value === undefined ? NOT_BOOLEAN : value ? TRUE : FALSE;
  };
}

/** DRF's IntegerField: an integer, or a string holding one (`"12"`, `" 12 "`, `"12.0"` is not). */
function readInteger(options: { min?: number; max?: number } = {}): Reader<number> {
  return (input) => {
    let value: number;
    if (typeof input === 'number' && Number.isInteger(input)) value = input;
    else if (typeof input === 'string' && /^\s*[+-]?\d+\s*$/.test(input)) value = Number(input);
    else return { error: DRF.integer };
    if (options.max !== undefined && value > options.max) return { error: DRF.maxValue(options.max) };
    if (options.min !== undefined && value < options.min) return { error: DRF.minValue(options.min) };
    return { value };
  };
}

/**
 * DRF's DecimalField (pretix's money fields: 13 digits, 2 places): a number or a numeric string, as
 * normalised decimal text (`"23.5"`, `"-0.1"`).
 */
function readDecimal(
  options: { digits?: number; places?: number; min?: string; max?: string } = {},
): Reader<string> {
  const digits = options.digits ?? 13;
  const places = options.places ?? 2;
  return (input) => {
    const text =
      typeof input === 'number' && Number.isFinite(input)
        ? String(input)
        : typeof input === 'string'
          ? input.trim()
          : undefined;
    if (text === undefined || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return { error: DRF.number };
    const value = new Decimal(text);
    const [whole = '', fraction = ''] = value.abs().toFixed().split('.');
    const wholeDigits = whole.replace(/^0+/, '').length;
    if (fraction.length > places) return { error: DRF.maxPlaces(places) };
    if (wholeDigits + fraction.length > digits) return { error: DRF.maxDigits(digits) };
    if (wholeDigits > digits - places) return { error: DRF.maxWholeDigits(digits - places) };
    if (options.min !== undefined && value.lessThan(options.min)) return { error: DRF.minValue(options.min) };
    if (options.max !== undefined && value.greaterThan(options.max))
      return { error: DRF.maxValue(options.max) };
    return { value: value.toFixed() };
  };
}

/**
 * DRF's CharField: a string (numbers become their text; booleans, lists and objects are refused), not
 * blank unless `allowBlank`, at most `maxLength` characters.
 */
function readString(
  options: { allowBlank?: boolean; maxLength?: number; minLength?: number; trim?: boolean } = {},
): Reader<string> {
  return (input) => {
    if (typeof input !== 'string' && !(typeof input === 'number' && Number.isFinite(input)))
      return { error: DRF.string };
    const raw = String(input);
    const text = options.trim === false ? raw : raw.trim();
    if (!options.allowBlank && text === '') return { error: DRF.blank };
    if (options.maxLength !== undefined && text.length > options.maxLength)
      return { error: DRF.maxLength(options.maxLength) };
    if (options.minLength !== undefined && text.length < options.minLength)
      return { error: DRF.minLength(options.minLength) };
    return { value: text };
  };
}

/** DRF's ChoiceField: one of `choices`, compared as text as DRF does. */
function readChoice<const C extends string>(choices: readonly C[]): Reader<C> {
  const known = new Set<string>(choices);
  return (input) => {
    const text = typeof input === 'string' || typeof input === 'number' ? String(input) : undefined;
    return text !== undefined && known.has(text) ? { value: text as C } : { error: DRF.choice(input) };
  };
}

/**
 * DRF's DateTimeField: ISO 8601; a time without an offset is the wall-clock time in `timeZone` (the
 * event's), as pretix reads it.
 */
function readDatetime(timeZone = 'UTC'): Reader<Date> {
  return (input) => {
    const value = typeof input === 'string' ? parseIsoDateTime(input, timeZone) : undefined;
    return value ? { value } : { error: DRF.datetime };
  };
}

/** DRF's DateField: `YYYY-MM-DD`, a day that exists. */
function readDate(): Reader<string> {
  return (input) => {
    const m = typeof input === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.trim()) : null;
    if (!m) return { error: DRF.date };
    const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    if (day.getUTCMonth() !== Number(m[2]) - 1 || day.getUTCDate() !== Number(m[3]))
      return { error: DRF.date };
    return { value: m[0] };
  };
}

function pkValue(input: unknown): Parsed<number> {
  if (typeof input === 'boolean' || typeof input === 'object') return { error: DRF.pkType(input) };
  if (typeof input === 'number' && Number.isInteger(input)) return { value: input };
  if (typeof input === 'string' && /^\d+$/.test(input.trim())) return { value: Number(input) };
  return { error: DRF.pkMissing(input) };
}

/**
 * DRF's PrimaryKeyRelatedField: an id (a number or digits), else DRF's words; with `exists`, the lookup of
 * its queryset too (`Invalid pk "7" - object does not exist.`).
 */
function readPk(exists?: (id: number) => boolean): Reader<number> {
  return (input) => {
    const id = pkValue(input);
    if ('value' in id && exists && !exists(id.value)) return { error: DRF.pkMissing(input) };
    return id;
  };
}

/**
 * DRF's PrimaryKeyRelatedField as Django runs its integer lookup: text that is no whole number (`"x"`) is
 * an incorrect type, a number that is no whole number an unknown pk.
 */
function readRelatedPk(): Reader<number> {
  return (input) => {
    if (typeof input === 'number')
      return Number.isInteger(input) ? { value: input } : { error: DRF.pkMissing(input) };
    if (typeof input === 'string' && /^\s*-?\d+\s*$/.test(input)) return { value: Number(input.trim()) };
    return { error: DRF.pkType(input) };
  };
}

/** DRF's EmailField: a string holding one address (blank is no address). */
function readEmail(): Reader<string> {
  const text = readString({ allowBlank: true });
  return (input) => {
    const read = text(input);
    return 'error' in read || isEmailAddress(read.value) ? read : { error: DRF.email };
  };
}

/** `read`, then `then` on what it read (a lookup, a rule), in one step. */
export function readThen<T, U>(read: Reader<T>, then: (value: T) => Parsed<U>): Reader<U> {
  return (input) => {
    const first = read(input);
    return 'error' in first ? first : then(first.value);
  };
}

/**
 * The readers of DRF's fields, for a field that reads more in the same step (a lookup, a rule) or says
 * what a missing or null value gives (`drfField(read, absent)`).
 */
export const drfRead = {
  boolean: readBoolean,
  integer: readInteger,
  decimal: readDecimal,
  string: readString,
  email: readEmail,
  choice: readChoice,
  datetime: readDatetime,
  date: readDate,
  pk: readPk,
  relatedPk: readRelatedPk,
};

function boolean() {
  return drfField(readBoolean());
}

function integer(options: { min?: number; max?: number } = {}) {
  return drfField(readInteger(options));
}

function decimal(options: { digits?: number; places?: number; min?: string; max?: string } = {}) {
  return drfField(readDecimal(options));
}

function string(
  options: { allowBlank?: boolean; maxLength?: number; minLength?: number; trim?: boolean } = {},
) {
  return drfField(readString(options));
}

function choice<const C extends string>(choices: readonly C[]) {
  return drfField(readChoice(choices));
}

function datetime(timeZone = 'UTC') {
  return drfField(readDatetime(timeZone));
}

function date() {
  return drfField(readDate());
}

function pk(exists?: (id: number) => boolean) {
  return drfField(readPk(exists));
}

/**
 * DRF's PrimaryKeyRelatedField(many=True): a list of ids, the first bad one answered with its message
 * alone under the field (not by index, as a ListField would).
 */
function pkList(exists?: (id: number) => boolean) {
  return drfField<number[]>((input) => {
    if (!Array.isArray(input)) return { error: DRF.list(input) };
    const ids: number[] = [];
    for (const entry of input) {
      const id = pkValue(entry);
      if ('error' in id) return id;
      if (exists && !exists(id.value)) return { error: DRF.pkMissing(entry) };
      ids.push(id.value);
    }
    return { value: ids };
  });
}

/** DRF's PrimaryKeyRelatedField, the lookup given with `.refine` (see `readRelatedPk`). */
function relatedPk() {
  return drfField(readRelatedPk());
}

/** DRF's EmailField: a string holding one address. */
function email() {
  return drfField(readEmail());
}

/** DRF's ListField / many=True: a list (DRF's words when it is not), each item parsed by `item`. */
function list<T extends z.ZodType>(item: T, options: { allowEmpty?: boolean } = {}) {
  return z
    .unknown()
    .superRefine((input, ctx) => {
      const message =
        input === undefined
          ? DRF.required
          : input === null
            ? DRF.null
            : !Array.isArray(input)
              ? DRF.list(input)
              : options.allowEmpty === false && input.length === 0
                ? DRF.emptyList
                : undefined;
      if (message) ctx.addIssue({ code: 'custom', message, input });
    })
    .pipe(z.array(item));
}

/**
 * A nested serializer (DRF's Serializer as a field): a dictionary of `shape`'s fields; anything else is a
 * non-field error. Chain `.transform` for the serializer's `validate()`: zod runs it only once every field
 * is valid, as DRF does.
 */
function serializer<S extends z.ZodRawShape>(shape: S) {
  return z
    .unknown()
    .superRefine((input, ctx) => {
      if (!isObject(input)) nonFieldError(ctx, DRF.dict(input), input);
    })
    .pipe(z.object(shape));
}

/**
 * DRF's ListSerializer (`many=True` of a nested serializer): a list of `item`s; a value that is no list is
 * a non-field error. `check` may refuse the list as a whole before its items are read.
 */
function many<T extends z.ZodType>(item: T, check?: (list: unknown[]) => string | undefined) {
  return z
    .unknown()
    .superRefine((input, ctx) => {
      if (input === undefined || input === null) {
        ctx.addIssue({ code: 'custom', message: input === null ? DRF.null : DRF.required, input });
      } else if (!Array.isArray(input)) nonFieldError(ctx, DRF.list(input), input);
      else {
        const message = check?.(input);
        if (message) ctx.addIssue({ code: 'custom', message, input });
      }
    })
    .pipe(z.array(item));
}

function nonFieldError(ctx: z.RefinementCtx, message: string, input: unknown): void {
  ctx.addIssue({ code: 'custom', message, input, path: ['non_field_errors'] });
}

/** Puts an error body another check answered (`{"field": ["message"]}`, nested) among the issues. */
export function addFieldErrors(ctx: z.RefinementCtx, errors: unknown, path: (string | number)[] = []): void {
  if (Array.isArray(errors)) {
    errors.forEach((entry, i) => {
      if (typeof entry === 'string') ctx.addIssue({ code: 'custom', message: entry, path, input: undefined });
      else addFieldErrors(ctx, entry, [...path, i]);
    });
  } else if (isObject(errors)) {
    for (const [key, value] of Object.entries(errors)) addFieldErrors(ctx, value, [...path, key]);
  }
}

/** The fields of pretix's serializers, each with DRF's parsing and messages. */
export const drf = {
  boolean,
  integer,
  decimal,
  string,
  email,
  choice,
  datetime,
  date,
  pk,
  relatedPk,
  pkList,
  list,
  serializer,
  many,
  field: drfField,
};

/**
 * Zod's issues as DRF's error body: `{"field": ["message"]}`, nested for nested serializers; a list of
 * objects (many=True) answers with one entry per item (`{}` for good ones), a list of plain values with a
 * dict keyed by index, and errors about the body itself go under `non_field_errors`. One message per field,
 * the first, as DRF stops at a field's first failure.
 */
export function drfFieldErrors(error: z.ZodError, input: unknown): FieldErrors {
  const root: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (path.length === 0) root.non_field_errors ??= [issue.message];
    else place(root, path, issue.message, input);
  }
  return root;
}

type ErrorContainer = FieldErrors | (FieldErrors | Record<string, never>)[];

function place(container: ErrorContainer, path: (string | number)[], message: string, input: unknown): void {
  const [key, ...rest] = path as [string | number, ...(string | number)[]];
  const here = isObject(input) || Array.isArray(input) ? (input as Record<string, unknown>)[key] : undefined;
  if (Array.isArray(container)) {
    const slot = (container[Number(key)] ??= {}) as FieldErrors;
    if (rest.length === 0) slot.non_field_errors ??= [message];
    else place(slot, rest, message, here);
    return;
  }
  const name = String(key);
  if (rest.length === 0) {
    container[name] ??= [message];
    return;
  }
  let child = container[name];
  if (child === undefined) {
    // A list of objects answers with one entry per item; a list of plain values with a dict by index.
    // (An error inside an item, `[i, field]`, says the items are objects even when none of them is.)
    child =
      typeof rest[0] === 'number' && Array.isArray(here) && (rest.length > 1 || here.some(isObject))
        ? here.map(() => ({}))
        : {};
    container[name] = child;
  } else if (Array.isArray(child) && child.some((e) => typeof e === 'string')) {
    return; // this field already failed
  }
  place(child as ErrorContainer, rest, message, here);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses a request body (or any input) with `schema`; on failure throws the EngineError DRF would answer
 * with: kind `invalid`, the field errors as body, the first message as the error's message.
 */
export function parseBody<S extends z.ZodType>(schema: S, input: unknown, code = 'invalid'): z.output<S> {
  const result = schema.safeParse(input, { error: drfErrorMap });
  if (result.success) return result.data;
  throw invalidFields(code, drfFieldErrors(result.error, input));
}
