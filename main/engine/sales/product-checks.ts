import type { ReadableDB } from '../db/handles';
import {
  findItemOfOrganizer,
  findSubeventOfOrganizer,
  findVariationOfOrganizer,
  type SaleItem,
  type SaleSubevent,
  type SaleVariation,
} from '../db/queries/sales';
import { subeventItemSettings, subeventVariationSettings } from '../db/queries/pricing';
import { i18nText } from '../i18n';

/**
 * What both carts and orders check before a product can be sold: the rows a request names exist and
 * belong together, with pretix's exact messages. Each check returns its message (or undefined); the
 * callers put it under the key pretix uses in their context (carts report variation problems as
 * non-field errors, order creation under `variation`).
 */

export type { SaleItem, SaleSubevent, SaleVariation };

export function itemOfOrganizer(db: ReadableDB, organizerId: number, itemId: number): SaleItem | undefined {
  return findItemOfOrganizer(db, organizerId, itemId);
}

export function variationOfOrganizer(
  db: ReadableDB,
  organizerId: number,
  variationId: number,
): SaleVariation | undefined {
  return findVariationOfOrganizer(db, organizerId, variationId);
}

export function subeventOfOrganizer(
  db: ReadableDB,
  organizerId: number,
  subeventId: number,
): SaleSubevent | undefined {
  return findSubeventOfOrganizer(db, organizerId, subeventId);
}

/** A looked-up row, or the message saying why it cannot be used. */
export type Checked<T> = { value: T } | { error: string };

/** An item of the organizer as a sale finds it (undefined when none), checked with `checkItem`. */
export function checkedItem(
  db: ReadableDB,
  organizerId: number,
  eventId: number,
  itemId: number,
): Checked<SaleItem> | undefined {
  const item = itemOfOrganizer(db, organizerId, itemId);
  if (!item) return undefined;
  const problem = checkItem(item, eventId);
  return problem ? { error: problem } : { value: item };
}

/** A sub-event of the organizer (none given is `null`; undefined when not found), checked with `checkSubevent`. */
export function checkedSubevent(
  db: ReadableDB,
  organizerId: number,
  event: { id: number; has_subevents: number | boolean },
  subeventId: number | null,
): Checked<SaleSubevent | null> | undefined {
  const subevent = subeventId === null ? null : subeventOfOrganizer(db, organizerId, subeventId);
  if (subevent === undefined) return undefined;
  const problem = checkSubevent(subevent, event);
  return problem ? { error: problem } : { value: subevent };
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

/** Whether a sub-event disables this item or variation (subevent_item_prices / _variation_prices). */
export function isDisabledForSubevent(
  db: ReadableDB,
  subeventId: number | null,
  itemId: number,
  variationId: number | null,
): boolean {
  if (subeventId === null) return false;
  const item = subeventItemSettings(db, subeventId, itemId);
  if (item?.disabled) return true;
  if (variationId === null) return false;
  const variation = subeventVariationSettings(db, subeventId, variationId);
  return Boolean(variation?.disabled);
}

export function notAvailableOnDateMessage(item: SaleItem): string {
  return `The product "${i18nText(item.name)}" is not available on this date.`;
}

export function notAssignedToQuotaMessage(item: SaleItem): string {
  return `The product "${i18nText(item.name)}" is not assigned to a quota.`;
}
