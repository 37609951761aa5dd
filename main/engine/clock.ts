import { Temporal } from 'temporal-polyfill';

/** "Now" comes from here so that expiry and payment terms can be tested without waiting. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to; for tests and simulations. */
export class ManualClock implements Clock {
  private current: Date;
  constructor(start: Date | string = '2026-01-01T10:00:00Z') {
    this.current = new Date(start);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
  advanceMinutes(minutes: number): void {
    this.advance(minutes * 60_000);
  }
}

/** Real time moved forward on request: lets a running server pass a deadline without waiting for it. */
export class OffsetClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** UTC ISO-8601 with millisecond precision: the one time format stored in the database. */
export function isoUtc(date: Date): string {
  return date.toISOString();
}

/** A wall-clock time: what a clock in some time zone shows. */
export interface ZonedParts {
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

// en-US with these options formats as `12/06/2026, 07:15:06`; reading that string is about twice as fast
// as formatToParts, which builds an object per field (order creation reads the wall clock several times).
const EN_US_DATETIME = /^(\d{2})\/(\d{2})\/(\d{4}), (\d{2}):(\d{2}):(\d{2})$/;

/** What the wall clock in `timeZone` shows at an instant. */
export function wallClockParts(date: Date, timeZone: string): ZonedParts {
  const format = formatFor(timeZone);
  const m = EN_US_DATETIME.exec(format.format(date));
  if (m) {
    return {
      year: Number(m[3]),
      month: Number(m[1]),
      day: Number(m[2]),
      hour: Number(m[4]) % 24,
      minute: Number(m[5]),
      second: Number(m[6]),
    };
  }
  // Years outside 1000–9999 and anything else unusual: field by field.
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

/** The calendar day (`YYYY-MM-DD`) an instant falls on in `timeZone`. */
export function eventDay(date: Date, timeZone: string): string {
  const p = wallClockParts(date, timeZone);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The time zone if Intl knows it, else UTC. */
export function safeZone(timeZone: string): string {
  try {
    formatFor(timeZone);
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/**
 * The instant at which the wall clock in `timeZone` shows the given local time. Fields past their range
 * roll over as `Date.UTC` rolls them (day 32 is the next month's first). A time the clock skips (the hour
 * a DST change jumps over) or shows twice resolves as Python's zoneinfo does with fold 0, which is
 * Temporal's "compatible": the skipped time moves forward by the gap, a doubled time is its first instant.
 */
export function zonedTime(parts: ZonedParts, timeZone: string): Date {
  const wall = new Date(
    Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second),
  );
  if (Number.isNaN(wall.getTime())) return wall;
  // The zone's rules do not change while the process runs, so an answer stays true; order creation asks
  // for the same end of day again and again (its payment term), and Temporal's answer costs tens of µs.
  const key = `${timeZone} ${wall.getTime()}`;
  let instant = zonedInstants.get(key);
  if (instant === undefined) {
    instant = zonedInstant(wall, timeZone);
    if (zonedInstants.size >= 1000) zonedInstants.clear();
    zonedInstants.set(key, instant);
  }
  return new Date(instant);
}

const zonedInstants = new Map<string, number>();

function zonedInstant(wall: Date, timeZone: string): number {
  const local = Temporal.PlainDateTime.from({
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  });
  return local.toZonedDateTime(timeZone, { disambiguation: 'compatible' }).epochMilliseconds;
}

const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO 8601 date and time as Django reads it (`YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]`); one
 * without an offset is the wall-clock time in `timeZone` (the event's, as pretix does). Undefined when the
 * text is not such a date and time or names a day or hour that does not exist.
 */
export function parseIsoDateTime(text: string, timeZone = 'UTC'): Date | undefined {
  const m = ISO_DATETIME.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac ? Math.floor(Number(frac.padEnd(6, '0')) / 1000) : 0;
  const month = Number(mo);
  const day = Number(d);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s ?? 0) > 59
  )
    return undefined;
  let date: Date;
  if (zone) {
    let offsetMinutes = 0;
    if (zone.toUpperCase() !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
    }
    date = new Date(
      Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s ?? 0), ms) - offsetMinutes * 60_000,
    );
  } else {
    date = zonedTime(
      { year: Number(y), month, day, hour: Number(h), minute: Number(mi), second: Number(s ?? 0) },
      timeZone,
    );
    date = new Date(date.getTime() + ms);
  }
  return Number.isNaN(date.getTime()) ? undefined : date;
}
