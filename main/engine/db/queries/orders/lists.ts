import type { ReadableDB } from '../../handles';
import { orderScopeSql, type OrderScope } from './lookups';

/**
 * The order and order-position lists of pretix's API: a typed filter (pretix's OrderFilter and
 * OrderPositionFilter, already parsed) and an ordering become one WHERE and ORDER BY over
 * `orders o` (and `order_positions op`); the list is counted, then read a page of ids at a time.
 */

/** pretix's OrderFilter, parsed: datetimes as stored (UTC ISO), ids as numbers. */
export interface OrderListFilter {
  code?: string;
  status?: string;
  email?: string;
  locale?: string;
  testmode?: boolean;
  requireApproval?: boolean;
  /** Any customer: Guichet has no customer accounts, so nothing matches. */
  customer?: boolean;
  salesChannel?: string;
  paymentProvider?: string;
  item?: number;
  variation?: number;
  subevent?: number;
  modifiedSince?: string;
  createdSince?: string;
  createdBefore?: string;
  subeventAfter?: string;
  subeventBefore?: string;
  search?: string;
}

export const ORDER_ORDERING_FIELDS = [
  'datetime',
  'code',
  'status',
  'last_modified',
  'cancellation_date',
] as const;

export const POSITION_ORDERING_FIELDS = [
  'order__code',
  'order__datetime',
  'positionid',
  'order__status',
  'attendee_name',
] as const;

/** One term of DRF's `ordering` parameter: a known field, ascending or descending. */
export interface OrderingTerm<F extends string> {
  field: F;
  desc: boolean;
}

export type OrderOrdering = OrderingTerm<(typeof ORDER_ORDERING_FIELDS)[number]>[];
export type PositionOrdering = OrderingTerm<(typeof POSITION_ORDERING_FIELDS)[number]>[];

/** pretix's OrderPositionFilter, parsed; the referenced ids exist (checked at parsing). */
export interface PositionListFilter {
  includeCanceled: boolean;
  order?: string;
  item?: number;
  itemIn?: number[];
  variation?: number;
  variationIn?: number[];
  subevent?: number;
  subeventIn?: number[];
  addonTo?: number;
  addonToIn?: number[];
  voucher?: number;
  secret?: string;
  pseudonymizationId?: string;
  voucherCode?: string;
  orderStatus?: string;
  orderStatusIn?: string[];
  hasCheckin?: boolean;
  attendeeName?: string;
  search?: string;
}

/** The tables a position filter's ids refer to. */
export type PositionReference = 'items' | 'item_variations' | 'subevents' | 'order_positions' | 'vouchers';

export function referenceExists(db: ReadableDB, table: PositionReference, id: number): boolean {
  return db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(id) !== undefined;
}

export interface Page {
  limit: number;
  offset: number;
}

interface Where {
  where: string[];
  params: unknown[];
}

/** Conditions joined by AND, each with its parameters. */
function conditions() {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    where.push(sql);
    params.push(...values);
  };
  return { where, params, add };
}

function marks(values: unknown[]): string {
  return values.map(() => '?').join(',');
}

/** The WHERE clause of pretix's OrderFilter. */
function orderFilterSql(f: OrderListFilter): Where {
  const { where, params, add } = conditions();
  if (f.code) add('UPPER(o.code) = UPPER(?)', f.code);
  if (f.status) add('LOWER(o.status) = LOWER(?)', f.status);
  if (f.email) add('LOWER(o.email) = LOWER(?)', f.email);
  if (f.locale) add('o.locale = ?', f.locale);
  if (f.testmode !== undefined) add('o.testmode = ?', f.testmode ? 1 : 0);
  if (f.requireApproval !== undefined) add('o.require_approval = ?', f.requireApproval ? 1 : 0);
  if (f.customer) add('0');
  if (f.salesChannel) add('o.sales_channel = ?', f.salesChannel);
  if (f.paymentProvider)
    add(
      'EXISTS (SELECT 1 FROM order_payments p WHERE p.order_id = o.id AND p.provider = ?)',
      f.paymentProvider,
    );
  for (const [value, column] of [
    [f.item, 'item_id'],
    [f.variation, 'variation_id'],
    [f.subevent, 'subevent_id'],
  ] as const) {
    if (value !== undefined)
      add(`EXISTS (SELECT 1 FROM order_positions op WHERE op.order_id = o.id AND op.${column} = ?)`, value);
  }
  if (f.modifiedSince !== undefined) add('o.last_modified >= ?', f.modifiedSince);
  if (f.createdSince !== undefined) add('o.datetime >= ?', f.createdSince);
  if (f.createdBefore !== undefined) add('o.datetime < ?', f.createdBefore);
  if (f.subeventAfter !== undefined) {
    add(
      `EXISTS (SELECT 1 FROM order_positions op JOIN subevents s ON s.id = op.subevent_id WHERE op.order_id = o.id
      AND ((s.date_to IS NOT NULL AND s.date_to > ?) OR (s.date_to IS NULL AND s.date_from > ?)))`,
      f.subeventAfter,
      f.subeventAfter,
    );
  }
  if (f.subeventBefore !== undefined) {
    add(
      `EXISTS (SELECT 1 FROM order_positions op JOIN subevents s ON s.id = op.subevent_id WHERE op.order_id = o.id
      AND s.date_from < ?)`,
      f.subeventBefore,
    );
  }
  if (f.search) {
    const search = f.search;
    let codeSearch = search.toUpperCase();
    const dash = codeSearch.lastIndexOf('-');
    if (dash >= 0) codeSearch = codeSearch.slice(dash + 1);
    codeSearch = codeSearch.replace(/2/g, 'Z').replace(/4/g, 'A').replace(/5/g, 'S').replace(/6/g, 'G');
    const like = `%${search}%`;
    add(
      `(
      o.code LIKE ? OR o.email LIKE ? OR o.comment LIKE ?
      OR EXISTS (SELECT 1 FROM invoice_addresses ia WHERE ia.order_id = o.id AND (ia.name_cached LIKE ? OR ia.company LIKE ?))
      OR EXISTS (SELECT 1 FROM order_positions op WHERE op.order_id = o.id
        AND (op.attendee_name_cached LIKE ? OR op.attendee_email LIKE ? OR op.secret LIKE ?))
    )`,
      `%${codeSearch}%`,
      like,
      like,
      like,
      like,
      like,
      like,
      `${search}%`,
    );
  }
  return { where, params };
}

const ORDER_COLUMNS: Record<OrderOrdering[number]['field'], string> = {
  datetime: 'o.datetime',
  code: 'o.code',
  status: 'o.status',
  last_modified: 'o.last_modified',
  cancellation_date: 'o.cancellation_date',
};

/**
 * pretix's TotalOrderingFilter: the given fields, else by date; `-pk` decides ties. NULLs sort as on
 * PostgreSQL, pretix's database: last ascending, first descending.
 */
function orderOrderingSql(ordering: OrderOrdering): string {
  const parts = ordering.map(
    (t) => `${ORDER_COLUMNS[t.field]} ${t.desc ? 'DESC NULLS FIRST' : 'ASC NULLS LAST'}`,
  );
  if (parts.length === 0) parts.push('o.datetime ASC');
  parts.push('o.id DESC');
  return parts.join(', ');
}

/** `LIKE` pattern text with the wildcards of the search term taken literally. */
function likeText(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The WHERE clause of pretix's OrderPositionFilter over `order_positions op JOIN orders o`. */
function positionFilterSql(f: PositionListFilter): Where {
  const { where, params, add } = conditions();
  if (!f.includeCanceled) add('op.canceled = 0');
  if (f.order) add('UPPER(o.code) = UPPER(?)', f.order);
  for (const [exact, list, column] of [
    [f.item, f.itemIn, 'op.item_id'],
    [f.variation, f.variationIn, 'op.variation_id'],
    [f.subevent, f.subeventIn, 'op.subevent_id'],
    [f.addonTo, f.addonToIn, 'op.addon_to_id'],
    [f.voucher, undefined, 'op.voucher_id'],
  ] as const) {
    if (exact !== undefined) add(`${column} = ?`, exact);
    if (list !== undefined) add(`${column} IN (${marks(list)})`, ...list);
  }
  if (f.secret !== undefined) add('op.secret = ?', f.secret);
  if (f.pseudonymizationId !== undefined) add('op.pseudonymization_id = ?', f.pseudonymizationId);
  if (f.voucherCode)
    add('EXISTS (SELECT 1 FROM vouchers v WHERE v.id = op.voucher_id AND v.code = ?)', f.voucherCode);
  if (f.orderStatus) add('o.status = ?', f.orderStatus);
  if (f.orderStatusIn) add(`o.status IN (${marks(f.orderStatusIn)})`, ...f.orderStatusIn);
  if (f.hasCheckin !== undefined) {
    add(
      `${f.hasCheckin ? '' : 'NOT '}EXISTS (SELECT 1 FROM checkins c WHERE c.position_id = op.id AND c.successful = 1)`,
    );
  }
  if (f.attendeeName) {
    add(
      `(LOWER(op.attendee_name_cached) = LOWER(?) OR EXISTS (
      SELECT 1 FROM order_positions parent WHERE parent.id = op.addon_to_id AND LOWER(parent.attendee_name_cached) = LOWER(?)))`,
      f.attendeeName,
      f.attendeeName,
    );
  }
  if (f.search) {
    const contains = `%${likeText(f.search)}%`;
    const starts = `${likeText(f.search)}%`;
    add(
      `(
      op.secret LIKE ? ESCAPE '\\' OR op.attendee_name_cached LIKE ? ESCAPE '\\' OR op.attendee_email LIKE ? ESCAPE '\\'
      OR EXISTS (SELECT 1 FROM order_positions parent WHERE parent.id = op.addon_to_id
        AND (parent.attendee_name_cached LIKE ? ESCAPE '\\' OR parent.attendee_email LIKE ? ESCAPE '\\'))
      OR o.code LIKE ? ESCAPE '\\' OR o.email LIKE ? ESCAPE '\\'
      OR EXISTS (SELECT 1 FROM invoice_addresses ia WHERE ia.order_id = o.id
        AND (ia.name_cached LIKE ? ESCAPE '\\' OR ia.company LIKE ? ESCAPE '\\'))
    )`,
      starts,
      contains,
      contains,
      contains,
      contains,
      starts,
      contains,
      contains,
      contains,
    );
  }
  return { where, params };
}

const POSITION_COLUMNS: Record<Exclude<PositionOrdering[number]['field'], 'attendee_name'>, string> = {
  order__code: 'o.code',
  order__datetime: 'o.datetime',
  positionid: 'op.positionid',
  order__status: 'o.status',
};

/** Ordering with pretix's fields; `attendee_name` sorts by the own or the parent's name, nulls first. */
function positionOrderingSql(ordering: PositionOrdering): string {
  const parts = ordering.map((t) => {
    if (t.field === 'attendee_name') {
      const name =
        'COALESCE(op.attendee_name_cached, (SELECT parent.attendee_name_cached FROM order_positions parent WHERE parent.id = op.addon_to_id))';
      // pretix's OrderPositionViewSet.ordering_custom sorts `-attendee_name` ascending with nulls last
      // (F('display_name').asc(nulls_last=True)), unlike the check-in views; followed as pretix serves it.
      return t.desc ? `${name} IS NULL ASC, ${name} ASC` : `${name} IS NOT NULL ASC, ${name} ASC`;
    }
    return `${POSITION_COLUMNS[t.field]} ${t.desc ? 'DESC NULLS FIRST' : 'ASC NULLS LAST'}`;
  });
  if (parts.length === 0) parts.push('o.datetime ASC', 'op.positionid ASC');
  parts.push('op.id DESC');
  return parts.join(', ');
}

/** A filtered list: how many rows pass, and the ids of one page. */
export interface IdList {
  /** How many rows pass; for a read (`Engine.read`), as the list pages are served. */
  count(): number;
  page(page: Page): number[];
}

/**
 * The state of the database as this connection sees it: `data_version` moves with every commit of another
 * connection (the order writer thread, another process), `total_changes()` with every row this connection
 * writes. Both unchanged, no row has changed since.
 */
function databaseState(db: ReadableDB): string {
  const state = db
    .prepare('SELECT data_version AS d, total_changes() AS t FROM pragma_data_version()')
    .get() as {
    d: number;
    t: number;
  };
  return `${state.d}:${state.t}`;
}

/** Counts of lists, per connection, for the database state they were taken in. */
const countsByConnection = new WeakMap<ReadableDB, { state: string; counts: Map<string, number> }>();
/** Distinct lists whose counts one state keeps (filters a sync client pages through, times a few). */
const MAX_COUNTS = 64;

/**
 * Counting every row a filter passes costs as much as reading them all (100,000 orders: milliseconds per
 * page, most of a page's time), and a client paging through a list asks the same count again for every
 * page. So a count is kept until the database changes; a write anywhere starts afresh.
 */
function countUnlessChanged(db: ReadableDB, sql: string, params: unknown[]): number {
  const state = databaseState(db);
  let cached = countsByConnection.get(db);
  if (cached?.state !== state) {
    cached = { state, counts: new Map() };
    countsByConnection.set(db, cached);
  }
  const key = `${sql}\u0000${JSON.stringify(params)}`;
  const known = cached.counts.get(key);
  if (known !== undefined) return known;
  const n = (db.prepare(sql).get(...params) as { n: number }).n;
  if (cached.counts.size >= MAX_COUNTS) cached.counts.clear();
  cached.counts.set(key, n);
  return n;
}

function countedList(
  db: ReadableDB,
  table: { id: string; from: string },
  filter: Where,
  orderBy: string,
): IdList {
  const whereSql = filter.where.join(' AND ');
  const { id, from } = table;
  return {
    count: () => countUnlessChanged(db, `SELECT COUNT(*) AS n ${from} WHERE ${whereSql}`, filter.params),
    page: (page) =>
      (
        db
          .prepare(`SELECT ${id} AS id ${from} WHERE ${whereSql} ORDER BY ${orderBy} LIMIT ? OFFSET ?`)
          .all(...filter.params, page.limit, page.offset) as { id: number }[]
      ).map((r) => r.id),
  };
}

function scoped(scope: OrderScope, filter: Where): Where {
  const s = orderScopeSql(scope);
  return { where: [s.sql, ...filter.where], params: [...s.params, ...filter.params] };
}

const ORDERS = { id: 'o.id', from: 'FROM orders o' };
const POSITIONS = { id: 'op.id', from: 'FROM order_positions op JOIN orders o ON o.id = op.order_id' };

/** The orders in `scope` that pass `filter`, in `ordering`. */
export function orderList(db: ReadableDB, scope: OrderScope, f: OrderListFilter, o: OrderOrdering): IdList {
  return countedList(db, ORDERS, scoped(scope, orderFilterSql(f)), orderOrderingSql(o));
}

/** The positions in `scope` that pass `filter`, in `ordering`. */
export function positionList(
  db: ReadableDB,
  scope: OrderScope,
  f: PositionListFilter,
  o: PositionOrdering,
): IdList {
  return countedList(db, POSITIONS, scoped(scope, positionFilterSql(f)), positionOrderingSql(o));
}
