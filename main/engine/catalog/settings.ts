import type { Database } from 'better-sqlite3';

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
  cancel_allow_user: boolean;
  attendee_names_asked: boolean;
  attendee_names_required: boolean;
  attendee_emails_asked: boolean;
  attendee_emails_required: boolean;
  [key: string]: unknown;
}

export const DEFAULT_EVENT_SETTINGS: EventSettings = {
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
  cancel_allow_user: true,
  attendee_names_asked: true,
  attendee_names_required: false,
  attendee_emails_asked: false,
  attendee_emails_required: false,
};

/** Settings a newly created event gets on top of the defaults (pretix's Event.set_defaults()). */
export const NEW_EVENT_SETTINGS: Partial<EventSettings> = { name_scheme: 'given_family' };

export function eventSettings(db: Database, eventId: number): EventSettings {
  const row = db.prepare('SELECT settings FROM events WHERE id = ?').get(eventId) as
    { settings: string } | undefined;
  const stored = row ? (JSON.parse(row.settings) as Partial<EventSettings>) : {};
  return { ...DEFAULT_EVENT_SETTINGS, ...stored };
}
