import type { ReadableDB } from '../db/handles';
import {
  findSaleVoucherById,
  findSaleVoucherByCode,
  quotaHasItem,
  quotaHasVariation,
  voucherUsesInCarts,
  type SaleVoucher,
} from '../db/queries/vouchers';
import { currencyPlaces, Decimal, money, roundMoney, type Money } from '../money';

/**
 * Vouchers at sale time (pretix's Voucher.applies_to / calculate_price and the usage count of carts and
 * orders). Messages for the cart API and for order creation differ in pretix; both sets are here.
 */

export type { SaleVoucher };

/** Codes match case-insensitively (pretix looks them up with `code__iexact`). */
export function voucherByCode(db: ReadableDB, eventId: number, code: string): SaleVoucher | undefined {
  return findSaleVoucherByCode(db, eventId, code);
}

export function voucherById(db: ReadableDB, id: number): SaleVoucher | undefined {
  return findSaleVoucherById(db, id);
}

/**
 * `applies_to`: a quota voucher applies to products in that quota (the variation's quotas for a
 * variation); an item voucher to that item (and, with a variation, only that variation); a voucher
 * without target to everything.
 */
export function voucherAppliesTo(
  db: ReadableDB,
  voucher: SaleVoucher,
  itemId: number,
  variationId: number | null,
): boolean {
  if (voucher.quota_id !== null) {
    if (variationId !== null) return quotaHasVariation(db, voucher.quota_id, variationId);
    return quotaHasItem(db, voucher.quota_id, itemId);
  }
  if (voucher.item_id !== null && voucher.variation_id === null) return voucher.item_id === itemId;
  if (voucher.item_id !== null) return voucher.item_id === itemId && voucher.variation_id === variationId;
  return true;
}

/** Whether a voucher lets its positions skip the quota check (it holds or ignores quota itself). */
export function voucherBypassesQuota(voucher: SaleVoucher | null | undefined): boolean {
  return Boolean(voucher && (voucher.allow_ignore_quota || voucher.block_quota));
}

export function isVoucherExpired(voucher: SaleVoucher, now: Date): boolean {
  return voucher.valid_until !== null && new Date(voucher.valid_until).getTime() < now.getTime();
}

/**
 * `calculate_price`: set → value; subtract → max(price − value, 0); percent → price·(100 − value)/100
 * rounded to the currency; none → price. Never more discount than `maxDiscount` when given.
 */
export function voucherPrice(
  voucher: Pick<SaleVoucher, 'price_mode' | 'value'>,
  originalPrice: Decimal.Value,
  currency = 'EUR',
  maxDiscount?: Decimal.Value,
): Money {
  const original = money(originalPrice);
  if (voucher.value === null || voucher.value === undefined) return original;
  const value = money(voucher.value);
  let price: Money;
  switch (voucher.price_mode) {
    case 'set':
      price = value;
      break;
    case 'subtract':
      price = Decimal.max(original.minus(value), 0);
      break;
    case 'percent':
      price = roundMoney(original.times(money(100).minus(value)).dividedBy(100), currency);
      break;
    default:
      price = original;
  }
  if (currencyPlaces(currency) < 2) return roundMoney(price, currency);
  if (maxDiscount !== undefined) price = Decimal.max(price, original.minus(maxDiscount));
  return price;
}

/**
 * Uses left: max_usages − redeemed − positions in unexpired carts holding the voucher (carts whose ids
 * are in `excludeCartIds` are not counted, e.g. the carts an order consumes).
 */
export function voucherUsesLeft(
  db: ReadableDB,
  voucher: SaleVoucher,
  now: Date,
  excludeCartIds: string[] = [],
): number {
  const inCarts = voucherUsesInCarts(db, voucher, now.toISOString(), excludeCartIds);
  return voucher.max_usages - voucher.redeemed - inCarts;
}

/** Cart API messages (api/serializers/cart.py, api/views/cart.py). */
export const CART_VOUCHER_MESSAGES = {
  unknown: 'The specified voucher does not exist.',
  notApplicable: 'The specified voucher is not valid for the given item and variation.',
  wrongSubevent: 'The specified voucher is not valid for this subevent.',
  expired: 'The specified voucher is expired.',
  usedUp: 'The specified voucher has already been used the maximum number of times.',
} as const;

/** Order creation messages (api/serializers/order.py). */
export const ORDER_VOUCHER_MESSAGES = {
  addon: 'Vouchers are currently not supported for add-on products.',
  notApplicable: 'This voucher is not valid for this product.',
  wrongSubevent: 'This voucher is not valid for this event date.',
  expired: 'This voucher is expired.',
  usedUp: 'The voucher has already been used the maximum number of times.',
  budget: (left: string, discount: string) =>
    `The voucher has a remaining budget of ${left}, therefore a discount of ${discount} can not be given.`,
} as const;

/**
 * The checks pretix runs on a voucher before quota: applicable to item and variation, the right
 * sub-event, not expired. Returns the message (in the words of the cart or order API) or undefined.
 */
function checkVoucherForSale(
  db: ReadableDB,
  voucher: SaleVoucher,
  sale: { itemId: number; variationId: number | null; subeventId: number | null },
  now: Date,
  messages: typeof CART_VOUCHER_MESSAGES | typeof ORDER_VOUCHER_MESSAGES,
): string | undefined {
  if (!voucherAppliesTo(db, voucher, sale.itemId, sale.variationId)) return messages.notApplicable;
  if (voucher.subevent_id !== null && voucher.subevent_id !== sale.subeventId) return messages.wrongSubevent;
  if (isVoucherExpired(voucher, now)) return messages.expired;
  return undefined;
}

/** The checks of pretix's cart serializer. */
export function checkVoucherForCart(
  db: ReadableDB,
  voucher: SaleVoucher,
  sale: { itemId: number; variationId: number | null; subeventId: number | null },
  now: Date,
): string | undefined {
  return checkVoucherForSale(db, voucher, sale, now, CART_VOUCHER_MESSAGES);
}

/** The same checks with order creation's messages (usage and budget are counted by the caller). */
export function checkVoucherForOrder(
  db: ReadableDB,
  voucher: SaleVoucher,
  sale: { itemId: number; variationId: number | null; subeventId: number | null; isAddon?: boolean },
  now: Date,
): string | undefined {
  if (sale.isAddon) return ORDER_VOUCHER_MESSAGES.addon;
  return checkVoucherForSale(db, voucher, sale, now, ORDER_VOUCHER_MESSAGES);
}
