import type { EngineContext } from '../context';
import type { ReadableDB, WritableDB } from '../db/handles';
import { eventSettingsText, setEventSettingsText, setEventTimezone } from '../db/queries/catalog/events';
import { invalidFields, type FieldErrors } from '../errors';

/**
 * Event settings the engine reads, with pretix's defaults (base/settings.py). Stored as one JSON object in
 * `events.settings`; only keys that differ from the defaults need to be stored.
 */
export interface EventSettings {
  name_scheme: string;
  locale: string;
  timezone: string;
  payment_term_mode: 'days' | 'minutes';
  payment_term_days: number;
  payment_term_minutes: number;
  payment_term_weekdays: boolean;
  payment_term_last: string | null;
  payment_term_expire_automatically: boolean;
  payment_term_accept_late: boolean;
  reservation_time: number;
  max_items_per_order: number;
  ticket_download: boolean;
  ticket_download_pending: boolean;
  ticket_download_addons: boolean;
  ticket_download_nonadm: boolean;
  ticketoutput_pdf__enabled: boolean;
  tax_rate_default: number | null;
  tax_rule_payment: 'default' | 'none';
  cancel_allow_user: boolean;
  attendee_names_asked: boolean;
  attendee_names_required: boolean;
  attendee_emails_asked: boolean;
  attendee_emails_required: boolean;
  [key: string]: unknown;
}

const DEFAULT_EVENT_SETTINGS: EventSettings = {
  // pretix's global default is "full"; Event.set_defaults() gives every new event "given_family".
  name_scheme: 'full',
  locale: 'en',
  timezone: 'UTC',
  payment_term_mode: 'days',
  payment_term_days: 14,
  payment_term_minutes: 30,
  payment_term_weekdays: true,
  payment_term_last: null,
  payment_term_expire_automatically: true,
  payment_term_accept_late: true,
  reservation_time: 30,
  max_items_per_order: 10,
  ticket_download: false,
  ticket_download_pending: false,
  ticket_download_addons: false,
  ticket_download_nonadm: true,
  ticketoutput_pdf__enabled: false,
  tax_rate_default: null,
  tax_rule_payment: 'default',
  cancel_allow_user: true,
  attendee_names_asked: true,
  attendee_names_required: false,
  attendee_emails_asked: false,
  attendee_emails_required: false,
};

/** Settings a newly created event gets on top of the defaults (pretix's Event.set_defaults()). */
export const NEW_EVENT_SETTINGS: Partial<EventSettings> = { name_scheme: 'given_family' };

export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value === '') return false;
  if (value === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return Intl.supportedValuesOf('timeZone').includes(value) || /^Etc\//.test(value);
  } catch {
    return false;
  }
}

/** Changes to event settings: a value sets the setting, null resets it to pretix's default. */
export type EventSettingsPatch = { [K in keyof EventSettings]?: EventSettings[K] | null };

function mergedSettings(db: ReadableDB, eventId: number, patch: EventSettingsPatch): EventSettings {
  const merged = eventSettings(db, eventId);
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    merged[key] = value === null ? (DEFAULT_EVENT_SETTINGS[key] ?? null) : value;
  }
  return merged;
}

/** What the room refuses in a settings change, per setting (pretix's settings form's own checks). */
export function settingsRefusals(db: ReadableDB, eventId: number, patch: EventSettingsPatch): FieldErrors {
  const merged = mergedSettings(db, eventId, patch);
  const errors: FieldErrors = {};
  if (merged.attendee_names_required && !merged.attendee_names_asked)
    errors.attendee_names_required = [
      'You cannot require specifying attendee names if you do not ask for them.',
    ];
  if (merged.attendee_emails_required && !merged.attendee_emails_asked)
    errors.attendee_emails_required = [
      'You have to ask for attendee emails if you want to make them required.',
    ];
  return errors;
}

/**
 * Changes event settings (PATCH semantics), as pretix's SettingsSerializer: `null` resets a setting to its
 * default; a change the room refuses stores nothing. The time zone is kept on the event row too, where
 * other rooms read it.
 */
export function patchEventSettings(
  ctx: EngineContext,
  eventId: number,
  patch: EventSettingsPatch,
): EventSettings {
  const refusals = settingsRefusals(ctx.db, eventId, patch);
  if (Object.keys(refusals).length > 0) throw invalidFields('invalid_settings', refusals);
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
  const changes = Object.fromEntries(entries.filter(([, v]) => v !== null));
  const resets = entries.filter(([, v]) => v === null).map(([k]) => k);
  storeEventSettings(ctx.db, eventId, changes, resets);
  const timezone = resets.includes('timezone') ? 'UTC' : changes.timezone;
  if (typeof timezone === 'string') setEventTimezone(ctx.db, eventId, timezone);
  ctx.audit({
    eventId,
    objectType: 'event',
    objectId: eventId,
    actionType: 'pretix.event.settings',
    data: { ...changes, ...Object.fromEntries(resets.map((k) => [k, null])) },
  });
  return eventSettings(ctx.db, eventId);
}

/** Merges settings into the stored object (values equal to the default are kept: pretix stores them too). */
export function storeEventSettings(
  db: WritableDB,
  eventId: number,
  changes: Record<string, unknown>,
  resets: string[] = [],
): void {
  const text = eventSettingsText(db, eventId);
  if (text === undefined) return;
  const stored = JSON.parse(text) as Record<string, unknown>;
  for (const key of resets) delete stored[key];
  setEventSettingsText(db, eventId, JSON.stringify({ ...stored, ...changes }));
}

export function eventSettings(db: ReadableDB, eventId: number): EventSettings {
  return settingsFromText(eventSettingsText(db, eventId));
}

/** Settings as stored in `events.settings` (none: no such event), with pretix's defaults. */
export function settingsFromText(text: string | undefined): EventSettings {
  const stored = text !== undefined ? (JSON.parse(text) as Partial<EventSettings>) : {};
  return { ...DEFAULT_EVENT_SETTINGS, ...stored };
}
