import type { Database } from 'better-sqlite3';
import type { FastifyRequest } from 'fastify';
import { eventSettings, type EventSettings } from '../../engine/catalog';
import { attendeeAddress, type OrderData, type PositionData } from '../../engine/orders';
import {
  pdfOutputActive,
  orderListsDownloads,
  positionGeneratesTicket,
  positionPdfData,
} from '../../engine/tickets';
import { renderPayment, renderRefund } from './payment';
import { queryBool, queryList, queryValue } from '../schemas/request';

/**
 * pretix's order and order-position resources (`OrderSerializer`, `OrderPositionSerializer`), with
 * `include=` / `exclude=` field selection and the canceled-row switches of the order endpoints.
 */
export interface OrderRenderOptions {
  baseUrl: string;
  settings: EventSettings;
  /** The PDF output is offered: its plugin is active and `ticketoutput_pdf__enabled` is on. */
  pdfOutput: boolean;
  includeCanceledPositions?: boolean;
  includeCanceledFees?: boolean;
  include?: string[];
  exclude?: string[];
  /** `pdf_data=true` on event-level order and position endpoints: each position's ticket variables. */
  pdfData?: (positionIds: number[]) => Map<number, Record<string, unknown>>;
}

/** Render options for one event from the request's query (include, exclude, canceled rows). */
export function orderRenderOptions(req: FastifyRequest, db: Database, eventId: number): OrderRenderOptions {
  const settings = eventSettings(db, eventId);
  return {
    baseUrl: requestBaseUrl(req),
    settings,
    pdfOutput: pdfOutputActive(db, eventId) && Boolean(settings.ticketoutput_pdf__enabled),
    includeCanceledPositions: queryBool(req, 'include_canceled_positions') === true,
    includeCanceledFees: queryBool(req, 'include_canceled_fees') === true,
    include: queryList(req, 'include'),
    exclude: queryList(req, 'exclude'),
  };
}

/**
 * pretix adds `pdf_data` only on the event-level order and position endpoints, when `pdf_data=true`
 * (EventOrderViewSet / OrderPositionViewSet get_serializer_context); the organizer-level order list never.
 */
export function withPdfData(
  req: FastifyRequest,
  db: Database,
  options: OrderRenderOptions,
): OrderRenderOptions {
  if (queryValue(req, 'pdf_data')?.toLowerCase() !== 'true') return options;
  return { ...options, pdfData: (ids) => positionPdfData(db, ids) };
}

/**
 * Options for rendering a page of orders of one event: `pdf_data` is evaluated once for all the page's
 * positions (a position's variables do not depend on which others are asked with it), not order by order.
 */
export function forOrderPage(options: OrderRenderOptions, orders: OrderData[]): OrderRenderOptions {
  const pdfData = options.pdfData;
  if (!pdfData) return options;
  const ids = orders.flatMap((o) =>
    o.positions.filter((p) => options.includeCanceledPositions || !p.canceled).map((p) => p.id),
  );
  const page = pdfData(ids);
  return { ...options, pdfData: () => page };
}

/** An ISO time in UTC with milliseconds, on days 1-28 (no month overflows them) and in-range clock fields. */
const CANONICAL_UTC =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** pretix's API datetime: UTC with `Z`, microseconds only when non-zero. */
export function apiDatetime(value: string | null | undefined): string | null {
  if (!value) return null;
  // Most stored times are already what toISOString() writes, on a day every month has: only the
  // fraction changes. A list page shows hundreds of times, and parsing each into a Date showed.
  if (CANONICAL_UTC.test(value))
    return value.endsWith('.000Z') ? `${value.slice(0, -5)}Z` : `${value.slice(0, -1)}000Z`;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const iso = d.toISOString();
  return iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso.replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** pretix's API date for a date-only field (the deprecated `payment_date`). */
function apiDate(value: string | null): string | null {
  return value ? new Date(value).toISOString().slice(0, 10) : null;
}

/** Absolute base URL of the request (`http://host`), for download links and `url`. */
export function requestBaseUrl(req: FastifyRequest): string {
  const host = req.headers['x-forwarded-host'] ?? req.headers.host ?? '127.0.0.1';
  const proto = req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
  return `${proto}://${String(host)}`;
}

function ordersDownloadable(order: OrderData, options: OrderRenderOptions): boolean {
  return !order.simulated && options.pdfOutput && orderListsDownloads(order, options.settings);
}

function eventPath(order: OrderData): string {
  return `/api/v1/organizers/${order.organizerSlug}/events/${order.eventSlug}`;
}

export function renderPosition(
  order: OrderData,
  p: PositionData,
  options: OrderRenderOptions,
  pdfData?: Record<string, unknown>,
): Record<string, unknown> {
  const downloads =
    ordersDownloadable(order, options) && positionGeneratesTicket(p, options.settings)
      ? [{ output: 'pdf', url: `${options.baseUrl}${eventPath(order)}/orderpositions/${p.id}/download/pdf/` }]
      : [];
  return {
    id: p.id,
    order: order.simulated ? '' : order.code,
    positionid: p.positionid,
    item: p.item,
    variation: p.variation,
    price: p.price,
    attendee_name: p.attendee_name_cached,
    attendee_name_parts: p.attendee_name_parts,
    ...attendeeAddress(p),
    discount: null,
    attendee_email: p.attendee_email,
    voucher: p.voucher,
    tax_rate: p.tax_rate,
    tax_value: p.tax_value,
    secret: p.secret,
    addon_to: order.simulated ? p.addon_to_positionid : p.addon_to,
    subevent: p.subevent,
    checkins: p.checkins.map((c) => ({
      id: c.id,
      datetime: apiDatetime(c.datetime),
      list: c.list,
      auto_checked_in: c.auto_checked_in,
      gate: c.gate,
      device: c.device,
      device_id: c.device_id,
      type: c.type,
    })),
    downloads,
    answers: p.answers.map((a) => ({
      question: a.question,
      answer: a.answer,
      question_identifier: a.question_identifier,
      options: a.options,
      option_identifiers: a.option_identifiers,
    })),
    tax_rule: p.tax_rule,
    pseudonymization_id: p.pseudonymization_id,
    seat: null,
    canceled: p.canceled,
    valid_from: apiDatetime(p.valid_from),
    valid_until: apiDatetime(p.valid_until),
    blocked: p.blocked && p.blocked.length > 0 ? p.blocked : null,
    ...(pdfData ? { pdf_data: pdfData } : {}),
  };
}

function renderInvoiceAddress(order: OrderData): Record<string, unknown> | null {
  const a = order.invoice_address;
  if (!a) return null;
  return {
    last_modified: apiDatetime(a.last_modified),
    is_business: a.is_business,
    company: a.company,
    name: a.name_cached,
    name_parts: a.name_parts,
    street: a.street,
    zipcode: a.zipcode,
    city: a.city,
    country: a.country,
    state: a.state,
    vat_id: a.vat_id,
    vat_id_validated: a.vat_id_validated,
    custom_field: a.custom_field,
    internal_reference: a.internal_reference,
  };
}

export function renderOrder(order: OrderData, options: OrderRenderOptions): Record<string, unknown> {
  const base = `${options.baseUrl}${eventPath(order)}`;
  const positions = order.positions.filter((p) => options.includeCanceledPositions || !p.canceled);
  const fees = order.fees.filter((f) => options.includeCanceledFees || !f.canceled);
  let paymentProvider: string | null = null;
  let paymentDate: string | null = null;
  for (const p of order.payments) {
    paymentProvider = p.provider;
    paymentDate = p.payment_date ?? paymentDate;
  }
  const out: Record<string, unknown> = {
    code: order.code,
    event: order.eventSlug,
    status: order.status,
    testmode: order.testmode,
    secret: order.secret,
    email: order.email,
    phone: order.phone,
    locale: order.locale,
    datetime: apiDatetime(order.datetime),
    expires: apiDatetime(order.expires),
    payment_date: apiDate(paymentDate),
    payment_provider: paymentProvider,
    fees: fees.map((f) => ({
      id: f.id,
      fee_type: f.fee_type,
      value: f.value,
      description: f.description,
      internal_type: f.internal_type,
      tax_rate: f.tax_rate,
      tax_value: f.tax_value,
      tax_rule: f.tax_rule,
      canceled: f.canceled,
    })),
    total: order.total,
    comment: order.comment,
    custom_followup_at: order.custom_followup_at,
    invoice_address: renderInvoiceAddress(order),
    positions: (() => {
      const pdf = options.pdfData?.(positions.map((p) => p.id));
      return positions.map((p) =>
        renderPosition(order, p, options, pdf?.get(p.id) ?? (pdf ? {} : undefined)),
      );
    })(),
    downloads: ordersDownloadable(order, options)
      ? [{ output: 'pdf', url: `${base}/orders/${order.code}/download/pdf/` }]
      : [],
    checkin_attention: order.checkin_attention,
    checkin_text: order.checkin_text,
    last_modified: apiDatetime(order.last_modified),
    payments: order.payments.map((p) => renderPayment(p, null)),
    refunds: order.refunds.map(renderRefund),
    require_approval: order.require_approval,
    sales_channel: order.sales_channel,
    url: `${options.baseUrl}/${order.organizerSlug}/${order.eventSlug}/order/${order.code}/${order.secret}/`,
    customer: null,
    valid_if_pending: order.valid_if_pending,
    cancellation_date: apiDatetime(order.cancellation_date),
    api_meta: order.api_meta,
  };
  return selectFields(out, options.include ?? [], options.exclude ?? []);
}

const NESTED_LISTS = new Set(['positions', 'fees', 'payments', 'refunds', 'downloads']);
const NESTED_OBJECTS = new Set(['invoice_address']);

/** pretix's include/exclude handling: dotted names reach one level into nested lists and objects. */
function selectFields(
  out: Record<string, unknown>,
  include: string[],
  exclude: string[],
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...out };
  const includes = new Set(include);
  if (includes.size > 0) {
    for (const key of Object.keys(result)) {
      if (includes.has(key)) continue;
      const childKeys = [...includes]
        .filter((i) => i.startsWith(`${key}.`))
        .map((i) => i.slice(key.length + 1));
      if ((NESTED_LISTS.has(key) || NESTED_OBJECTS.has(key)) && childKeys.length > 0) {
        result[key] = pickChildren(result[key], (k) => childKeys.includes(k));
      } else {
        delete result[key];
      }
    }
  }
  for (const e of exclude) {
    const [head, child] = e.split('.', 2);
    if (!head || !(head in result)) continue;
    if (child === undefined) delete result[head];
    else if (NESTED_LISTS.has(head) || NESTED_OBJECTS.has(head))
      result[head] = pickChildren(result[head], (k) => k !== child);
  }
  return result;
}

function pickChildren(value: unknown, keep: (key: string) => boolean): unknown {
  const pick = (obj: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(obj).filter(([k]) => keep(k)));
  if (Array.isArray(value)) {
    return value.map((v) => (v && typeof v === 'object' ? pick(v as Record<string, unknown>) : v));
  }
  if (value && typeof value === 'object') return pick(value as Record<string, unknown>);
  return value;
}
