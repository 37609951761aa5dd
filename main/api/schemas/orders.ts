import { invalidFields, pythonType, refused, refusedList } from '../../engine/errors';
import { Decimal, type Money } from '../../engine/money';
import { isCalendarDate } from '../../engine/orders';

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
