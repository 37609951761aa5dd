import type { FastifyRequest } from 'fastify';
import { parseIsoDateTime } from '../../engine/clock';
import { invalidFields } from '../../engine/errors';
import {
  ORDER_ORDERING_FIELDS,
  POSITION_ORDERING_FIELDS,
  type OrderListFilter,
  type OrderingTerm,
  type OrderOrdering,
  type PositionListFilter,
  type PositionOrdering,
  type PositionReference,
} from '../../engine/orders';
import { DRF } from './drf';
import { queryBool, queryValue } from './request';

/**
 * The query parameters of pretix's order and order-position lists (django-filter's OrderFilter and
 * OrderPositionFilter, DRF's OrderingFilter), read into the orders room's typed list filters. A bad value
 * answers 400 in django-filter's words, the first one in the order pretix checks them.
 */

function filterError(key: string, message: string, summary = message) {
  return invalidFields('invalid_filter', { [key]: [message] }, summary);
}

/** DRF's OrderingFilter: the last `ordering` parameter, split at commas; unknown fields are dropped. */
function ordering<F extends string>(req: FastifyRequest, fields: readonly F[]): OrderingTerm<F>[] {
  const known = new Set<string>(fields);
  const terms: OrderingTerm<F>[] = [];
  for (const term of (queryValue(req, 'ordering') ?? '').split(',')) {
    const raw = term.trim();
    const desc = raw.startsWith('-');
    const field = desc ? raw.slice(1) : raw;
    if (known.has(field)) terms.push({ field: field as F, desc });
  }
  return terms;
}

/** A query parameter that is given and not empty. */
function given(req: FastifyRequest, key: string): string | undefined {
  const value = queryValue(req, key);
  return value === undefined || value === '' ? undefined : value;
}

/** A datetime filter value as stored (UTC ISO); one without an offset is read in `timeZone`. */
function datetimeParam(req: FastifyRequest, key: string, timeZone: string): string | undefined {
  const value = given(req, key);
  if (value === undefined) return undefined;
  const at = parseIsoDateTime(value, timeZone);
  if (at === undefined) throw filterError(key, DRF.filterDatetime);
  return at.toISOString();
}

/** pretix's OrderFilter and ordering of `GET …/orders/`; datetimes without an offset in `timeZone`. */
export function orderListQuery(
  req: FastifyRequest,
  timeZone: string,
): { filter: OrderListFilter; ordering: OrderOrdering } {
  const id = (key: string): number | undefined => {
    const value = given(req, key);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw filterError(key, DRF.filterChoice, 'Select a valid choice.');
    return Number(value);
  };
  const filter: OrderListFilter = {
    code: queryValue(req, 'code'),
    status: queryValue(req, 'status'),
    email: queryValue(req, 'email'),
    locale: queryValue(req, 'locale'),
    testmode: queryBool(req, 'testmode'),
    requireApproval: queryBool(req, 'require_approval'),
    customer: Boolean(queryValue(req, 'customer')),
    salesChannel: queryValue(req, 'sales_channel'),
    paymentProvider: queryValue(req, 'payment_provider'),
    item: id('item'),
    variation: id('variation'),
    subevent: id('subevent'),
    modifiedSince: datetimeParam(req, 'modified_since', timeZone),
    createdSince: datetimeParam(req, 'created_since', timeZone),
    createdBefore: datetimeParam(req, 'created_before', timeZone),
    subeventAfter: datetimeParam(req, 'subevent_after', timeZone),
    subeventBefore: datetimeParam(req, 'subevent_before', timeZone),
    search: queryValue(req, 'search'),
  };
  return { filter, ordering: ordering(req, ORDER_ORDERING_FIELDS) };
}

/** django-filter's ModelChoiceFilter message for an id that names nothing. */
function selectValidChoice(key: string, value: string) {
  return filterError(
    key,
    `Select a valid choice. ${value} is not one of the available choices.`,
    'Select a valid choice.',
  );
}

const ORDER_STATUSES = ['n', 'p', 'e', 'c'];

/** `?include_canceled_positions=true`: canceled positions are listed and found too. */
export function includeCanceledPositions(req: FastifyRequest): boolean {
  return queryValue(req, 'include_canceled_positions')?.toLowerCase() === 'true';
}

/**
 * pretix's OrderPositionFilter and ordering of `GET …/orderpositions/`. Foreign-key filters look their id
 * up with `exists`: an unknown id is a 400 in django-filter's words, as pretix answers.
 */
export function positionListQuery(
  req: FastifyRequest,
  exists: (table: PositionReference, id: number) => boolean,
): { filter: PositionListFilter; ordering: PositionOrdering } {
  const reference = (key: string, table: PositionReference): number | undefined => {
    const exact = given(req, key);
    if (exact === undefined) return undefined;
    if (!/^\d{1,15}$/.test(exact) || !exists(table, Number(exact))) throw selectValidChoice(key, exact);
    return Number(exact);
  };
  const references = (key: string): number[] | undefined => {
    const list = given(req, key);
    if (list === undefined) return undefined;
    const ids = list.split(',').filter((s) => s !== '');
    if (ids.some((s) => !/^\d{1,15}$/.test(s.trim()))) throw filterError(key, DRF.filterNumber);
    return ids.map((s) => Number(s.trim()));
  };
  const filter: PositionListFilter = { includeCanceled: includeCanceledPositions(req) };
  filter.order = queryValue(req, 'order');
  filter.item = reference('item', 'items');
  filter.itemIn = references('item__in');
  filter.variation = reference('variation', 'item_variations');
  filter.variationIn = references('variation__in');
  filter.subevent = reference('subevent', 'subevents');
  filter.subeventIn = references('subevent__in');
  filter.addonTo = reference('addon_to', 'order_positions');
  filter.addonToIn = references('addon_to__in');
  filter.voucher = reference('voucher', 'vouchers');
  filter.secret = given(req, 'secret');
  filter.pseudonymizationId = given(req, 'pseudonymization_id');
  filter.voucherCode = queryValue(req, 'voucher__code');
  const status = queryValue(req, 'order__status');
  if (status) {
    if (!ORDER_STATUSES.includes(status)) throw selectValidChoice('order__status', status);
    filter.orderStatus = status;
  }
  const statuses = queryValue(req, 'order__status__in');
  if (statuses) {
    const list = statuses.split(',').filter((s) => s !== '');
    const bad = list.find((s) => !ORDER_STATUSES.includes(s));
    if (bad !== undefined) throw selectValidChoice('order__status__in', bad);
    filter.orderStatusIn = list;
  }
  filter.hasCheckin = queryBool(req, 'has_checkin');
  filter.attendeeName = queryValue(req, 'attendee_name');
  filter.search = queryValue(req, 'search');
  return { filter, ordering: ordering(req, POSITION_ORDERING_FIELDS) };
}
