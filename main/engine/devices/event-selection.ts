import type { ReadableDB } from '../db/handles';
import {
  activeSubevents,
  checkinListOfEvent,
  checkinListsForSelection,
  eventBySlug,
  liveSingleEvents,
  subeventOfEvent,
} from '../db/queries/devices';
import { i18nText } from '../i18n';
import { deviceMaySeeEvent, type Device } from './devices';

/**
 * Automatic event switching for scanners (`GET /device/eventselection`), as pretix's EventSelectionView:
 * given what the scanner runs now, keep it, suggest another event, date and check-in list, or say there is
 * nothing to scan.
 */

/** What the scanner reports it runs (the raw query parameters; absent ones undefined). */
export interface CurrentSelection {
  event?: string;
  subevent?: string;
  checkinList?: string;
}

export interface SuggestedSelection {
  event: { slug: string; name: string };
  subevent: number | null;
  checkinlist: number | null;
}

export type EventSelection =
  { kind: 'keep' } | { kind: 'nothing' } | { kind: 'switch'; suggestion: SuggestedSelection };

/** An event or a date of a series, with pretix's `first_date` (admission or start) and `last_date` (end or start). */
interface Candidate {
  eventId: number;
  subeventId: number | null;
  slug: string;
  name: string;
  timezone: string;
  start: number;
  end: number | null;
  firstDate: number;
  lastDate: number;
}

function candidate(
  row: { date_from: string | null; date_to: string | null; date_admission: string | null },
  base: Omit<Candidate, 'start' | 'end' | 'firstDate' | 'lastDate'>,
): Candidate | null {
  if (!row.date_from) return null;
  const start = Date.parse(row.date_from);
  const end = row.date_to ? Date.parse(row.date_to) : null;
  const admission = row.date_admission ? Date.parse(row.date_admission) : null;
  return { ...base, start, end, firstDate: admission ?? start, lastDate: end ?? start };
}

function sameCandidate(a: Candidate | null, b: Candidate | null): boolean {
  return !!a && !!b && a.eventId === b.eventId && a.subeventId === b.subeventId;
}

/** The calendar day of an instant in a time zone (`YYYY-MM-DD`). */
function dayIn(instant: number, timeZone: string): string {
  const format = (zone: string) =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(instant);
  try {
    return format(timeZone);
  } catch {
    return format('UTC');
  }
}

/** Python's int() of a query parameter, or null where pretix's own parsing would fail. */
function integer(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const trimmed = raw.trim();
  return /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : null;
}

/** The latest of `a` and `b` by first date (ties: `b`, as `_max_first_date_event`). */
function later(a: Candidate | null, b: Candidate | null): Candidate | null {
  if (a && b) return a.firstDate > b.firstDate ? a : b;
  return a ?? b;
}

/** The earliest of `a` and `b` by first date (ties: `b`, as `_min_first_date_event`). */
function earlier(a: Candidate | null, b: Candidate | null): Candidate | null {
  if (a && b) return a.firstDate < b.firstDate ? a : b;
  return a ?? b;
}

/** `.filter(first_date__lte=now).last()` over a first-date ordering. */
function lastStarted(list: Candidate[], now: number): Candidate | null {
  let found: Candidate | null = null;
  for (const c of list) if (c.firstDate <= now && (!found || c.firstDate >= found.firstDate)) found = c;
  return found;
}

/** `.filter(first_date__gt=now).first()` over a first-date ordering. */
function nextUpcoming(list: Candidate[], now: number): Candidate | null {
  let found: Candidate | null = null;
  for (const c of list) if (c.firstDate > now && (!found || c.firstDate < found.firstDate)) found = c;
  return found;
}

export function selectEventForDevice(
  db: ReadableDB,
  device: Device,
  current: CurrentSelection,
  at: Date,
): EventSelection {
  const now = at.getTime();
  const gateId = device.gate_id;
  const events = liveSingleEvents(db, device.organizer_id, gateId)
    .filter((e) => deviceMaySeeEvent(device, e.slug))
    .map((e) =>
      candidate(e, { eventId: e.id, subeventId: null, slug: e.slug, name: e.name, timezone: e.timezone }),
    )
    .filter((c): c is Candidate => c !== null);
  const subevents = activeSubevents(db, device.organizer_id, gateId)
    .filter((s) => deviceMaySeeEvent(device, s.event_slug))
    .map((s) =>
      candidate(s, {
        eventId: s.event_id,
        subeventId: s.id,
        slug: s.event_slug,
        name: s.event_name,
        timezone: s.timezone,
      }),
    )
    .filter((c): c is Candidate => c !== null);

  // The reported event is looked up among all of the organizer's events; a series without a valid date
  // counts as nothing selected.
  let currentEvent =
    current.event !== undefined ? eventBySlug(db, device.organizer_id, current.event) : undefined;
  let currentSubevent: ReturnType<typeof subeventOfEvent>;
  if (currentEvent && current.subevent !== undefined) {
    const id = integer(current.subevent);
    currentSubevent = id === null ? undefined : subeventOfEvent(db, currentEvent.id, id);
  }
  if (currentEvent && currentEvent.has_subevents && !currentSubevent) currentEvent = undefined;
  const currentCandidate = currentEvent
    ? candidate(currentSubevent ?? currentEvent, {
        eventId: currentEvent.id,
        subeventId: currentSubevent?.id ?? null,
        slug: currentEvent.slug,
        name: currentEvent.name,
        timezone: currentEvent.timezone,
      })
    : null;

  const suggest = (ev: Candidate): EventSelection => {
    const reportedList =
      currentEvent && current.checkinList !== undefined
        ? (() => {
            const id = integer(current.checkinList);
            return id === null ? undefined : checkinListOfEvent(db, currentEvent.id, id);
          })()
        : undefined;
    const lists = checkinListsForSelection(db, ev.eventId, ev.subeventId, gateId);
    const list =
      (reportedList && lists.find((l) => l.name === reportedList.name || l.id === reportedList.id)) ??
      lists[0];
    const suggestion: SuggestedSelection = {
      event: { slug: ev.slug, name: i18nText(ev.name) },
      subevent: ev.subeventId,
      checkinlist: list?.id ?? null,
    };
    const unchanged =
      !!currentEvent &&
      suggestion.event.slug === currentEvent.slug &&
      suggestion.event.name === i18nText(currentEvent.name) &&
      suggestion.subevent === (current.subevent ? integer(current.subevent) : null) &&
      suggestion.checkinlist === (current.checkinList ? integer(current.checkinList) : null);
    return unchanged ? { kind: 'keep' } : { kind: 'switch', suggestion };
  };

  // Whatever runs now wins: the event that last started (admission or start) and has not ended yet.
  const started = later(lastStarted(events, now), lastStarted(subevents, now));
  if (started && !sameCandidate(currentCandidate, started) && started.end !== null && now < started.end)
    return suggest(started);

  if (
    currentCandidate &&
    currentCandidate.end !== null &&
    currentCandidate.firstDate <= now &&
    now < currentCandidate.end
  )
    return { kind: 'keep' };

  const upcoming = earlier(nextUpcoming(events, now), nextUpcoming(subevents, now));
  if (!upcoming && !started) return { kind: 'nothing' };
  if (upcoming && !started) return suggest(upcoming);
  if (started && !upcoming) return suggest(started);
  const last = started!;
  const next = upcoming!;

  const timeZone = currentEvent ? currentEvent.timezone : next.timezone;
  const lastDay = dayIn(last.start, timeZone);
  const nextDay = dayIn(next.start, timeZone);
  const today = dayIn(now, timeZone);
  // Last one today and the next one another day: stay; last one another day and the next one today: move on.
  if (lastDay === today && nextDay !== today) return suggest(last);
  if (lastDay !== today && nextDay === today) return suggest(next);
  // Both today (or neither): switch half-way between the end of one and the start of the next.
  return now > last.lastDate + (next.firstDate - last.lastDate) / 2 ? suggest(next) : suggest(last);
}
