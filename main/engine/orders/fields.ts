import { pythonType as typeName, type FieldErrors, shown } from '../errors';

export { typeName };
import { parseIsoDateTime } from '../clock';
import { isCountryCode, isEmailAddress, stateError } from './addresses';
import type { InvoiceAddressData as InvoiceAddressFields } from './model';

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

export function parseEmail(input: unknown): Parsed<string> {
  const s = parseString(input, { allowBlank: true });
  if (s.error !== undefined) return s;
  if (!isEmailAddress(s.value)) return { error: 'Enter a valid email address.' };
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

const DATETIME_FORMAT_ERROR =
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

function hasKey(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

function optionalText(
  raw: Record<string, unknown>,
  key: string,
  errors: FieldErrors,
  maxLength?: number,
): string | null {
  if (!hasKey(raw, key) || raw[key] === null) return null;
  const s = parseString(raw[key], { allowBlank: true, maxLength });
  if (s.error !== undefined) {
    errors[key] = [s.error];
    return null;
  }
  return s.value;
}

/** An invoice address as a request gives it (the stored one adds its name and modification time). */
type InvoiceAddressData = Omit<InvoiceAddressFields, 'last_modified' | 'name_cached'>;

/** pretix's `InvoiceAddressSerializer` of an order's `invoice_address`, with its messages. */
export function parseInvoiceAddress(
  raw: unknown,
  nameScheme: string,
): { value?: InvoiceAddressData; errors?: FieldErrors } {
  if (!isPlainObject(raw)) {
    return {
      errors: { non_field_errors: [`Invalid data. Expected a dictionary, but got ${typeName(raw)}.`] },
    };
  }
  const errors: FieldErrors = {};
  const text = (key: string, max?: number) => optionalText(raw, key, errors, max) ?? '';
  const flag = (key: string) => {
    if (!hasKey(raw, key) || raw[key] === null) return false;
    const b = parseBoolean(raw[key]);
    if (b.error !== undefined) {
      errors[key] = [b.error];
      return false;
    }
    return b.value;
  };
  const value: InvoiceAddressData = {
    is_business: flag('is_business'),
    company: text('company', 255),
    name_parts: {},
    street: text('street'),
    zipcode: text('zipcode', 30),
    city: text('city', 255),
    country: '',
    state: text('state', 255),
    vat_id: text('vat_id', 255),
    vat_id_validated: flag('vat_id_validated'),
    internal_reference: text('internal_reference'),
    custom_field: optionalText(raw, 'custom_field', errors, 255),
  };
  const name = text('name');
  const rawCountry = text('country');
  if (rawCountry) {
    if (!isCountryCode(rawCountry.toUpperCase())) errors.country = [`"${rawCountry}" is not a valid choice.`];
    else value.country = rawCountry.toUpperCase();
  }
  let parts: unknown = hasKey(raw, 'name_parts') ? raw.name_parts : undefined;
  if (Object.keys(errors).length > 0) return { errors };
  const partsGiven =
    parts !== undefined &&
    parts !== null &&
    !(isPlainObject(parts) && Object.keys(parts).length === 0) &&
    parts !== '';
  if (name && partsGiven) return { errors: { name: ['Do not specify name if you specified name_parts.'] } };
  if (partsGiven && !isPlainObject(parts)) return { errors: { name_parts: ['Invalid data type'] } };
  if (partsGiven && isPlainObject(parts)) {
    parts = { ...parts };
    const p = parts as Record<string, unknown>;
    if (!hasKey(p, '_scheme')) p._scheme = nameScheme;
    value.name_parts = p;
  } else if (name) {
    value.name_parts = { _legacy: name };
  }
  if (value.state) {
    const problem = stateError(String(value.country ?? ''), String(value.state));
    if (problem) return { errors: { state: [problem] } };
  }
  return { value };
}
