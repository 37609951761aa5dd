import {
  isNameScheme,
  isTimeZone,
  settingsRefusals,
  type EventSettings,
  type EventSettingsPatch,
} from '../../engine/catalog';
import type { EngineContext } from '../../engine/context';
import { invalidFields, shown, type FieldErrors } from '../../engine/errors';
import { DRF, bodyBoolean } from './drf';

/**
 * The body of pretix's event settings endpoint (`SettingsSerializer`): each setting as pretix's settings
 * form reads it (its booleans and integers are the form's, a little more lenient than DRF's fields).
 */
function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A settings form's boolean: DRF's spellings in any case, around spaces too. */
function parseBoolean(input: unknown): { value: boolean } | { error: string } {
  const value = bodyBoolean(typeof input === 'string' ? input.trim().toLowerCase() : input);
  return value === undefined ? { error: DRF.boolean } : { value };
}

function parseInteger(input: unknown): { value: number } | { error: string } {
  if (typeof input === 'number' && Number.isInteger(input)) return { value: input };
  if (typeof input === 'string' && /^\s*-?\d+\s*$/.test(input)) return { value: Number(input) };
  return { error: DRF.integer };
}

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

function parseSetting(kind: SettingKind, input: unknown): { value: unknown } | { error: string } {
  const invalidChoice = {
    error: `Select a valid choice. ${shown(input)} is not one of the available choices.`,
  };
  switch (kind.kind) {
    case 'bool': {
      return parseBoolean(input);
    }
    case 'int': {
      const r = parseInteger(input);
      if ('error' in r) return r;
      if (kind.min !== undefined && r.value < kind.min)
        return { error: `Ensure this value is greater than or equal to ${kind.min}.` };
      if (kind.max !== undefined && r.value > kind.max)
        return { error: `Ensure this value is less than or equal to ${kind.max}.` };
      return { value: r.value };
    }
    case 'string':
      if (input === null && kind.nullable) return { value: null };
      return typeof input === 'string' ? { value: input } : { error: DRF.string };
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
        : { error: DRF.date };
    case 'stringlist':
      return Array.isArray(input) && input.every((v) => typeof v === 'string')
        ? { value: input }
        : { error: 'Expected a list of items.' };
    case 'i18n':
      if (typeof input === 'string') return { value: { en: input } };
      return isDict(input) && Object.values(input).every((v) => typeof v === 'string')
        ? { value: input }
        : { error: 'Invalid i18n string.' };
    case 'decimal':
      if (input === null && kind.nullable) return { value: null };
      return (typeof input === 'string' && /^-?\d+(\.\d+)?$/.test(input)) || typeof input === 'number'
        ? { value: Number(input) }
        : { error: DRF.number };
  }
}

/**
 * A settings change (PATCH settings/): keys the API does not expose are ignored, `null` resets a setting,
 * and an invalid value or a change the room refuses answers one 400 with a message per key.
 */
export function settingsPatch(ctx: EngineContext, eventId: number, body: unknown): EventSettingsPatch {
  if (!isDict(body)) throw invalidFields('invalid', { non_field_errors: ['Invalid data.'] });
  const errors: FieldErrors = {};
  const patch: Record<string, unknown> = {};
  for (const [key, input] of Object.entries(body)) {
    if (!Object.hasOwn(SETTING_KINDS, key)) continue;
    if (input === null) {
      patch[key] = null;
      continue;
    }
    const r = parseSetting(SETTING_KINDS[key]!, input);
    if ('error' in r) errors[key] = [r.error];
    else patch[key] = r.value;
  }
  for (const [key, messages] of Object.entries(settingsRefusals(ctx.db, eventId, patch)))
    errors[key] ??= messages;
  if (Object.keys(errors).length > 0) throw invalidFields('invalid_settings', errors);
  return patch;
}

/** The settings as the API shows them: every setting it may change, with the value in force. */
export function settingsResource(settings: EventSettings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(SETTING_KINDS)) out[key] = settings[key] ?? null;
  return out;
}
