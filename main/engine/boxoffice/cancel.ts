import type { EngineContext } from '../context';
import { markOrderCanceled } from '../orders';
import { queueDeskCancellationUpload } from '../sync/desk-uploads';

/**
 * The desk cancels an order. On an order it sold for its server, the cancellation goes up in the same
 * transaction, behind the sale (sync/desk-uploads.ts).
 */
export function cancelDeskOrder(ctx: EngineContext, orderId: number): void {
  markOrderCanceled(ctx, { orderId });
  queueDeskCancellationUpload(ctx, orderId);
}
