import type { Database } from 'better-sqlite3';
import { currencyPlaces, Decimal, money, roundMoney, type Money } from '../money';

/**
 * Vouchers at sale time (pretix's Voucher.applies_to / calculate_price and the usage count of carts and
 * orders). Messages for the cart API and for order creation differ in pretix; both sets are here.
 */

export interface SaleVoucher {
  id: number;
  event_id: number;
  code: string;
  max_usages: number;
  redeemed: number;
  valid_until: string | null;
  block_quota: number;
  allow_ignore_quota: number;
  price_mode: string;
  value: string | null;
  item_id: number | null;
  variation_id: number | null;
  quota_id: number | null;
  subevent_id: number | null;
  all_addons_included: number;
  all_bundles_included: number;
  budget: string | null;
}

const VOUCHER_COLUMNS = `id, event_id, code, max_usages, redeemed, valid_until, block_quota, allow_ignore_quota,
  price_mode, value, item_id, variation_id, quota_id, subevent_id, all_addons_included, all_bundles_included, budget`;

/** Codes match case-insensitively (pretix looks them up with `code__iexact`). */
export function voucherByCode(db: Database, eventId: number, code: string): SaleVoucher | undefined {
  return db
    .prepare(`SELECT ${VOUCHER_COLUMNS} FROM vouchers WHERE event_id = ? AND code = ? COLLATE NOCASE`)
    .get(eventId, code) as SaleVoucher | undefined;
}

export function voucherById(db: Database, id: number): SaleVoucher | undefined {
  return db.prepare(`SELECT ${VOUCHER_COLUMNS} FROM vouchers WHERE id = ?`).get(id) as
    SaleVoucher | undefined;
}

/**
 * `applies_to`: a quota voucher applies to products in that quota (the variation's quotas for a
 * variation); an item voucher to that item (and, with a variation, only that variation); a voucher
 * without target to everything.
 */
export function voucherAppliesTo(
  db: Database,
  voucher: SaleVoucher,
  itemId: number,
  variationId: number | null,
): boolean {
  if (voucher.quota_id !== null) {
    if (variationId !== null) {
      return Boolean(
        db
          .prepare('SELECT 1 FROM quota_variations WHERE quota_id = ? AND variation_id = ?')
          .get(voucher.quota_id, variationId),
      );
    }
    return Boolean(
      db
        .prepare('SELECT 1 FROM quota_items WHERE quota_id = ? AND item_id = ?')
        .get(voucher.quota_id, itemId),
    );
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
  db: Database,
  voucher: SaleVoucher,
  now: Date,
  excludeCartIds: string[] = [],
): number {
  const params: unknown[] = [voucher.id, now.toISOString(), voucher.event_id];
  let exclude = '';
  if (excludeCartIds.length) {
    exclude = ` AND (cart_id IS NULL OR cart_id NOT IN (${excludeCartIds.map(() => '?').join(', ')}))`;
    params.push(...excludeCartIds);
  }
  const inCarts = (
    db
      .prepare(
        `SELECT COUNT(*) AS n FROM cart_positions
         WHERE voucher_id = ? AND expires >= ? AND event_id = ?${exclude}`,
      )
      .get(...params) as { n: number }
  ).n;
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
  unknown: (code: string) => `Object with code=${code} does not exist.`,
  addon: 'Vouchers are currently not supported for add-on products.',
  notApplicable: 'This voucher is not valid for this product.',
  wrongSubevent: 'This voucher is not valid for this event date.',
  expired: 'This voucher is expired.',
  usedUp: 'The voucher has already been used the maximum number of times.',
  budget: (left: string, discount: string) =>
    `The voucher has a remaining budget of ${left}, therefore a discount of ${discount} can not be given.`,
} as const;

/**
 * The checks pretix's cart serializer runs on a voucher before quota: applicable to item and variation,
 * the right sub-event, not expired. Returns the message or undefined.
 */
export function checkVoucherForCart(
  db: Database,
  voucher: SaleVoucher,
  sale: { itemId: number; variationId: number | null; subeventId: number | null },
  now: Date,
): string | undefined {
  if (!voucherAppliesTo(db, voucher, sale.itemId, sale.variationId))
    return CART_VOUCHER_MESSAGES.notApplicable;
  if (voucher.subevent_id !== null && voucher.subevent_id !== sale.subeventId) {
    return CART_VOUCHER_MESSAGES.wrongSubevent;
  }
  if (isVoucherExpired(voucher, now)) return CART_VOUCHER_MESSAGES.expired;
  return undefined;
}

/** The same checks with order creation's messages (usage and budget are counted by the caller). */
export function checkVoucherForOrder(
  db: Database,
  voucher: SaleVoucher,
  sale: { itemId: number; variationId: number | null; subeventId: number | null; isAddon?: boolean },
  now: Date,
): string | undefined {
  if (sale.isAddon) return ORDER_VOUCHER_MESSAGES.addon;
  if (!voucherAppliesTo(db, voucher, sale.itemId, sale.variationId))
    return ORDER_VOUCHER_MESSAGES.notApplicable;
  if (voucher.subevent_id !== null && voucher.subevent_id !== sale.subeventId) {
    return ORDER_VOUCHER_MESSAGES.wrongSubevent;
  }
  if (isVoucherExpired(voucher, now)) return ORDER_VOUCHER_MESSAGES.expired;
  return undefined;
}
