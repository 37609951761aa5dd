import type { ReadableDB } from '../db/handles';
import type { OrderEvent } from '../db/queries/orders/place';
import type { OrderData } from './model';
import { orderData, type OrderDataInput } from './order-data';

export type PreviewInput = OrderDataInput;

/** The simulated order pretix answers with: code PREVIEW, no datetime, ids 0, no payments. */
export function previewOrder(db: ReadableDB, event: OrderEvent, input: PreviewInput): OrderData {
  return orderData(db, event, input, null);
}
