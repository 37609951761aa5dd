import type { Database } from 'better-sqlite3';

/**
 * What both carts and orders check before a product can be sold: the rows a request names exist and
 * belong together, with pretix's exact messages. Each check returns its message (or undefined); the
 * callers put it under the key pretix uses in their context (carts report variation problems as
 * non-field errors, order creation under `variation`).
 */

export interface SaleItem {
  id: number;
  event_id: number;
  name: string;
  active: number;
  category_id: number | null;
  default_price: string;
  available_from: string | null;
  available_until: string | null;
  admission: number;
  tax_rule_id: number | null;
  free_price: number;
  require_approval: number;
  has_variations: number;
}

export interface SaleVariation {
  id: number;
  item_id: number;
  value: string;
  active: number;
  default_price: string | null;
  available_from: string | null;
  available_until: string | null;
}

export interface SaleSubevent {
  id: number;
  event_id: number;
  name: string;
  active: number;
  date_from: string;
}

/** The text of an i18n JSON value ("{\"en\": \"Ticket\"}"), as pretix's `str()` of it renders. */
export function i18nText(value: string | null | undefined, locale = 'en'): string {
  if (value === null || value === undefined) return '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return value;
  }
  if (typeof parsed === 'string') return parsed;
  if (!parsed || typeof parsed !== 'object') return String(parsed ?? '');
  const map = parsed as Record<string, unknown>;
  const direct = map[locale];
  if (typeof direct === 'string' && direct) return direct;
  const base = locale.split('-')[0]!;
  for (const [k, v] of Object.entries(map)) {
    if (k.split('-')[0] === base && typeof v === 'string' && v) return v;
  }
  for (const v of Object.values(map)) if (typeof v === 'string' && v) return v;
  return '';
}

/** pretix's `str(item)`, plus " - variation" where one is given (used in "no longer available"). */
export function productLabel(item: SaleItem, variation?: SaleVariation | null): string {
  const name = i18nText(item.name);
  return variation ? `${name} - ${i18nText(variation.value)}` : name;
}

/** Outcome of resolving a primary key as DRF's PrimaryKeyRelatedField does. */
export type PkResult<T> = { ok: true; value: T | null } | { ok: false; message: string };

export const FIELD_REQUIRED = 'This field is required.';
export const FIELD_NOT_NULL = 'This field may not be null.';

function pkOf(raw: unknown): { pk: number } | { message: string } {
  if (typeof raw === 'boolean') return { message: 'Incorrect type. Expected pk value, received bool.' };
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw)) return { message: `Invalid pk "${raw}" - object does not exist.` };
    return { pk: raw };
  }
  if (typeof raw === 'string') {
    if (/^\s*-?\d+\s*$/.test(raw)) return { pk: Number(raw.trim()) };
    return { message: 'Incorrect type. Expected pk value, received str.' };
  }
  if (Array.isArray(raw)) return { message: 'Incorrect type. Expected pk value, received list.' };
  return { message: 'Incorrect type. Expected pk value, received dict.' };
}

/**
 * Resolves a primary key field against the rows of the organizer (pretix's querysets are scoped to the
 * organizer): missing → required, null → not null (unless allowed), unknown → `Invalid pk "N" - object
 * does not exist.`
 */
export function resolvePk<T>(
  raw: unknown,
  present: boolean,
  lookup: (pk: number) => T | undefined,
  options: { required?: boolean; allowNull?: boolean } = {},
): PkResult<T> {
  if (!present) return options.required ? { ok: false, message: FIELD_REQUIRED } : { ok: true, value: null };
  if (raw === null)
    return options.allowNull ? { ok: true, value: null } : { ok: false, message: FIELD_NOT_NULL };
  const pk = pkOf(raw);
  if ('message' in pk) return { ok: false, message: pk.message };
  const row = lookup(pk.pk);
  if (row === undefined) return { ok: false, message: `Invalid pk "${pk.pk}" - object does not exist.` };
  return { ok: true, value: row };
}

export function itemOfOrganizer(db: Database, organizerId: number, itemId: number): SaleItem | undefined {
  return db
    .prepare(
      `SELECT i.id, i.event_id, i.name, i.active, i.category_id, i.default_price, i.available_from,
              i.available_until, i.admission, i.tax_rule_id, i.free_price, i.require_approval,
              EXISTS (SELECT 1 FROM item_variations v WHERE v.item_id = i.id) AS has_variations
       FROM items i JOIN events e ON e.id = i.event_id
       WHERE i.id = ? AND e.organizer_id = ?`,
    )
    .get(itemId, organizerId) as SaleItem | undefined;
}

export function variationOfOrganizer(
  db: Database,
  organizerId: number,
  variationId: number,
): SaleVariation | undefined {
  return db
    .prepare(
      `SELECT v.id, v.item_id, v.value, v.active, v.default_price, v.available_from, v.available_until
       FROM item_variations v JOIN items i ON i.id = v.item_id JOIN events e ON e.id = i.event_id
       WHERE v.id = ? AND e.organizer_id = ?`,
    )
    .get(variationId, organizerId) as SaleVariation | undefined;
}

export function subeventOfOrganizer(
  db: Database,
  organizerId: number,
  subeventId: number,
): SaleSubevent | undefined {
  return db
    .prepare(
      `SELECT s.id, s.event_id, s.name, s.active, s.date_from
       FROM subevents s JOIN events e ON e.id = s.event_id
       WHERE s.id = ? AND e.organizer_id = ?`,
    )
    .get(subeventId, organizerId) as SaleSubevent | undefined;
}

/** `validate_item`: the item belongs to the event and is active. */
export function checkItem(item: SaleItem, eventId: number): string | undefined {
  if (item.event_id !== eventId) return 'The specified item does not belong to this event.';
  if (!item.active) return 'The specified item is not active.';
  return undefined;
}

/** `validate_subevent`: required for a series, of this event, forbidden otherwise. */
export function checkSubevent(
  subevent: SaleSubevent | null,
  event: { id: number; has_subevents: number | boolean },
): string | undefined {
  if (event.has_subevents) {
    if (!subevent) return 'You need to set a subevent.';
    if (subevent.event_id !== event.id) return 'The specified subevent does not belong to this event.';
  } else if (subevent) {
    return 'You cannot set a subevent for this event.';
  }
  return undefined;
}

/** The variation rules: required when the item has variations, of the item, forbidden otherwise. */
export function checkVariation(item: SaleItem, variation: SaleVariation | null): string | undefined {
  if (item.has_variations) {
    if (!variation) return 'You should specify a variation for this item.';
    if (variation.item_id !== item.id)
      return 'The specified variation does not belong to the specified item.';
  } else if (variation) {
    return 'You cannot specify a variation for this item.';
  }
  return undefined;
}

/** pretix's `Item.is_available()` / `ItemVariation.is_available()`: active and inside the sale window. */
export function isOnSale(
  product: { active: number; available_from: string | null; available_until: string | null },
  now: Date,
): boolean {
  if (!product.active) return false;
  if (product.available_from && new Date(product.available_from).getTime() > now.getTime()) return false;
  if (product.available_until && new Date(product.available_until).getTime() < now.getTime()) return false;
  return true;
}

/** Whether a sub-event disables this item or variation (subevent_item_prices / _variation_prices). */
export function isDisabledForSubevent(
  db: Database,
  subeventId: number | null,
  itemId: number,
  variationId: number | null,
): boolean {
  if (subeventId === null) return false;
  const item = db
    .prepare('SELECT disabled FROM subevent_item_prices WHERE subevent_id = ? AND item_id = ?')
    .get(subeventId, itemId) as { disabled: number } | undefined;
  if (item?.disabled) return true;
  if (variationId === null) return false;
  const variation = db
    .prepare('SELECT disabled FROM subevent_variation_prices WHERE subevent_id = ? AND variation_id = ?')
    .get(subeventId, variationId) as { disabled: number } | undefined;
  return Boolean(variation?.disabled);
}

export function notAvailableOnDateMessage(item: SaleItem): string {
  return `The product "${i18nText(item.name)}" is not available on this date.`;
}

export function notAssignedToQuotaMessage(item: SaleItem): string {
  return `The product "${i18nText(item.name)}" is not assigned to a quota.`;
}

export function noLongerAvailableMessage(item: SaleItem, variation?: SaleVariation | null): string {
  return `The ordered product "${productLabel(item, variation)}" is no longer available.`;
}
