import type { EngineContext } from '../context';
import type { ReadableDB, WritableDB } from '../db/handles';
import { eventSettingsText, setEventSettingsText, setEventTimezone } from '../db/queries/catalog/events';
import { invalidFields, type FieldErrors, shown } from '../errors';
import { isPlainObject, parseBoolean, parseInteger } from '../orders/fields';
import { isNameScheme } from './names';

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

/** How each setting the API may change is validated (pretix's settings form fields). */
type SettingKind =
  | { kind: 'bool' }
  | { kind: 'int'; min?: number; max?: number }
  | { kind: 'string'; nullable?: boolean }
  | { kind: 'choice'; choices: readonly string[] }
  | { kind: 'nameScheme' }
  | { kind: 'locale' }
  | { kind: 'timezone' }
  | { kind: 'date'; nullable?: boolean }
  | { kind: 'stringlist' }
  | { kind: 'i18n' }
  | { kind: 'decimal'; nullable?: boolean };

const SETTING_KINDS: Record<string, SettingKind> = {
  name_scheme: { kind: 'nameScheme' },
  name_scheme_titles: { kind: 'string', nullable: true },
  locale: { kind: 'locale' },
  locales: { kind: 'stringlist' },
  timezone: { kind: 'timezone' },
  payment_term_mode: { kind: 'choice', choices: ['days', 'minutes'] },
  payment_term_days: { kind: 'int', min: 0, max: 1000000 },
  payment_term_minutes: { kind: 'int', min: 0, max: 1440 },
  payment_term_weekdays: { kind: 'bool' },
  payment_term_last: { kind: 'date', nullable: true },
  payment_term_expire_automatically: { kind: 'bool' },
  payment_term_expire_delay_days: { kind: 'int', min: 0, max: 1000000 },
  payment_term_accept_late: { kind: 'bool' },
  reservation_time: { kind: 'int', min: 0 },
  max_items_per_order: { kind: 'int', min: 1 },
  ticket_download: { kind: 'bool' },
  ticket_download_date: { kind: 'date', nullable: true },
  ticket_download_pending: { kind: 'bool' },
  ticket_download_addons: { kind: 'bool' },
  ticket_download_nonadm: { kind: 'bool' },
  ticket_download_require_validated_email: { kind: 'bool' },
  ticketoutput_pdf__enabled: { kind: 'bool' },
  ticket_secret_length: { kind: 'int', min: 12, max: 64 },
  tax_rate_default: { kind: 'decimal', nullable: true },
  tax_rule_payment: { kind: 'choice', choices: ['default', 'none'] },
  cancel_allow_user: { kind: 'bool' },
  attendee_names_asked: { kind: 'bool' },
  attendee_names_required: { kind: 'bool' },
  attendee_emails_asked: { kind: 'bool' },
  attendee_emails_required: { kind: 'bool' },
  attendee_company_asked: { kind: 'bool' },
  attendee_company_required: { kind: 'bool' },
  attendee_addresses_asked: { kind: 'bool' },
  attendee_addresses_required: { kind: 'bool' },
  order_email_asked_twice: { kind: 'bool' },
  order_phone_asked: { kind: 'bool' },
  order_phone_required: { kind: 'bool' },
  invoice_address_asked: { kind: 'bool' },
  invoice_address_required: { kind: 'bool' },
  invoice_name_required: { kind: 'bool' },
  invoice_generate: { kind: 'choice', choices: ['False', 'admin', 'user', 'paid', 'True'] },
  invoice_include_free: { kind: 'bool' },
  show_quota_left: { kind: 'bool' },
  show_times: { kind: 'bool' },
  show_date_to: { kind: 'bool' },
  show_items_outside_presale_period: { kind: 'bool' },
  waiting_list_enabled: { kind: 'bool' },
  contact_mail: { kind: 'string', nullable: true },
  imprint_url: { kind: 'string', nullable: true },
  checkout_email_helptext: { kind: 'i18n' },
  checkout_phone_helptext: { kind: 'i18n' },
  attendee_data_explanation_text: { kind: 'i18n' },
  payment_explanation: { kind: 'i18n' },
  payment_pending_hidden: { kind: 'bool' },
  frontpage_text: { kind: 'i18n' },
  event_info_text: { kind: 'i18n' },
  presale_has_ended_text: { kind: 'i18n' },
  voucher_explanation_text: { kind: 'i18n' },
  banner_text: { kind: 'i18n' },
  banner_text_bottom: { kind: 'i18n' },
  region: { kind: 'string', nullable: true },
  display_net_prices: { kind: 'bool' },
  hide_sold_out: { kind: 'bool' },
  show_variations_expanded: { kind: 'bool' },
  show_dates_on_frontpage: { kind: 'bool' },
  presale_start_show_date: { kind: 'bool' },
  redirect_to_checkout_directly: { kind: 'bool' },
  meta_noindex: { kind: 'bool' },
  last_order_modification_date: { kind: 'string', nullable: true },
  allow_modifications_after_checkin: { kind: 'bool' },
  waiting_list_auto_disable: { kind: 'string', nullable: true },
  waiting_list_hours: { kind: 'int', min: 1 },
  waiting_list_auto: { kind: 'bool' },
  waiting_list_names_asked: { kind: 'bool' },
  waiting_list_names_required: { kind: 'bool' },
  waiting_list_phones_asked: { kind: 'bool' },
  waiting_list_phones_required: { kind: 'bool' },
  waiting_list_limit_per_user: { kind: 'int', min: 1 },
  mail_days_order_expire_warning: { kind: 'int', min: 0 },
  mail_prefix: { kind: 'string', nullable: true },
  mail_from_name: { kind: 'string', nullable: true },
  mail_attach_ical: { kind: 'bool' },
  invoice_address_vatid: { kind: 'bool' },
  invoice_address_company_required: { kind: 'bool' },
  invoice_address_beneficiary: { kind: 'bool' },
  invoice_address_not_asked_free: { kind: 'bool' },
  invoice_show_payments: { kind: 'bool' },
  invoice_reissue_after_modify: { kind: 'bool' },
  invoice_numbers_consecutive: { kind: 'bool' },
  invoice_numbers_prefix: { kind: 'string', nullable: true },
  invoice_email_attachment: { kind: 'bool' },
  cancel_allow_user_until: { kind: 'string', nullable: true },
  cancel_allow_user_paid: { kind: 'bool' },
  cancel_allow_user_paid_keep: { kind: 'decimal' },
  cancel_allow_user_paid_keep_fees: { kind: 'bool' },
  cancel_allow_user_paid_keep_percentage: { kind: 'decimal' },
  cancel_allow_user_paid_adjust_fees: { kind: 'bool' },
  cancel_allow_user_paid_refund_as_giftcard: {
    kind: 'choice',
    choices: ['off', 'option', 'force', 'manually'],
  },
  cancel_allow_user_paid_require_approval: { kind: 'bool' },
  change_allow_user_variation: { kind: 'bool' },
  change_allow_user_price: { kind: 'choice', choices: ['gte', 'gt', 'eq', 'any'] },
  change_allow_user_until: { kind: 'string', nullable: true },
  change_allow_user_addons: { kind: 'bool' },
  change_allow_attendee: { kind: 'bool' },
  checkout_show_copy_answers_button: { kind: 'bool' },
  low_availability_percentage: { kind: 'int', min: 0, max: 100 },
};

function validLocale(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1 && /^[a-z]{2,3}(-[a-zA-Z0-9]+)*$/.test(value);
  } catch {
    return false;
  }
}

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

function parseSetting(kind: SettingKind, input: unknown): { value: unknown } | { error: string } {
  const invalidChoice = {
    error: `Select a valid choice. ${shown(input)} is not one of the available choices.`,
  };
  switch (kind.kind) {
    case 'bool': {
      const r = parseBoolean(input);
      return r.error !== undefined ? { error: r.error } : { value: r.value };
    }
    case 'int': {
      const r = parseInteger(input);
      if (r.error !== undefined) return { error: r.error };
      if (kind.min !== undefined && r.value < kind.min)
        return { error: `Ensure this value is greater than or equal to ${kind.min}.` };
      if (kind.max !== undefined && r.value > kind.max)
        return { error: `Ensure this value is less than or equal to ${kind.max}.` };
      return { value: r.value };
    }
    case 'string':
      if (input === null && kind.nullable) return { value: null };
      return typeof input === 'string' ? { value: input } : { error: 'Not a valid string.' };
    case 'choice':
      return typeof input === 'string' && kind.choices.includes(input) ? { value: input } : invalidChoice;
    case 'nameScheme':
      return isNameScheme(input) ? { value: input } : invalidChoice;
    case 'locale':
      return typeof input === 'string' && validLocale(input) ? { value: input } : invalidChoice;
    case 'timezone':
      return isTimeZone(input) ? { value: input } : invalidChoice;
    case 'date':
      if (input === null && kind.nullable) return { value: null };
      return typeof input === 'string' && /^\d{4}-\d{2}-\d{2}/.test(input)
        ? { value: input }
        : { error: 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.' };
    case 'stringlist':
      return Array.isArray(input) && input.every((v) => typeof v === 'string')
        ? { value: input }
        : { error: 'Expected a list of items.' };
    case 'i18n':
      if (typeof input === 'string') return { value: { en: input } };
      return isPlainObject(input) && Object.values(input).every((v) => typeof v === 'string')
        ? { value: input }
        : { error: 'Invalid i18n string.' };
    case 'decimal':
      if (input === null && kind.nullable) return { value: null };
      return (typeof input === 'string' && /^-?\d+(\.\d+)?$/.test(input)) || typeof input === 'number'
        ? { value: Number(input) }
        : { error: 'A valid number is required.' };
  }
}

/** The settings as the API shows them: every setting it may change, with the value in force. */
export function apiEventSettings(db: ReadableDB, eventId: number): Record<string, unknown> {
  const all = eventSettings(db, eventId);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(SETTING_KINDS)) out[key] = all[key] ?? null;
  return out;
}

/**
 * Changes event settings (PATCH semantics), as pretix's SettingsSerializer: keys the API does not expose
 * are ignored, `null` resets a setting to its default, an invalid value is refused with a per-key error
 * and nothing is stored. The time zone is kept on the event row too, where other rooms read it.
 */
export function patchEventSettings(ctx: EngineContext, eventId: number, body: unknown): EventSettings {
  const errors: FieldErrors = {};
  const changes: Record<string, unknown> = {};
  const resets: string[] = [];
  if (!isPlainObject(body)) throw invalidFields('invalid', { non_field_errors: ['Invalid data.'] });
  for (const [key, input] of Object.entries(body)) {
    if (!Object.hasOwn(SETTING_KINDS, key)) continue;
    const kind = SETTING_KINDS[key]!;
    if (input === null) {
      resets.push(key);
      continue;
    }
    const r = parseSetting(kind, input);
    if ('error' in r) errors[key] = [r.error];
    else changes[key] = r.value;
  }
  const stored = eventSettings(ctx.db, eventId);
  for (const key of resets) stored[key] = DEFAULT_EVENT_SETTINGS[key] ?? null;
  const merged = { ...stored, ...changes };
  if (merged.attendee_names_required && !merged.attendee_names_asked && !errors.attendee_names_required)
    errors.attendee_names_required = [
      'You cannot require specifying attendee names if you do not ask for them.',
    ];
  if (merged.attendee_emails_required && !merged.attendee_emails_asked && !errors.attendee_emails_required)
    errors.attendee_emails_required = [
      'You have to ask for attendee emails if you want to make them required.',
    ];
  if (Object.keys(errors).length > 0) throw invalidFields('invalid_settings', errors);
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
  const text = eventSettingsText(db, eventId);
  const stored = text !== undefined ? (JSON.parse(text) as Partial<EventSettings>) : {};
  return { ...DEFAULT_EVENT_SETTINGS, ...stored };
}
