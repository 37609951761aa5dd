import type { EngineContext } from '../context';
import { unexpiredCartPositions, earliestSubeventDate, type OrderEvent } from '../db/queries/orders/place';
import { invalidFields, type FieldErrors } from '../errors';
import { QuotaLedger } from '../quotas/availability';
import { holdPlacedOrderInQuotas } from '../quotas/counters';
import { ProductQuotas, takeOrderQuotas } from '../quotas/order-quotas';
import { checkOrderVouchers, type VoucherClaim } from '../vouchers/order-vouchers';
import { computeExpiry } from './expiry';
import type { OrderData } from './model';
import { ticketSecretLength } from './order-codes';
import { takePlacement, type Placement } from './order-event';
import { previewOrder } from './order-preview';
import { priceOrder } from './order-pricing';
import { resolveOrderDraft, type OrderDraft } from './order-draft';
import { orderRequestLookups, refuseTakenSecrets, type OrderRequest } from './order-request';
import { decidePayment, payOrder, storeOrder, type OrderPayment } from './store-order';

export interface CreateOrderInput {
  eventId: number;
  /** The order to place, every field checked (the REST door reads it from pretix's `POST …/orders/`). */
  request: OrderRequest;
}

export interface CreateOrderResult {
  /** Id of the stored order; 0 for a simulation. */
  orderId: number;
  /** The order as stored, or the preview of a simulation. */
  order: OrderData;
}

/**
 * pretix's order creation (`OrderCreateSerializer.create`): in one transaction checks vouchers and quotas
 * for every position, stores the order, its positions, answers, fees, invoice address and payment, counts
 * voucher redemptions, deletes consumed carts, writes the audit rows and puts the order into the quota
 * counters. With `simulate` nothing is written and a preview is returned.
 */
export function createOrder(ctx: EngineContext, input: CreateOrderInput): CreateOrderResult {
  if (input.request.simulate) return simulated(ctx, () => placeOrderWith(ctx, input.eventId, input.request));
  return placeOrderWith(ctx, input.eventId, input.request);
}

export interface PlaceOrderInput {
  eventId: number;
  order: OrderDraft;
}

/**
 * The same order creation for the engine's own callers (the desk's sale): a typed draft whose products,
 * answers and payment provider are checked with pretix's rules and messages.
 */
export function placeOrder(ctx: EngineContext, input: PlaceOrderInput): CreateOrderResult {
  const lookups = orderRequestLookups(ctx, input.eventId);
  return placeOrderWith(ctx, input.eventId, resolveOrderDraft(lookups, input.order));
}

/**
 * Runs a simulation in a savepoint that is always rolled back, so that even side effects of counting
 * availability (closing a sold-out quota) leave no trace. A real placement needs no savepoint of its own:
 * whatever it throws rolls back the command's transaction (in a group commit, the command's savepoint)
 * with all it wrote, and a savepoint costs SQLite a temporary sub-journal file per order.
 */
function simulated(ctx: EngineContext, place: () => CreateOrderResult): CreateOrderResult {
  let preview: CreateOrderResult | undefined;
  const rolledBack = ctx.db.transaction(() => {
    preview = place();
    throw new SimulationRollback();
  });
  try {
    return rolledBack();
  } catch (e) {
    if (e instanceof SimulationRollback && preview) return preview;
    throw e;
  }
}

class SimulationRollback extends Error {}

/** validate → vouchers → quotas → price → store → pay, all in the caller's transaction. */
function placeOrderWith(ctx: EngineContext, eventId: number, request: OrderRequest): CreateOrderResult {
  const at = takePlacement(ctx, ctx.db, eventId);
  const event = at.event;
  refuseTakenSecrets(ctx.db, event, request.positions);
  const ledger = new QuotaLedger(ctx);
  const productQuotas = new ProductQuotas(ctx.db, event.id);
  const carts = consumeCarts(ctx, event.id, request.consumeCarts, ledger, productQuotas);
  checkAvailability(ctx, at, request, ledger, productQuotas, carts.voucherUsage);
  const priced = priceOrder(ctx.db, event, at.settings, request.positions, request.fees);
  const expires = request.expires ?? orderExpiry(ctx, at, request);
  const locale = request.locale ?? at.settings.locale;
  if (request.simulate) {
    return {
      orderId: 0,
      order: previewOrder(ctx.db, event, {
        ...request,
        locale,
        expires,
        total: priced.total,
        now: ctx.now,
        lines: priced.lines,
        feeLines: priced.feeLines,
      }),
    };
  }
  const payment = decidePayment(ctx.now, request, priced.total);
  const order = storeOrder(ctx, event, {
    request,
    status: payment.status,
    priced,
    locale,
    expires,
    secretLength: ticketSecretLength(at.settings),
    consumedCartPositionIds: carts.positionIds,
  });
  payOrder(ctx, order, payment, priced.total);
  holdPlacedOrderInQuotas(
    ctx,
    payment.status,
    request.positions.map((p) => productQuotas.of(p.item.id, p.variation?.id ?? null, p.subeventId)),
  );
  auditPlacedOrder(ctx, event, order.id, payment);
  return { orderId: order.id, order };
}

/**
 * Carts being turned into this order free what they hold: their quota units go back to the ledger and
 * their voucher redemptions are the order's own.
 */
function consumeCarts(
  ctx: EngineContext,
  eventId: number,
  cartIds: string[],
  ledger: QuotaLedger,
  productQuotas: ProductQuotas,
): { positionIds: number[]; voucherUsage: Map<number, number> } {
  const voucherUsage = new Map<number, number>();
  const positionIds: number[] = [];
  if (cartIds.length === 0) return { positionIds, voucherUsage };
  for (const cp of unexpiredCartPositions(ctx.db, eventId, cartIds, ctx.now.toISOString())) {
    for (const q of productQuotas.of(cp.item_id, cp.variation_id, cp.subevent_id)) {
      ledger.credit(q);
    }
    if (cp.voucher_id !== null) voucherUsage.set(cp.voucher_id, (voucherUsage.get(cp.voucher_id) ?? 0) - 1);
    positionIds.push(cp.id);
  }
  return { positionIds, voucherUsage };
}

/** The vouchers and quotas steps: every position's problems at once, in pretix's shape. */
function checkAvailability(
  ctx: EngineContext,
  { event }: Placement,
  request: OrderRequest,
  ledger: QuotaLedger,
  productQuotas: ProductQuotas,
  voucherUsage: Map<number, number>,
): void {
  const positions = request.positions;
  const errors: FieldErrors[] = positions.map(() => ({}));
  const claims: VoucherClaim[] = positions.map((p) => ({
    voucher: p.voucher,
    itemId: p.item.id,
    variationId: p.variation?.id ?? null,
    subeventId: p.subeventId,
    isAddon: Boolean(p.addonTo),
    price: p.price,
  }));
  checkOrderVouchers(
    {
      db: ctx.db,
      now: ctx.now,
      currency: event.currency,
      consumedCartIds: request.consumeCarts,
      usage: voucherUsage,
    },
    claims,
    errors,
  );
  // A voucher budget may have raised a price.
  claims.forEach((c, i) => (positions[i]!.price = c.price));
  if (!request.force) {
    const quotaClaims = positions.map((p) => ({
      item: p.item,
      variationId: p.variation?.id ?? null,
      subeventId: p.subeventId,
      voucher: p.voucher,
    }));
    takeOrderQuotas(ctx.db, productQuotas, ledger, quotaClaims, errors);
  }
  if (errors.some((e) => Object.keys(e).length > 0)) {
    throw invalidFields('positions_invalid', { positions: errors });
  }
}

/** When an unpaid order expires: the event's payment term, counted from the earliest date it is for. */
function orderExpiry(
  ctx: EngineContext,
  { event, settings, timeZone }: Placement,
  request: OrderRequest,
): Date {
  const subeventIds = request.positions.map((p) => p.subeventId).filter((s): s is number => s !== null);
  const date_from =
    subeventIds.length === 0
      ? event.date_from
      : (earliestSubeventDate(ctx.db, subeventIds) ?? event.date_from);
  return computeExpiry(ctx.now, settings, timeZone, { date_from });
}

function auditPlacedOrder(
  ctx: EngineContext,
  event: OrderEvent,
  orderId: number,
  payment: OrderPayment,
): void {
  const audit = (actionType: string, data: unknown = {}) =>
    ctx.audit({
      organizerId: event.organizer_id,
      eventId: event.id,
      objectType: 'order',
      objectId: orderId,
      actionType,
      data,
    });
  audit('pretix.event.order.placed', {});
  const first = payment.first;
  if (first?.state === 'confirmed') {
    audit('pretix.event.order.payment.confirmed', { local_id: 1, provider: first.provider });
  }
  if (payment.status === 'p') {
    audit('pretix.event.order.paid', {
      provider: first?.provider ?? null,
      info: {},
      date: first?.date ?? ctx.now.toISOString(),
      force: false,
    });
  }
}
