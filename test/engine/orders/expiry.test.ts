import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { computeExpiry } from '../../../main/engine/orders/expiry';

/** pretix's payment term in "days" mode, straight from Temporal: the reference the engine must match. */
function reference(
  now: Date,
  days: number,
  weekdays: boolean,
  last: string | null,
  timeZone: string,
): number {
  const local = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(timeZone);
  let date = local.toPlainDate().add({ days });
  if (weekdays && date.dayOfWeek === 6) date = date.add({ days: 2 });
  else if (weekdays && date.dayOfWeek === 7) date = date.add({ days: 1 });
  const endOf = (d: Temporal.PlainDate) =>
    d
      .toPlainDateTime({ hour: 23, minute: 59, second: 59 })
      .toZonedDateTime(timeZone, { disambiguation: 'compatible' }).epochMilliseconds;
  const end = endOf(date);
  return last ? Math.min(end, endOf(Temporal.PlainDate.from(last))) : end;
}

describe('payment term', () => {
  it('ends where pretix ends it for every instant, however often the same day and settings come back', () => {
    const settingsList = [
      { days: 14, weekdays: false, last: null },
      { days: 3, weekdays: true, last: null },
      { days: 3, weekdays: true, last: '2026-04-02' },
    ];
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Apia', 'UTC'];
    let checked = 0;
    // Every 37 minutes across the spring DST changes, settings and zones interleaved, so that each
    // remembered term is asked for again and again, and replaced when the day or settings change.
    for (
      let t = Date.parse('2026-03-25T00:00:00Z');
      t < Date.parse('2026-04-08T00:00:00Z');
      t += 37 * 60_000
    ) {
      for (const timeZone of zones) {
        for (const s of settingsList) {
          const now = new Date(t);
          const settings = {
            payment_term_mode: 'days' as const,
            payment_term_days: s.days,
            payment_term_minutes: 30,
            payment_term_weekdays: s.weekdays,
            payment_term_last: s.last ?? '',
          };
          const got = computeExpiry(now, settings, timeZone, { date_from: '2026-05-01T18:00:00Z' });
          expect(got.getTime(), `${now.toISOString()} ${timeZone} ${JSON.stringify(s)}`).toBe(
            reference(now, s.days, s.weekdays, s.last, timeZone),
          );
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(8_000);
  });
});
