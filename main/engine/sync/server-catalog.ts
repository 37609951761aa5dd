/**
 * The server's catalog as the desk imports it: pretix's REST resources, already parsed at the door
 * (main/sync), with only the fields the desk's own catalog keeps. Ids are the server's.
 */

/** pretix's translatable text: one string per language. */
export type I18n = Record<string, string>;

export interface ServerEvent {
  slug: string;
  name: I18n;
  currency: string;
  date_from: string | null;
  date_to: string | null;
  timezone: string;
  has_subevents: boolean;
  live: boolean;
  testmode: boolean;
}

export interface ServerPriceOverride {
  /** The item's or the variation's id. */
  id: number;
  price: string | null;
  disabled: boolean;
}

export interface ServerSubevent {
  id: number;
  name: I18n;
  active: boolean;
  date_from: string;
  date_to: string | null;
  presale_start: string | null;
  presale_end: string | null;
  item_price_overrides: ServerPriceOverride[];
  variation_price_overrides: ServerPriceOverride[];
}

export interface ServerTaxRule {
  id: number;
  name: I18n;
  rate: string;
  price_includes_tax: boolean;
}

export interface ServerCategory {
  id: number;
  name: I18n;
  internal_name: string | null;
  description: I18n;
  position: number;
  is_addon: boolean;
}

export interface ServerVariation {
  id: number;
  value: I18n;
  description: I18n;
  active: boolean;
  position: number;
  default_price: string | null;
  original_price: string | null;
  require_approval: boolean;
  available_from: string | null;
  available_until: string | null;
  checkin_attention: boolean;
}

export interface ServerAddon {
  id: number;
  addon_category: number;
  min_count: number;
  max_count: number;
  position: number;
  price_included: boolean;
  multi_allowed: boolean;
}

export interface ServerBundle {
  id: number;
  bundled_item: number;
  bundled_variation: number | null;
  count: number;
  designated_price: string;
}

export interface ServerItem {
  id: number;
  name: I18n;
  internal_name: string | null;
  description: I18n;
  default_price: string;
  free_price: boolean;
  category: number | null;
  tax_rule: number | null;
  admission: boolean;
  personalized: boolean;
  generate_tickets: boolean | null;
  active: boolean;
  position: number;
  available_from: string | null;
  available_until: string | null;
  require_voucher: boolean;
  hide_without_voucher: boolean;
  require_approval: boolean;
  require_bundling: boolean;
  allow_cancel: boolean;
  min_per_order: number | null;
  max_per_order: number | null;
  checkin_attention: boolean;
  original_price: string | null;
  sales_channels: string[] | null;
  variations: ServerVariation[];
  addons: ServerAddon[];
  bundles: ServerBundle[];
}

export interface ServerQuota {
  id: number;
  name: string;
  size: number | null;
  items: number[];
  variations: number[];
  subevent: number | null;
  closed: boolean;
  close_when_sold_out: boolean;
  release_after_exit: boolean;
  ignore_for_event_availability: boolean;
}

export interface ServerQuestionOption {
  id: number;
  identifier: string;
  answer: I18n;
  position: number;
}

export interface ServerQuestion {
  id: number;
  question: I18n;
  help_text: I18n;
  type: string;
  required: boolean;
  position: number;
  identifier: string;
  items: number[];
  ask_during_checkin: boolean;
  show_during_checkin: boolean;
  hidden: boolean;
  print_on_invoice: boolean;
  dependency_question: number | null;
  dependency_values: string[];
  options: ServerQuestionOption[];
}

export interface ServerCheckinList {
  id: number;
  name: string;
  all_products: boolean;
  limit_products: number[];
  subevent: number | null;
  include_pending: boolean;
  allow_multiple_entries: boolean;
  allow_entry_after_exit: boolean;
  addon_match: boolean;
  exit_all_at: string | null;
  rules: Record<string, unknown>;
  consider_tickets_used: boolean;
  ignore_in_statistics: boolean;
}

/** Everything the server lists for the event, each list complete. */
export interface ServerCatalog {
  organizer: string;
  event: ServerEvent;
  subevents: ServerSubevent[];
  taxRules: ServerTaxRule[];
  categories: ServerCategory[];
  items: ServerItem[];
  quotas: ServerQuota[];
  questions: ServerQuestion[];
  checkinLists: ServerCheckinList[];
}
