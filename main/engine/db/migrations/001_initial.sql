-- Guichet schema, version 1. Names follow pretix's models (see docs/architecture.md).
-- Money is exact decimal text ("23.00"); times are UTC ISO-8601 text; i18n strings are JSON objects.

CREATE TABLE organizers (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
);

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  organizer_id INTEGER NOT NULL REFERENCES organizers(id),
  slug TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '{}',
  currency TEXT NOT NULL DEFAULT 'EUR',
  date_from TEXT,
  date_to TEXT,
  date_admission TEXT,
  presale_start TEXT,
  presale_end TEXT,
  location TEXT,
  geo_lat TEXT,
  geo_lon TEXT,
  timezone TEXT NOT NULL DEFAULT 'UTC',
  has_subevents INTEGER NOT NULL DEFAULT 0,
  live INTEGER NOT NULL DEFAULT 0,
  testmode INTEGER NOT NULL DEFAULT 0,
  is_public INTEGER NOT NULL DEFAULT 1,
  meta_data TEXT NOT NULL DEFAULT '{}',
  plugins TEXT NOT NULL DEFAULT '[]',
  settings TEXT NOT NULL DEFAULT '{}',
  extra TEXT NOT NULL DEFAULT '{}',
  created TEXT NOT NULL,
  UNIQUE (organizer_id, slug)
);

CREATE TABLE subevents (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  name TEXT NOT NULL DEFAULT '{}',
  active INTEGER NOT NULL DEFAULT 0,
  is_public INTEGER NOT NULL DEFAULT 1,
  date_from TEXT NOT NULL,
  date_to TEXT,
  date_admission TEXT,
  presale_start TEXT,
  presale_end TEXT,
  location TEXT,
  geo_lat TEXT,
  geo_lon TEXT,
  meta_data TEXT NOT NULL DEFAULT '{}',
  extra TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX subevents_event ON subevents(event_id, date_from);

CREATE TABLE tax_rules (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  name TEXT NOT NULL DEFAULT '{}',
  internal_name TEXT,
  rate TEXT NOT NULL DEFAULT '0.00',
  price_includes_tax INTEGER NOT NULL DEFAULT 1,
  keep_gross_if_rate_changes INTEGER NOT NULL DEFAULT 0,
  extra TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE categories (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  name TEXT NOT NULL DEFAULT '{}',
  internal_name TEXT,
  description TEXT NOT NULL DEFAULT '{}',
  position INTEGER NOT NULL DEFAULT 0,
  is_addon INTEGER NOT NULL DEFAULT 0,
  extra TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  category_id INTEGER REFERENCES categories(id) ON DELETE SET NULL,
  name TEXT NOT NULL DEFAULT '{}',
  internal_name TEXT,
  description TEXT NOT NULL DEFAULT '{}',
  default_price TEXT NOT NULL DEFAULT '0.00',
  free_price INTEGER NOT NULL DEFAULT 0,
  tax_rule_id INTEGER REFERENCES tax_rules(id) ON DELETE SET NULL,
  admission INTEGER NOT NULL DEFAULT 0,
  personalized INTEGER NOT NULL DEFAULT 1,
  generate_tickets INTEGER,
  active INTEGER NOT NULL DEFAULT 1,
  position INTEGER NOT NULL DEFAULT 0,
  available_from TEXT,
  available_until TEXT,
  require_voucher INTEGER NOT NULL DEFAULT 0,
  hide_without_voucher INTEGER NOT NULL DEFAULT 0,
  require_approval INTEGER NOT NULL DEFAULT 0,
  require_bundling INTEGER NOT NULL DEFAULT 0,
  allow_cancel INTEGER NOT NULL DEFAULT 1,
  min_per_order INTEGER,
  max_per_order INTEGER,
  checkin_attention INTEGER NOT NULL DEFAULT 0,
  checkin_text TEXT,
  original_price TEXT,
  sales_channels TEXT NOT NULL DEFAULT '["web"]',
  meta_data TEXT NOT NULL DEFAULT '{}',
  extra TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX items_event ON items(event_id);

CREATE TABLE item_variations (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  value TEXT NOT NULL DEFAULT '{}',
  description TEXT NOT NULL DEFAULT '{}',
  active INTEGER NOT NULL DEFAULT 1,
  position INTEGER NOT NULL DEFAULT 0,
  default_price TEXT,
  original_price TEXT,
  require_approval INTEGER NOT NULL DEFAULT 0,
  available_from TEXT,
  available_until TEXT,
  checkin_attention INTEGER NOT NULL DEFAULT 0,
  checkin_text TEXT,
  meta_data TEXT NOT NULL DEFAULT '{}',
  extra TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX item_variations_item ON item_variations(item_id);

CREATE TABLE item_addons (
  id INTEGER PRIMARY KEY,
  base_item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  addon_category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
  min_count INTEGER NOT NULL DEFAULT 0,
  max_count INTEGER NOT NULL DEFAULT 1,
  position INTEGER NOT NULL DEFAULT 0,
  price_included INTEGER NOT NULL DEFAULT 0,
  multi_allowed INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE item_bundles (
  id INTEGER PRIMARY KEY,
  base_item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  bundled_item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  bundled_variation_id INTEGER REFERENCES item_variations(id) ON DELETE CASCADE,
  count INTEGER NOT NULL DEFAULT 1,
  designated_price TEXT NOT NULL DEFAULT '0.00'
);

CREATE TABLE subevent_item_prices (
  subevent_id INTEGER NOT NULL REFERENCES subevents(id) ON DELETE CASCADE,
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  price TEXT,
  disabled INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (subevent_id, item_id)
);

CREATE TABLE subevent_variation_prices (
  subevent_id INTEGER NOT NULL REFERENCES subevents(id) ON DELETE CASCADE,
  variation_id INTEGER NOT NULL REFERENCES item_variations(id) ON DELETE CASCADE,
  price TEXT,
  disabled INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (subevent_id, variation_id)
);

-- Quotas keep live counters of what pending and paid orders hold (maintained in the same transaction as
-- every order write), so availability does not scan orders however many there are.
CREATE TABLE quotas (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  subevent_id INTEGER REFERENCES subevents(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  size INTEGER,
  closed INTEGER NOT NULL DEFAULT 0,
  close_when_sold_out INTEGER NOT NULL DEFAULT 0,
  release_after_exit INTEGER NOT NULL DEFAULT 0,
  ignore_for_event_availability INTEGER NOT NULL DEFAULT 0,
  paid_count INTEGER NOT NULL DEFAULT 0,
  pending_count INTEGER NOT NULL DEFAULT 0,
  extra TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX quotas_event ON quotas(event_id, subevent_id);

CREATE TABLE quota_items (
  quota_id INTEGER NOT NULL REFERENCES quotas(id) ON DELETE CASCADE,
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  PRIMARY KEY (quota_id, item_id)
);
CREATE INDEX quota_items_item ON quota_items(item_id);

CREATE TABLE quota_variations (
  quota_id INTEGER NOT NULL REFERENCES quotas(id) ON DELETE CASCADE,
  variation_id INTEGER NOT NULL REFERENCES item_variations(id) ON DELETE CASCADE,
  PRIMARY KEY (quota_id, variation_id)
);
CREATE INDEX quota_variations_variation ON quota_variations(variation_id);

CREATE TABLE questions (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  question TEXT NOT NULL DEFAULT '{}',
  help_text TEXT NOT NULL DEFAULT '{}',
  type TEXT NOT NULL,
  required INTEGER NOT NULL DEFAULT 0,
  position INTEGER NOT NULL DEFAULT 0,
  identifier TEXT NOT NULL,
  ask_during_checkin INTEGER NOT NULL DEFAULT 0,
  show_during_checkin INTEGER NOT NULL DEFAULT 0,
  hidden INTEGER NOT NULL DEFAULT 0,
  print_on_invoice INTEGER NOT NULL DEFAULT 0,
  valid_number_min TEXT,
  valid_number_max TEXT,
  valid_date_min TEXT,
  valid_date_max TEXT,
  valid_datetime_min TEXT,
  valid_datetime_max TEXT,
  valid_string_length_max INTEGER,
  dependency_question_id INTEGER REFERENCES questions(id) ON DELETE SET NULL,
  dependency_values TEXT NOT NULL DEFAULT '[]',
  extra TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE question_items (
  question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  PRIMARY KEY (question_id, item_id)
);

CREATE TABLE question_options (
  id INTEGER PRIMARY KEY,
  question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  identifier TEXT NOT NULL,
  answer TEXT NOT NULL DEFAULT '{}',
  position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE vouchers (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  code TEXT NOT NULL,
  max_usages INTEGER NOT NULL DEFAULT 1,
  min_usages INTEGER NOT NULL DEFAULT 1,
  redeemed INTEGER NOT NULL DEFAULT 0,
  valid_until TEXT,
  block_quota INTEGER NOT NULL DEFAULT 0,
  allow_ignore_quota INTEGER NOT NULL DEFAULT 0,
  price_mode TEXT NOT NULL DEFAULT 'none',
  value TEXT,
  item_id INTEGER REFERENCES items(id) ON DELETE CASCADE,
  variation_id INTEGER REFERENCES item_variations(id) ON DELETE CASCADE,
  quota_id INTEGER REFERENCES quotas(id) ON DELETE CASCADE,
  subevent_id INTEGER REFERENCES subevents(id) ON DELETE CASCADE,
  tag TEXT,
  comment TEXT NOT NULL DEFAULT '',
  show_hidden_items INTEGER NOT NULL DEFAULT 1,
  all_addons_included INTEGER NOT NULL DEFAULT 0,
  all_bundles_included INTEGER NOT NULL DEFAULT 0,
  budget TEXT,
  extra TEXT NOT NULL DEFAULT '{}',
  UNIQUE (event_id, code)
);
-- Quota counting looks up the still-blocking vouchers of an event.
CREATE INDEX vouchers_blocking ON vouchers(event_id) WHERE block_quota = 1;

CREATE TABLE cart_positions (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  cart_id TEXT,
  item_id INTEGER NOT NULL REFERENCES items(id),
  variation_id INTEGER REFERENCES item_variations(id),
  subevent_id INTEGER REFERENCES subevents(id),
  price TEXT NOT NULL,
  listed_price TEXT,
  price_after_voucher TEXT,
  includes_tax INTEGER NOT NULL DEFAULT 1,
  tax_rate TEXT NOT NULL DEFAULT '0.00',
  attendee_name_cached TEXT,
  attendee_name_parts TEXT NOT NULL DEFAULT '{}',
  attendee_email TEXT,
  company TEXT,
  street TEXT,
  zipcode TEXT,
  city TEXT,
  country TEXT,
  state TEXT,
  voucher_id INTEGER REFERENCES vouchers(id),
  addon_to_id INTEGER REFERENCES cart_positions(id) ON DELETE CASCADE,
  is_bundled INTEGER NOT NULL DEFAULT 0,
  seat TEXT,
  sales_channel TEXT NOT NULL DEFAULT 'web',
  datetime TEXT NOT NULL,
  expires TEXT NOT NULL
);
CREATE INDEX cart_positions_cart ON cart_positions(event_id, cart_id);
CREATE INDEX cart_positions_item_expires ON cart_positions(item_id, expires);
CREATE INDEX cart_positions_variation_expires ON cart_positions(variation_id, expires);
CREATE INDEX cart_positions_voucher_expires ON cart_positions(voucher_id, expires);
CREATE INDEX cart_positions_expires ON cart_positions(expires);
CREATE INDEX cart_positions_addon_to ON cart_positions(addon_to_id);

CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  organizer_id INTEGER NOT NULL REFERENCES organizers(id),
  event_id INTEGER NOT NULL REFERENCES events(id),
  code TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('n', 'p', 'e', 'c')),
  testmode INTEGER NOT NULL DEFAULT 0,
  require_approval INTEGER NOT NULL DEFAULT 0,
  valid_if_pending INTEGER NOT NULL DEFAULT 0,
  email TEXT,
  phone TEXT,
  locale TEXT,
  secret TEXT NOT NULL,
  datetime TEXT NOT NULL,
  cancellation_date TEXT,
  expires TEXT NOT NULL,
  total TEXT NOT NULL DEFAULT '0.00',
  comment TEXT NOT NULL DEFAULT '',
  custom_followup_at TEXT,
  checkin_attention INTEGER NOT NULL DEFAULT 0,
  checkin_text TEXT,
  sales_channel TEXT NOT NULL DEFAULT 'web',
  meta_info TEXT,
  api_meta TEXT NOT NULL DEFAULT '{}',
  last_modified TEXT NOT NULL,
  UNIQUE (organizer_id, code)
);
CREATE INDEX orders_event_status ON orders(event_id, status);
CREATE INDEX orders_event_modified ON orders(event_id, last_modified);
CREATE INDEX orders_event_datetime ON orders(event_id, datetime);
CREATE INDEX orders_email ON orders(email);

CREATE TABLE invoice_addresses (
  order_id INTEGER PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE,
  last_modified TEXT NOT NULL,
  is_business INTEGER NOT NULL DEFAULT 0,
  company TEXT NOT NULL DEFAULT '',
  name_cached TEXT NOT NULL DEFAULT '',
  name_parts TEXT NOT NULL DEFAULT '{}',
  street TEXT NOT NULL DEFAULT '',
  zipcode TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT '',
  vat_id TEXT NOT NULL DEFAULT '',
  vat_id_validated INTEGER NOT NULL DEFAULT 0,
  internal_reference TEXT NOT NULL DEFAULT '',
  custom_field TEXT
);

CREATE TABLE order_positions (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  organizer_id INTEGER NOT NULL REFERENCES organizers(id),
  positionid INTEGER NOT NULL,
  item_id INTEGER NOT NULL REFERENCES items(id),
  variation_id INTEGER REFERENCES item_variations(id),
  subevent_id INTEGER REFERENCES subevents(id),
  price TEXT NOT NULL,
  tax_rate TEXT NOT NULL DEFAULT '0.00',
  tax_value TEXT NOT NULL DEFAULT '0.00',
  tax_rule_id INTEGER REFERENCES tax_rules(id) ON DELETE SET NULL,
  secret TEXT NOT NULL,
  web_secret TEXT NOT NULL,
  pseudonymization_id TEXT NOT NULL UNIQUE,
  attendee_name_cached TEXT,
  attendee_name_parts TEXT NOT NULL DEFAULT '{}',
  attendee_email TEXT,
  company TEXT,
  street TEXT,
  zipcode TEXT,
  city TEXT,
  country TEXT,
  state TEXT,
  voucher_id INTEGER REFERENCES vouchers(id) ON DELETE SET NULL,
  voucher_budget_use TEXT,
  addon_to_id INTEGER REFERENCES order_positions(id),
  is_bundled INTEGER NOT NULL DEFAULT 0,
  canceled INTEGER NOT NULL DEFAULT 0,
  blocked TEXT,
  valid_from TEXT,
  valid_until TEXT,
  seat TEXT,
  UNIQUE (organizer_id, secret)
);
CREATE INDEX order_positions_order ON order_positions(order_id, positionid);
CREATE INDEX order_positions_item ON order_positions(item_id, variation_id);
CREATE INDEX order_positions_addon_to ON order_positions(addon_to_id);
CREATE INDEX order_positions_attendee ON order_positions(attendee_name_cached);

CREATE TABLE order_fees (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  fee_type TEXT NOT NULL,
  value TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  internal_type TEXT NOT NULL DEFAULT '',
  tax_rate TEXT NOT NULL DEFAULT '0.00',
  tax_value TEXT NOT NULL DEFAULT '0.00',
  tax_rule_id INTEGER REFERENCES tax_rules(id) ON DELETE SET NULL,
  canceled INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX order_fees_order ON order_fees(order_id);

CREATE TABLE question_answers (
  id INTEGER PRIMARY KEY,
  orderposition_id INTEGER REFERENCES order_positions(id) ON DELETE CASCADE,
  cartposition_id INTEGER REFERENCES cart_positions(id) ON DELETE CASCADE,
  question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  answer TEXT NOT NULL,
  options TEXT NOT NULL DEFAULT '[]',
  CHECK ((orderposition_id IS NULL) <> (cartposition_id IS NULL))
);
CREATE INDEX question_answers_orderposition ON question_answers(orderposition_id);
CREATE INDEX question_answers_cartposition ON question_answers(cartposition_id);

CREATE TABLE order_payments (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  local_id INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('created', 'pending', 'confirmed', 'failed', 'canceled', 'refunded')),
  amount TEXT NOT NULL,
  created TEXT NOT NULL,
  payment_date TEXT,
  provider TEXT,
  info TEXT NOT NULL DEFAULT '{}',
  fee_id INTEGER REFERENCES order_fees(id) ON DELETE SET NULL,
  UNIQUE (order_id, local_id)
);

CREATE TABLE order_refunds (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  local_id INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('external', 'created', 'transit', 'done', 'failed', 'canceled')),
  source TEXT NOT NULL CHECK (source IN ('buyer', 'admin', 'external')),
  amount TEXT NOT NULL,
  payment_id INTEGER REFERENCES order_payments(id) ON DELETE SET NULL,
  created TEXT NOT NULL,
  execution_date TEXT,
  provider TEXT,
  comment TEXT,
  info TEXT NOT NULL DEFAULT '{}',
  UNIQUE (order_id, local_id)
);

CREATE TABLE checkin_lists (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  all_products INTEGER NOT NULL DEFAULT 1,
  subevent_id INTEGER REFERENCES subevents(id) ON DELETE CASCADE,
  include_pending INTEGER NOT NULL DEFAULT 0,
  allow_multiple_entries INTEGER NOT NULL DEFAULT 0,
  allow_entry_after_exit INTEGER NOT NULL DEFAULT 1,
  addon_match INTEGER NOT NULL DEFAULT 0,
  exit_all_at TEXT,
  rules TEXT NOT NULL DEFAULT '{}',
  consider_tickets_used INTEGER NOT NULL DEFAULT 1,
  ignore_in_statistics INTEGER NOT NULL DEFAULT 0,
  extra TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE checkin_list_items (
  list_id INTEGER NOT NULL REFERENCES checkin_lists(id) ON DELETE CASCADE,
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  PRIMARY KEY (list_id, item_id)
);

CREATE TABLE gates (
  id INTEGER PRIMARY KEY,
  organizer_id INTEGER NOT NULL REFERENCES organizers(id),
  name TEXT NOT NULL,
  identifier TEXT NOT NULL DEFAULT ''
);

CREATE TABLE checkin_list_gates (
  list_id INTEGER NOT NULL REFERENCES checkin_lists(id) ON DELETE CASCADE,
  gate_id INTEGER NOT NULL REFERENCES gates(id) ON DELETE CASCADE,
  PRIMARY KEY (list_id, gate_id)
);

CREATE TABLE devices (
  id INTEGER PRIMARY KEY,
  organizer_id INTEGER NOT NULL REFERENCES organizers(id),
  device_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  unique_serial TEXT NOT NULL UNIQUE,
  initialization_token TEXT NOT NULL UNIQUE,
  api_token_hash TEXT UNIQUE,
  all_events INTEGER NOT NULL DEFAULT 1,
  limit_events TEXT NOT NULL DEFAULT '[]',
  gate_id INTEGER REFERENCES gates(id) ON DELETE SET NULL,
  security_profile TEXT NOT NULL DEFAULT 'pretixscan',
  hardware_brand TEXT,
  hardware_model TEXT,
  os_name TEXT,
  os_version TEXT,
  software_brand TEXT,
  software_version TEXT,
  info TEXT NOT NULL DEFAULT '{}',
  created TEXT NOT NULL,
  initialized TEXT,
  revoked INTEGER NOT NULL DEFAULT 0,
  UNIQUE (organizer_id, device_id)
);

CREATE TABLE checkins (
  id INTEGER PRIMARY KEY,
  list_id INTEGER NOT NULL REFERENCES checkin_lists(id) ON DELETE CASCADE,
  position_id INTEGER REFERENCES order_positions(id) ON DELETE CASCADE,
  type TEXT NOT NULL DEFAULT 'entry' CHECK (type IN ('entry', 'exit')),
  datetime TEXT NOT NULL,
  created TEXT NOT NULL,
  nonce TEXT,
  device_id INTEGER REFERENCES devices(id) ON DELETE SET NULL,
  gate_id INTEGER REFERENCES gates(id) ON DELETE SET NULL,
  forced INTEGER NOT NULL DEFAULT 0,
  auto_checked_in INTEGER NOT NULL DEFAULT 0,
  successful INTEGER NOT NULL DEFAULT 1,
  error_reason TEXT,
  error_explanation TEXT,
  raw_barcode TEXT,
  raw_item_id INTEGER,
  raw_variation_id INTEGER,
  raw_subevent_id INTEGER
);
CREATE INDEX checkins_position ON checkins(position_id, list_id, successful);
CREATE INDEX checkins_list ON checkins(list_id, successful);
CREATE INDEX checkins_nonce ON checkins(list_id, nonce);

-- Ticket layouts (pretix's TicketLayout): JSON documents, see main/engine/tickets/layout.ts. An event's
-- default layout prints every product that has no layout of its own in ticket_layout_items.
CREATE TABLE ticket_layouts (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  is_default INTEGER NOT NULL DEFAULT 0,
  layout TEXT NOT NULL
);
CREATE UNIQUE INDEX ticket_layouts_one_default ON ticket_layouts(event_id) WHERE is_default = 1;

CREATE TABLE ticket_layout_items (
  item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
  layout_id INTEGER NOT NULL REFERENCES ticket_layouts(id) ON DELETE CASCADE
);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  organizer_id INTEGER NOT NULL REFERENCES organizers(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  scope TEXT NOT NULL DEFAULT 'all' CHECK (scope IN ('all', 'read', 'checkin')),
  created TEXT NOT NULL,
  revoked_at TEXT,
  last_used TEXT
);

-- Every state change writes one row here in the same transaction (pretix's LogEntry).
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  datetime TEXT NOT NULL,
  organizer_id INTEGER,
  event_id INTEGER,
  object_type TEXT NOT NULL,
  object_id INTEGER,
  action_type TEXT NOT NULL,
  actor TEXT NOT NULL DEFAULT 'system',
  data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);
CREATE INDEX audit_log_event ON audit_log(event_id, datetime);

-- The desk's own preferences (language, local API, printer, quick-sell item): one JSON value per key.
CREATE TABLE app_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
