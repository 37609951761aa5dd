import type { PaymentRecord, RefundRecord } from '../../engine/payments';
import { apiDatetime } from './order';

/** pretix's `OrderPaymentSerializer` and `OrderRefundSerializer` shapes. */
export interface PaymentLinkContext {
  baseUrl: string;
  organizerSlug: string;
  eventSlug: string;
  orderCode: string;
  orderSecret: string;
}

/** A payment; without `link` (the payments an order nests) its `payment_url` stays null. */
export function renderPayment(p: PaymentRecord, link: PaymentLinkContext | null): Record<string, unknown> {
  return {
    local_id: p.local_id,
    state: p.state,
    amount: p.amount,
    created: apiDatetime(p.created),
    payment_date: apiDatetime(p.payment_date),
    provider: p.provider,
    // Only a payment still waiting to be started has a page where the buyer can pay it.
    payment_url:
      link && p.state === 'created'
        ? `${link.baseUrl}/${link.organizerSlug}/${link.eventSlug}/order/${link.orderCode}/${link.orderSecret}/pay/${p.id}/`
        : null,
    details: {},
  };
}

export function renderRefund(r: RefundRecord): Record<string, unknown> {
  return {
    local_id: r.local_id,
    state: r.state,
    source: r.source,
    amount: r.amount,
    payment: r.payment_local_id,
    created: apiDatetime(r.created),
    execution_date: apiDatetime(r.execution_date),
    comment: r.comment,
    provider: r.provider,
    details: {},
  };
}
