import { buildName } from '../catalog/names';
import type { EngineContext } from '../context';
import {
  countVoucherRedemption,
  deleteCartPositions,
  insertFirstPayment,
  insertOrder,
  insertOrderFee,
  insertOrderPosition,
  type OrderEvent,
} from '../db/queries/orders/place';
import { upsertInvoiceAddress } from '../db/queries/orders/order';
import { refusedList } from '../errors';
import { generateWebSecret } from '../ids';
import { moneyText } from '../money';
import { storeAnswers } from '../questions/position-answers';
import type { OrderData } from './model';
import {
  attendeeAddress,
  attendeeParts,
  feeColumns,
  invoiceAddressData,
  orderData,
  type WrittenOrder,
} from './order-data';
import { insertWithFreshOrderCode, insertWithFreshSecrets, type PositionDraws } from './order-codes';
import type { PricedOrder } from './order-pricing';
import type { InvoiceAddressInput, OrderRequest } from './order-request';
import type { InvoiceAddressRow } from '../db/rows';

export interface StoreOrderInput {
  request: OrderRequest;
  /** The status the pay step decided: a paid order is written paid. */
  status: 'n' | 'p';
  priced: PricedOrder;
  locale: string;
  expires: Date;
  secretLength: number;
  consumedCartPositionIds: number[];
}

/**
 * The store step: the order, its invoice address, positions with answers, fees; consumed carts go.
 * Returns the order as stored (no payment yet), built from the rows written rather than read back.
 */
export function storeOrder(ctx: EngineContext, event: OrderEvent, input: StoreOrderInput): OrderData {
  const { db } = ctx;
  const { request, priced } = input;
  const nowIso = ctx.now.toISOString();
  const secret = generateWebSecret();
  const insert = (code: string): number =>
    insertOrder(db, {
      organizer_id: event.organizer_id,
      event_id: event.id,
      code,
      status: input.status,
      testmode: request.testmode ? 1 : 0,
      require_approval: request.requireApproval ? 1 : 0,
      valid_if_pending: request.validIfPending ? 1 : 0,
      email: request.email,
      phone: request.phone,
      locale: input.locale,
      secret,
      datetime: nowIso,
      expires: input.expires.toISOString(),
      total: moneyText(priced.total),
      comment: request.comment,
      custom_followup_at: request.customFollowupAt,
      checkin_attention: request.checkinAttention ? 1 : 0,
      checkin_text: request.checkinText,
      sales_channel: request.salesChannel,
      api_meta: JSON.stringify(request.apiMeta),
      last_modified: nowIso,
    });
  // A code the request gives was checked to be free when the request was read.
  const { id: orderId, code } =
    request.code !== null
      ? { id: insert(request.code), code: request.code }
      : insertWithFreshOrderCode(request.testmode, insert);
  if (request.invoiceAddress) storeInvoiceAddress(ctx, orderId, request.invoiceAddress);
  const positions = storePositions(ctx, event, orderId, input);
  if (input.consumedCartPositionIds.length > 0) deleteCartPositions(db, input.consumedCartPositionIds);
  const feeIds = priced.feeLines.map((f) =>
    insertOrderFee(db, { order_id: orderId, ...feeColumns(f), tax_rule_id: f.ruleId }),
  );
  const written: WrittenOrder = { id: orderId, code, secret, positions, feeIds };
  return orderData(
    db,
    event,
    {
      ...request,
      status: input.status,
      locale: input.locale,
      expires: input.expires,
      total: priced.total,
      now: ctx.now,
      lines: priced.lines,
      feeLines: priced.feeLines,
    },
    written,
  );
}

function storeInvoiceAddress(ctx: EngineContext, orderId: number, address: InvoiceAddressInput): void {
  upsertInvoiceAddress(ctx.db, invoiceAddressRow(orderId, ctx.now.toISOString(), address));
}

/** An order's invoice address as its row, with its name and the time it was last changed. */
export function invoiceAddressRow(
  orderId: number,
  nowIso: string,
  address: InvoiceAddressInput,
): InvoiceAddressRow {
  const data = invoiceAddressData(address, nowIso);
  return {
    ...data,
    order_id: orderId,
    is_business: data.is_business ? 1 : 0,
    name_parts: JSON.stringify(data.name_parts),
    vat_id_validated: data.vat_id_validated ? 1 : 0,
  };
}

function storePositions(
  ctx: EngineContext,
  event: OrderEvent,
  orderId: number,
  input: StoreOrderInput,
): WrittenOrder['positions'] {
  const { db } = ctx;
  // Secrets given in the request are taken before generated ones.
  const requestSecrets = new Set<string>();
  for (const p of input.request.positions) if (p.secret !== null) requestSecrets.add(p.secret);
  const idByPositionId = new Map<number, number>();
  const written: WrittenOrder['positions'] = [];
  for (const [index, l] of input.priced.lines.entries()) {
    const p = l.parsed;
    const positionid = p.positionid ?? index + 1;
    const parts = attendeeParts(p);
    const addonToId = p.addonTo !== null ? (idByPositionId.get(p.addonTo) ?? null) : null;
    const insert = ({ secret, pseudonymizationId }: PositionDraws): number =>
      insertOrderPosition(db, {
        order_id: orderId,
        organizer_id: event.organizer_id,
        positionid,
        item_id: p.item.id,
        variation_id: p.variation?.id ?? null,
        subevent_id: p.subeventId,
        price: moneyText(l.price),
        tax_rate: moneyText(l.rate),
        tax_value: moneyText(l.tax),
        tax_rule_id: l.ruleId,
        secret,
        web_secret: generateWebSecret(),
        pseudonymization_id: pseudonymizationId,
        attendee_name_cached: buildName(parts),
        attendee_name_parts: JSON.stringify(parts),
        attendee_email: p.attendeeEmail,
        ...attendeeAddress(p),
        voucher_id: p.voucher?.id ?? null,
        voucher_budget_use: l.voucherBudgetUse ? moneyText(l.voucherBudgetUse) : null,
        addon_to_id: addonToId,
        is_bundled: p.isBundled ? 1 : 0,
        valid_from: p.validFrom,
        valid_until: p.validUntil,
      });
    // Secrets given in the request were checked to be free, and generated ones avoid them.
    const { id, secret, pseudonymizationId } = insertWithFreshSecrets(
      input.secretLength,
      p.secret,
      requestSecrets,
      insert,
    );
    requestSecrets.add(secret);
    idByPositionId.set(positionid, id);
    if (p.voucher) countVoucherRedemption(db, p.voucher.id);
    storeAnswers(db, { orderPositionId: id }, p.answers);
    written.push({ id, secret, pseudonymizationId, addonToId });
  }
  return written;
}

/** The pay step's decision: the order's status and its first payment, if any. */
export interface OrderPayment {
  status: 'n' | 'p';
  first: {
    provider: string;
    state: 'confirmed' | 'created';
    /** When it was paid; none for a created payment. */
    date: string | null;
    info: string;
  } | null;
}

/**
 * The pay step's decision, in pretix's order of branches: a free order is paid by the `free` provider unless
 * it needs approval, a paid order needs a provider, a pending one gets a created payment when a provider is
 * named. Taken before anything is written, so that its refusals leave nothing behind.
 */
export function decidePayment(now: Date, request: OrderRequest, total: PricedOrder['total']): OrderPayment {
  let provider = request.paymentProvider;
  if (total.isZero() && request.status === 'p' && !provider) provider = 'free';
  if (total.isZero() && request.status !== 'p' && !request.requireApproval) {
    return {
      status: 'p',
      first: { provider: 'free', state: 'confirmed', date: now.toISOString(), info: '{}' },
    };
  }
  if (provider === 'free' && !total.isZero())
    throw refusedList('free_provider', 'You cannot use the "free" payment provider for non-free orders.');
  if (request.status === 'p') {
    if (!provider)
      throw refusedList('provider_required', 'You cannot create a paid order without a payment provider.');
    const date = (request.paymentDate ?? now).toISOString();
    return { status: 'p', first: { provider, state: 'confirmed', date, info: request.paymentInfo } };
  }
  if (provider)
    return { status: 'n', first: { provider, state: 'created', date: null, info: request.paymentInfo } };
  return { status: 'n', first: null };
}

/** The pay step: `order` (as `storeOrder` returned it, with the decided status) gets its payment written. */
export function payOrder(
  ctx: EngineContext,
  order: OrderData,
  payment: OrderPayment,
  total: PricedOrder['total'],
): void {
  if (payment.first) {
    const stored = {
      state: payment.first.state,
      amount: moneyText(total),
      created: ctx.now.toISOString(),
      payment_date: payment.first.date,
      provider: payment.first.provider,
      info: payment.first.info,
    };
    const id = insertFirstPayment(ctx.db, { order_id: order.id, ...stored });
    order.payments.push({ id, local_id: 1, ...stored });
  }
}
