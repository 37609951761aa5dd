import { invalidFields, shown, type FieldErrors } from '../../engine/errors';
import { Decimal } from '../../engine/money';
import { isCountryCode, stateError, type PositionChanges } from '../../engine/orders';
import { drf } from './drf';
import { bodyObject, fieldReader } from './orders';

/**
 * Request bodies of pretix's order-position endpoints (`PATCH …/orderpositions/{id}/`, `add_block`,
 * `remove_block`), read once at the REST door with pretix's messages.
 */

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ADDRESS_TEXT = ['company', 'street', 'zipcode', 'city'] as const;

/**
 * `PATCH …/orderpositions/{id}/`: attendee name (or name parts), attendee email, address fields, price
 * and validity window; read-only fields (tax_rate, secret, …) are ignored, as in pretix. Every field's
 * error comes in one 400, in pretix's field order. `currentCountry` is the position's, for a state given
 * without a country; datetimes without an offset are in `timeZone` (the event's).
 */
export function positionUpdateBody(
  raw: unknown,
  context: { timeZone: string; currentCountry: string | null },
): { changes: PositionChanges; logged: Record<string, unknown> } {
  const body = bodyObject(raw);
  const errors: FieldErrors = {};
  const changes: PositionChanges = {};
  const { has, read, clearable } = fieldReader(body, errors);

  const parts = body.attendee_name_parts;
  const partsGiven = isPlainObject(parts) && Object.keys(parts).length > 0;
  if (has('attendee_name') && has('attendee_name_parts') && body.attendee_name && partsGiven) {
    errors.attendee_name = ['Do not specify attendee_name if you specified attendee_name_parts.'];
  } else if (has('attendee_name_parts')) {
    if (partsGiven) changes.attendeeNameParts = parts;
    else if (parts === null || isPlainObject(parts)) changes.attendeeNameParts = null;
    else errors.attendee_name_parts = ['Invalid data type'];
  } else if (has('attendee_name')) {
    changes.attendeeName = clearable('attendee_name', drf.string({ maxLength: 255, trim: false }));
  }
  if (has('attendee_email')) changes.attendeeEmail = clearable('attendee_email', drf.email());
  for (const key of ADDRESS_TEXT) {
    if (has(key))
      changes[key] = clearable(key, drf.string({ allowBlank: true, maxLength: 255, trim: false }), false);
  }
  if (has('country')) {
    const country = body.country;
    if (country === null || country === '') changes.country = null;
    else if (typeof country !== 'string' || !isCountryCode(country.toUpperCase()))
      errors.country = [`"${shown(country)}" is not a valid choice.`];
    else changes.country = country.toUpperCase();
  }
  if (has('state')) {
    const state = clearable('state', drf.string({ maxLength: 255, trim: false }));
    if (state) {
      const problem = stateError(changes.country ?? context.currentCountry ?? '', state);
      if (problem) errors.state = [problem];
    }
    if (errors.state === undefined) changes.state = state;
  }
  for (const [key, field] of [
    ['valid_from', 'validFrom'],
    ['valid_until', 'validUntil'],
  ] as const) {
    if (has(key))
      changes[field] = clearable(key, drf.datetime(context.timeZone), false)?.toISOString() ?? null;
  }
  if (has('price')) {
    const price = read('price', drf.decimal());
    if (price !== undefined) changes.price = new Decimal(price);
  }
  if (Object.keys(errors).length > 0) throw invalidFields('invalid', errors);
  return { changes, logged: body };
}

const BLOCK_NAME = /^(admin|api:[a-zA-Z0-9._]+)$/;

/** `add_block` / `remove_block`: the block's `name`, `admin` or `api:<id>`. */
export function blockBody(raw: unknown): { name: string } {
  const body = bodyObject(raw);
  if (body.name === undefined) throw invalidFields('invalid', { name: ['This field is required.'] });
  if (typeof body.name !== 'string' || !BLOCK_NAME.test(body.name)) {
    throw invalidFields('invalid', { name: ['Enter a valid value.'] });
  }
  return { name: body.name };
}
