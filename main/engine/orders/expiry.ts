import type { EventSettings } from '../catalog/settings';

interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// Building an Intl.DateTimeFormat is costly; one per time zone is enough.
const formats = new Map<string, Intl.DateTimeFormat>();
function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, format);
  }
  return format;
}

function partsIn(date: Date, timeZone: string): ZonedParts {
  const format = formatFor(timeZone);
  const out: Record<string, number> = {};
  for (const p of format.formatToParts(date)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return {
    year: out.year!,
    month: out.month!,
    day: out.day!,
    hour: out.hour! % 24,
    minute: out.minute!,
    second: out.second!,
  };
}

function safeZone(timeZone: string): string {
  try {
    formatFor(timeZone);
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/** The instant at which the wall clock in `timeZone` shows the given local time. */
export function zonedTime(parts: ZonedParts, timeZone: string): Date {
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  let guess = wall;
  // Two rounds settle the offset, also across a DST change.
  for (let i = 0; i < 2; i++) {
    const p = partsIn(new Date(guess), timeZone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess += wall - shown;
  }
  return new Date(guess);
}

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
