import { EngineError, type FieldErrors } from '../engine/errors';
import type { Locale } from '../../shared/contract';

/**
 * Refusals as the desk shows them: one sentence in the desk's language, never a field path. The REST
 * API keeps pretix's bodies; only the desk's message is worded here. A path such as
 * `positions[0].answers[1].answer` becomes "Ticket 1, “Meal”: …".
 */

type Words = Record<Locale, string>;

/** Field names of pretix's bodies and of the desk's own inputs, in words. */
const FIELDS: Record<string, Words> = {
  attendee_name: { en: 'attendee name', de: 'Name des Teilnehmers' },
  attendeeName: { en: 'attendee name', de: 'Name des Teilnehmers' },
  attendee_email: { en: 'attendee email', de: 'E-Mail des Teilnehmers' },
  email: { en: 'email', de: 'E-Mail' },
  item: { en: 'product', de: 'Produkt' },
  itemId: { en: 'product', de: 'Produkt' },
  items: { en: 'products', de: 'Produkte' },
  variation: { en: 'variation', de: 'Variante' },
  variationId: { en: 'variation', de: 'Variante' },
  variations: { en: 'variations', de: 'Varianten' },
  subevent: { en: 'date', de: 'Termin' },
  subeventId: { en: 'date', de: 'Termin' },
  given: { en: 'amount given', de: 'Gegeben' },
  amount: { en: 'amount', de: 'Betrag' },
  payment: { en: 'payment', de: 'Zahlung' },
  name: { en: 'name', de: 'Name' },
  slug: { en: 'short name', de: 'Kurzname' },
  currency: { en: 'currency', de: 'Währung' },
  date_from: { en: 'begin', de: 'Beginn' },
  dateFrom: { en: 'begin', de: 'Beginn' },
  date_to: { en: 'end', de: 'Ende' },
  default_price: { en: 'price', de: 'Preis' },
  price: { en: 'price', de: 'Preis' },
  value: { en: 'variation', de: 'Variante' },
  size: { en: 'size', de: 'Größe' },
  rate: { en: 'tax rate', de: 'Steuersatz' },
  tax_rule: { en: 'tax rule', de: 'Steuerregel' },
  taxRuleId: { en: 'tax rule', de: 'Steuerregel' },
  question: { en: 'question', de: 'Frage' },
  type: { en: 'type', de: 'Typ' },
  options: { en: 'choice', de: 'Auswahl' },
  expires: { en: 'expiry date', de: 'Ablaufdatum' },
  query: { en: 'search', de: 'Suche' },
  code: { en: 'order code', de: 'Bestellnummer' },
  host: { en: 'address', de: 'Adresse' },
  port: { en: 'port', de: 'Port' },
};

/** Path parts that add nothing a cashier needs to read. */
const SILENT = new Set([
  'non_field_errors',
  'answer',
  'body',
  'fields',
  'input',
  'positionIds',
  // Its messages name the PIN themselves.
  'pin',
  'managerPin',
  // The Settings screen's section, not a field of it.
  'api',
]);

/** pretix's and DRF's usual messages, and the desk's own, in German. */
const GERMAN: Record<string, string> = {
  'This field is required.': 'Dieses Feld ist erforderlich.',
  'This field may not be blank.': 'Dieses Feld darf nicht leer sein.',
  'This field may not be null.': 'Dieses Feld darf nicht leer sein.',
  'A valid number is required.': 'Bitte eine gültige Zahl eingeben.',
  'A valid integer is required.': 'Bitte eine ganze Zahl eingeben.',
  'Enter a valid email address.': 'Bitte eine gültige E-Mail-Adresse eingeben.',
  'Enter a valid phone number.': 'Bitte eine gültige Telefonnummer eingeben.',
  'Must be a valid boolean.': 'Bitte Ja oder Nein wählen.',
  'Ensure this value is greater than or equal to 0.': 'Der Wert darf nicht negativ sein.',
  'This question is required.': 'Diese Frage muss beantwortet werden.',
  'The cart is empty.': 'Der Warenkorb ist leer.',
  'No item is pinned for quick sell.': 'Kein Produkt für den Schnellverkauf festgelegt.',
  'The order is not allowed to be canceled.': 'Diese Bestellung kann nicht storniert werden.',
  'You cannot cancel this order.': 'Diese Bestellung kann nicht storniert werden.',
  'The new expiry date needs to be in the future.': 'Das neue Ablaufdatum muss in der Zukunft liegen.',
  'The order is not paid.': 'Die Bestellung ist nicht bezahlt.',
  'The order is not pending or expired.': 'Die Bestellung ist weder ausstehend noch abgelaufen.',
  'The order is not pending.': 'Die Bestellung ist nicht ausstehend.',
  'This order has no ticket to print.': 'Diese Bestellung hat kein Ticket zum Drucken.',
  'This order is not pending approval.': 'Diese Bestellung wartet nicht auf Freigabe.',
  'Nothing to refund.': 'Nichts zu erstatten.',
  'That payment cannot be refunded.': 'Diese Zahlung kann nicht erstattet werden.',
  'Choose positions or enter an amount.': 'Positionen wählen oder einen Betrag eingeben.',
  'Only live positions of this order can be refunded.':
    'Nur gültige Positionen dieser Bestellung können erstattet werden.',
  'The amount given is less than the total.': 'Der gegebene Betrag ist kleiner als die Summe.',
  'This tax rule can not be deleted as it is currently in use.':
    'Diese Steuerregel wird verwendet und kann nicht gelöscht werden.',
  'Not found.': 'Nicht gefunden.',
  'That PIN is not right.': 'Diese PIN stimmt nicht.',
  'That is not a manager’s PIN.': 'Das ist nicht die PIN eines Managers.',
  'A PIN has 4 to 8 digits.': 'Eine PIN hat 4 bis 8 Ziffern.',
  'Enter a host name or an IP address, such as 127.0.0.1.':
    'Bitte einen Rechnernamen oder eine IP-Adresse eingeben, etwa 127.0.0.1.',
  'The last manager cannot be deactivated; add another manager first.':
    'Der letzte Manager kann nicht deaktiviert werden; zuerst einen weiteren Manager anlegen.',
  'The box office server does not answer.': 'Der Kassenserver antwortet nicht.',
};

function words(locale: Locale, w: Words): string {
  return w[locale] ?? w.en;
}

/** An unknown field name still reads as words: `valid_number_min` → "valid number min". */
function fieldWords(locale: Locale, name: string): string {
  const known = FIELDS[name];
  if (known) return words(locale, known);
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_.]+/g, ' ')
    .toLowerCase();
}

export function translateMessage(locale: Locale, message: string): string {
  if (locale === 'en') return message;
  const exact = GERMAN[message];
  if (exact) return exact;
  // The desk's own messages that carry a number keep it.
  const short = /^The amount given is less than the total of (.+)\.$/.exec(message);
  if (short) return `Der gegebene Betrag ist kleiner als die Summe von ${short[1]}.`;
  const whole = /^Ensure that there are no more than (\d+) digits before the decimal point\.$/.exec(message);
  if (whole) return `Höchstens ${whole[1]} Stellen vor dem Komma.`;
  const longest = /^Ensure this field has no more than (\d+) characters\.$/.exec(message);
  if (longest) return `Höchstens ${longest[1]} Zeichen.`;
  const shortest = /^Ensure this field has at least (\d+) characters\.$/.exec(message);
  if (shortest) return `Mindestens ${shortest[1]} Zeichen.`;
  const highest = /^Ensure this value is less than or equal to (.+)\.$/.exec(message);
  if (highest) return `Der Wert darf höchstens ${highest[1]} sein.`;
  const lowest = /^Ensure this value is greater than or equal to (.+)\.$/.exec(message);
  if (lowest) return `Der Wert muss mindestens ${lowest[1]} sein.`;
  return message;
}

/** Looks up what a path index names, e.g. the question a position's answer number `j` answers. */
export type PathLabeler = (path: readonly (string | number)[]) => string | undefined;

/** "Ticket 1, “Meal”" for `['positions', 0, 'answers', 1, 'answer']`; empty for a top-level error. */
export function describePath(
  locale: Locale,
  path: readonly (string | number)[],
  labeler?: PathLabeler,
): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!;
    const numeric = typeof part === 'number' || /^\d+$/.test(String(part));
    if (numeric) {
      const parent = String(path[i - 1] ?? '');
      const labeled = labeler?.(path.slice(0, i + 1));
      if (labeled) parts.push(labeled);
      else if (parent === 'positions') parts.push(`Ticket ${Number(part) + 1}`);
      else if (parent === 'answers')
        parts.push(`${locale === 'de' ? 'Antwort' : 'answer'} ${Number(part) + 1}`);
      continue;
    }
    if (SILENT.has(String(part)) || part === 'positions' || part === 'answers') continue;
    parts.push(fieldWords(locale, String(part)));
  }
  const text = parts.join(', ');
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : '';
}

/** The first message of a DRF error body with the path that leads to it. */
export function firstError(
  body: unknown,
  path: (string | number)[] = [],
): { path: (string | number)[]; message: string } | undefined {
  if (typeof body === 'string') return { path, message: body };
  if (Array.isArray(body)) {
    for (let i = 0; i < body.length; i++) {
      const found = firstError(body[i], typeof body[i] === 'string' ? path : [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      const found = firstError(value, key === 'detail' ? path : [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/** One sentence: where (in words) and what, in the desk's language. */
export function sentence(
  locale: Locale,
  path: readonly (string | number)[],
  message: string,
  labeler?: PathLabeler,
): string {
  const where = describePath(locale, path, labeler);
  const what = translateMessage(locale, message.trim());
  const full = /[.!?]$/.test(what) ? what : `${what}.`;
  return where ? `${where}: ${full}` : full;
}

/** The desk's wording of a refusal from its pretix body (falling back to the engine's message). */
export function deskMessage(
  locale: Locale,
  error: { message: string; body: unknown },
  labeler?: PathLabeler,
): string {
  const first = firstError(error.body);
  if (first) return sentence(locale, first.path, first.message, labeler);
  return sentence(locale, [], error.message);
}

/** A refusal the desk words itself (already one sentence in the desk's language). */
export class DeskRefusal extends EngineError {
  constructor(code: string, message: string, body?: FieldErrors) {
    super(code, message, { kind: 'refused', body: body ?? { detail: message } });
  }
}
