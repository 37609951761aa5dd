import type { ReadableDB, WritableDB } from '../../handles';
import type { VoucherRow } from '../../rows';
import { readExists } from '../statements';

export function findVoucher(db: ReadableDB, eventId: number, id: number): VoucherRow | undefined {
  return db.prepare('SELECT * FROM vouchers WHERE id = ? AND event_id = ?').get(id, eventId) as
    VoucherRow | undefined;
}

/** Whether the event has a voucher with exactly this code. */
export const voucherCodeExists = readExists<[eventId: number, code: string]>(
  'SELECT 1 FROM vouchers WHERE event_id = ? AND code = ?',
);

/** Whether another voucher of the event has this (upper-case) code in any letter case. */
export const voucherCodeTaken = readExists<[eventId: number, code: string, exceptId: number | null]>(
  'SELECT 1 FROM vouchers WHERE event_id = ? AND upper(code) = ? AND id IS NOT ?',
);

export const voucherUsedByOrders = readExists<[id: number]>(
  'SELECT 1 FROM order_positions WHERE voucher_id = ? LIMIT 1',
);

/** Deletes a voucher; cart positions keep their product but lose the voucher. */
export function deleteVoucherRow(db: WritableDB, id: number): void {
  db.prepare('UPDATE cart_positions SET voucher_id = NULL WHERE voucher_id = ?').run(id);
  db.prepare('DELETE FROM vouchers WHERE id = ?').run(id);
}

/** Deletes the vouchers bound to a product, variation or quota; carts keep their positions. */
export function deleteVouchersBoundTo(
  db: WritableDB,
  column: 'item_id' | 'variation_id' | 'quota_id',
  id: number,
): void {
  db.prepare(
    `UPDATE cart_positions SET voucher_id = NULL WHERE voucher_id IN (SELECT id FROM vouchers WHERE ${column} = ?)`,
  ).run(id);
  db.prepare(`DELETE FROM vouchers WHERE ${column} = ?`).run(id);
}
