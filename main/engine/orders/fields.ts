import { invalidFields, pythonType as typeName, type FieldErrors, shown } from '../errors';

export { typeName };
import { parseIsoDateTime } from '../clock';

/**
 * Parsers for request values with Django REST framework's messages, so that bad input comes back in the
 * words pretix uses. Each returns `{ value }` or `{ error }`.
 */
export type Parsed<T> = { value: T; error?: undefined } | { error: string; value?: undefined };

export const REQUIRED = 'This field is required.';
export const NOT_NULL = 'This field may not be null.';

export function parseBoolean(input: unknown): Parsed<boolean> {
  if (input === true || input === false) return { value: input };
  if (typeof input === 'string') {
    const t = input.trim().toLowerCase();
    if (['true', '1', 'yes', 'y', 'on', 't'].includes(t)) return { value: true };
    if (['false', '0', 'no', 'n', 'off', 'f'].includes(t)) return { value: false };
  }
  if (input === 1) return { value: true };
  if (input === 0) return { value: false };
  return { error: 'Must be a valid boolean.' };
}

export function parseInteger(input: unknown): Parsed<number> {
  if (typeof input === 'number' && Number.isInteger(input)) return { value: input };
  if (typeof input === 'string' && /^\s*-?\d+\s*$/.test(input)) return { value: Number(input) };
  return { error: 'A valid integer is required.' };
}

export function parseString(
  input: unknown,
  opts: { allowBlank?: boolean; maxLength?: number; minLength?: number } = {},
): Parsed<string> {
  let text: string;
  if (typeof input === 'string') text = input;
  else if (typeof input === 'number' || typeof input === 'boolean') text = String(input);
  else return { error: 'Not a valid string.' };
  if (!opts.allowBlank && text.trim() === '') return { error: 'This field may not be blank.' };
  if (opts.maxLength !== undefined && text.length > opts.maxLength)
    return { error: `Ensure this field has no more than ${opts.maxLength} characters.` };
  if (opts.minLength !== undefined && text.length < opts.minLength)
    return { error: `Ensure this field has at least ${opts.minLength} characters.` };
  return { value: text };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function parseEmail(input: unknown): Parsed<string> {
  const s = parseString(input, { allowBlank: true });
  if (s.error !== undefined) return s;
  if (!EMAIL.test(s.value)) return { error: 'Enter a valid email address.' };
  return s;
}

/** A decimal with at most `places` decimal places and `digits` digits in total, as DRF's DecimalField. */
export function parseDecimal(input: unknown, digits = 13, places = 2): Parsed<string> {
  let text: string;
  if (typeof input === 'number' && Number.isFinite(input)) text = String(input);
  else if (typeof input === 'string') text = input.trim();
  else return { error: 'A valid number is required.' };
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return { error: 'A valid number is required.' };
  const whole = m[2]!.replace(/^0+/, '');
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > places) return { error: `Ensure that there are no more than ${places} decimal places.` };
  if (whole.length + frac.length > digits)
    return { error: `Ensure that there are no more than ${digits} digits in total.` };
  if (whole.length > digits - places)
    return {
      error: `Ensure that there are no more than ${digits - places} digits before the decimal point.`,
    };
  return { value: `${m[1] === '-' ? '-' : ''}${whole || '0'}${frac ? '.' + frac : ''}` };
}

export const DATETIME_FORMAT_ERROR =
  'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].';

/** An ISO datetime; one without an offset is read in `timeZone` (the event's), as pretix does. */
export function parseDatetime(input: unknown, timeZone = 'UTC'): Parsed<Date> {
  const date = typeof input === 'string' ? parseIsoDateTime(input, timeZone) : undefined;
  return date ? { value: date } : { error: DATETIME_FORMAT_ERROR };
}

export function parseDate(input: unknown): Parsed<string> {
  const error = 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.';
  if (typeof input !== 'string') return { error };
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.trim());
  if (!m) return { error };
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return { error };
  return { value: input.trim() };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The id a primary-key field refers to, or DRF's error for an unusable value. */
export function parsePk(input: unknown): Parsed<number> {
  if (typeof input === 'boolean' || input === null || typeof input === 'object')
    return { error: `Incorrect type. Expected pk value, received ${typeName(input)}.` };
  if (typeof input === 'number' && Number.isInteger(input)) return { value: input };
  if (typeof input === 'string' && /^\d+$/.test(input.trim())) return { value: Number(input) };
  return { error: `Invalid pk "${shown(input)}" - object does not exist.` };
}

export function invalidPk(input: unknown): string {
  return `Invalid pk "${shown(input)}" - object does not exist.`;
}

/** A request body as an object: `{}` when there is none, DRF's 400 when it is not a dictionary. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (!isPlainObject(body)) {
    throw invalidFields('invalid', {
      non_field_errors: [`Invalid data. Expected a dictionary, but got ${typeName(body)}.`],
    });
  }
  return body;
}

/**
 * A required, non-null field read with `parse`. On failure DRF's message goes into `errors[key]` and the
 * result is undefined, so a serializer can collect every field's error before answering.
 */
export function requiredField<T>(
  body: Record<string, unknown>,
  key: string,
  errors: FieldErrors,
  parse: (input: unknown) => Parsed<T>,
): T | undefined {
  if (!Object.prototype.hasOwnProperty.call(body, key)) {
    errors[key] = [REQUIRED];
    return undefined;
  }
  const parsed: Parsed<T> = body[key] === null ? { error: NOT_NULL } : parse(body[key]);
  if (parsed.error !== undefined) {
    errors[key] = [parsed.error];
    return undefined;
  }
  return parsed.value;
}
