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
  type OrderWithSlugs,
  type PositionWithItem,
  type RefundWithPayment,
  touchOrderRow,
} from '../db/queries/orders/read';
import { orderIdByCodeAnyCase } from '../db/queries/desk-orders';
import type { ReadableDB, WritableDB } from '../db/handles';
import type { PositionCheckin } from '../db/queries/checkin/positions';
import type {
  AttendeeColumns,
  InvoiceAddressRow,
  OrderFeeRow,
  OrderPaymentRow,
  OrderPositionRow,
  OrderRow,
} from '../db/rows';

/** The order columns its resource shows as stored. */
type OrderColumn =
  | 'id'
  | 'code'
  | 'secret'
  | 'email'
  | 'phone'
  | 'locale'
  | 'expires'
  | 'total'
  | 'comment'
  | 'custom_followup_at'
  | 'checkin_text'
  | 'sales_channel'
  | 'last_modified'
  | 'cancellation_date';
type OrderFlag = 'testmode' | 'checkin_attention' | 'require_approval' | 'valid_if_pending';

/**
 * An order with everything its API resource shows, read in a handful of queries. The same shape is built
 * in memory for a simulated order (ids 0, code "PREVIEW"), so one serializer renders both.
 */
export interface OrderData extends Pick<OrderRow, OrderColumn>, Flags<OrderFlag> {
  organizerSlug: string;
  eventId: number;
  eventSlug: string;
  status: 'n' | 'p' | 'e' | 'c';
  /** Null for a simulated order, which is never placed. */
  datetime: string | null;
  api_meta: Record<string, unknown>;
  invoice_address: InvoiceAddressData | null;
  positions: PositionData[];
  fees: FeeData[];
  payments: PaymentData[];
  refunds: RefundData[];
  simulated: boolean;
}

type InvoiceAddressFlag = 'is_business' | 'vat_id_validated';

export interface InvoiceAddressData
  extends Omit<InvoiceAddressRow, 'order_id' | 'name_parts' | InvoiceAddressFlag>, Flags<InvoiceAddressFlag> {
  name_parts: Record<string, unknown>;
}

export interface AnswerData {
  question: number;
  question_identifier: string;
  answer: string;
  options: number[];
  option_identifiers: string[];
}

export type CheckinData = PositionCheckin;

/** The position columns its resource shows as stored. */
type PositionColumn =
  | 'id'
  | 'positionid'
  | 'price'
  | 'tax_rate'
  | 'tax_value'
  | 'secret'
  | 'pseudonymization_id'
  | 'attendee_name_cached'
  | 'attendee_email'
  | 'valid_from'
  | 'valid_until'
  | 'seat';
/** The position's references, which its resource names without `_id` (`item_id` shows as `item`). */
type PositionReferenceColumn =
  'item_id' | 'variation_id' | 'subevent_id' | 'tax_rule_id' | 'voucher_id' | 'addon_to_id';
type PositionFlag = 'is_bundled' | 'canceled';

export interface PositionData
  extends
    Pick<OrderPositionRow, PositionColumn>,
    Omit<AttendeeColumns, 'attendee_name_parts'>,
    References<OrderPositionRow, PositionReferenceColumn>,
    Flags<PositionFlag> {
  attendee_name_parts: Record<string, unknown>;
  /** The parent's positionid; a simulated order shows this instead of the parent's id. */
  addon_to_positionid: number | null;
  blocked: string[] | null;
  /** Item flags deciding whether this position gets a ticket (pretix's `generate_ticket`). */
  item_admission: boolean;
  item_generate_tickets: boolean | null;
  answers: AnswerData[];
  checkins: CheckinData[];
}

export interface FeeData
  extends Omit<OrderFeeRow, 'order_id' | 'tax_rule_id' | 'canceled'>, Flags<'canceled'> {
  tax_rule: OrderFeeRow['tax_rule_id'];
}

const PAYMENT_COLUMNS = [
  'id',
  'local_id',
  'state',
  'amount',
  'created',
  'payment_date',
  'provider',
  'info',
] as const;

export type PaymentData = Pick<OrderPaymentRow, (typeof PAYMENT_COLUMNS)[number]>;

export type RefundData = Omit<RefundWithPayment, 'id' | 'order_id' | 'payment_id' | 'method'>;

/** Boolean fields `K`, which the tables store as 0/1 integers. */
type Flags<K extends string> = { [P in K]: boolean };

/** A row's columns `K`, each named without its `_id` suffix. */
type References<Row, K extends keyof Row & `${string}_id`> = {
  [P in K as P extends `${infer Name}_id` ? Name : never]: Row[P];
};

function pick<Row, K extends keyof Row>(row: Row, keys: readonly K[]): Pick<Row, K> {
  const out = {} as Pick<Row, K>;
  for (const key of keys) out[key] = row[key];
  return out;
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

/**
 * An order as its resource shows it, built as one literal: a list page builds this for every order and
 * position it shows, and one object literal of fixed shape is the cheapest way V8 has to build it. The
 * keys come in the order of the column lists above.
 */
function orderData(r: OrderWithSlugs): OrderData {
  return {
    id: r.id,
    code: r.code,
    secret: r.secret,
    email: r.email,
    phone: r.phone,
    locale: r.locale,
    expires: r.expires,
    total: r.total,
    comment: r.comment,
    custom_followup_at: r.custom_followup_at,
    checkin_text: r.checkin_text,
    sales_channel: r.sales_channel,
    last_modified: r.last_modified,
    cancellation_date: r.cancellation_date,
    testmode: Boolean(r.testmode),
    checkin_attention: Boolean(r.checkin_attention),
    require_approval: Boolean(r.require_approval),
    valid_if_pending: Boolean(r.valid_if_pending),
    organizerSlug: r.organizer_slug,
    eventId: r.event_id,
    eventSlug: r.event_slug,
    status: r.status as OrderData['status'],
    datetime: r.datetime,
    api_meta: parseJson(r.api_meta, {}),
    invoice_address: null,
    positions: [],
    fees: [],
    payments: [],
    refunds: [],
    simulated: false,
  };
}

function positionData(p: PositionWithItem): PositionData {
  return {
    id: p.id,
    positionid: p.positionid,
    price: p.price,
    tax_rate: p.tax_rate,
    tax_value: p.tax_value,
    secret: p.secret,
    pseudonymization_id: p.pseudonymization_id,
    attendee_name_cached: p.attendee_name_cached,
    attendee_email: p.attendee_email,
    valid_from: p.valid_from,
    valid_until: p.valid_until,
    seat: p.seat,
    company: p.company,
    street: p.street,
    zipcode: p.zipcode,
    city: p.city,
    country: p.country,
    state: p.state,
    item: p.item_id,
    variation: p.variation_id,
    subevent: p.subevent_id,
    tax_rule: p.tax_rule_id,
    voucher: p.voucher_id,
    addon_to: p.addon_to_id,
    is_bundled: Boolean(p.is_bundled),
    canceled: Boolean(p.canceled),
    attendee_name_parts: parseJson(p.attendee_name_parts, {}),
    addon_to_positionid: p.parent_positionid,
    blocked: parseJson<string[] | null>(p.blocked, null),
    item_admission: Boolean(p.admission),
    item_generate_tickets: p.generate_tickets === null ? null : Boolean(p.generate_tickets),
    answers: [],
    checkins: [],
  };
}

/** Loads many orders at once (a list page), keeping the order of `ids`. */
export function loadOrders(db: ReadableDB, ids: number[]): OrderData[] {
  if (ids.length === 0) return [];
  const rows = ordersWithSlugs(db, ids);
  const byId = new Map<number, OrderData>();
  for (const r of rows) {
    byId.set(r.id, orderData(r));
  }

  for (const a of invoiceAddressesOfOrders(db, ids)) {
    const order = byId.get(a.order_id);
    if (!order) continue;
    const { order_id: _orderId, is_business, vat_id_validated, name_parts, ...columns } = a;
    order.invoice_address = {
      ...columns,
      is_business: Boolean(is_business),
      vat_id_validated: Boolean(vat_id_validated),
      name_parts: parseJson(name_parts, {}),
    };
  }

  const positions = positionsOfOrders(db, ids);
  const positionById = new Map<number, PositionData>();
  for (const p of positions) {
    const order = byId.get(p.order_id);
    if (!order) continue;
    const data = positionData(p);
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

  for (const { order_id, tax_rule_id, canceled, ...fee } of feesOfOrders(db, ids)) {
    byId.get(order_id)?.fees.push({ ...fee, tax_rule: tax_rule_id, canceled: Boolean(canceled) });
  }
  for (const p of paymentsOfOrders(db, ids)) byId.get(p.order_id)?.payments.push(pick(p, PAYMENT_COLUMNS));
  for (const r of refundsOfOrders(db, ids)) {
    const { id: _id, order_id: _orderId, payment_id: _paymentId, method: _method, ...refund } = r;
    byId.get(r.order_id)?.refunds.push(refund);
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
