import type { ReadableDB } from '../handles';
import type { VoucherRow } from '../rows';
import { readOne } from './statements';

/** The columns of a voucher that selling needs. */
export type SaleVoucher = Pick<
  VoucherRow,
  | 'id'
  | 'event_id'
  | 'code'
  | 'max_usages'
  | 'redeemed'
  | 'valid_until'
  | 'block_quota'
  | 'allow_ignore_quota'
  | 'price_mode'
  | 'value'
  | 'item_id'
  | 'variation_id'
  | 'quota_id'
  | 'subevent_id'
  | 'all_addons_included'
  | 'all_bundles_included'
  | 'budget'
>;

const VOUCHER_COLUMNS = `id, event_id, code, max_usages, redeemed, valid_until, block_quota, allow_ignore_quota,
  price_mode, value, item_id, variation_id, quota_id, subevent_id, all_addons_included, all_bundles_included, budget`;

/** Codes match case-insensitively (pretix looks them up with `code__iexact`). */
export const findSaleVoucherByCode = readOne<[eventId: number, code: string], SaleVoucher>(
  `SELECT ${VOUCHER_COLUMNS} FROM vouchers WHERE event_id = ? AND code = ? COLLATE NOCASE`,
);

export const findSaleVoucherById = readOne<[id: number], SaleVoucher>(
  `SELECT ${VOUCHER_COLUMNS} FROM vouchers WHERE id = ?`,
);

export function quotaHasVariation(db: ReadableDB, quotaId: number, variationId: number): boolean {
  return Boolean(
    db
      .prepare('SELECT 1 FROM quota_variations WHERE quota_id = ? AND variation_id = ?')
      .get(quotaId, variationId),
  );
}

export function quotaHasItem(db: ReadableDB, quotaId: number, itemId: number): boolean {
  return Boolean(
    db.prepare('SELECT 1 FROM quota_items WHERE quota_id = ? AND item_id = ?').get(quotaId, itemId),
  );
}

/** Positions in unexpired carts holding the voucher, leaving out the carts named. */
export function voucherUsesInCarts(
  db: ReadableDB,
  voucher: Pick<VoucherRow, 'id' | 'event_id'>,
  now: string,
  excludeCartIds: string[],
): number {
  const params: unknown[] = [voucher.id, now, voucher.event_id];
  let exclude = '';
  if (excludeCartIds.length) {
    exclude = ` AND (cart_id IS NULL OR cart_id NOT IN (${excludeCartIds.map(() => '?').join(', ')}))`;
    params.push(...excludeCartIds);
  }
  return db
    .prepare<unknown[], { n: number }>(
      `SELECT COUNT(*) AS n FROM cart_positions
         WHERE voucher_id = ? AND expires >= ? AND event_id = ?${exclude}`,
    )
    .get(...params)!.n;
}
