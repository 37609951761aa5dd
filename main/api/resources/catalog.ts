import type { Database } from 'better-sqlite3';
import {
  nestedRecordsOfItem,
  optionRecordsOfQuestion,
  questionItemIds,
  quotaMembers,
  subeventPrices,
  taxRuleRate,
  type CatalogRecord,
  type EventRow,
  type QuotaRow,
  type VoucherRow,
} from '../../engine/catalog';
import { apiDatetime } from './order';

/**
 * The catalog as pretix's REST API shows it: events, sub-events, vouchers, tax rules, categories, items
 * and their variations, add-ons and bundles, quotas, questions and their options.
 */

/** A catalog row as the room's generic record reads return it. */
export type CatalogResourceRow = CatalogRecord;
type Row = CatalogResourceRow;

// ---------------------------------------------------------------- pretix's value formats

/** An i18n text column: its JSON object, or a plain text taken as English. */
export function i18n(text: string | null | undefined): Record<string, string> | null {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text) as Record<string, string>;
  } catch {
    return { en: text };
  }
}

export function json<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function bool(value: number | null | undefined): boolean {
  return value === 1;
}

function dt(value: string | null | undefined): string | null {
  return apiDatetime(value);
}

function s(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}
function n(v: unknown): number {
  return Number(v);
}
function extraOf(row: Row): Record<string, unknown> {
  return json<Record<string, unknown>>(s(row.extra), {});
}
function pick<T>(extra: Record<string, unknown>, key: string, fallback: T): T {
  return key in extra ? (extra[key] as T) : fallback;
}

// ---------------------------------------------------------------- events, sub-events, vouchers

/** pretix's event resource (`EventSerializer`). */
export function eventResource(
  event: EventRow,
  organizerSlug: string,
  baseUrl: string,
): Record<string, unknown> {
  const extra = json<Record<string, unknown>>(event.extra, {});
  const limit = Array.isArray(extra.limit_sales_channels) ? extra.limit_sales_channels : [];
  const all = extra.all_sales_channels !== false;
  return {
    name: i18n(event.name),
    slug: event.slug,
    live: bool(event.live),
    testmode: bool(event.testmode),
    currency: event.currency,
    date_from: dt(event.date_from),
    date_to: dt(event.date_to),
    date_admission: dt(event.date_admission),
    is_public: bool(event.is_public),
    presale_start: dt(event.presale_start),
    presale_end: dt(event.presale_end),
    location: event.location === null ? null : i18n(event.location),
    geo_lat: event.geo_lat === null ? null : Number(event.geo_lat),
    geo_lon: event.geo_lon === null ? null : Number(event.geo_lon),
    has_subevents: bool(event.has_subevents),
    meta_data: json(event.meta_data, {}),
    seating_plan: null,
    plugins: [...json<string[]>(event.plugins, [])].sort(),
    seat_category_mapping: {},
    timezone: event.timezone,
    item_meta_properties: {},
    valid_keys: { pretix_sig1: [] },
    sales_channels: Array.isArray(extra.sales_channels) ? extra.sales_channels : ['web'],
    all_sales_channels: all,
    limit_sales_channels: all ? [] : limit,
    public_url: `${baseUrl}/${organizerSlug}/${event.slug}/`,
  };
}

/** A sub-event's own price for an item or a variation (pretix's `SubEventItem`, `SubEventItemVariation`). */
function priceOverride(o: { disabled: number; price: string | null }) {
  return { disabled: o.disabled === 1, available_from: null, available_until: null, price: o.price };
}

/** pretix's sub-event resource (`SubEventSerializer`). */
export function subeventResource(db: Database, row: Row, eventSlug: string): Record<string, unknown> {
  const extra = json<Record<string, unknown>>(String(row.extra ?? '{}'), {});
  const { items, variations } = subeventPrices(db, row.id);
  return {
    id: row.id,
    name: i18n(s(row.name)),
    date_from: dt(s(row.date_from)),
    date_to: dt(s(row.date_to)),
    active: bool(n(row.active)),
    date_admission: dt(s(row.date_admission)),
    presale_start: dt(s(row.presale_start)),
    presale_end: dt(s(row.presale_end)),
    location: row.location === null ? null : i18n(s(row.location)),
    geo_lat: row.geo_lat === null ? null : Number(row.geo_lat),
    geo_lon: row.geo_lon === null ? null : Number(row.geo_lon),
    event: eventSlug,
    is_public: bool(n(row.is_public)),
    frontpage_text: 'frontpage_text' in extra ? extra.frontpage_text : null,
    seating_plan: null,
    item_price_overrides: items.map((o) => ({ item: o.item_id, ...priceOverride(o) })),
    variation_price_overrides: variations.map((o) => ({ variation: o.variation_id, ...priceOverride(o) })),
    meta_data: json(s(row.meta_data), {}),
    seat_category_mapping: {},
    comment: 'comment' in extra ? extra.comment : null,
  };
}

/** pretix's voucher resource (`VoucherSerializer`). */
export function voucherResource(v: VoucherRow): Record<string, unknown> {
  return {
    id: v.id,
    code: v.code,
    max_usages: v.max_usages,
    redeemed: v.redeemed,
    min_usages: v.min_usages,
    valid_until: dt(v.valid_until),
    block_quota: bool(v.block_quota),
    allow_ignore_quota: bool(v.allow_ignore_quota),
    price_mode: v.price_mode,
    value: v.value,
    item: v.item_id,
    variation: v.variation_id,
    quota: v.quota_id,
    tag: v.tag,
    comment: v.comment,
    subevent: v.subevent_id,
    show_hidden_items: bool(v.show_hidden_items),
    seat: null,
    all_addons_included: bool(v.all_addons_included),
    all_bundles_included: bool(v.all_bundles_included),
    budget: v.budget,
  };
}

// ---------------------------------------------------------------- items, quotas, questions

export function taxRuleResource(row: Row): Record<string, unknown> {
  const extra = extraOf(row);
  return {
    id: row.id,
    name: i18n(s(row.name)),
    internal_name: s(row.internal_name),
    rate: s(row.rate),
    price_includes_tax: bool(n(row.price_includes_tax)),
    eu_reverse_charge: pick(extra, 'eu_reverse_charge', false),
    home_country: pick(extra, 'home_country', ''),
    keep_gross_if_rate_changes: bool(n(row.keep_gross_if_rate_changes)),
    custom_rules: null,
    code: pick(extra, 'code', null),
    default: pick(extra, 'default', false),
  };
}

export function categoryResource(row: Row): Record<string, unknown> {
  return {
    id: row.id,
    name: i18n(s(row.name)),
    internal_name: s(row.internal_name),
    description: i18n(s(row.description)),
    position: n(row.position),
    is_addon: bool(n(row.is_addon)),
    cross_selling_mode: null,
    cross_selling_condition: null,
    cross_selling_match_products: [],
  };
}

function salesChannels(row: Row, extra: Record<string, unknown>) {
  const all = pick(extra, 'all_sales_channels', true);
  return {
    sales_channels: json<string[]>(s(row.sales_channels), pick(extra, 'sales_channels', ['web'])),
    all_sales_channels: all,
    limit_sales_channels: all ? [] : pick(extra, 'limit_sales_channels', []),
  };
}

export function variationResource(row: Row, itemPrice: string): Record<string, unknown> {
  const extra = extraOf(row);
  const channels = salesChannels(
    { ...row, sales_channels: JSON.stringify(pick(extra, 'sales_channels', ['web'])) },
    extra,
  );
  return {
    id: row.id,
    value: i18n(s(row.value)),
    active: bool(n(row.active)),
    description: i18n(s(row.description)),
    position: n(row.position),
    default_price: s(row.default_price),
    price: s(row.default_price) ?? itemPrice,
    original_price: s(row.original_price),
    free_price_suggestion: null,
    require_approval: bool(n(row.require_approval)),
    require_membership: false,
    require_membership_hidden: false,
    require_membership_types: [],
    ...channels,
    available_from: dt(s(row.available_from)),
    available_from_mode: 'hide',
    available_until: dt(s(row.available_until)),
    available_until_mode: 'hide',
    hide_without_voucher: pick(extra, 'hide_without_voucher', false),
    checkin_attention: bool(n(row.checkin_attention)),
    checkin_text: s(row.checkin_text),
    meta_data: json(s(row.meta_data), {}),
  };
}

export function addonResource(row: Row): Record<string, unknown> {
  return {
    id: row.id,
    addon_category: row.addon_category_id,
    min_count: n(row.min_count),
    max_count: n(row.max_count),
    position: n(row.position),
    price_included: bool(n(row.price_included)),
    multi_allowed: bool(n(row.multi_allowed)),
  };
}

export function bundleResource(row: Row): Record<string, unknown> {
  return {
    id: row.id,
    bundled_item: row.bundled_item_id,
    bundled_variation: row.bundled_variation_id ?? null,
    count: n(row.count),
    designated_price: s(row.designated_price),
  };
}

export function itemResource(db: Database, row: Row): Record<string, unknown> {
  const extra = extraOf(row);
  const price = s(row.default_price) ?? '0.00';
  const { variations, addons, bundles } = nestedRecordsOfItem(db, row.id);
  const taxRate = row.tax_rule_id ? (taxRuleRate(db, Number(row.tax_rule_id)) ?? '0.00') : '0.00';
  return {
    id: row.id,
    category: row.category_id ?? null,
    name: i18n(s(row.name)),
    internal_name: s(row.internal_name),
    active: bool(n(row.active)),
    ...salesChannels(row, extra),
    description: i18n(s(row.description)),
    default_price: price,
    free_price: bool(n(row.free_price)),
    free_price_suggestion: pick(extra, 'free_price_suggestion', null),
    tax_rate: taxRate,
    tax_rule: row.tax_rule_id ?? null,
    admission: bool(n(row.admission)),
    personalized: bool(n(row.personalized)),
    position: n(row.position),
    picture: null,
    available_from: dt(s(row.available_from)),
    available_from_mode: 'hide',
    available_until: dt(s(row.available_until)),
    available_until_mode: 'hide',
    hidden_if_available: pick(extra, 'hidden_if_available', null),
    hidden_if_item_available: pick(extra, 'hidden_if_item_available', null),
    hidden_if_item_available_mode: 'hide',
    require_voucher: bool(n(row.require_voucher)),
    hide_without_voucher: bool(n(row.hide_without_voucher)),
    allow_cancel: bool(n(row.allow_cancel)),
    require_bundling: bool(n(row.require_bundling)),
    min_per_order: row.min_per_order ?? null,
    max_per_order: row.max_per_order ?? null,
    checkin_attention: bool(n(row.checkin_attention)),
    checkin_text: s(row.checkin_text),
    has_variations: variations.length > 0 || pick(extra, 'has_variations', false),
    variations: variations.map((v) => variationResource(v, price)),
    addons: addons.map(addonResource),
    bundles: bundles.map(bundleResource),
    original_price: s(row.original_price),
    require_approval: bool(n(row.require_approval)),
    generate_tickets:
      row.generate_tickets === null || row.generate_tickets === undefined
        ? null
        : bool(n(row.generate_tickets)),
    allow_waitinglist: pick(extra, 'allow_waitinglist', true),
    issue_giftcard: pick(extra, 'issue_giftcard', false),
    show_quota_left: pick(extra, 'show_quota_left', null),
    meta_data: json(s(row.meta_data), {}),
    require_membership: false,
    require_membership_types: [],
    require_membership_hidden: false,
    grant_membership_type: null,
    grant_membership_duration_like_event: true,
    grant_membership_duration_days: 0,
    grant_membership_duration_months: 0,
    validity_mode: pick(extra, 'validity_mode', null),
    validity_fixed_from: dt(pick<string | null>(extra, 'validity_fixed_from', null)),
    validity_fixed_until: dt(pick<string | null>(extra, 'validity_fixed_until', null)),
    validity_dynamic_duration_minutes: pick(extra, 'validity_dynamic_duration_minutes', null),
    validity_dynamic_duration_hours: pick(extra, 'validity_dynamic_duration_hours', null),
    validity_dynamic_duration_days: pick(extra, 'validity_dynamic_duration_days', null),
    validity_dynamic_duration_months: pick(extra, 'validity_dynamic_duration_months', null),
    validity_dynamic_start_choice: pick(extra, 'validity_dynamic_start_choice', false),
    validity_dynamic_start_choice_day_limit: pick(extra, 'validity_dynamic_start_choice_day_limit', null),
    media_policy: null,
    media_type: null,
  };
}

export function quotaResource(db: Database, row: QuotaRow): Record<string, unknown> {
  const { items, variations } = quotaMembers(db, row.id);
  return {
    id: row.id,
    name: row.name,
    size: row.size,
    items,
    variations,
    subevent: row.subevent_id,
    closed: bool(row.closed),
    close_when_sold_out: bool(row.close_when_sold_out),
    release_after_exit: bool(row.release_after_exit),
    ignore_for_event_availability: bool(row.ignore_for_event_availability),
  };
}

export function optionResource(row: Row): Record<string, unknown> {
  return {
    id: row.id,
    identifier: s(row.identifier),
    answer: i18n(s(row.answer)),
    position: n(row.position),
  };
}

export function questionResource(db: Database, row: Row): Record<string, unknown> {
  const extra = extraOf(row);
  const items = questionItemIds(db, row.id);
  const options = optionRecordsOfQuestion(db, row.id);
  const dependencyValues = json<string[]>(s(row.dependency_values), []);
  return {
    id: row.id,
    question: i18n(s(row.question)),
    type: row.type,
    required: bool(n(row.required)),
    items,
    options: options.map(optionResource),
    position: n(row.position),
    ask_during_checkin: bool(n(row.ask_during_checkin)),
    show_during_checkin: bool(n(row.show_during_checkin)),
    identifier: s(row.identifier),
    help_text: i18n(s(row.help_text)),
    hidden: bool(n(row.hidden)),
    print_on_invoice: bool(n(row.print_on_invoice)),
    valid_number_min: s(row.valid_number_min),
    valid_number_max: s(row.valid_number_max),
    valid_date_min: s(row.valid_date_min),
    valid_date_max: s(row.valid_date_max),
    valid_datetime_min: dt(s(row.valid_datetime_min)),
    valid_datetime_max: dt(s(row.valid_datetime_max)),
    valid_string_length_max: row.valid_string_length_max ?? null,
    valid_file_portrait: pick(extra, 'valid_file_portrait', false),
    dependency_question: row.dependency_question_id ?? null,
    dependency_value: dependencyValues[0] ?? null,
    dependency_values: dependencyValues,
  };
}
