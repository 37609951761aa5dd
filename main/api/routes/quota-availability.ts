import type { FastifyInstance } from 'fastify';
import { notFound } from '../../engine/errors';
import { AVAILABILITY_OK, computeQuotaAvailability, quotaCountersInEvent } from '../../engine/quotas';
import { requireEvent, type ApiDeps } from '../context';
import { pathId } from '../schemas/request';

/** `GET …/quotas/{id}/availability/` in pretix's shape (counted with full results, waiting list none). */
export function quotaAvailabilityRoutes(app: FastifyInstance, { engine }: ApiDeps): void {
  app.get('/api/v1/organizers/:organizer/events/:event/quotas/:id/availability/', async (req) => {
    const { event } = requireEvent(engine, req);
    const id = pathId(req);
    // A write command: computing availability may close a close_when_sold_out quota, as in pretix.
    return engine.command((ctx) => {
      const quota = quotaCountersInEvent(ctx.db, event.id, id);
      if (!quota) throw notFound();
      const result = computeQuotaAvailability(ctx, [quota], { fullResults: true }).get(quota.id)!;
      return {
        paid_orders: result.paidOrders,
        pending_orders: result.pendingOrders,
        exited_orders: result.exitedOrders,
        blocking_vouchers: result.blockingVouchers,
        cart_positions: result.cartPositions,
        waiting_list: result.waitingList,
        available_number: result.available,
        available: result.state === AVAILABILITY_OK,
        total_size: quota.size,
      };
    });
  });
}
