import { buildName } from '../catalog/names';
import type { ReadableDB } from '../db/handles';
import { identifierOf, type OrderEvent } from '../db/queries/orders/place';
import { generateWebSecret } from '../ids';
import { moneyText, type Decimal } from '../money';
import type { AnswerData, FeeData, InvoiceAddressData, OrderData, PositionData } from './model';
import type { PricedFee, PricedLine } from './order-pricing';
import type { InvoiceAddressInput, OrderPositionRequest } from './order-request';

/** What an order creation knows of its order once validated and priced. */
export interface OrderDataInput {
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
}

/** What storing the order gave it: ids, its code and the secrets drawn for it. */
export interface WrittenOrder {
  id: number;
  code: string;
  secret: string;
  /** One per line, in the same order. */
  positions: { id: number; secret: string; pseudonymizationId: string; addonToId: number | null }[];
  /** One per fee line, in the same order. */
  feeIds: number[];
}

type AttendeeAddress = Pick<PositionData, 'company' | 'street' | 'zipcode' | 'city' | 'country' | 'state'>;

/** A position's attendee address fields, as positions store and show them. */
export function attendeeAddress(p: AttendeeAddress): AttendeeAddress {
  return {
    company: p.company,
    street: p.street,
    zipcode: p.zipcode,
    city: p.city,
    country: p.country,
    state: p.state,
  };
}

/** An invoice address as stored at `nowIso`, its fields in the order `loadOrder` reads them back in. */
export function invoiceAddressData(address: InvoiceAddressInput, nowIso: string): InvoiceAddressData {
  return {
    last_modified: nowIso,
    company: address.company,
    name_cached: buildName(address.name_parts) ?? '',
    street: address.street,
    zipcode: address.zipcode,
    city: address.city,
    country: address.country,
    state: address.state,
    vat_id: address.vat_id,
    internal_reference: address.internal_reference,
    custom_field: address.custom_field,
    is_business: address.is_business,
    vat_id_validated: address.vat_id_validated,
    name_parts: address.name_parts,
  };
}

/** A priced fee's columns, as fees store and show them. */
export function feeColumns(
  f: PricedFee,
): Pick<FeeData, 'fee_type' | 'value' | 'description' | 'internal_type' | 'tax_rate' | 'tax_value'> {
  return {
    fee_type: f.feeType,
    value: moneyText(f.value),
    description: f.description,
    internal_type: f.internalType,
    tax_rate: moneyText(f.rate),
    tax_value: moneyText(f.tax),
  };
}

/** The name parts stored for an attendee: the parts given, else the plain name as pretix's legacy part. */
export function attendeeParts(p: OrderPositionRequest): Record<string, unknown> {
  if (p.attendeeNameParts && Object.keys(p.attendeeNameParts).length > 0) return p.attendeeNameParts;
  if (p.attendeeName) return { _legacy: p.attendeeName };
  return {};
}

/**
 * The order as its resource shows it, built from what the command holds instead of reading it back: the
 * order just written (`written`; exactly what `loadOrder` would read, down to the order of the fields,
 * before the pay step adds its payment),
 * or pretix's simulated order (no `written`: code PREVIEW, no datetime, ids 0, no payments).
 */
export function orderData(
  db: ReadableDB,
  event: OrderEvent,
  input: OrderDataInput,
  written: WrittenOrder | null,
): OrderData {
  const nowIso = input.now.toISOString();
  const ia = input.invoiceAddress ? invoiceAddressData(input.invoiceAddress, nowIso) : null;
  // The identifiers of the questions and options answered, one read each (positions often share them).
  const identifiers = new Map<string, string>();
  const identifier: IdentifierOf = (table, id) => {
    const key = `${table}/${id}`;
    let found = identifiers.get(key);
    if (found === undefined) {
      found = identifierOf(db, table, id);
      identifiers.set(key, found);
    }
    return found;
  };
  const positions = input.lines.map((l, index) =>
    positionData(identifier, l, index, written?.positions[index]),
  );
  // A stored order's positions come back ordered by position number, then by id (insertion order).
  if (written) positions.sort((a, b) => a.positionid - b.positionid);
  const fees: FeeData[] = input.feeLines.map((f, index) => ({
    id: written?.feeIds[index] ?? 0,
    ...feeColumns(f),
    tax_rule: f.ruleId,
    canceled: false,
  }));
  return {
    id: written?.id ?? 0,
    code: written?.code ?? 'PREVIEW',
    secret: written?.secret ?? generateWebSecret(),
    email: input.email,
    phone: input.phone,
    locale: input.locale,
    expires: input.expires.toISOString(),
    total: moneyText(input.total),
    comment: input.comment,
    custom_followup_at: input.customFollowupAt,
    checkin_text: input.checkinText,
    sales_channel: input.salesChannel,
    last_modified: nowIso,
    cancellation_date: null,
    testmode: input.testmode,
    checkin_attention: input.checkinAttention,
    require_approval: input.requireApproval,
    valid_if_pending: input.validIfPending,
    organizerSlug: event.organizer_slug,
    eventId: event.id,
    eventSlug: event.slug,
    status: input.status,
    datetime: written ? nowIso : null,
    api_meta: input.apiMeta,
    invoice_address: ia,
    positions,
    fees,
    payments: [],
    refunds: [],
    simulated: !written,
  };
}

type IdentifierOf = (table: 'questions' | 'question_options', id: number) => string;

function positionData(
  identifier: IdentifierOf,
  l: PricedLine,
  index: number,
  written: WrittenOrder['positions'][number] | undefined,
): PositionData {
  const p = l.parsed;
  // The product's ticket flag, which a simulated order leaves open.
  const generateTickets =
    written && p.item.generate_tickets !== null ? Boolean(p.item.generate_tickets) : null;
  const parts = attendeeParts(p);
  const answers: AnswerData[] = p.answers.map((a) => ({
    question: a.questionId,
    question_identifier: identifier('questions', a.questionId),
    answer: a.answer,
    options: a.optionIds,
    option_identifiers: a.optionIds.map((id) => identifier('question_options', id)),
  }));
  // A simulated order refers to parents by position number; a stored one by id, naming the number too.
  const addonTo = written ? written.addonToId : p.addonTo;
  return {
    id: written?.id ?? 0,
    positionid: p.positionid ?? index + 1,
    price: moneyText(l.price),
    tax_rate: moneyText(l.rate),
    tax_value: moneyText(l.tax),
    secret: written?.secret ?? p.secret ?? '',
    pseudonymization_id: written?.pseudonymizationId ?? 'PREVIEW',
    attendee_name_cached: buildName(parts),
    attendee_email: p.attendeeEmail,
    valid_from: p.validFrom,
    valid_until: p.validUntil,
    seat: null,
    ...attendeeAddress(p),
    item: p.item.id,
    variation: p.variation?.id ?? null,
    subevent: p.subeventId,
    tax_rule: l.ruleId,
    voucher: p.voucher?.id ?? null,
    addon_to: addonTo,
    is_bundled: p.isBundled,
    canceled: false,
    attendee_name_parts: parts,
    addon_to_positionid: addonTo === null ? null : p.addonTo,
    blocked: null,
    item_admission: Boolean(p.item.admission),
    item_generate_tickets: generateTickets,
    answers,
    checkins: [],
  };
}
