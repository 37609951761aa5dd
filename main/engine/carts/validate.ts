import type { ReadableDB } from '../db/handles';
import { addonCategoriesOf, bundlesOf, findCartEvent } from '../db/queries/carts';
import { notFound, type FieldErrors } from '../errors';
import { eventSettings } from '../catalog/settings';
import { SALES_CHANNELS } from '../orders/order-request';
import { answerLookups, type AnswerLookups, type NormalisedAnswer } from '../questions/position-answers';
import { quotasForProduct, type QuotaCounters } from '../quotas/availability';
import {
  checkedItem,
  checkedSubevent,
  checkVariation,
  notAssignedToQuotaMessage,
  variationOfOrganizer,
  type Checked,
  type SaleItem,
  type SaleSubevent,
  type SaleVariation,
} from '../sales/product-checks';
import { i18nText } from '../i18n';
import {
  CART_VOUCHER_MESSAGES,
  checkVoucherForCart,
  voucherBypassesQuota,
  voucherByCode,
  voucherUsesLeft,
  type SaleVoucher,
} from '../vouchers/sale-rules';

/**
 * Validation of one cart position request as pretix's `CartPositionCreateSerializer` runs it: the door
 * reads the fields one by one (all their errors collected, see `cartRequestLookups`), then — only if they
 * are all fine — the cross-field rules run here in pretix's order, stopping at the first.
 */

export interface CartScope {
  organizerId: number;
  event: { id: number; has_subevents: number; timezone: string };
  now: Date;
}

/**
 * One cart position as the request gave it, its fields read and the rows it names looked up (pretix's
 * `CartPositionCreateSerializer` field phase, done at the door with `cartRequestLookups`). Add-ons and
 * bundled positions are read the same way, without the fields only a top-level position has.
 */
export interface CartPositionRequest {
  item: SaleItem;
  variation: SaleVariation | null;
  subevent: SaleSubevent | null;
  /** Two decimal places, as pretix's DecimalField(13, 2) stores it. */
  price: string;
  includesTax: boolean;
  attendeeName: string | null;
  attendeeNameParts: Record<string, unknown> | null;
  attendeeEmail: string | null;
  answers: NormalisedAnswer[];
  cartId: string | null;
  expires: Date | null;
  voucherCode: string | null;
  seat: string | null;
  salesChannel: string;
  addons: CartPositionRequest[];
  bundled: CartPositionRequest[];
}

/** The fields a cart position has when the request leaves them out (and nested positions always). */
export const CART_POSITION_DEFAULTS = {
  includesTax: true,
  attendeeName: null,
  attendeeNameParts: null,
  attendeeEmail: null,
  answers: [],
  cartId: null,
  expires: null,
  voucherCode: null,
  seat: null,
  salesChannel: 'web',
  addons: [],
  bundled: [],
} as const satisfies Omit<CartPositionRequest, 'item' | 'variation' | 'subevent' | 'price'>;

/** What reading a cart position request looks up: the event's rows as pretix's related fields find them. */
export interface CartRequestLookups {
  timeZone: string;
  /** An item of the organizer; its problem when it is not of this event or not active. */
  item(id: number): Checked<SaleItem> | undefined;
  variation(id: number): SaleVariation | undefined;
  /** A sub-event of the organizer (none given is `null`): required in a series, else forbidden. */
  subevent(id: number | null): Checked<SaleSubevent | null> | undefined;
  salesChannelKnown(channel: string): boolean;
  /** A position's `answers`, checked against the questions (pretix's `AnswerSerializer`). */
  answers: AnswerLookups;
}

/** The lookups of a cart position request in `eventId` (404 when there is no such event). */
export function cartRequestLookups(db: ReadableDB, eventId: number): CartRequestLookups {
  const event = findCartEvent(db, eventId);
  if (!event) throw notFound();
  const organizerId = event.organizer_id;
  return {
    timeZone: event.timezone,
    item: (id) => checkedItem(db, organizerId, event.id, id),
    variation: (id) => variationOfOrganizer(db, organizerId, id),
    subevent: (id) => checkedSubevent(db, organizerId, event, id),
    salesChannelKnown: (channel) => Object.prototype.hasOwnProperty.call(SALES_CHANNELS, channel),
    answers: answerLookups(db, { organizerId, eventId: event.id }),
  };
}

export interface ValidCartPosition extends Omit<CartPositionRequest, 'expires' | 'addons' | 'bundled'> {
  expires: Date;
  voucher: SaleVoucher | null;
  /** The quotas this position takes one unit from (empty when its voucher bypasses quota). */
  quotas: QuotaCounters[];
  addons: ValidCartPosition[];
  bundled: ValidCartPosition[];
}

export type CartValidation = { ok: true; value: ValidCartPosition } | { ok: false; errors: FieldErrors };

function nestedList(
  db: ReadableDB,
  scope: CartScope,
  requests: CartPositionRequest[],
): { ok: true; value: ValidCartPosition[] } | { ok: false; errors: FieldErrors[string] } {
  const results = requests.map((request) => validateCartPosition(db, scope, request));
  if (results.every((r) => r.ok)) {
    return { ok: true, value: results.map((r) => (r as { ok: true; value: ValidCartPosition }).value) };
  }
  return {
    ok: false,
    errors: results.map((r) => (r.ok ? {} : r.errors)) as (FieldErrors | Record<string, never>)[],
  };
}

/**
 * The cross-field rules of pretix's `CartPositionCreateSerializer.validate()`, in its order, stopping at
 * the first problem; add-ons and bundled positions (nested serializers, validated with their parent's
 * fields) first.
 */
export function validateCartPosition(
  db: ReadableDB,
  scope: CartScope,
  request: CartPositionRequest,
): CartValidation {
  const eventId = scope.event.id;
  const { item, variation, subevent, attendeeName, attendeeNameParts, seat, voucherCode } = request;
  const nestedErrors: FieldErrors = {};
  const addonsResult = nestedList(db, scope, request.addons);
  if (!addonsResult.ok) nestedErrors.addons = addonsResult.errors;
  const bundledResult = nestedList(db, scope, request.bundled);
  if (!bundledResult.ok) nestedErrors.bundled = bundledResult.errors;
  if (!addonsResult.ok || !bundledResult.ok) return { ok: false, errors: nestedErrors };
  const addons = addonsResult.value;
  const bundled = bundledResult.value;

  // -- cross-field phase, in pretix's order; the first problem ends it
  const variationProblem = checkVariation(item, variation);
  if (variationProblem) return { ok: false, errors: { non_field_errors: [variationProblem] } };
  if (attendeeName && attendeeNameParts && Object.keys(attendeeNameParts).length) {
    return {
      ok: false,
      errors: { attendee_name: ['Do not specify attendee_name if you specified attendee_name_parts.'] },
    };
  }
  const expires =
    request.expires ??
    new Date(scope.now.getTime() + Number(eventSettings(db, eventId).reservation_time) * 60_000);
  // No product is seated here, so any seat is refused as pretix refuses it for unseated products.
  if (seat)
    return { ok: false, errors: { seat: ['The specified product does not allow to choose a seat.'] } };

  let voucher: SaleVoucher | null = null;
  if (voucherCode) {
    voucher = voucherByCode(db, eventId, voucherCode) ?? null;
    if (!voucher) return { ok: false, errors: { voucher: [CART_VOUCHER_MESSAGES.unknown] } };
    const problem = checkVoucherForCart(
      db,
      voucher,
      { itemId: item.id, variationId: variation?.id ?? null, subeventId: subevent?.id ?? null },
      scope.now,
    );
    // Current pretix refuses a voucher that is both used up and expired as used up.
    if (problem === CART_VOUCHER_MESSAGES.expired && voucherUsesLeft(db, voucher, scope.now) < 1) {
      return { ok: false, errors: { voucher: [CART_VOUCHER_MESSAGES.usedUp] } };
    }
    if (problem) return { ok: false, errors: { voucher: [problem] } };
  }

  let quotas: QuotaCounters[] = [];
  if (!voucherBypassesQuota(voucher)) {
    quotas = quotasForProduct(db, eventId, item.id, variation?.id ?? null, subevent?.id ?? null);
    if (!quotas.length) return { ok: false, errors: { non_field_errors: [notAssignedToQuotaMessage(item)] } };
  }

  if (addons.length) {
    const categories = new Set(addonCategoriesOf(db, item.id));
    for (const addon of addons) {
      if (addon.item.category_id === null || !categories.has(addon.item.category_id)) {
        return {
          ok: false,
          errors: {
            addons: [
              `The product "${i18nText(addon.item.name)}" can not be used as an add-on product for "${i18nText(item.name)}".`,
            ],
          },
        };
      }
    }
  }
  if (bundled.length) {
    const bundles = bundlesOf(db, item.id);
    for (const b of bundled) {
      const configured = bundles.some(
        (c) => c.bundled_item_id === b.item.id && c.bundled_variation_id === (b.variation?.id ?? null),
      );
      if (!configured) {
        return {
          ok: false,
          errors: {
            bundled: [
              `The product "${i18nText(b.item.name)}" can not be used as an bundled product for "${i18nText(item.name)}".`,
            ],
          },
        };
      }
    }
  }

  return {
    ok: true,
    value: {
      ...request,
      expires,
      voucher,
      quotas,
      addons,
      bundled,
    },
  };
}
