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
  type RefundWithPayment,
  touchOrderRow,
} from '../db/queries/orders/read';
import { attendeeAddress } from './order-data';
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
const ORDER_COLUMNS = [
  'id',
  'code',
  'secret',
  'email',
  'phone',
  'locale',
  'expires',
  'total',
  'comment',
  'custom_followup_at',
  'checkin_text',
  'sales_channel',
  'last_modified',
  'cancellation_date',
] as const;
const ORDER_FLAGS = ['testmode', 'checkin_attention', 'require_approval', 'valid_if_pending'] as const;

/**
 * An order with everything its API resource shows, read in a handful of queries. The same shape is built
 * in memory for a simulated order (ids 0, code "PREVIEW"), so one serializer renders both.
 */
export interface OrderData
  extends Pick<OrderRow, (typeof ORDER_COLUMNS)[number]>, Flags<(typeof ORDER_FLAGS)[number]> {
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
const POSITION_COLUMNS = [
  'id',
  'positionid',
  'price',
  'tax_rate',
  'tax_value',
  'secret',
  'pseudonymization_id',
  'attendee_name_cached',
  'attendee_email',
  'valid_from',
  'valid_until',
  'seat',
] as const;
/** The position's references, which its resource names without `_id` (`item_id` shows as `item`). */
const POSITION_REFERENCES = [
  'item_id',
  'variation_id',
  'subevent_id',
  'tax_rule_id',
  'voucher_id',
  'addon_to_id',
] as const;
const POSITION_FLAGS = ['is_bundled', 'canceled'] as const;

export interface PositionData
  extends
    Pick<OrderPositionRow, (typeof POSITION_COLUMNS)[number]>,
    Omit<AttendeeColumns, 'attendee_name_parts'>,
    References<OrderPositionRow, (typeof POSITION_REFERENCES)[number]>,
    Flags<(typeof POSITION_FLAGS)[number]> {
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

function flags<Row, K extends keyof Row & string>(row: Row, keys: readonly K[]): Flags<K> {
  const out = {} as Flags<K>;
  for (const key of keys) out[key] = Boolean(row[key]);
  return out;
}

function references<Row, K extends keyof Row & `${string}_id`>(
  row: Row,
  keys: readonly K[],
): References<Row, K> {
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key.slice(0, -'_id'.length)] = row[key];
  return out as References<Row, K>;
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
    // Object.assign, not spreads: spreading several objects into one literal is many times slower in V8,
    // and a list page builds this for every order and position it shows.
    byId.set(
      r.id,
      Object.assign(pick(r, ORDER_COLUMNS), flags(r, ORDER_FLAGS), {
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
      }),
    );
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
    const data: PositionData = Object.assign(
      pick(p, POSITION_COLUMNS),
      attendeeAddress(p),
      references(p, POSITION_REFERENCES),
      flags(p, POSITION_FLAGS),
      {
        attendee_name_parts: parseJson(p.attendee_name_parts, {}),
        addon_to_positionid: p.parent_positionid,
        blocked: parseJson<string[] | null>(p.blocked, null),
        item_admission: Boolean(p.admission),
        item_generate_tickets: p.generate_tickets === null ? null : Boolean(p.generate_tickets),
        answers: [],
        checkins: [],
      },
    );
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
