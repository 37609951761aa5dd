import { z } from 'zod';
import { invalidFields, pythonType, refused, refusedList, type FieldErrors } from '../../engine/errors';
import { Decimal, type Money } from '../../engine/money';
import { isCalendarDate, type OrderChanges } from '../../engine/orders';
import { DRF, drf, drfFieldErrors } from './drf';
import { invoiceAddressSchema } from './invoice-address';

/**
 * Request bodies of pretix's order endpoints, read once at the REST door with pretix's messages; the
 * orders room receives the typed values.
 */

/** A request body as an object: `{}` when there is none, DRF's 400 when it is not a dictionary. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw invalidFields('invalid', {
      non_field_errors: [`Invalid data. Expected a dictionary, but got ${pythonType(body)}.`],
    });
  }
  return body as Record<string, unknown>;
}

/** DRF reads some parameters (`force`, `mark_canceled`) raw from the request: any truthy JSON value counts. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

/** pretix's `cancellation_fee` of `mark_canceled`: a decimal with two places, none when empty or zero. */
function cancellationFee(value: unknown): Money | null {
  if (value === null || value === undefined || value === '' || value === false || value === 0) return null;
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : null;
  if (text === null || !/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text))
    throw refusedList('invalid', 'A valid number is required.');
  const fee = new Decimal(text);
  if (fee.decimalPlaces() > 2)
    throw refusedList('invalid', 'Ensure that there are no more than 2 decimal places.');
  if (fee.abs().greaterThanOrEqualTo('1e11'))
    throw refusedList('invalid', 'Ensure that there are no more than 13 digits in total.');
  return fee;
}

/** `POST …/orders/{code}/mark_canceled/`: `cancellation_fee` and `comment`. */
export function markCanceledBody(body: unknown): { cancellationFee: Money | null; comment: string | null } {
  const b = bodyObject(body);
  const fee = cancellationFee(b.cancellation_fee);
  return { cancellationFee: fee, comment: typeof b.comment === 'string' ? b.comment : null };
}

/** `POST …/orders/{code}/deny/`: an optional `comment`. */
export function denyBody(body: unknown): { comment: string } {
  const b = bodyObject(body);
  return { comment: typeof b.comment === 'string' ? b.comment : '' };
}

/**
 * `POST …/orders/{code}/extend/`: `expires` as a date (YYYY-MM-DD) and `force`. pretix checks the date
 * before it even looks the order up.
 */
export function extendBody(body: unknown): { expires: string; force: boolean } {
  const b = bodyObject(body);
  const raw = b.expires;
  if (raw === undefined || raw === null || raw === '' || raw === false || raw === 0) {
    throw refused('missing_date', 'New date is missing.');
  }
  const expires = typeof raw === 'string' ? raw.trim() : '';
  if (!isCalendarDate(expires)) throw refused('invalid_date', 'New date is invalid.');
  return { expires, force: truthy(b.force) };
}

/**
 * Reads a body's fields one at a time with DRF fields, as a serializer with a `validate_<field>` per field
 * does: each field's first message goes into `errors`, in the order the fields are read.
 */
export function fieldReader(body: Record<string, unknown>, errors: FieldErrors) {
  const has = (key: string) => Object.prototype.hasOwnProperty.call(body, key);
  const read = <S extends z.ZodType>(key: string, schema: S): z.output<S> | undefined => {
    const result = schema.safeParse(body[key]);
    if (result.success) return result.data;
    const [first] = result.error.issues;
    // A plain field fails with a message; a nested serializer with its own error body.
    errors[key] =
      first && result.error.issues.every((issue) => issue.path.length === 0)
        ? [first.message]
        : drfFieldErrors(result.error, body[key]);
    return undefined;
  };
  /** A field that null (and, with `emptyClears`, '') clears. */
  const clearable = <S extends z.ZodType>(key: string, schema: S, emptyClears = true) =>
    body[key] === null || (emptyClears && body[key] === '') ? null : read(key, schema);
  return { has, read, clearable };
}

const PHONE = /^\+?[0-9 ()/.-]*$/;

/**
 * `PATCH …/orders/{code}/`: comment, custom_followup_at, checkin_attention, checkin_text, email, locale,
 * phone, valid_if_pending and invoice_address; other keys are ignored. Every field's error comes in one
 * 400, in pretix's field order. `locales` are the event's; name parts without a scheme are in `nameScheme`.
 */
export function orderUpdateBody(
  raw: unknown,
  event: { locales: string[]; nameScheme: string },
): OrderChanges {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalidFields('invalid', { non_field_errors: [DRF.dict(raw)] });
  }
  const body = raw as Record<string, unknown>;
  const errors: FieldErrors = {};
  const { has, read, clearable } = fieldReader(body, errors);
  const text = drf.string({ allowBlank: true, trim: false });
  const changes: OrderChanges = {};
  if (has('comment')) changes.comment = read('comment', text);
  if (has('checkin_text')) changes.checkinText = clearable('checkin_text', text, false);
  if (has('custom_followup_at'))
    changes.customFollowupAt = clearable('custom_followup_at', drf.date(), false);
  if (has('checkin_attention')) changes.checkinAttention = read('checkin_attention', drf.boolean());
  if (has('valid_if_pending')) changes.validIfPending = read('valid_if_pending', drf.boolean());
  if (has('email')) changes.email = clearable('email', drf.email());
  if (has('phone')) {
    const phone = body.phone;
    if (phone === null || phone === '') changes.phone = null;
    else if (
      (typeof phone !== 'string' && typeof phone !== 'number') ||
      String(phone).trim() === '' ||
      !PHONE.test(String(phone))
    )
      errors.phone = ['Enter a valid phone number.'];
    else changes.phone = String(phone).replace(/[ ()/.-]/g, '');
  }
  if (has('locale')) {
    const locale = read('locale', drf.string({ trim: false }));
    if (locale !== undefined && !event.locales.includes(locale))
      errors.locale = [`"${locale}" is not a supported locale for this event.`];
    else changes.locale = locale;
  }
  if (has('invoice_address')) {
    const address = clearable('invoice_address', invoiceAddressSchema(event.nameScheme), false);
    changes.invoiceAddress = address
      ? { address, given: Object.keys(body.invoice_address as object) }
      : address;
  }
  if (Object.keys(errors).length > 0) throw invalidFields('invalid', errors);
  return changes;
}
