import type { ReadableDB } from '../db/handles';
import { addonCategoriesOf, bundlesOf } from '../db/queries/carts';
import { shown } from '../errors';
import { eventSettings } from '../catalog/settings';
import type { FieldErrors } from '../errors';
import { parseDatetime, parseDecimal, parseEmail, parseString, typeName } from '../orders/fields';
import { SALES_CHANNELS } from '../orders/order-request';
import { validateAnswers, type NormalisedAnswer } from '../questions/position-answers';
import { quotasForProduct, type QuotaCounters } from '../quotas/availability';
import {
  checkItem,
  checkSubevent,
  checkVariation,
  FIELD_NOT_NULL,
  FIELD_REQUIRED,
  itemOfOrganizer,
  notAssignedToQuotaMessage,
  resolvePk,
  subeventOfOrganizer,
  variationOfOrganizer,
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
 * Validation of one cart position request as pretix's `CartPositionCreateSerializer` runs it: the
 * fields one by one (all their errors collected), then — only if they are all fine — the cross-field
 * rules in pretix's order, stopping at the first. Add-ons and bundled positions are nested serializers
 * validated as part of the field phase of their parent.
 */

export interface CartScope {
  organizerId: number;
  event: { id: number; has_subevents: number; timezone: string };
  now: Date;
}

export interface ValidCartPosition {
  item: SaleItem;
  variation: SaleVariation | null;
  subevent: SaleSubevent | null;
  price: string;
  includesTax: boolean;
  attendeeName: string | null;
  attendeeNameParts: Record<string, unknown> | null;
  attendeeEmail: string | null;
  answers: NormalisedAnswer[];
  expires: Date;
  cartId: string | null;
  voucher: SaleVoucher | null;
  salesChannel: string;
  /** The quotas this position takes one unit from (empty when its voucher bypasses quota). */
  quotas: QuotaCounters[];
  addons: ValidCartPosition[];
  bundled: ValidCartPosition[];
}

export type CartValidation = { ok: true; value: ValidCartPosition } | { ok: false; errors: FieldErrors };

const has = (o: Record<string, unknown>, k: string) => Object.prototype.hasOwnProperty.call(o, k);

function nestedList(
  db: ReadableDB,
  scope: CartScope,
  raw: unknown,
): { ok: true; value: ValidCartPosition[] } | { ok: false; errors: FieldErrors[string] } {
  if (raw === null) return { ok: false, errors: [FIELD_NOT_NULL] };
  if (!Array.isArray(raw))
    return { ok: false, errors: [`Expected a list of items but got type "${typeName(raw)}".`] };
  const results = raw.map((entry) => validateCartPosition(db, scope, entry, { nested: true }));
  if (results.every((r) => r.ok)) {
    return { ok: true, value: results.map((r) => (r as { ok: true; value: ValidCartPosition }).value) };
  }
  return {
    ok: false,
    errors: results.map((r) => (r.ok ? {} : r.errors)) as (FieldErrors | Record<string, never>)[],
  };
}

export function validateCartPosition(
  db: ReadableDB,
  scope: CartScope,
  raw: unknown,
  options: { nested?: boolean } = {},
): CartValidation {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      ok: false,
      errors: { non_field_errors: [`Invalid data. Expected a dictionary, but got ${typeName(raw)}.`] },
    };
  }
  const data = raw as Record<string, unknown>;
  const errors: FieldErrors = {};
  const eventId = scope.event.id;

  // -- field phase
  const itemResult = resolvePk(
    data.item,
    has(data, 'item'),
    (pk) => itemOfOrganizer(db, scope.organizerId, pk),
    {
      required: true,
    },
  );
  let item: SaleItem | null = null;
  if (!itemResult.ok) errors.item = [itemResult.message];
  else {
    item = itemResult.value;
    const problem = item ? checkItem(item, eventId) : undefined;
    if (problem) errors.item = [problem];
  }

  const variationResult = resolvePk(
    data.variation,
    has(data, 'variation'),
    (pk) => variationOfOrganizer(db, scope.organizerId, pk),
    { allowNull: true },
  );
  const variation = variationResult.ok ? variationResult.value : null;
  if (!variationResult.ok) errors.variation = [variationResult.message];

  let price = '0.00';
  if (!has(data, 'price')) errors.price = [FIELD_REQUIRED];
  else if (data.price === null) errors.price = [FIELD_NOT_NULL];
  else {
    const parsed = parseDecimal(data.price, 13, 2);
    if (parsed.error !== undefined) errors.price = [parsed.error];
    else price = formatPrice(parsed.value);
  }

  let attendeeName: string | null = null;
  if (has(data, 'attendee_name') && data.attendee_name !== null) {
    const parsed = parseString(data.attendee_name);
    if (parsed.error !== undefined) errors.attendee_name = [parsed.error];
    else attendeeName = parsed.value.trim();
  }

  let attendeeNameParts: Record<string, unknown> | null = null;
  if (has(data, 'attendee_name_parts')) {
    const parts = data.attendee_name_parts;
    if (parts === null) errors.attendee_name_parts = [FIELD_NOT_NULL];
    else if (typeof parts !== 'object' || Array.isArray(parts))
      errors.attendee_name_parts = ['Invalid data type'];
    else attendeeNameParts = parts as Record<string, unknown>;
  }

  let attendeeEmail: string | null = null;
  if (has(data, 'attendee_email') && data.attendee_email !== null) {
    const parsed = parseEmail(data.attendee_email);
    if (parsed.error !== undefined) errors.attendee_email = [parsed.error];
    else attendeeEmail = parsed.value === '' ? null : parsed.value;
  }

  let subevent: SaleSubevent | null = null;
  if (has(data, 'subevent')) {
    const result = resolvePk(data.subevent, true, (pk) => subeventOfOrganizer(db, scope.organizerId, pk), {
      allowNull: true,
    });
    if (!result.ok) errors.subevent = [result.message];
    else {
      subevent = result.value;
      const problem = checkSubevent(subevent, scope.event);
      if (problem) errors.subevent = [problem];
    }
  }

  let includesTax = true;
  if (has(data, 'includes_tax') && data.includes_tax !== null) {
    if (typeof data.includes_tax === 'boolean') includesTax = data.includes_tax;
    else if (['true', 'True', '1', 1].includes(data.includes_tax as string)) includesTax = true;
    else if (['false', 'False', '0', 0].includes(data.includes_tax as string)) includesTax = false;
    else errors.includes_tax = ['Must be a valid boolean.'];
  }

  let answers: NormalisedAnswer[] = [];
  if (has(data, 'answers')) {
    const result = validateAnswers(db, { organizerId: scope.organizerId, eventId }, data.answers);
    if (result.ok) answers = result.answers;
    else errors.answers = result.errors as FieldErrors[string];
  }

  let cartId: string | null = null;
  let expires: Date | null = null;
  let voucherCode: string | null = null;
  let seat: string | null = null;
  let salesChannel = 'web';
  let addons: ValidCartPosition[] = [];
  let bundled: ValidCartPosition[] = [];
  if (!options.nested) {
    if (has(data, 'cart_id') && data.cart_id !== null) {
      const parsed = parseString(data.cart_id, { allowBlank: true, maxLength: 255 });
      if (parsed.error !== undefined) errors.cart_id = [parsed.error];
      else if (parsed.value && !parsed.value.endsWith('@api')) {
        errors.cart_id = ['Cart ID should end in @api or be empty.'];
      } else cartId = parsed.value || null;
    }
    if (has(data, 'expires')) {
      if (data.expires === null) errors.expires = [FIELD_NOT_NULL];
      else {
        const parsed = parseDatetime(data.expires, scope.event.timezone);
        if (parsed.error !== undefined) errors.expires = [parsed.error];
        else expires = parsed.value;
      }
    }
    if (has(data, 'addons')) {
      const result = nestedList(db, scope, data.addons);
      if (result.ok) addons = result.value;
      else errors.addons = result.errors;
    }
    if (has(data, 'bundled')) {
      const result = nestedList(db, scope, data.bundled);
      if (result.ok) bundled = result.value;
      else errors.bundled = result.errors;
    }
    if (has(data, 'seat') && data.seat !== null) {
      const parsed = parseString(data.seat);
      if (parsed.error !== undefined) errors.seat = [parsed.error];
      else seat = parsed.value;
    }
    if (has(data, 'sales_channel')) {
      const channel = data.sales_channel;
      if (channel === null) errors.sales_channel = [FIELD_NOT_NULL];
      else if (typeof channel !== 'string' || !SALES_CHANNELS[channel]) {
        errors.sales_channel = [`Object with identifier=${shown(channel)} does not exist.`];
      } else salesChannel = channel;
    }
    if (has(data, 'voucher') && data.voucher !== null) {
      const parsed = parseString(data.voucher);
      if (parsed.error !== undefined) errors.voucher = [parsed.error];
      else voucherCode = parsed.value;
    }
  }
  if (Object.keys(errors).length || !item) return { ok: false, errors };

  // -- cross-field phase, in pretix's order; the first problem ends it
  const variationProblem = checkVariation(item, variation);
  if (variationProblem) return { ok: false, errors: { non_field_errors: [variationProblem] } };
  if (attendeeName && attendeeNameParts && Object.keys(attendeeNameParts).length) {
    return {
      ok: false,
      errors: { attendee_name: ['Do not specify attendee_name if you specified attendee_name_parts.'] },
    };
  }
  if (!expires) {
    expires = new Date(scope.now.getTime() + Number(eventSettings(db, eventId).reservation_time) * 60_000);
  }
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
      item,
      variation,
      subevent,
      price,
      includesTax,
      attendeeName,
      attendeeNameParts,
      attendeeEmail,
      answers,
      expires,
      cartId,
      voucher,
      salesChannel,
      quotas,
      addons,
      bundled,
    },
  };
}

/** Two decimal places, as pretix's DecimalField(13, 2) stores and renders the price. */
function formatPrice(text: string): string {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace(/^[+-]/, '').split('.');
  const value = `${whole || '0'}.${fraction.padEnd(2, '0').slice(0, 2)}`;
  return negative && value !== '0.00' ? `-${value}` : value;
}
