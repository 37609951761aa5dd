import { iso31662 } from 'iso-3166';

/**
 * The contact rules pretix applies to attendees, customers and invoice addresses: e-mail addresses,
 * country codes and states.
 */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether `text` looks like one e-mail address (Django's check, simplified). */
export function isEmailAddress(text: string): boolean {
  return EMAIL.test(text);
}

const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'ZZ']);
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** An ISO 3166 alpha-2 country code (upper-cased). */
export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || NOT_COUNTRIES.has(code)) return false;
  try {
    return regionNames.of(code) !== undefined;
  } catch {
    return false;
  }
}

/** pretix's COUNTRIES_WITH_STATE_IN_ADDRESS. */
export const COUNTRIES_WITH_STATE = new Set(['AU', 'BR', 'CA', 'CN', 'MY', 'MX', 'US']);

const SUBDIVISIONS = new Set(iso31662.map((s) => s.code));

/**
 * pretix's address check (`pycountry.subdivisions.get(code=cc + '-' + state)`): the state must be an
 * ISO 3166-2 subdivision of the country; `null` when it is, else pretix's message.
 */
export function stateError(country: string, state: string): string | null {
  if (!COUNTRIES_WITH_STATE.has(country)) return `States are not supported in country "${country}".`;
  if (!SUBDIVISIONS.has(`${country}-${state}`))
    return `"${state}" is not a known subdivision of the country "${country}".`;
  return null;
}
