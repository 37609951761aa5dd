// Generated from the migrations by `npm run db:rows`; do not edit by hand.

/** A position's attendee (cart and order positions): name, email and address. */
export interface AttendeeColumns {
  attendee_name_cached: string | null;
  attendee_name_parts: string;
  attendee_email: string | null;
  company: string | null;
  street: string | null;
  zipcode: string | null;
  city: string | null;
  country: string | null;
  state: string | null;
}

/** An event's or a date's end, admission, presale window and place. */
export interface ScheduleColumns {
  date_to: string | null;
  date_admission: string | null;
  presale_start: string | null;
  presale_end: string | null;
  location: string | null;
  geo_lat: string | null;
  geo_lon: string | null;
}

/** A row of `api_calls`. */
export interface ApiCallRow {
  id: number;
  idempotency_key: string;
  auth_hash: string;
  created: string;
  locked: string | null;
  request_method: string;
  request_path: string;
  response_code: number;
  response_headers: string;
  response_body: Buffer;
}

/** A row of `api_tokens`. */
export interface ApiTokenRow {
  id: number;
  organizer_id: number;
  name: string;
  token_hash: string;
  scope: string;
  created: string;
  revoked_at: string | null;
  last_used: string | null;
}

/** A row of `app_settings`. */
export interface AppSettingRow {
  key: string;
  value: string;
}

/** A row of `audit_log`. */
export interface AuditLogRow {
  id: number;
  datetime: string;
  organizer_id: number | null;
  event_id: number | null;
  object_type: string;
  object_id: number | null;
  action_type: string;
  actor: string;
  data: string;
}

/** A row of `authorisations`. */
export interface AuthorisationRow {
  id: number;
  desk: string;
  shift_id: number | null;
  action: string;
  manager_id: number;
  cashier_id: number;
  detail: string;
  created: string;
}

/** A row of `cart_positions`. */
export interface CartPositionRow extends AttendeeColumns {
  id: number;
  event_id: number;
  cart_id: string | null;
  item_id: number;
  variation_id: number | null;
  subevent_id: number | null;
  price: string;
  listed_price: string | null;
  price_after_voucher: string | null;
  includes_tax: number;
  tax_rate: string;
  voucher_id: number | null;
  addon_to_id: number | null;
  is_bundled: number;
  seat: string | null;
  sales_channel: string;
  datetime: string;
  expires: string;
}

/** A row of `cash_movements`. */
export interface CashMovementRow {
  id: number;
  shift_id: number;
  kind: string;
  amount: string;
  reason: string;
  cashier_id: number;
  authorised_by: number | null;
  created: string;
}

/** A row of `cashiers`. */
export interface CashierRow {
  id: number;
  name: string;
  role: string;
  pin_hash: string;
  active: number;
  created: string;
}

/** A row of `categories`. */
export interface CategoryRow {
  id: number;
  event_id: number;
  name: string;
  internal_name: string | null;
  description: string;
  position: number;
  is_addon: number;
  extra: string;
}

/** A row of `checkin_list_gates`. */
export interface CheckinListGateRow {
  list_id: number;
  gate_id: number;
}

/** A row of `checkin_list_items`. */
export interface CheckinListItemRow {
  list_id: number;
  item_id: number;
}

/** A row of `checkin_lists`. */
export interface CheckinListRow {
  id: number;
  event_id: number;
  name: string;
  all_products: number;
  subevent_id: number | null;
  include_pending: number;
  allow_multiple_entries: number;
  allow_entry_after_exit: number;
  addon_match: number;
  exit_all_at: string | null;
  rules: string;
  consider_tickets_used: number;
  ignore_in_statistics: number;
  extra: string;
}

/** A row of `checkins`. */
export interface CheckinRow {
  id: number;
  list_id: number;
  position_id: number | null;
  type: string;
  datetime: string;
  created: string;
  nonce: string | null;
  device_id: number | null;
  gate_id: number | null;
  forced: number;
  auto_checked_in: number;
  successful: number;
  error_reason: string | null;
  error_explanation: string | null;
  raw_barcode: string | null;
  raw_item_id: number | null;
  raw_variation_id: number | null;
  raw_subevent_id: number | null;
}

/** A row of `desk_actions`. */
export interface DeskActionRow {
  action_key: string;
  action: string;
  request_digest: string;
  result: string;
  created: string;
}

/** A row of `desk_sales`. */
export interface DeskSaleRow {
  sale_id: string;
  order_id: number;
  change: string | null;
  created: string;
}

/** A row of `desk_sign_ins`. */
export interface DeskSignInRow {
  desk: string;
  cashier_id: number;
  since: string;
}

/** A row of `devices`. */
export interface DeviceRow {
  id: number;
  organizer_id: number;
  device_id: number;
  name: string;
  unique_serial: string;
  initialization_token: string;
  api_token_hash: string | null;
  all_events: number;
  limit_events: string;
  gate_id: number | null;
  security_profile: string;
  hardware_brand: string | null;
  hardware_model: string | null;
  os_name: string | null;
  os_version: string | null;
  software_brand: string | null;
  software_version: string | null;
  info: string;
  created: string;
  initialized: string | null;
  revoked: number;
  rsa_pubkey: string | null;
}

/** A row of `events`. */
export interface EventRow extends ScheduleColumns {
  id: number;
  organizer_id: number;
  slug: string;
  name: string;
  currency: string;
  date_from: string | null;
  timezone: string;
  has_subevents: number;
  live: number;
  testmode: number;
  is_public: number;
  meta_data: string;
  plugins: string;
  settings: string;
  extra: string;
  created: string;
}

/** A row of `gates`. */
export interface GateRow {
  id: number;
  organizer_id: number;
  name: string;
  identifier: string;
}

/** A row of `invoice_addresses`. */
export interface InvoiceAddressRow {
  order_id: number;
  last_modified: string;
  is_business: number;
  company: string;
  name_cached: string;
  name_parts: string;
  street: string;
  zipcode: string;
  city: string;
  country: string;
  state: string;
  vat_id: string;
  vat_id_validated: number;
  internal_reference: string;
  custom_field: string | null;
}

/** A row of `item_addons`. */
export interface ItemAddonRow {
  id: number;
  base_item_id: number;
  addon_category_id: number;
  min_count: number;
  max_count: number;
  position: number;
  price_included: number;
  multi_allowed: number;
}

/** A row of `item_bundles`. */
export interface ItemBundleRow {
  id: number;
  base_item_id: number;
  bundled_item_id: number;
  bundled_variation_id: number | null;
  count: number;
  designated_price: string;
}

/** A row of `item_variations`. */
export interface ItemVariationRow {
  id: number;
  item_id: number;
  value: string;
  description: string;
  active: number;
  position: number;
  default_price: string | null;
  original_price: string | null;
  require_approval: number;
  available_from: string | null;
  available_until: string | null;
  checkin_attention: number;
  checkin_text: string | null;
  meta_data: string;
  extra: string;
}

/** A row of `items`. */
export interface ItemRow {
  id: number;
  event_id: number;
  category_id: number | null;
  name: string;
  internal_name: string | null;
  description: string;
  default_price: string;
  free_price: number;
  tax_rule_id: number | null;
  admission: number;
  personalized: number;
  generate_tickets: number | null;
  active: number;
  position: number;
  available_from: string | null;
  available_until: string | null;
  require_voucher: number;
  hide_without_voucher: number;
  require_approval: number;
  require_bundling: number;
  allow_cancel: number;
  min_per_order: number | null;
  max_per_order: number | null;
  checkin_attention: number;
  checkin_text: string | null;
  original_price: string | null;
  sales_channels: string;
  meta_data: string;
  extra: string;
}

/** A row of `journal`. */
export interface JournalRow {
  id: number;
  desk: string;
  kind: string;
  ref_id: number;
  created: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

/** A row of `order_fees`. */
export interface OrderFeeRow {
  id: number;
  order_id: number;
  fee_type: string;
  value: string;
  description: string;
  internal_type: string;
  tax_rate: string;
  tax_value: string;
  tax_rule_id: number | null;
  canceled: number;
}

/** A row of `order_payments`. */
export interface OrderPaymentRow {
  id: number;
  order_id: number;
  local_id: number;
  state: string;
  amount: string;
  created: string;
  payment_date: string | null;
  provider: string | null;
  info: string;
  fee_id: number | null;
  method: string | null;
}

/** A row of `order_positions`. */
export interface OrderPositionRow extends AttendeeColumns {
  id: number;
  order_id: number;
  organizer_id: number;
  positionid: number;
  item_id: number;
  variation_id: number | null;
  subevent_id: number | null;
  price: string;
  tax_rate: string;
  tax_value: string;
  tax_rule_id: number | null;
  secret: string;
  web_secret: string;
  pseudonymization_id: string;
  voucher_id: number | null;
  voucher_budget_use: string | null;
  addon_to_id: number | null;
  is_bundled: number;
  canceled: number;
  blocked: string | null;
  valid_from: string | null;
  valid_until: string | null;
  seat: string | null;
}

/** A row of `order_refunds`. */
export interface OrderRefundRow {
  id: number;
  order_id: number;
  local_id: number;
  state: string;
  source: string;
  amount: string;
  payment_id: number | null;
  created: string;
  execution_date: string | null;
  provider: string | null;
  comment: string | null;
  info: string;
  method: string | null;
}

/** A row of `orders`. */
export interface OrderRow {
  id: number;
  organizer_id: number;
  event_id: number;
  code: string;
  status: string;
  testmode: number;
  require_approval: number;
  valid_if_pending: number;
  email: string | null;
  phone: string | null;
  locale: string | null;
  secret: string;
  datetime: string;
  cancellation_date: string | null;
  expires: string;
  total: string;
  comment: string;
  custom_followup_at: string | null;
  checkin_attention: number;
  checkin_text: string | null;
  sales_channel: string;
  meta_info: string | null;
  api_meta: string;
  last_modified: string;
}

/** A row of `organizers`. */
export interface OrganizerRow {
  id: number;
  slug: string;
  name: string;
}

/** A row of `print_jobs`. */
export interface PrintJobRow {
  id: number;
  idempotency_key: string;
  printer_id: number;
  kind: string;
  title: string;
  order_id: number | null;
  position_ids: string | null;
  reprint: number;
  document: Buffer | null;
  state: string;
  reason: string | null;
  pages_total: number | null;
  pages_done: number;
  page_in_flight: number | null;
  attempts: number;
  created: string;
  updated: string;
  finished: string | null;
}

/** A row of `printers`. */
export interface PrinterRow {
  id: number;
  name: string;
  role: string;
  connection: string;
  address: string;
  protocol: string;
  dpi: number;
  paper: string;
  print_width_mm: number;
  enabled: number;
  state: string;
  state_reason: string | null;
  state_since: string | null;
  created: string;
  removed: string | null;
}

/** A row of `question_answers`. */
export interface QuestionAnswerRow {
  id: number;
  orderposition_id: number | null;
  cartposition_id: number | null;
  question_id: number;
  answer: string;
  options: string;
}

/** A row of `question_items`. */
export interface QuestionItemRow {
  question_id: number;
  item_id: number;
}

/** A row of `question_options`. */
export interface QuestionOptionRow {
  id: number;
  question_id: number;
  identifier: string;
  answer: string;
  position: number;
}

/** A row of `questions`. */
export interface QuestionRow {
  id: number;
  event_id: number;
  question: string;
  help_text: string;
  type: string;
  required: number;
  position: number;
  identifier: string;
  ask_during_checkin: number;
  show_during_checkin: number;
  hidden: number;
  print_on_invoice: number;
  valid_number_min: string | null;
  valid_number_max: string | null;
  valid_date_min: string | null;
  valid_date_max: string | null;
  valid_datetime_min: string | null;
  valid_datetime_max: string | null;
  valid_string_length_max: number | null;
  dependency_question_id: number | null;
  dependency_values: string;
  extra: string;
}

/** A row of `quota_items`. */
export interface QuotaItemRow {
  quota_id: number;
  item_id: number;
}

/** A row of `quota_variations`. */
export interface QuotaVariationRow {
  quota_id: number;
  variation_id: number;
}

/** A row of `quotas`. */
export interface QuotaRow {
  id: number;
  event_id: number;
  subevent_id: number | null;
  name: string;
  size: number | null;
  closed: number;
  close_when_sold_out: number;
  release_after_exit: number;
  ignore_for_event_availability: number;
  paid_count: number;
  pending_count: number;
  extra: string;
}

/** A row of `receipts`. */
export interface ReceiptRow {
  id: number;
  desk: string;
  number: number;
  shift_id: number;
  kind: string;
  order_id: number;
  cashier_id: number;
  created: string;
  payment_method: string;
  total: string;
  given: string | null;
  change: string | null;
  content: string;
}

/** A row of `schema_version`. */
export interface SchemaVersionRow {
  version: number;
  name: string;
  applied: string;
}

/** A row of `shifts`. */
export interface ShiftRow {
  id: number;
  desk: string;
  currency: string;
  state: string;
  opened: string;
  opened_by: number;
  opening_float: string;
  closed: string | null;
  closed_by: number | null;
  z_number: number | null;
  expected_cash: string | null;
  counted_cash: string | null;
  difference: string | null;
  denominations: string | null;
  comment: string | null;
  figures: string | null;
}

/** A row of `subevent_item_prices`. */
export interface SubeventItemPriceRow {
  subevent_id: number;
  item_id: number;
  price: string | null;
  disabled: number;
}

/** A row of `subevent_variation_prices`. */
export interface SubeventVariationPriceRow {
  subevent_id: number;
  variation_id: number;
  price: string | null;
  disabled: number;
}

/** A row of `subevents`. */
export interface SubeventRow extends ScheduleColumns {
  id: number;
  event_id: number;
  name: string;
  active: number;
  is_public: number;
  date_from: string;
  meta_data: string;
  extra: string;
}

/** A row of `sync_allotments`. */
export interface SyncAllotmentRow {
  quota_id: number;
  voucher_id: number | null;
  voucher_code: string;
  target: number;
  held: number;
  sold: number;
  uploaded: number;
  size: number;
}

/** A row of `sync_connection`. */
export interface SyncConnectionRow {
  id: number;
  base_url: string;
  organizer: string;
  event: string;
  auth_scheme: string;
  api_token: string;
  device_id: number | null;
  connected: string;
  last_contact: string | null;
  unreachable_since: string | null;
  last_sync: string | null;
  disconnected: string | null;
}

/** A row of `sync_local_ids`. */
export interface SyncLocalIdRow {
  kind: string;
  remote_id: string;
  local_id: number;
  gone: number;
}

/** A row of `sync_outbox`. */
export interface SyncOutboxRow {
  seq: number;
  idempotency_key: string;
  kind: string;
  method: string;
  path: string;
  body: string;
  order_code: string | null;
  places: string;
  state: string;
  attempts: number;
  next_attempt: string | null;
  reason: string | null;
  response: string | null;
  created: string;
  finished: string | null;
  resent: number;
  position_secret: string | null;
}

/** A row of `sync_pulls`. */
export interface SyncPullRow {
  resource: string;
  page_generated: string;
}

/** A row of `sync_resources`. */
export interface SyncResourceRow {
  resource: string;
  remote_id: string;
  body: string;
  pulled: string;
}

/** A row of `tax_rules`. */
export interface TaxRuleRow {
  id: number;
  event_id: number;
  name: string;
  internal_name: string | null;
  rate: string;
  price_includes_tax: number;
  keep_gross_if_rate_changes: number;
  extra: string;
}

/** A row of `ticket_layout_items`. */
export interface TicketLayoutItemRow {
  item_id: number;
  layout_id: number;
}

/** A row of `ticket_layouts`. */
export interface TicketLayoutRow {
  id: number;
  event_id: number;
  name: string;
  is_default: number;
  layout: string;
}

/** A row of `vouchers`. */
export interface VoucherRow {
  id: number;
  event_id: number;
  code: string;
  max_usages: number;
  min_usages: number;
  redeemed: number;
  valid_until: string | null;
  block_quota: number;
  allow_ignore_quota: number;
  price_mode: string;
  value: string | null;
  item_id: number | null;
  variation_id: number | null;
  quota_id: number | null;
  subevent_id: number | null;
  tag: string | null;
  comment: string;
  show_hidden_items: number;
  all_addons_included: number;
  all_bundles_included: number;
  budget: string | null;
  extra: string;
}
