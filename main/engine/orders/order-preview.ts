import { buildName } from '../catalog/names';
import type { ReadableDB } from '../db/handles';
import { identifierOf, type OrderEvent } from '../db/queries/orders/place';
import { generateWebSecret } from '../ids';
import { moneyText, type Decimal } from '../money';
import type { AnswerData, FeeData, InvoiceAddressData, OrderData, PositionData } from './model';
import type { PricedFee, PricedLine } from './order-pricing';
import type { InvoiceAddressInput } from './order-request';
import { attendeeParts } from './store-order';

export interface PreviewInput {
  status: 'n' | 'p';
  testmode: boolean;
  email: string | null;
  phone: string | null;
  locale: string;
  expires: Date;
  total: Decimal;
  comment: string;
  customFollowupAt: string | null;
  checkinAttention: boolean;
  checkinText: string | null;
  requireApproval: boolean;
  validIfPending: boolean;
  salesChannel: string;
  apiMeta: Record<string, unknown>;
  now: Date;
  invoiceAddress: InvoiceAddressInput | null;
  lines: PricedLine[];
  feeLines: PricedFee[];
  currency: string;
}

/** The simulated order pretix answers with: code PREVIEW, no datetime, ids 0, no payments. */
export function previewOrder(db: ReadableDB, event: OrderEvent, input: PreviewInput): OrderData {
  const nowIso = input.now.toISOString();
  const ia: InvoiceAddressData | null = input.invoiceAddress
    ? {
        ...input.invoiceAddress,
        last_modified: nowIso,
        name_cached: buildName(input.invoiceAddress.name_parts) ?? '',
      }
    : null;
  const positions: PositionData[] = input.lines.map((l, index) => {
    const p = l.parsed;
    const parts = attendeeParts(p);
    const answers: AnswerData[] = p.answers.map((a) => ({
      question: a.questionId,
      question_identifier: identifierOf(db, 'questions', a.questionId),
      answer: a.answer,
      options: a.optionIds,
      option_identifiers: a.optionIds.map((id) => identifierOf(db, 'question_options', id)),
    }));
    return {
      id: 0,
      positionid: p.positionid ?? index + 1,
      item: p.item.id,
      variation: p.variation?.id ?? null,
      subevent: p.subeventId,
      price: moneyText(l.price),
      tax_rate: moneyText(l.rate),
      tax_value: moneyText(l.tax),
      tax_rule: l.ruleId,
      secret: p.secret ?? '',
      pseudonymization_id: 'PREVIEW',
      attendee_name_cached: buildName(parts),
      attendee_name_parts: parts,
      attendee_email: p.attendeeEmail,
      company: p.company,
      street: p.street,
      zipcode: p.zipcode,
      city: p.city,
      country: p.country,
      state: p.state,
      voucher: p.voucher?.id ?? null,
      addon_to: p.addonTo,
      addon_to_positionid: p.addonTo,
      is_bundled: p.isBundled,
      canceled: false,
      blocked: null,
      valid_from: p.validFrom,
      valid_until: p.validUntil,
      seat: null,
      item_admission: Boolean(p.item.admission),
      item_generate_tickets: null,
      answers,
      checkins: [],
    };
  });
  const fees: FeeData[] = input.feeLines.map((f) => ({
    id: 0,
    fee_type: f.feeType,
    value: moneyText(f.value),
    description: f.description,
    internal_type: f.internalType,
    tax_rate: moneyText(f.rate),
    tax_value: moneyText(f.tax),
    tax_rule: f.ruleId,
    canceled: false,
  }));
  return {
    id: 0,
    organizerSlug: event.organizer_slug,
    eventId: event.id,
    eventSlug: event.slug,
    code: 'PREVIEW',
    status: input.status,
    testmode: input.testmode,
    secret: generateWebSecret(),
    email: input.email,
    phone: input.phone,
    locale: input.locale,
    datetime: null,
    expires: input.expires.toISOString(),
    total: moneyText(input.total),
    comment: input.comment,
    custom_followup_at: input.customFollowupAt,
    checkin_attention: input.checkinAttention,
    checkin_text: input.checkinText,
    require_approval: input.requireApproval,
    valid_if_pending: input.validIfPending,
    sales_channel: input.salesChannel,
    last_modified: nowIso,
    cancellation_date: null,
    api_meta: input.apiMeta,
    invoice_address: ia,
    positions,
    fees,
    payments: [],
    refunds: [],
    simulated: true,
  };
}
