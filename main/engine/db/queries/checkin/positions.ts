import type { CheckinList } from '../../../checkin/lists';
import type { ReadableDB } from '../../handles';
import type { ItemRow, ItemVariationRow, OrderPositionRow } from '../../rows';
import { readAll } from '../statements';

/** A successful check-in as it appears in a position's `checkins` (pretix's CheckinSerializer). */
export interface PositionCheckin {
  id: number;
  datetime: string;
  list: number;
  auto_checked_in: boolean;
  gate: number | null;
  /** The device's primary key and its organizer-internal number. */
  device: number | null;
  device_id: number | null;
  type: 'entry' | 'exit';
}

/**
 * The successful check-ins of positions, oldest first, keyed by position id; optionally only those on some
 * lists. The order/position resource shows these under `checkins`; failed scans never appear there.
 */
export function checkinsOfPositions(
  db: ReadableDB,
  positionIds: number[],
  listIds?: number[],
): Map<number, PositionCheckin[]> {
  const out = new Map<number, PositionCheckin[]>();
  if (positionIds.length === 0) return out;
  for (const id of positionIds) out.set(id, []);
  for (let i = 0; i < positionIds.length; i += 500) {
    const chunk = positionIds.slice(i, i + 500);
    const listFilter = listIds ? ` AND c.list_id IN (${listIds.map(() => '?').join(',') || 'NULL'})` : '';
    const rows = db
      .prepare(
        `SELECT c.id, c.position_id, c.datetime, c.list_id, c.auto_checked_in, c.gate_id, c.device_id AS device_pk,
                d.device_id AS device_number, c.type
         FROM checkins c LEFT JOIN devices d ON d.id = c.device_id
         WHERE c.successful = 1 AND c.position_id IN (${chunk.map(() => '?').join(',')})${listFilter}
         ORDER BY c.datetime, c.id`,
      )
      .all(...chunk, ...(listIds ?? [])) as {
      id: number;
      position_id: number;
      datetime: string;
      list_id: number;
      auto_checked_in: number;
      gate_id: number | null;
      device_pk: number | null;
      device_number: number | null;
      type: 'entry' | 'exit';
    }[];
    for (const r of rows)
      out.get(r.position_id)!.push({
        id: r.id,
        datetime: r.datetime,
        list: r.list_id,
        auto_checked_in: r.auto_checked_in === 1,
        gate: r.gate_id,
        device: r.device_pk,
        device_id: r.device_number,
        type: r.type,
      });
  }
  return out;
}

/** The SQL condition (on `op` and `o`) for positions a list admits by product and date. */
function productCondition(list: CheckinList): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (!list.all_products) {
    parts.push(`op.item_id IN (SELECT item_id FROM checkin_list_items WHERE list_id = ?)`);
    params.push(list.id);
  }
  if (list.subevent_id !== null) {
    parts.push('op.subevent_id = ?');
    params.push(list.subevent_id);
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

/** Order statuses the list counts: paid, plus pending when the list or the order allows it. */
function statusCondition(list: CheckinList): string {
  return list.include_pending
    ? `o.status IN ('p', 'n')`
    : `(o.status = 'p' OR (o.status = 'n' AND o.valid_if_pending = 1))`;
}

export interface SearchFilters {
  search?: string;
  ignoreStatus?: boolean;
  hasCheckin?: boolean;
  order?: string;
  item?: number[];
  variation?: number[];
  subevent?: number[];
  addonTo?: number[];
  secret?: string;
  attendeeName?: string;
  orderStatus?: string[];
  positionId?: number;
  ordering?: string;
}

/** pretix's `display_name`: the position's attendee name, else its parent's (never the invoice address). */
const ATTENDEE_NAME = `COALESCE(NULLIF(op.attendee_name_cached, ''), NULLIF(parent.attendee_name_cached, ''))`;
/** pretix's plain `attendee_name_cached`: the position's own name only. */
const OWN_NAME = `NULLIF(op.attendee_name_cached, '')`;

/**
 * pretix's ordering fields for list positions. `nullsSmallest`: pretix's ordering_custom puts nulls first
 * ascending and last descending (attendee name, last check-in); plain fields sort as PostgreSQL does,
 * nulls as the largest values.
 */
const ORDERINGS: Record<string, { sql: string; nullsSmallest: boolean }> = {
  order__code: { sql: 'o.code', nullsSmallest: false },
  order__datetime: { sql: 'o.datetime', nullsSmallest: false },
  positionid: { sql: 'op.positionid', nullsSmallest: false },
  attendee_name: { sql: ATTENDEE_NAME, nullsSmallest: true },
  last_checked_in: {
    sql: `(SELECT MAX(c.datetime) FROM checkins c WHERE c.position_id = op.id AND c.successful = 1 AND c.list_id IN (__LISTS__))`,
    nullsSmallest: true,
  },
  order__email: { sql: 'o.email', nullsSmallest: false },
};
/**
 * pretix's default (`attendee_name_cached`, `positionid`): plain fields, so positions without a name of their
 * own come last (an add-on does not borrow its parent's name here).
 */
const DEFAULT_ORDER = [`(${OWN_NAME}) IS NULL`, `${OWN_NAME} ASC`, 'op.positionid ASC'];

/**
 * Positions admitted by some lists (one per event), with pretix's checkinrpc/search filters. Returns the
 * count and a loader for one page of position ids, ordered.
 */
export function searchPositions(
  db: ReadableDB,
  lists: CheckinList[],
  filters: SearchFilters,
): { count: number; load: (limit: number, offset: number) => number[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const perList = lists.map((list) => {
    const product = productCondition(list);
    const status = filters.ignoreStatus ? '1' : statusCondition(list);
    return {
      sql: `(o.event_id = ? AND ${product.sql} AND ${status})`,
      params: [list.event_id, ...product.params],
    };
  });
  where.push(`(${perList.map((p) => p.sql).join(' OR ')})`);
  for (const p of perList) params.push(...p.params);
  where.push('op.canceled = 0');
  const listMarks = lists.map(() => '?').join(',');
  const listIds = lists.map((l) => l.id);

  if (filters.search) {
    const like = `%${filters.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const prefix = `${filters.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(`(
      op.attendee_name_cached LIKE ? ESCAPE '\\' OR parent.attendee_name_cached LIKE ? ESCAPE '\\'
      OR o.code LIKE ? ESCAPE '\\' OR ia.name_cached LIKE ? ESCAPE '\\' OR op.secret LIKE ? ESCAPE '\\'
      OR o.email LIKE ? ESCAPE '\\' OR op.attendee_email LIKE ? ESCAPE '\\')`);
    params.push(like, like, like, like, prefix, like, like);
  }
  if (filters.hasCheckin !== undefined) {
    where.push(
      `${filters.hasCheckin ? '' : 'NOT '}EXISTS (SELECT 1 FROM checkins c WHERE c.position_id = op.id AND c.successful = 1 AND c.list_id IN (${listMarks}))`,
    );
    params.push(...listIds);
  }
  if (filters.order) {
    where.push('o.code = ?');
    params.push(filters.order);
  }
  const inFilter = (column: string, values: number[] | undefined) => {
    if (!values) return;
    where.push(values.length ? `${column} IN (${values.map(() => '?').join(',')})` : '0');
    params.push(...values);
  };
  inFilter('op.item_id', filters.item);
  inFilter('op.variation_id', filters.variation);
  inFilter('op.subevent_id', filters.subevent);
  inFilter('op.addon_to_id', filters.addonTo);
  if (filters.secret) {
    where.push('op.secret = ?');
    params.push(filters.secret);
  }
  if (filters.attendeeName) {
    where.push(`COALESCE(NULLIF(op.attendee_name_cached, ''), parent.attendee_name_cached) = ?`);
    params.push(filters.attendeeName);
  }
  if (filters.orderStatus) {
    where.push(`o.status IN (${filters.orderStatus.map(() => '?').join(',') || 'NULL'})`);
    params.push(...filters.orderStatus);
  }
  if (filters.positionId !== undefined) {
    where.push('op.id = ?');
    params.push(filters.positionId);
  }

  const orderParts: string[] = [];
  const orderParams: unknown[] = [];
  // DRF's OrderingFilter: unknown terms are dropped; when none is left, the default ordering applies.
  for (const raw of (filters.ordering ?? '').split(',')) {
    const term = raw.trim();
    const desc = term.startsWith('-');
    const field = ORDERINGS[desc ? term.slice(1) : term];
    if (!field) continue;
    const sql = field.sql.replace('__LISTS__', listMarks);
    const direction = desc ? 'DESC' : 'ASC';
    // SQLite sorts nulls as the smallest values; otherwise they go last ascending, first descending.
    const parts = field.nullsSmallest
      ? [`${sql} ${direction}`]
      : [`(${sql}) IS NULL ${direction}`, `${sql} ${direction}`];
    if (field.sql.includes('__LISTS__')) orderParams.push(...parts.flatMap(() => listIds));
    orderParts.push(...parts);
  }
  if (orderParts.length === 0) orderParts.push(...DEFAULT_ORDER);
  orderParts.push('o.code ASC', 'op.positionid ASC');

  const from = `FROM order_positions op JOIN orders o ON o.id = op.order_id
    LEFT JOIN order_positions parent ON parent.id = op.addon_to_id
    LEFT JOIN invoice_addresses ia ON ia.order_id = o.id
    WHERE ${where.join(' AND ')}`;
  const count = (db.prepare(`SELECT COUNT(*) AS n ${from}`).get(...params) as { n: number }).n;
  return {
    count,
    load: (limit, offset) =>
      (
        db
          .prepare(`SELECT op.id ${from} ORDER BY ${orderParts.join(', ')} LIMIT ? OFFSET ?`)
          .all(...params, ...orderParams, limit, offset) as { id: number }[]
      ).map((r) => r.id),
  };
}

/** Per position counted by a list: its product, whether it ever entered, and its last scan's direction. */
export interface ListPositionState {
  id: number;
  item_id: number;
  variation_id: number | null;
  entered: number;
  last_type: string | null;
}

/** The positions a list counts (valid orders, its products and date) with their check-in state on it. */
export function listPositionStates(db: ReadableDB, list: CheckinList): ListPositionState[] {
  const product = productCondition(list);
  return db
    .prepare(
      `SELECT op.id, op.item_id, op.variation_id,
         EXISTS (SELECT 1 FROM checkins c WHERE c.position_id = op.id AND c.list_id = ? AND c.successful = 1
                 AND c.type = 'entry') AS entered,
         (SELECT c.type FROM checkins c WHERE c.position_id = op.id AND c.list_id = ? AND c.successful = 1
          ORDER BY c.datetime DESC, c.id DESC LIMIT 1) AS last_type
       FROM order_positions op JOIN orders o ON o.id = op.order_id
       WHERE o.event_id = ? AND op.canceled = 0 AND ${product.sql} AND ${statusCondition(list)}`,
    )
    .all(list.id, list.id, list.event_id, ...product.params) as ListPositionState[];
}

/** The i18n name of the list's date, or of its event for a list of all dates. */
export function listEventName(db: ReadableDB, list: CheckinList): string {
  return list.subevent_id
    ? (db.prepare('SELECT name FROM subevents WHERE id = ?').get(list.subevent_id) as { name: string }).name
    : (db.prepare('SELECT name FROM events WHERE id = ?').get(list.event_id) as { name: string }).name;
}

/** The products a list admits, in the shop's order (category, then product position). */
export function listProducts(
  db: ReadableDB,
  list: CheckinList,
): Pick<ItemRow, 'id' | 'name' | 'admission'>[] {
  return db
    .prepare<number[], Pick<ItemRow, 'id' | 'name' | 'admission'>>(
      `SELECT i.id, i.name, i.admission FROM items i LEFT JOIN categories c ON c.id = i.category_id
       WHERE i.event_id = ? ${list.all_products ? '' : 'AND i.id IN (SELECT item_id FROM checkin_list_items WHERE list_id = ?)'}
       ORDER BY c.position IS NULL, c.position, c.id, i.position, i.id`,
    )
    .all(...(list.all_products ? [list.event_id] : [list.event_id, list.id]));
}

export const variationsOfItem = readAll<[itemId: number], Pick<ItemVariationRow, 'id' | 'value'>>(
  'SELECT id, value FROM item_variations WHERE item_id = ? ORDER BY position, id',
);

export interface CheckinRecord {
  id: number;
  successful: boolean;
  error_reason: string | null;
  error_explanation: string | null;
  position: number | null;
  datetime: string;
  list: number;
  created: string;
  auto_checked_in: boolean;
  gate: number | null;
  device: number | null;
  device_id: number | null;
  type: 'entry' | 'exit';
  forced: boolean;
  nonce: string | null;
  raw_barcode: string | null;
  raw_item: number | null;
  raw_variation: number | null;
  raw_subevent: number | null;
}

/** pretix's CheckinFilter and ordering for the event's check-ins list (api/views/checkin.py). */
export interface CheckinFilters {
  successful?: boolean;
  errorReason?: string;
  list?: number;
  id?: number;
  type?: 'entry' | 'exit';
  gateId?: number;
  deviceId?: number;
  autoCheckedIn?: boolean;
  /** UTC ISO bounds on `created` and `datetime`: since is inclusive, before exclusive. */
  createdSince?: string;
  createdBefore?: string;
  datetimeSince?: string;
  datetimeBefore?: string;
  ordering?: { field: 'created' | 'datetime' | 'id'; desc: boolean }[];
}

/** Every scan of an event, failed ones included (pretix's `events/{e}/checkins/`). */
export function eventCheckins(
  db: ReadableDB,
  eventId: number,
  filters: CheckinFilters = {},
): { count: number; load: (limit: number, offset: number) => CheckinRecord[] } {
  const where = ['cl.event_id = ?'];
  const params: unknown[] = [eventId];
  if (filters.successful !== undefined) {
    where.push('c.successful = ?');
    params.push(filters.successful ? 1 : 0);
  }
  if (filters.errorReason) {
    where.push('c.error_reason = ?');
    params.push(filters.errorReason);
  }
  if (filters.list !== undefined) {
    where.push('c.list_id = ?');
    params.push(filters.list);
  }
  if (filters.id !== undefined) {
    where.push('c.id = ?');
    params.push(filters.id);
  }
  for (const [value, column] of [
    [filters.type, 'c.type'],
    [filters.gateId, 'c.gate_id'],
    [filters.deviceId, 'c.device_id'],
  ] as const) {
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  if (filters.autoCheckedIn !== undefined) {
    where.push('c.auto_checked_in = ?');
    params.push(filters.autoCheckedIn ? 1 : 0);
  }
  for (const [value, sql] of [
    [filters.createdSince, 'c.created >= ?'],
    [filters.createdBefore, 'c.created < ?'],
    [filters.datetimeSince, 'c.datetime >= ?'],
    [filters.datetimeBefore, 'c.datetime < ?'],
  ] as const) {
    if (value === undefined) continue;
    where.push(sql);
    params.push(value);
  }
  // pretix's CheckinViewSet: ordering fields created, datetime, id; default created, id; then -pk.
  const columns = { created: 'c.created', datetime: 'c.datetime', id: 'c.id' } as const;
  const terms = (filters.ordering ?? []).map((t) => `${columns[t.field]} ${t.desc ? 'DESC' : 'ASC'}`);
  if (terms.length === 0) terms.push('c.created ASC', 'c.id ASC');
  else if (!filters.ordering!.some((t) => t.field === 'id')) terms.push('c.id DESC');
  const orderBy = terms.join(', ');
  const from = `FROM checkins c JOIN checkin_lists cl ON cl.id = c.list_id LEFT JOIN devices d ON d.id = c.device_id
    WHERE ${where.join(' AND ')}`;
  const count = (db.prepare(`SELECT COUNT(*) AS n ${from}`).get(...params) as { n: number }).n;
  return {
    count,
    load: (limit, offset) =>
      (
        db
          .prepare(`SELECT c.*, d.device_id AS device_number ${from} ORDER BY ${orderBy} LIMIT ? OFFSET ?`)
          .all(...params, limit, offset) as {
          id: number;
          successful: number;
          error_reason: string | null;
          error_explanation: string | null;
          position_id: number | null;
          datetime: string;
          list_id: number;
          created: string;
          auto_checked_in: number;
          gate_id: number | null;
          device_id: number | null;
          device_number: number | null;
          type: 'entry' | 'exit';
          forced: number;
          nonce: string | null;
          raw_barcode: string | null;
          raw_item_id: number | null;
          raw_variation_id: number | null;
          raw_subevent_id: number | null;
        }[]
      ).map((r) => ({
        id: r.id,
        successful: r.successful === 1,
        error_reason: r.error_reason,
        error_explanation: r.error_explanation,
        position: r.position_id,
        datetime: r.datetime,
        list: r.list_id,
        created: r.created,
        auto_checked_in: r.auto_checked_in === 1,
        gate: r.gate_id,
        device: r.device_id,
        device_id: r.device_number,
        type: r.type,
        forced: r.forced === 1,
        nonce: r.nonce,
        raw_barcode: r.raw_barcode,
        raw_item: r.raw_item_id,
        raw_variation: r.raw_variation_id,
        raw_subevent: r.raw_subevent_id,
      })),
  };
}

/** A position with the order, item and name fields pretix's check-in endpoints add to it. */
export type CheckinPositionDetail = OrderPositionRow & {
  order_code: string;
  order_status: string;
  order_locale: string | null;
  valid_if_pending: number;
  require_approval: number;
  order_checkin_attention: number;
  item_checkin_attention: number;
  variation_checkin_attention: number | null;
  parent_name: string | null;
  parent_name_parts: string | null;
  invoice_name: string | null;
  invoice_name_parts: string | null;
};

/** These positions with their order's, item's, parent position's and invoice address's fields. */
export function checkinPositionDetails(db: ReadableDB, ids: number[]): CheckinPositionDetail[] {
  return db
    .prepare(
      `SELECT op.*, o.code AS order_code, o.status AS order_status, o.locale AS order_locale, o.valid_if_pending,
              o.require_approval, o.checkin_attention AS order_checkin_attention,
              i.checkin_attention AS item_checkin_attention, v.checkin_attention AS variation_checkin_attention,
              parent.attendee_name_cached AS parent_name, parent.attendee_name_parts AS parent_name_parts,
              ia.name_cached AS invoice_name, ia.name_parts AS invoice_name_parts
       FROM order_positions op JOIN orders o ON o.id = op.order_id JOIN items i ON i.id = op.item_id
       LEFT JOIN item_variations v ON v.id = op.variation_id
       LEFT JOIN order_positions parent ON parent.id = op.addon_to_id
       LEFT JOIN invoice_addresses ia ON ia.order_id = o.id
       WHERE op.id IN (${ids.map(() => '?').join(',')})`,
    )
    .all(...ids) as CheckinPositionDetail[];
}
