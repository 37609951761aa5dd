import type { ReadableDB, WritableDB } from '../handles';
import { insertRow, rowById } from './common';
import type {
  EventRow,
  ItemRow,
  ItemVariationRow,
  OrderFeeRow,
  OrderPositionRow,
  OrderRow,
  ReceiptRow,
} from '../rows';
import { readAll } from './statements';

/** A receipt, with the kinds and payment methods its table allows. */
export type Receipt = ReceiptRow & {
  kind: 'sale' | 'refund';
  payment_method: 'cash' | 'card' | 'other' | 'free';
};

/** The order and event a receipt names. */
export type ReceiptOrderHeader = Pick<OrderRow, 'code'> & { event: EventRow['name'] } & Pick<
    EventRow,
    'currency'
  >;

/** One order position with the names of its product, as a receipt line starts out. */
export type ReceiptPositionLine = Pick<
  OrderPositionRow,
  'id' | 'price' | 'tax_rate' | 'tax_value' | 'canceled'
> & { item: ItemRow['name']; variation: ItemVariationRow['value'] | null };

export type ReceiptFeeLine = Pick<
  OrderFeeRow,
  'fee_type' | 'description' | 'value' | 'tax_rate' | 'tax_value'
>;

export function receiptOrderHeader(db: ReadableDB, orderId: number): ReceiptOrderHeader {
  return db
    .prepare<[number], ReceiptOrderHeader>(
      `SELECT o.code, e.name AS event, e.currency FROM orders o JOIN events e ON e.id = o.event_id
       WHERE o.id = ?`,
    )
    .get(orderId)!;
}

export const receiptPositionLines = readAll<[orderId: number], ReceiptPositionLine>(
  `SELECT p.id, p.price, p.tax_rate, p.tax_value, p.canceled, i.name AS item, v.value AS variation FROM order_positions p JOIN items i ON i.id = p.item_id LEFT JOIN item_variations v ON v.id = p.variation_id WHERE p.order_id = ? ORDER BY p.positionid`,
);

export const receiptFeeLines = readAll<[orderId: number], ReceiptFeeLine>(
  'SELECT fee_type, description, value, tax_rate, tax_value FROM order_fees WHERE order_id = ? AND canceled = 0 ORDER BY id',
);

export function highestReceiptNumber(db: ReadableDB, desk: string): number | null {
  return db
    .prepare<[string], { n: number | null }>('SELECT MAX(number) AS n FROM receipts WHERE desk = ?')
    .get(desk)!.n;
}

export function insertReceiptRow(db: WritableDB, row: Omit<ReceiptRow, 'id'>): number {
  return insertRow(db, 'receipts', row);
}

export function findReceipt(db: ReadableDB, id: number): Receipt | undefined {
  return rowById(db, 'receipts', id);
}

export const receiptsOfShiftByNumber = readAll<[shiftId: number], Receipt>(
  'SELECT * FROM receipts WHERE shift_id = ? ORDER BY number',
);

export const receiptsOfOrderById = readAll<[orderId: number], Receipt>(
  'SELECT * FROM receipts WHERE order_id = ? ORDER BY id',
);
