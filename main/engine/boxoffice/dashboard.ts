import { i18nText } from '../i18n';
import type { ReadableDB } from '../db/handles';
import { currencyOfEventOrFirst, eventNameAndSlug, itemName } from '../db/queries/desk-catalog';
import { timeZoneOfEventOrFirst } from '../db/queries/boxoffice';
import { paidTicketsPerItem, paidTicketsPerOrderTime } from '../db/queries/desk-orders';
import { invalidFields } from '../errors';
import { eventDay, safeZone, wallClockParts, zonedTime } from '../clock';
import { moneyText } from '../money';
import type { DeskMethod } from './methods';
import { takings } from './takings';

/**
 * Figures for a range of days (in the event's time zone, both ends included) and one event or all. Takings are net of
 * refunds (payments by payment date minus refunds by the day they were made); the per-item rows,
 * the per-method rows and the per-event rows each add up to `takings`.
 */
export interface DashboardStats {
  from: string;
  to: string;
  eventId: number | null;
  currency: string;
  ticketsSold: number;
  takings: string;
  /** `itemId` null is the row of fees (no ticket). */
  perItem: { itemId: number | null; item: string; count: number; revenue: string }[];
  byPaymentMethod: { method: DeskMethod; taken: string; refunded: string; net: string }[];
  byEvent: { eventId: number; event: string; net: string }[];
  /** Tickets sold per hour of the day (24 buckets, the event's wall clock). */
  hourly: number[];
}

/**
 * The dashboard's figures for a range of days and one event or all: tickets
 * sold (live positions of paid orders placed in the range), takings net of refunds per method, per event
 * and per item as the engine counts them (takings.ts), tickets per hour. A day is the event's calendar
 * day (for all events, the first event's): midnight to midnight on its wall clock. Without days given,
 * today there; with one, that day.
 */
export function dashboardStats(
  db: ReadableDB,
  query: { eventId: number | null; from: string | null; to: string | null },
  now: Date,
  locale: string,
): DashboardStats {
  const timeZone = safeZone(timeZoneOfEventOrFirst(db, query.eventId) ?? 'UTC');
  const today = eventDay(now, timeZone);
  const firstDay = query.from ?? query.to ?? today;
  const lastDay = query.to ?? query.from ?? today;
  if (firstDay > lastDay) {
    throw invalidFields('invalid', { to: ['The last day comes before the first.'] });
  }
  const range = {
    eventId: query.eventId,
    from: startOfDay(firstDay, 0, timeZone),
    to: startOfDay(lastDay, 1, timeZone),
  };
  const sold = paidTicketsPerItem(db, range);
  const counts = new Map(sold.map((r) => [r.item_id, r.count]));
  const money = takings(db, range);
  const nameOf = (itemId: number) => i18nText(itemName(db, itemId) ?? '', locale);
  const itemIds = new Set<number | null>([...counts.keys(), ...money.perItem.map((r) => r.itemId)]);
  const perItem = [...itemIds].map((itemId) => ({
    itemId,
    item: itemId === null ? '' : nameOf(itemId),
    count: itemId === null ? 0 : (counts.get(itemId) ?? 0),
    revenue: moneyText(money.perItem.find((r) => r.itemId === itemId)?.net ?? 0),
  }));
  perItem.sort((a, b) => b.count - a.count || (a.itemId ?? Infinity) - (b.itemId ?? Infinity));
  const hourly = new Array<number>(24).fill(0);
  for (const o of paidTicketsPerOrderTime(db, range)) {
    hourly[wallClockParts(new Date(o.datetime), timeZone).hour]! += o.n;
  }
  return {
    from: firstDay,
    to: lastDay,
    eventId: query.eventId,
    currency: currencyOfEventOrFirst(db, query.eventId) ?? 'EUR',
    ticketsSold: sold.reduce((n, r) => n + r.count, 0),
    takings: moneyText(money.net),
    perItem,
    byPaymentMethod: money.byMethod.map((m) => ({
      method: m.method,
      taken: moneyText(m.taken),
      refunded: moneyText(m.refunded),
      net: moneyText(m.net),
    })),
    byEvent: money.byEvent.map((e) => {
      const row = eventNameAndSlug(db, e.eventId);
      return {
        eventId: e.eventId,
        event: i18nText(row?.name, locale) || row?.slug || '',
        net: moneyText(e.net),
      };
    }),
    hourly,
  };
}

/** The instant a calendar day (`YYYY-MM-DD`, plus `days`) begins on the wall clock of `timeZone`. */
function startOfDay(day: string, days: number, timeZone: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return zonedTime({ year, month, day: date + days, hour: 0, minute: 0, second: 0 }, timeZone).toISOString();
}
