import type { EventSettings } from '../catalog/settings';
import { safeZone, wallClockParts as partsIn, zonedTime } from '../clock';

export { zonedTime };

type LocalDate = { year: number; month: number; day: number };

/** The calendar date (in `timeZone`) of an instant, plus `days`, as plain year/month/day. */
function localDatePlus(date: Date, days: number, timeZone: string): LocalDate {
  const p = localDate(date, timeZone);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * The last few local days seen per zone, as the instants each starts and ends: every order of a day asks
 * for the same dates (today, and the weekday its payment term ends on), and reading one from the zone's
 * formatter costs more than the rest of the payment term together.
 */
const recentLocalDays = new Map<string, LocalDay[]>();

type LocalDay = { start: number; end: number; date: LocalDate };

function localDate(date: Date, timeZone: string): LocalDate {
  return localDay(date, timeZone).date;
}

/** The local day (in `timeZone`) an instant falls on, with the instants it starts and ends. */
function localDay(date: Date, timeZone: string): LocalDay {
  const t = date.getTime();
  let days = recentLocalDays.get(timeZone);
  const known = days?.find((d) => t >= d.start && t < d.end);
  if (known) return known;
  const p = partsIn(date, timeZone);
  const day: LocalDate = { year: p.year, month: p.month, day: p.day };
  const next = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
  const midnight = { hour: 0, minute: 0, second: 0 };
  const start = zonedTime({ ...day, ...midnight }, timeZone).getTime();
  const end = zonedTime(
    { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), ...midnight },
    timeZone,
  ).getTime();
  if (t >= start && t < end) {
    if (!days) {
      if (recentLocalDays.size >= 100) recentLocalDays.clear();
      days = [];
      recentLocalDays.set(timeZone, days);
    }
    days.push({ start, end, date: day });
    if (days.length > 4) days.shift();
  }
  return { start, end, date: day };
}

function endOfDay(date: LocalDate, timeZone: string): Date {
  return zonedTime({ ...date, hour: 23, minute: 59, second: 59 }, timeZone);
}

/**
 * The last payment date setting: an absolute date (`2026-05-01`) or pretix's relative form
 * `RELDATE/<days before>/<base>/` counted back from the event's (or the earliest sub-event's) start.
 */
function lastPaymentDate(
  setting: string,
  eventDates: {
    date_from: string | null;
    date_to?: string | null;
    presale_start?: string | null;
    presale_end?: string | null;
  },
  timeZone: string,
): LocalDate | undefined {
  const absolute = /^(\d{4})-(\d{2})-(\d{2})/.exec(setting);
  if (absolute && !setting.startsWith('RELDATE')) {
    return { year: Number(absolute[1]), month: Number(absolute[2]), day: Number(absolute[3]) };
  }
  const relative = /^RELDATE\/(\d+)\/(?:[^/]*\/)?([a-z_]+)\/?$/.exec(setting);
  if (!relative) return undefined;
  const base =
    (eventDates as Record<string, string | null | undefined>)[relative[2]!] ?? eventDates.date_from;
  if (!base) return undefined;
  return localDatePlus(new Date(base), -Number(relative[1]), timeZone);
}

type PaymentTermSettings = Pick<
  EventSettings,
  | 'payment_term_mode'
  | 'payment_term_days'
  | 'payment_term_minutes'
  | 'payment_term_weekdays'
  | 'payment_term_last'
>;

/**
 * pretix's `Order.set_expires`: in "days" mode the end (23:59:59, event time zone) of the day that many
 * days ahead, pushed off Saturday/Sunday when payment_term_weekdays is on; in "minutes" mode exactly that
 * many minutes ahead. Never later than the end of the last payment date, if one is set.
 */
export function computeExpiry(
  now: Date,
  settings: PaymentTermSettings,
  timeZoneName: string,
  eventDates: { date_from: string | null; date_to?: string | null } = { date_from: null },
): Date {
  const timeZone = safeZone(timeZoneName);
  if (settings.payment_term_mode === 'minutes') return termEnd(now, settings, timeZone, eventDates);
  // In "days" mode the term depends only on the local date the order is placed on.
  const today = localDay(now, timeZone);
  const key = JSON.stringify(
    [
      timeZone,
      settings.payment_term_days,
      settings.payment_term_weekdays,
      settings.payment_term_last,
      eventDates.date_from,
      eventDates.date_to,
    ],
    // Settings as stored may be of any type: undefined (not null) tells an absent one apart.
    (_, value: unknown) => (value === undefined ? { undefined: true } : value),
  );
  const known = termsOfDay.get(key);
  if (known && known.dayStart === today.start) return new Date(known.expires);
  const expires = termEnd(now, settings, timeZone, eventDates);
  const t = now.getTime();
  if (t >= today.start && t < today.end) {
    if (termsOfDay.size >= 100) termsOfDay.clear();
    termsOfDay.set(key, { dayStart: today.start, expires: expires.getTime() });
  }
  return expires;
}

/**
 * The payment term of the last local day it was computed for, per zone and settings: every order of a day
 * in "days" mode ends its term at the same instant.
 */
const termsOfDay = new Map<string, { dayStart: number; expires: number }>();

function termEnd(
  now: Date,
  settings: PaymentTermSettings,
  timeZone: string,
  eventDates: { date_from: string | null; date_to?: string | null },
): Date {
  let expires: Date;
  if (settings.payment_term_mode === 'minutes') {
    expires = new Date(now.getTime() + Number(settings.payment_term_minutes) * 60_000);
  } else {
    let date = localDatePlus(now, Number(settings.payment_term_days), timeZone);
    if (settings.payment_term_weekdays) {
      const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
      if (weekday === 6)
        date = localDatePlus(zonedTime({ ...date, hour: 12, minute: 0, second: 0 }, timeZone), 2, timeZone);
      else if (weekday === 0)
        date = localDatePlus(zonedTime({ ...date, hour: 12, minute: 0, second: 0 }, timeZone), 1, timeZone);
    }
    expires = endOfDay(date, timeZone);
  }
  if (settings.payment_term_last) {
    const last = lastPaymentDate(settings.payment_term_last, eventDates, timeZone);
    if (last) {
      const limit = endOfDay(last, timeZone);
      if (limit < expires) expires = limit;
    }
  }
  return expires;
}
