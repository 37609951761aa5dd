import type { EventSettings } from '../catalog/settings';
import { safeZone, wallClockParts as partsIn, zonedTime } from '../clock';

export { zonedTime };

/** The calendar date (in `timeZone`) of an instant, plus `days`, as plain year/month/day. */
function localDatePlus(
  date: Date,
  days: number,
  timeZone: string,
): { year: number; month: number; day: number } {
  const p = partsIn(date, timeZone);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function endOfDay(date: { year: number; month: number; day: number }, timeZone: string): Date {
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
): { year: number; month: number; day: number } | undefined {
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

/**
 * pretix's `Order.set_expires`: in "days" mode the end (23:59:59, event time zone) of the day that many
 * days ahead, pushed off Saturday/Sunday when payment_term_weekdays is on; in "minutes" mode exactly that
 * many minutes ahead. Never later than the end of the last payment date, if one is set.
 */
export function computeExpiry(
  now: Date,
  settings: Pick<
    EventSettings,
    | 'payment_term_mode'
    | 'payment_term_days'
    | 'payment_term_minutes'
    | 'payment_term_weekdays'
    | 'payment_term_last'
  >,
  timeZoneName: string,
  eventDates: { date_from: string | null; date_to?: string | null } = { date_from: null },
): Date {
  const timeZone = safeZone(timeZoneName);
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
