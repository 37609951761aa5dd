import type { ReadableDB } from '../db/handles';
import { exportOrderBatch, exportPayments, exportPositions } from '../db/queries/backup';
import { i18nText } from '../i18n';

export interface ExportedPosition {
  positionid: number;
  item: string;
  variation: string | null;
  price: string;
  attendee_name: string | null;
  attendee_email: string | null;
  secret: string;
  canceled: boolean;
}

export interface ExportedOrder {
  event: string;
  code: string;
  status: string;
  email: string | null;
  datetime: string;
  total: string;
  testmode: boolean;
  positions: ExportedPosition[];
  payments: { local_id: number; provider: string | null; state: string; amount: string }[];
}

/**
 * Every order (optionally of one event), oldest first, with positions and payments. Reads in batches so
 * memory stays flat for large databases.
 */
export function* exportOrders(
  db: ReadableDB,
  options: { eventSlug?: string } = {},
): Generator<ExportedOrder> {
  const slug = options.eventSlug ?? null;
  let after = 0;
  for (;;) {
    const batch = exportOrderBatch(db, slug, after);
    if (batch.length === 0) return;
    for (const { id, testmode, ...order } of batch) {
      after = id;
      yield {
        ...order,
        testmode: testmode === 1,
        positions: exportPositions(db, id).map((p) => ({
          ...p,
          item: i18nText(p.item),
          variation: p.variation === null ? null : i18nText(p.variation),
          canceled: p.canceled === 1,
        })),
        payments: exportPayments(db, id),
      };
    }
  }
}

function csvCell(value: string | number | boolean | null): string {
  const text = value === null ? '' : String(value);
  // A leading =, +, - or @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const ORDER_CSV_HEADER = [
  'event',
  'code',
  'status',
  'email',
  'datetime',
  'total',
  'testmode',
  'positions',
  'attendees',
  'payment_providers',
];

/** One CSV line per order, header first. */
export function* ordersAsCsv(orders: Iterable<ExportedOrder>): Generator<string> {
  yield ORDER_CSV_HEADER.join(',') + '\r\n';
  for (const o of orders) {
    const active = o.positions.filter((p) => !p.canceled);
    yield (
      [
        o.event,
        o.code,
        o.status,
        o.email,
        o.datetime,
        o.total,
        o.testmode,
        active.length,
        active
          .map((p) => p.attendee_name)
          .filter(Boolean)
          .join('; '),
        [...new Set(o.payments.map((p) => p.provider).filter(Boolean))].join('; '),
      ]
        .map(csvCell)
        .join(',') + '\r\n'
    );
  }
}

/** A JSON array written piece by piece, so a large export never sits in memory whole. */
export function* ordersAsJson(orders: Iterable<ExportedOrder>): Generator<string> {
  yield '[';
  let first = true;
  for (const o of orders) {
    yield (first ? '\n' : ',\n') + JSON.stringify(o);
    first = false;
  }
  yield '\n]\n';
}
