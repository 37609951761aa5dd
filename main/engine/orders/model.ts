import {
  answersOfOrders,
  answersOfPositions,
  type AnswerWithIdentifier,
  checkinsOfOrders,
  feesOfOrders,
  invoiceAddressesOfOrders,
  optionIdentifier,
  orderIdOfCode,
  ordersWithSlugs,
  paymentsOfOrders,
  positionsOfOrders,
  refundsOfOrders,
  touchOrderRow,
} from '../db/queries/orders/read';
import { orderIdByCodeAnyCase } from '../db/queries/desk-orders';
import type { ReadableDB, WritableDB } from '../db/handles';
import { attendeeAddress } from './order-data';

/**
 * An order with everything its API resource shows, read in a handful of queries. The same shape is built
 * in memory for a simulated order (ids 0, code "PREVIEW"), so one serializer renders both.
 */
export interface OrderData {
  id: number;
  organizerSlug: string;
  eventId: number;
  eventSlug: string;
  code: string;
  status: 'n' | 'p' | 'e' | 'c';
  testmode: boolean;
  secret: string;
  email: string | null;
  phone: string | null;
  locale: string | null;
  datetime: string | null;
  expires: string;
  total: string;
  comment: string;
  custom_followup_at: string | null;
  checkin_attention: boolean;
  checkin_text: string | null;
  require_approval: boolean;
  valid_if_pending: boolean;
  sales_channel: string;
  last_modified: string;
  cancellation_date: string | null;
  api_meta: Record<string, unknown>;
  invoice_address: InvoiceAddressData | null;
  positions: PositionData[];
  fees: FeeData[];
  payments: PaymentData[];
  refunds: RefundData[];
  simulated: boolean;
}

export interface InvoiceAddressData {
  last_modified: string;
  is_business: boolean;
  company: string;
  name_cached: string;
  name_parts: Record<string, unknown>;
  street: string;
  zipcode: string;
  city: string;
  country: string;
  state: string;
  vat_id: string;
  vat_id_validated: boolean;
  internal_reference: string;
  custom_field: string | null;
}

export interface AnswerData {
  question: number;
  question_identifier: string;
  answer: string;
  options: number[];
  option_identifiers: string[];
}

export interface CheckinData {
  id: number;
  datetime: string;
  list: number;
  auto_checked_in: boolean;
  gate: number | null;
  /** The device's primary key and its organizer-internal number (pretix's `device` and `device_id`). */
  device: number | null;
  device_id: number | null;
  type: 'entry' | 'exit';
}

export interface PositionData {
  id: number;
  positionid: number;
  item: number;
  variation: number | null;
  subevent: number | null;
  price: string;
  tax_rate: string;
  tax_value: string;
  tax_rule: number | null;
  secret: string;
  pseudonymization_id: string;
  attendee_name_cached: string | null;
  attendee_name_parts: Record<string, unknown>;
  attendee_email: string | null;
  company: string | null;
  street: string | null;
  zipcode: string | null;
  city: string | null;
  country: string | null;
  state: string | null;
  voucher: number | null;
  addon_to: number | null;
  /** The parent's positionid; a simulated order shows this instead of the parent's id. */
  addon_to_positionid: number | null;
  is_bundled: boolean;
  canceled: boolean;
  blocked: string[] | null;
  valid_from: string | null;
  valid_until: string | null;
  seat: string | null;
  /** Item flags deciding whether this position gets a ticket (pretix's `generate_ticket`). */
  item_admission: boolean;
  item_generate_tickets: boolean | null;
  answers: AnswerData[];
  checkins: CheckinData[];
}

export interface FeeData {
  id: number;
  fee_type: string;
  value: string;
  description: string;
  internal_type: string;
  tax_rate: string;
  tax_value: string;
  tax_rule: number | null;
  canceled: boolean;
}

export interface PaymentData {
  id: number;
  local_id: number;
  state: string;
  amount: string;
  created: string;
  payment_date: string | null;
  provider: string | null;
  info: string;
}

export interface RefundData {
  local_id: number;
  state: string;
  source: string;
  amount: string;
  payment: number | null;
  created: string;
  execution_date: string | null;
  comment: string | null;
  provider: string | null;
  info: string;
}

function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/**
 * The id of the order with this code: within one event and exactly as written, as pretix's API looks
 * an order up; or, with no event (the desk), in any event whatever the case the cashier typed it in.
 */
export function orderIdByCode(db: ReadableDB, eventId: number | null, code: string): number | undefined {
  return eventId === null ? orderIdByCodeAnyCase(db, code) : orderIdOfCode(db, eventId, code);
}

export function loadOrder(db: ReadableDB, orderId: number): OrderData | undefined {
  return loadOrders(db, [orderId])[0];
}

/** Loads many orders at once (a list page), keeping the order of `ids`. */
export function loadOrders(db: ReadableDB, ids: number[]): OrderData[] {
  if (ids.length === 0) return [];
  const rows = ordersWithSlugs(db, ids);
  const byId = new Map<number, OrderData>();
  for (const r of rows) {
    byId.set(r.id, {
      id: r.id,
      organizerSlug: r.organizer_slug,
      eventId: r.event_id,
      eventSlug: r.event_slug,
      code: r.code,
      status: r.status as OrderData['status'],
      testmode: Boolean(r.testmode),
      secret: r.secret,
      email: r.email,
      phone: r.phone,
      locale: r.locale,
      datetime: r.datetime,
      expires: r.expires,
      total: r.total,
      comment: r.comment,
      custom_followup_at: r.custom_followup_at,
      checkin_attention: Boolean(r.checkin_attention),
      checkin_text: r.checkin_text,
      require_approval: Boolean(r.require_approval),
      valid_if_pending: Boolean(r.valid_if_pending),
      sales_channel: r.sales_channel,
      last_modified: r.last_modified,
      cancellation_date: r.cancellation_date,
      api_meta: parseJson(r.api_meta, {}),
      invoice_address: null,
      positions: [],
      fees: [],
      payments: [],
      refunds: [],
      simulated: false,
    });
  }

  for (const a of invoiceAddressesOfOrders(db, ids)) {
    const order = byId.get(a.order_id);
    if (!order) continue;
    order.invoice_address = {
      last_modified: a.last_modified,
      is_business: Boolean(a.is_business),
      company: a.company,
      name_cached: a.name_cached,
      name_parts: parseJson(a.name_parts, {}),
      street: a.street,
      zipcode: a.zipcode,
      city: a.city,
      country: a.country,
      state: a.state,
      vat_id: a.vat_id,
      vat_id_validated: Boolean(a.vat_id_validated),
      internal_reference: a.internal_reference,
      custom_field: a.custom_field ?? null,
    };
  }

  const positions = positionsOfOrders(db, ids);
  const positionById = new Map<number, PositionData>();
  for (const p of positions) {
    const order = byId.get(p.order_id);
    if (!order) continue;
    const data: PositionData = {
      id: p.id,
      positionid: p.positionid,
      item: p.item_id,
      variation: p.variation_id,
      subevent: p.subevent_id,
      price: p.price,
      tax_rate: p.tax_rate,
      tax_value: p.tax_value,
      tax_rule: p.tax_rule_id,
      secret: p.secret,
      pseudonymization_id: p.pseudonymization_id,
      attendee_name_cached: p.attendee_name_cached,
      attendee_name_parts: parseJson(p.attendee_name_parts, {}),
      attendee_email: p.attendee_email,
      ...attendeeAddress(p),
      voucher: p.voucher_id,
      addon_to: p.addon_to_id,
      addon_to_positionid: p.parent_positionid,
      is_bundled: Boolean(p.is_bundled),
      canceled: Boolean(p.canceled),
      blocked: parseJson<string[] | null>(p.blocked, null),
      valid_from: p.valid_from,
      valid_until: p.valid_until,
      seat: p.seat,
      item_admission: Boolean(p.admission),
      item_generate_tickets: p.generate_tickets === null ? null : Boolean(p.generate_tickets),
      answers: [],
      checkins: [],
    };
    order.positions.push(data);
    positionById.set(p.id, data);
  }

  if (positionById.size > 0) {
    const answers = answersOfOrders(db, ids);
    for (const a of answers) {
      const pos = positionById.get(a.orderposition_id);
      if (!pos) continue;
      pos.answers.push(answerData(db, a));
    }
    const checkins = checkinsOfOrders(db, ids);
    for (const c of checkins) {
      positionById.get(c.position_id)?.checkins.push({
        id: c.id,
        datetime: c.datetime,
        list: c.list_id,
        auto_checked_in: Boolean(c.auto_checked_in),
        gate: c.gate_id,
        device: c.device_id,
        device_id: c.device_number,
        type: c.type,
      });
    }
  }

  for (const f of feesOfOrders(db, ids)) {
    byId.get(f.order_id)?.fees.push({
      id: f.id,
      fee_type: f.fee_type,
      value: f.value,
      description: f.description,
      internal_type: f.internal_type,
      tax_rate: f.tax_rate,
      tax_value: f.tax_value,
      tax_rule: f.tax_rule_id ?? null,
      canceled: Boolean(f.canceled),
    });
  }

  for (const p of paymentsOfOrders(db, ids)) {
    byId.get(p.order_id)?.payments.push({
      id: p.id,
      local_id: p.local_id,
      state: p.state,
      amount: p.amount,
      created: p.created,
      payment_date: p.payment_date ?? null,
      provider: p.provider ?? null,
      info: p.info ?? '{}',
    });
  }

  for (const r of refundsOfOrders(db, ids)) {
    byId.get(r.order_id)?.refunds.push({
      local_id: r.local_id,
      state: r.state,
      source: r.source,
      amount: r.amount,
      payment: r.payment_local_id ?? null,
      created: r.created,
      execution_date: r.execution_date ?? null,
      comment: r.comment ?? null,
      provider: r.provider ?? null,
      info: r.info ?? '{}',
    });
  }

  return ids.map((id) => byId.get(id)).filter((o): o is OrderData => o !== undefined);
}

/** Bumps `last_modified`, as pretix's auto-now field does on every save of the order or its children. */
export function touchOrder(db: WritableDB, orderId: number, now: Date): void {
  touchOrderRow(db, orderId, now.toISOString());
}

function answerData(db: ReadableDB, a: AnswerWithIdentifier): AnswerData {
  const options = parseJson<number[]>(a.options, []);
  return {
    question: a.question_id,
    question_identifier: a.identifier,
    answer: a.answer,
    options,
    option_identifiers: options.map((id) => optionIdentifier(db, id) ?? ''),
  };
}

/** The answers of these positions as their resources show them, oldest first, keyed by position id. */
export function answersByPosition(db: ReadableDB, positionIds: number[]): Map<number, AnswerData[]> {
  const out = new Map<number, AnswerData[]>();
  if (positionIds.length === 0) return out;
  for (const a of answersOfPositions(db, positionIds)) {
    const answers = out.get(a.orderposition_id) ?? [];
    answers.push(answerData(db, a));
    out.set(a.orderposition_id, answers);
  }
  return out;
}
