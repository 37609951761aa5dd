import { invalidFields, pythonType, refusedList } from '../../engine/errors';
import { Decimal, type Money } from '../../engine/money';

/**
 * Request bodies of pretix's order endpoints, read once at the REST door with pretix's messages; the
 * orders room receives the typed values.
 */

/** A request body as an object: `{}` when there is none, DRF's 400 when it is not a dictionary. */
function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw invalidFields('invalid', {
      non_field_errors: [`Invalid data. Expected a dictionary, but got ${pythonType(body)}.`],
    });
  }
  return body as Record<string, unknown>;
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
