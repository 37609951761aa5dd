import type { Database } from 'better-sqlite3';
import type { EngineContext } from '../context';
import { defaultTaxRuleId } from '../catalog/products';
import { eventSettings, type EventSettings } from '../catalog/settings';
import { EngineError, invalidFields, refusedList, type FieldErrors, shown } from '../errors';
import {
  generateOrderCode,
  generatePseudonymizationId,
  generateTicketSecret,
  generateWebSecret,
} from '../ids';
import { Decimal, moneyText, roundMoney, ZERO } from '../money';
import { computeTax, type TaxRuleLike } from '../pricing/tax';
import { getListedPrice } from '../pricing/listed-price';
import { storeAnswers, validateAnswers, type NormalisedAnswer } from '../questions/answers';
import { notEnoughQuotaMessage, QuotaLedger, quotasForProduct, type QuotaRow } from '../quotas/availability';
import { holdOrderInQuotas } from '../quotas/counters';
import {
  checkItem,
  checkSubevent,
  checkVariation,
  isDisabledForSubevent,
  itemOfOrganizer,
  notAssignedToQuotaMessage,
  notAvailableOnDateMessage,
  resolvePk,
  subeventOfOrganizer,
  variationOfOrganizer,
  type SaleItem,
  type SaleVariation,
} from '../sales/product-checks';
import {
  checkVoucherForOrder,
  ORDER_VOUCHER_MESSAGES,
  voucherByCode,
  voucherBypassesQuota,
  voucherPrice,
  voucherUsesLeft,
  type SaleVoucher,
} from '../vouchers/sale-rules';
import { computeExpiry } from './expiry';
import {
  stateError,
  isCountryCode,
  isPlainObject,
  invalidPk,
  NOT_NULL,
  parseBoolean,
  parseDate,
  parseDatetime,
  parseDecimal,
  parseEmail,
  parseInteger,
  parsePk,
  parseString,
  REQUIRED,
  typeName,
  type Parsed,
} from './fields';
import {
  loadOrder,
  type AnswerData,
  type FeeData,
  type InvoiceAddressData,
  type OrderData,
  type PositionData,
} from './model';
import { buildName } from '../catalog/names';

/** Payment providers every event has (pretix's built-ins, base/payment.py). */
/**
 * The most positions one order may have. pretix sets no small limit; a box office's largest group sale is
 * far below this, and creating an order holds the engine for time proportional to its positions, so the cap
 * keeps one order from stalling every other till and scanner (`npm run bench`: p99 of other clients while
 * maximal orders are created).
 */
export const MAX_POSITIONS_PER_ORDER = 500;

export const BUILTIN_PAYMENT_PROVIDERS = ['free', 'boxoffice', 'offsetting', 'manual', 'giftcard'];
/** Providers a plugin brings; they exist for an event only while the plugin is active there. */
export const PLUGIN_PAYMENT_PROVIDERS: Record<string, string[]> = {
  banktransfer: ['pretix.plugins.banktransfer'],
  paypal: ['pretix.plugins.paypal', 'pretix.plugins.paypal2'],
  stripe: ['pretix.plugins.stripe'],
};

/** The payment providers of an event (pretix's `Event.get_payment_providers()`). */
export function eventPaymentProviders(db: Database, eventId: number): string[] {
  const row = db.prepare('SELECT plugins FROM events WHERE id = ?').get(eventId) as
    { plugins: string | null } | undefined;
  let plugins: string[] = [];
  try {
    const parsed = JSON.parse(row?.plugins ?? '[]') as unknown;
    if (Array.isArray(parsed)) plugins = parsed.filter((p): p is string => typeof p === 'string');
  } catch {
    plugins = [];
  }
  return [
    ...BUILTIN_PAYMENT_PROVIDERS,
    ...Object.entries(PLUGIN_PAYMENT_PROVIDERS)
      .filter(([, from]) => from.some((plugin) => plugins.includes(plugin)))
      .map(([provider]) => provider),
  ];
}

/** Sales channels and whether they may create test-mode orders. */
export const SALES_CHANNELS: Record<string, { testmode: boolean }> = {
  web: { testmode: true },
  pretixpos: { testmode: true },
  resellers: { testmode: false },
};
export const FEE_TYPES = [
  'payment',
  'shipping',
  'service',
  'cancellation',
  'insurance',
  'late',
  'other',
  'giftcard',
];
const CLIENT_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ1234567890';

export interface CreateOrderInput {
  eventId: number;
  /** The request body as pretix's `POST …/orders/` takes it. */
  body: unknown;
}

export interface CreateOrderResult {
  /** Id of the stored order; 0 for a simulation. */
  orderId: number;
  /** The order as stored, or the preview of a simulation. */
  order: OrderData;
}

interface EventRow {
  id: number;
  organizer_id: number;
  organizer_slug: string;
  slug: string;
  currency: string;
  has_subevents: number;
  timezone: string;
  date_from: string | null;
  date_to: string | null;
}

type ItemRow = SaleItem;
type VariationRow = SaleVariation;
type VoucherRow = SaleVoucher;

interface ParsedPosition {
  positionid: number | null;
  item: ItemRow;
  variation: VariationRow | null;
  subeventId: number | null;
  price: Decimal | null;
  attendeeName: string | null;
  attendeeNameParts: Record<string, unknown> | null;
  attendeeEmail: string | null;
  company: string | null;
  street: string | null;
  zipcode: string | null;
  city: string | null;
  country: string | null;
  state: string | null;
  isBundled: boolean;
  secret: string | null;
  addonTo: number | null;
  answers: NormalisedAnswer[];
  voucher: VoucherRow | null;
  validFrom: string | null;
  validUntil: string | null;
}

interface ParsedFee {
  feeType: string;
  value: Decimal;
  description: string;
  internalType: string;
  taxRuleId: number | null;
  asPercentage: boolean;
  splitTaxes: boolean;
}

function loadEvent(db: Database, eventId: number): EventRow {
  const row = db
    .prepare(
      `SELECT e.id, e.organizer_id, o.slug AS organizer_slug, e.slug, e.currency, e.has_subevents, e.timezone,
              e.date_from, e.date_to
       FROM events e JOIN organizers o ON o.id = e.organizer_id WHERE e.id = ?`,
    )
    .get(eventId) as EventRow | undefined;
  if (!row)
    throw new EngineError('not_found', 'Event not found.', { status: 404, body: { detail: 'Not found.' } });
  return row;
}

/** The event's time zone: an explicit setting wins over the event column. */
export function eventTimeZone(db: Database, eventId: number): string {
  const row = db.prepare('SELECT timezone, settings FROM events WHERE id = ?').get(eventId) as
    { timezone: string; settings: string } | undefined;
  if (!row) return 'UTC';
  try {
    const stored = JSON.parse(row.settings) as { timezone?: unknown };
    if (typeof stored.timezone === 'string' && stored.timezone) return stored.timezone;
  } catch {
    // fall through to the column
  }
  return row.timezone || 'UTC';
}

function hasKey(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** An order code no order of the organizer has yet; one character longer after 20 collisions. */
export function uniqueOrderCode(db: Database, organizerId: number, testmode: boolean): string {
  const exists = db.prepare('SELECT 1 FROM orders WHERE organizer_id = ? AND code = ?');
  let length = 5;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0 && attempt % 20 === 0) length++;
    const code = generateOrderCode(length, testmode);
    if (!exists.get(organizerId, code)) return code;
  }
}

export function ticketSecretLength(settings: EventSettings): number {
  const n = Number(settings.ticket_secret_length ?? 32);
  return Number.isInteger(n) && n >= 12 && n <= 64 ? n : 32;
}

/** A ticket secret unique among the organizer's positions (and not among `taken`). */
export function uniqueTicketSecret(
  db: Database,
  organizerId: number,
  length: number,
  taken: Set<string> = new Set(),
): string {
  const exists = db.prepare('SELECT 1 FROM order_positions WHERE organizer_id = ? AND secret = ?');
  for (;;) {
    const s = generateTicketSecret(length);
    if (!taken.has(s) && !exists.get(organizerId, s)) return s;
  }
}

export function uniquePseudonymizationId(db: Database): string {
  const exists = db.prepare('SELECT 1 FROM order_positions WHERE pseudonymization_id = ?');
  for (;;) {
    const s = generatePseudonymizationId();
    if (!exists.get(s)) return s;
  }
}

function optionalText(
  raw: Record<string, unknown>,
  key: string,
  errors: FieldErrors,
  maxLength?: number,
): string | null {
  if (!hasKey(raw, key) || raw[key] === null) return null;
  const s = parseString(raw[key], { allowBlank: true, maxLength });
  if (s.error !== undefined) {
    errors[key] = [s.error];
    return null;
  }
  return s.value;
}

function parsePosition(
  db: Database,
  event: EventRow,
  settings: EventSettings,
  raw: unknown,
): { value?: ParsedPosition; errors?: FieldErrors } {
  if (!isPlainObject(raw)) {
    return {
      errors: { non_field_errors: [`Invalid data. Expected a dictionary, but got ${typeName(raw)}.`] },
    };
  }
  const errors: FieldErrors = {};

  let positionid: number | null = null;
  if (hasKey(raw, 'positionid') && raw.positionid !== null) {
    const n = parseInteger(raw.positionid);
    if (n.error !== undefined) errors.positionid = [n.error];
    else if (n.value < 0) errors.positionid = ['Ensure this value is greater than or equal to 0.'];
    else positionid = n.value;
  }

  let item: ItemRow | undefined;
  const itemRef = resolvePk(
    raw.item,
    hasKey(raw, 'item'),
    (pk) => itemOfOrganizer(db, event.organizer_id, pk),
    {
      required: true,
    },
  );
  if (!itemRef.ok) errors.item = [itemRef.message];
  else if (itemRef.value) {
    const message = checkItem(itemRef.value, event.id);
    if (message) errors.item = [message];
    else item = itemRef.value;
  }

  let variation: VariationRow | null = null;
  const variationRef = resolvePk(
    raw.variation,
    hasKey(raw, 'variation'),
    (pk) => variationOfOrganizer(db, event.organizer_id, pk),
    { allowNull: true },
  );
  if (!variationRef.ok) errors.variation = [variationRef.message];
  else variation = variationRef.value;

  let subeventId: number | null = null;
  const subeventRef = resolvePk(
    raw.subevent,
    hasKey(raw, 'subevent'),
    (pk) => subeventOfOrganizer(db, event.organizer_id, pk),
    { allowNull: true },
  );
  if (!subeventRef.ok) errors.subevent = [subeventRef.message];
  else {
    const message = checkSubevent(subeventRef.value, event);
    if (message) errors.subevent = [message];
    else subeventId = subeventRef.value?.id ?? null;
  }

  let price: Decimal | null = null;
  if (hasKey(raw, 'price') && raw.price !== null) {
    const d = parseDecimal(raw.price);
    if (d.error !== undefined) errors.price = [d.error];
    else price = new Decimal(d.value);
  }

  let attendeeName: string | null = null;
  if (hasKey(raw, 'attendee_name') && raw.attendee_name !== null) {
    const s = parseString(raw.attendee_name, { allowBlank: true });
    if (s.error !== undefined) errors.attendee_name = [s.error];
    else attendeeName = s.value;
  }
  let attendeeNameParts: Record<string, unknown> | null = null;
  let partsInvalid = false;
  if (hasKey(raw, 'attendee_name_parts') && raw.attendee_name_parts !== null) {
    if (isPlainObject(raw.attendee_name_parts)) attendeeNameParts = { ...raw.attendee_name_parts };
    else if (
      raw.attendee_name_parts !== '' &&
      !(Array.isArray(raw.attendee_name_parts) && raw.attendee_name_parts.length === 0)
    )
      partsInvalid = true;
  }

  let attendeeEmail: string | null = null;
  if (hasKey(raw, 'attendee_email') && raw.attendee_email !== null) {
    const e = parseEmail(raw.attendee_email);
    if (e.error !== undefined) errors.attendee_email = [e.error];
    else attendeeEmail = e.value === '' ? null : e.value;
  }

  const company = optionalText(raw, 'company', errors, 255);
  const street = optionalText(raw, 'street', errors);
  const zipcode = optionalText(raw, 'zipcode', errors, 30);
  const city = optionalText(raw, 'city', errors, 255);
  let country = optionalText(raw, 'country', errors);
  const state = optionalText(raw, 'state', errors, 255);
  if (country) {
    country = country.toUpperCase();
    if (!isCountryCode(country)) errors.country = [`"${shown(raw.country)}" is not a valid choice.`];
  }

  let isBundled = false;
  if (hasKey(raw, 'is_bundled') && raw.is_bundled !== null) {
    const b = parseBoolean(raw.is_bundled);
    if (b.error !== undefined) errors.is_bundled = [b.error];
    else isBundled = b.value;
  }

  let secret: string | null = null;
  if (hasKey(raw, 'secret')) {
    const s =
      raw.secret === null
        ? ({ error: NOT_NULL } as Parsed<string>)
        : parseString(raw.secret, { maxLength: 255 });
    if (s.error !== undefined) errors.secret = [s.error];
    else if (
      db
        .prepare(
          'SELECT 1 FROM order_positions op JOIN orders o ON o.id = op.order_id WHERE o.event_id = ? AND op.secret = ?',
        )
        .get(event.id, s.value)
    ) {
      errors.secret = ['You cannot assign a position secret that already exists.'];
    } else secret = s.value;
  }

  let addonTo: number | null = null;
  if (hasKey(raw, 'addon_to') && raw.addon_to !== null) {
    const n = parseInteger(raw.addon_to);
    if (n.error !== undefined) errors.addon_to = [n.error];
    else addonTo = n.value;
  }

  let voucher: VoucherRow | null = null;
  if (hasKey(raw, 'voucher') && raw.voucher !== null) {
    const code = typeof raw.voucher === 'string' ? raw.voucher : String(raw.voucher);
    const found = voucherByCode(db, event.id, code);
    // pretix looks the code up exactly (a SlugRelatedField), not case-insensitively.
    voucher = found && found.code === code ? found : null;
    if (!voucher) errors.voucher = [ORDER_VOUCHER_MESSAGES.unknown(code)];
  }

  if (hasKey(raw, 'seat') && raw.seat !== null && raw.seat !== '') {
    errors.seat = ['The specified seat does not exist.'];
  }

  let validFrom: string | null = null;
  let validUntil: string | null = null;
  const tz = eventTimeZone(db, event.id);
  for (const key of ['valid_from', 'valid_until'] as const) {
    if (hasKey(raw, key) && raw[key] !== null) {
      const d = parseDatetime(raw[key], tz);
      if (d.error !== undefined) errors[key] = [d.error];
      else if (key === 'valid_from') validFrom = d.value.toISOString();
      else validUntil = d.value.toISOString();
    }
  }

  let answers: NormalisedAnswer[] = [];
  if (hasKey(raw, 'answers') && raw.answers !== null) {
    const result = validateAnswers(db, { organizerId: event.organizer_id, eventId: event.id }, raw.answers);
    if (result.ok) answers = result.answers;
    else errors.answers = result.errors;
  }

  if (Object.keys(errors).length > 0 || !item) return { errors };

  // The serializer's object-level checks run only once every field is valid.
  const variationProblem = checkVariation(item, variation);
  if (variationProblem) return { errors: { variation: [variationProblem] } };
  if (attendeeName && attendeeNameParts && Object.keys(attendeeNameParts).length > 0) {
    return {
      errors: { attendee_name: ['Do not specify attendee_name if you specified attendee_name_parts.'] },
    };
  }
  if (partsInvalid) return { errors: { attendee_name_parts: ['Invalid data type'] } };
  if (
    attendeeNameParts &&
    Object.keys(attendeeNameParts).length > 0 &&
    !hasKey(attendeeNameParts, '_scheme')
  ) {
    attendeeNameParts._scheme = settings.name_scheme;
  }
  if (state) {
    const problem = stateError(country ?? '', state);
    if (problem) return { errors: { state: [problem] } };
  }

  return {
    value: {
      positionid,
      item,
      variation,
      subeventId,
      price,
      attendeeName,
      attendeeNameParts,
      attendeeEmail,
      company,
      street,
      zipcode,
      city,
      country,
      state,
      isBundled,
      secret,
      addonTo,
      answers,
      voucher,
      validFrom,
      validUntil,
    },
  };
}

function parseFee(db: Database, eventId: number, raw: unknown): { value?: ParsedFee; errors?: FieldErrors } {
  if (!isPlainObject(raw)) {
    return {
      errors: { non_field_errors: [`Invalid data. Expected a dictionary, but got ${typeName(raw)}.`] },
    };
  }
  const errors: FieldErrors = {};
  let feeType = '';
  if (!hasKey(raw, 'fee_type')) errors.fee_type = [REQUIRED];
  else if (typeof raw.fee_type !== 'string' || !FEE_TYPES.includes(raw.fee_type))
    errors.fee_type = [`"${shown(raw.fee_type)}" is not a valid choice.`];
  else feeType = raw.fee_type;
  let value = ZERO;
  if (!hasKey(raw, 'value')) errors.value = [REQUIRED];
  else if (raw.value === null) errors.value = [NOT_NULL];
  else {
    const d = parseDecimal(raw.value);
    if (d.error !== undefined) errors.value = [d.error];
    else value = new Decimal(d.value);
  }
  const description = optionalText(raw, 'description', errors, 190) ?? '';
  const internalType = optionalText(raw, 'internal_type', errors, 255) ?? '';
  let taxRuleId: number | null = null;
  if (hasKey(raw, 'tax_rule') && raw.tax_rule !== null) {
    const pk = parsePk(raw.tax_rule);
    if (pk.error !== undefined) errors.tax_rule = [pk.error];
    else {
      const row = db.prepare('SELECT id, event_id FROM tax_rules WHERE id = ?').get(pk.value) as
        { id: number; event_id: number } | undefined;
      if (!row) errors.tax_rule = [invalidPk(raw.tax_rule)];
      else if (row.event_id !== eventId)
        errors.tax_rule = ['The specified tax rate does not belong to this event.'];
      else taxRuleId = row.id;
    }
  }
  const flag = (key: string): boolean => {
    if (!hasKey(raw, key) || raw[key] === null) return false;
    const b = parseBoolean(raw[key]);
    if (b.error !== undefined) {
      errors[key] = [b.error];
      return false;
    }
    return b.value;
  };
  const asPercentage = flag('_treat_value_as_percentage');
  const splitTaxes = flag('_split_taxes_like_products');
  if (Object.keys(errors).length > 0) return { errors };
  return { value: { feeType, value, description, internalType, taxRuleId, asPercentage, splitTaxes } };
}

interface ParsedInvoiceAddress {
  is_business: boolean;
  company: string;
  name_parts: Record<string, unknown>;
  street: string;
  zipcode: string;
  city: string;
  country: string;
  state: string;
  vat_id: string;
  vat_id_validated: boolean;
  internal_reference: string;
  custom_field: string | null;
}

export function parseInvoiceAddress(
  raw: unknown,
  settings: EventSettings,
): { value?: ParsedInvoiceAddress; errors?: FieldErrors } {
  if (!isPlainObject(raw)) {
    return {
      errors: { non_field_errors: [`Invalid data. Expected a dictionary, but got ${typeName(raw)}.`] },
    };
  }
  const errors: FieldErrors = {};
  const text = (key: string, max?: number) => optionalText(raw, key, errors, max) ?? '';
  const flag = (key: string) => {
    if (!hasKey(raw, key) || raw[key] === null) return false;
    const b = parseBoolean(raw[key]);
    if (b.error !== undefined) {
      errors[key] = [b.error];
      return false;
    }
    return b.value;
  };
  const value: ParsedInvoiceAddress = {
    is_business: flag('is_business'),
    company: text('company', 255),
    name_parts: {},
    street: text('street'),
    zipcode: text('zipcode', 30),
    city: text('city', 255),
    country: '',
    state: text('state', 255),
    vat_id: text('vat_id', 255),
    vat_id_validated: flag('vat_id_validated'),
    internal_reference: text('internal_reference'),
    custom_field: optionalText(raw, 'custom_field', errors, 255),
  };
  const name = text('name');
  const rawCountry = text('country');
  if (rawCountry) {
    if (!isCountryCode(rawCountry.toUpperCase())) errors.country = [`"${rawCountry}" is not a valid choice.`];
    else value.country = rawCountry.toUpperCase();
  }
  let parts: unknown = hasKey(raw, 'name_parts') ? raw.name_parts : undefined;
  if (Object.keys(errors).length > 0) return { errors };
  const partsGiven =
    parts !== undefined &&
    parts !== null &&
    !(isPlainObject(parts) && Object.keys(parts).length === 0) &&
    parts !== '';
  if (name && partsGiven) return { errors: { name: ['Do not specify name if you specified name_parts.'] } };
  if (partsGiven && !isPlainObject(parts)) return { errors: { name_parts: ['Invalid data type'] } };
  if (partsGiven && isPlainObject(parts)) {
    parts = { ...parts };
    const p = parts as Record<string, unknown>;
    if (!hasKey(p, '_scheme')) p._scheme = settings.name_scheme;
    value.name_parts = p;
  } else if (name) {
    value.name_parts = { _legacy: name };
  }
  if (value.state) {
    const problem = stateError(String(value.country ?? ''), String(value.state));
    if (problem) return { errors: { state: [problem] } };
  }
  return { value };
}

/**
 * pretix's order creation through the API (`OrderCreateSerializer`): validates the request field by field
 * (errors in DRF's shape), then in one transaction checks vouchers and quotas for every position, stores
 * the order, its positions, answers, fees, invoice address and payment, counts voucher redemptions,
 * deletes consumed carts, writes the audit rows and puts the order into the quota counters.
 * With `simulate` nothing is written and a preview is returned.
 */
export function createOrder(ctx: EngineContext, input: CreateOrderInput): CreateOrderResult {
  // A simulation runs inside a savepoint that is always rolled back, so even side effects of counting
  // availability (closing a sold-out quota) leave no trace.
  let simulated: CreateOrderResult | undefined;
  const result = ctx.db.transaction(() => {
    const placed = placeOrder(ctx, input);
    if (placed.orderId === 0) {
      simulated = placed;
      throw new SimulationRollback();
    }
    return placed;
  });
  try {
    return result();
  } catch (e) {
    if (e instanceof SimulationRollback && simulated) return simulated;
    throw e;
  }
}

class SimulationRollback extends Error {}

function placeOrder(ctx: EngineContext, input: CreateOrderInput): CreateOrderResult {
  const { db } = ctx;
  const event = loadEvent(db, input.eventId);
  const settings = eventSettings(db, event.id);
  const tz = eventTimeZone(db, event.id);
  const body = input.body;
  if (!isPlainObject(body)) {
    throw invalidFields('invalid', {
      non_field_errors: [`Invalid data. Expected a dictionary, but got ${typeName(body)}.`],
    });
  }

  const errors: FieldErrors = {};
  const bool = (key: string, fallback: boolean): boolean => {
    if (!hasKey(body, key)) return fallback;
    if (body[key] === null) {
      errors[key] = [NOT_NULL];
      return fallback;
    }
    const b = parseBoolean(body[key]);
    if (b.error !== undefined) {
      errors[key] = [b.error];
      return fallback;
    }
    return b.value;
  };

  // Field by field, as DRF validates them.
  let code: string | null = null;
  if (hasKey(body, 'code')) {
    const s =
      body.code === null
        ? ({ error: NOT_NULL } as Parsed<string>)
        : parseString(body.code, { maxLength: 16, minLength: 5 });
    if (s.error !== undefined) errors.code = [s.error];
    else if (
      db.prepare('SELECT 1 FROM orders WHERE organizer_id = ? AND code = ?').get(event.organizer_id, s.value)
    )
      errors.code = ['This order code is already in use.'];
    else if ([...s.value].some((c) => !CLIENT_CODE_ALPHABET.includes(c)))
      errors.code = ['This order code contains invalid characters.'];
    else code = s.value;
  }

  let status: 'n' | 'p' = 'n';
  if (hasKey(body, 'status')) {
    if (body.status === 'n' || body.status === 'p') status = body.status;
    else errors.status = [`"${shown(body.status)}" is not a valid choice.`];
  }

  let salesChannel = 'web';
  if (hasKey(body, 'sales_channel')) {
    if (typeof body.sales_channel === 'string' && SALES_CHANNELS[body.sales_channel])
      salesChannel = body.sales_channel;
    else errors.sales_channel = ['Unknown sales channel.'];
  }
  const testmode = bool('testmode', false);
  if (testmode && hasKey(body, 'sales_channel') && typeof body.sales_channel === 'string') {
    const channel = SALES_CHANNELS[body.sales_channel];
    if (channel && !channel.testmode)
      errors.testmode = ['This sales channel does not provide support for test mode.'];
  }

  let email: string | null = null;
  if (hasKey(body, 'email') && body.email !== null) {
    const e = parseEmail(body.email);
    if (e.error !== undefined) errors.email = [e.error];
    else email = e.value === '' ? null : e.value;
  }
  let phone: string | null = null;
  if (hasKey(body, 'phone') && body.phone !== null) {
    const s = parseString(body.phone, { allowBlank: true });
    if (s.error !== undefined || !/^\+?[0-9 ()/.-]*$/.test(s.value ?? ''))
      errors.phone = ['Enter a valid phone number.'];
    else phone = s.value === '' ? null : s.value.replace(/[ ()/.-]/g, '');
  }
  let locale: string | null = null;
  if (hasKey(body, 'locale') && body.locale !== null) {
    const s = parseString(body.locale, { maxLength: 32 });
    if (s.error !== undefined) errors.locale = [s.error];
    else locale = s.value;
  }
  let comment = '';
  if (hasKey(body, 'comment')) {
    const s =
      body.comment === null
        ? ({ error: NOT_NULL } as Parsed<string>)
        : parseString(body.comment, { allowBlank: true });
    if (s.error !== undefined) errors.comment = [s.error];
    else comment = s.value;
  }
  let customFollowupAt: string | null = null;
  if (hasKey(body, 'custom_followup_at') && body.custom_followup_at !== null) {
    const d = parseDate(body.custom_followup_at);
    if (d.error !== undefined) errors.custom_followup_at = [d.error];
    else customFollowupAt = d.value;
  }
  const checkinAttention = bool('checkin_attention', false);
  let checkinText: string | null = null;
  if (hasKey(body, 'checkin_text') && body.checkin_text !== null) {
    const s = parseString(body.checkin_text, { allowBlank: true });
    if (s.error !== undefined) errors.checkin_text = [s.error];
    else checkinText = s.value;
  }
  const validIfPending = bool('valid_if_pending', false);
  const requireApproval = bool('require_approval', false);
  const force = bool('force', false);
  const simulate = bool('simulate', false);
  if (hasKey(body, 'send_email') && body.send_email !== null) bool('send_email', false);

  let paymentProvider: string | null = null;
  if (hasKey(body, 'payment_provider') && body.payment_provider !== null) {
    const s = parseString(body.payment_provider);
    if (s.error !== undefined) errors.payment_provider = [s.error];
    else if (!eventPaymentProviders(db, event.id).includes(s.value))
      errors.payment_provider = ['The given payment provider is not known.'];
    else paymentProvider = s.value;
  }
  let paymentInfo = '{}';
  if (hasKey(body, 'payment_info')) paymentInfo = JSON.stringify(body.payment_info ?? null);
  let paymentDate: Date = ctx.now;
  if (hasKey(body, 'payment_date') && body.payment_date !== null) {
    const d = parseDatetime(body.payment_date, tz);
    if (d.error !== undefined) errors.payment_date = [d.error];
    else paymentDate = d.value;
  }
  let explicitExpires: Date | null = null;
  if (hasKey(body, 'expires') && body.expires !== null) {
    const d = parseDatetime(body.expires, tz);
    if (d.error !== undefined) errors.expires = [d.error];
    else if (d.value.getTime() < ctx.now.getTime())
      errors.expires = ['The expiry date must be in the future.'];
    else explicitExpires = d.value;
  }
  let apiMeta: Record<string, unknown> = {};
  if (hasKey(body, 'api_meta') && body.api_meta !== null) {
    if (isPlainObject(body.api_meta)) apiMeta = body.api_meta;
    else errors.api_meta = ['Value must be valid JSON.'];
  }
  if (hasKey(body, 'customer') && body.customer !== null) {
    errors.customer = [`Object with identifier=${shown(body.customer)} does not exist.`];
  }

  let consumeCarts: string[] = [];
  if (hasKey(body, 'consume_carts') && body.consume_carts !== null) {
    if (!Array.isArray(body.consume_carts))
      errors.consume_carts = [`Expected a list of items but got type "${typeName(body.consume_carts)}".`];
    else consumeCarts = body.consume_carts.map((c) => String(c));
  }

  let invoiceAddress: ParsedInvoiceAddress | null = null;
  if (hasKey(body, 'invoice_address') && body.invoice_address !== null) {
    const ia = parseInvoiceAddress(body.invoice_address, settings);
    if (ia.errors) errors.invoice_address = ia.errors;
    else invoiceAddress = ia.value!;
  }

  const fees: ParsedFee[] = [];
  if (hasKey(body, 'fees') && body.fees !== null) {
    if (!Array.isArray(body.fees)) {
      errors.fees = { non_field_errors: [`Expected a list of items but got type "${typeName(body.fees)}".`] };
    } else {
      const feeErrors: (FieldErrors | Record<string, never>)[] = [];
      for (const f of body.fees) {
        const parsed = parseFee(db, event.id, f);
        if (parsed.errors) feeErrors.push(parsed.errors);
        else {
          feeErrors.push({});
          fees.push(parsed.value!);
        }
      }
      if (feeErrors.some((e) => Object.keys(e).length > 0)) errors.fees = feeErrors;
    }
  }

  const positions: ParsedPosition[] = [];
  if (!hasKey(body, 'positions')) errors.positions = [REQUIRED];
  else if (body.positions === null) errors.positions = [NOT_NULL];
  else if (!Array.isArray(body.positions))
    errors.positions = {
      non_field_errors: [`Expected a list of items but got type "${typeName(body.positions)}".`],
    };
  else if (body.positions.length === 0) errors.positions = ['An order cannot be empty.'];
  else if (body.positions.length > MAX_POSITIONS_PER_ORDER)
    errors.positions = [
      `An order can have at most ${MAX_POSITIONS_PER_ORDER} positions; this one has ${body.positions.length}. Split it into several orders.`,
    ];
  else {
    const positionErrors: (FieldErrors | Record<string, never>)[] = [];
    for (const p of body.positions) {
      const parsed = parsePosition(db, event, settings, p);
      if (parsed.errors) positionErrors.push(parsed.errors);
      else {
        positionErrors.push({});
        positions.push(parsed.value!);
      }
    }
    if (positionErrors.some((e) => Object.keys(e).length > 0)) errors.positions = positionErrors;
    else {
      const idErrors = validatePositionIds(positions);
      if (idErrors) errors.positions = idErrors;
    }
  }

  if (Object.keys(errors).length > 0) throw invalidFields('invalid', errors);

  // Secrets must also differ inside one request (the database would refuse the second one).
  const requestSecrets = new Set<string>();
  const secretInOrganizer = db.prepare('SELECT 1 FROM order_positions WHERE organizer_id = ? AND secret = ?');
  for (const p of positions) {
    if (p.secret === null) continue;
    // Secrets are unique in the organizer: another event's secret fails where pretix's database refuses it.
    if (requestSecrets.has(p.secret) || secretInOrganizer.get(event.organizer_id, p.secret))
      throw refusedList('duplicate', 'Integrity error, possibly duplicate submission of same order.');
    requestSecrets.add(p.secret);
  }

  // Carts being turned into this order free what they hold.
  const nowIso = ctx.now.toISOString();
  // One ledger of quota units for the whole request: consumed carts give back what they hold.
  const ledger = new QuotaLedger(ctx);
  const voucherUsage = new Map<number, number>();
  const consumedCartIds: number[] = [];
  if (consumeCarts.length > 0) {
    const marks = consumeCarts.map(() => '?').join(',');
    const carts = db
      .prepare(
        `SELECT id, item_id, variation_id, subevent_id, voucher_id, addon_to_id FROM cart_positions
         WHERE event_id = ? AND cart_id IN (${marks}) AND expires > ?`,
      )
      .all(event.id, ...consumeCarts, nowIso) as {
      id: number;
      item_id: number;
      variation_id: number | null;
      subevent_id: number | null;
      voucher_id: number | null;
      addon_to_id: number | null;
    }[];
    for (const cp of carts) {
      for (const q of quotasForProduct(db, event.id, cp.item_id, cp.variation_id, cp.subevent_id)) {
        ledger.credit(q);
      }
      if (cp.voucher_id !== null) voucherUsage.set(cp.voucher_id, (voucherUsage.get(cp.voucher_id) ?? 0) - 1);
      consumedCartIds.push(cp.id);
    }
  }

  const positionErrors: FieldErrors[] = positions.map(() => ({}));
  const budgetLeft = new Map<number, Decimal>();
  for (const [i, p] of positions.entries()) {
    const v = p.voucher;
    if (!v) continue;
    const problem = checkVoucherForOrder(
      db,
      v,
      {
        itemId: p.item.id,
        variationId: p.variation?.id ?? null,
        subeventId: p.subeventId,
        isAddon: Boolean(p.addonTo),
      },
      ctx.now,
    );
    if (problem) {
      positionErrors[i]!.voucher = [problem];
      continue;
    }
    const used = (voucherUsage.get(v.id) ?? 0) + 1;
    voucherUsage.set(v.id, used);
    if (used > 0 && voucherUsesLeft(db, v, ctx.now, consumeCarts) < used) {
      positionErrors[i]!.voucher = [ORDER_VOUCHER_MESSAGES.usedUp];
    }
    if (v.budget !== null) {
      const listed = getListedPrice(db, p.item.id, p.variation?.id ?? null, p.subeventId);
      const price = p.price ?? voucherPrice(v, listed, event.currency);
      if (!budgetLeft.has(v.id)) {
        const uses = db
          .prepare(
            `SELECT op.voucher_budget_use AS used FROM order_positions op JOIN orders o ON o.id = op.order_id
             WHERE op.voucher_id = ? AND o.status IN ('n', 'p') AND op.voucher_budget_use IS NOT NULL`,
          )
          .all(v.id) as { used: string }[];
        budgetLeft.set(
          v.id,
          uses.reduce((left, u) => left.minus(u.used), new Decimal(v.budget)),
        );
      }
      const left = budgetLeft.get(v.id)!;
      const discount = Decimal.max(listed.minus(price), 0);
      if (discount.greaterThan(left)) {
        budgetLeft.set(v.id, ZERO);
        if (left.isZero() || p.price !== null) {
          positionErrors[i]!.voucher = [ORDER_VOUCHER_MESSAGES.budget(moneyText(left), moneyText(discount))];
          continue;
        }
        p.price = price.plus(discount.minus(left));
      } else {
        budgetLeft.set(v.id, left.minus(discount));
      }
    }
  }

  if (!force) {
    for (const [i, p] of positions.entries()) {
      if (voucherBypassesQuota(p.voucher)) continue;
      if (isDisabledForSubevent(db, p.subeventId, p.item.id, p.variation?.id ?? null)) {
        positionErrors[i]!.item = [notAvailableOnDateMessage(p.item)];
      }
      const quotas: QuotaRow[] = quotasForProduct(
        db,
        event.id,
        p.item.id,
        p.variation?.id ?? null,
        p.subeventId,
      );
      if (quotas.length === 0) {
        positionErrors[i]!.item = [notAssignedToQuotaMessage(p.item)];
        continue;
      }
      for (const q of quotas) {
        if (!ledger.take(q)) positionErrors[i]!.item = [notEnoughQuotaMessage(q.name)];
      }
    }
  }
  if (positionErrors.some((e) => Object.keys(e).length > 0)) {
    throw invalidFields('positions_invalid', { positions: positionErrors });
  }

  // Prices and taxes.
  const taxRules = new Map<number, TaxRuleLike>();
  const taxRule = (id: number | null): TaxRuleLike | null => {
    if (id === null) return null;
    if (!taxRules.has(id)) {
      const row = db.prepare('SELECT id, rate, price_includes_tax FROM tax_rules WHERE id = ?').get(id) as
        TaxRuleLike | undefined;
      if (!row) return null;
      taxRules.set(id, row);
    }
    return taxRules.get(id)!;
  };
  const byPositionId = new Map<number, ParsedPosition>();
  for (const p of positions) if (p.positionid !== null) byPositionId.set(p.positionid, p);

  interface Line {
    parsed: ParsedPosition;
    price: Decimal;
    tax: Decimal;
    rate: Decimal;
    ruleId: number | null;
    voucherBudgetUse: Decimal | null;
  }
  const lines: Line[] = positions.map((p) => {
    const parent = p.addonTo !== null ? byPositionId.get(p.addonTo) : undefined;
    const includedInParent = parent ? isIncludedForFree(db, p.item, parent) : false;
    const listed = includedInParent
      ? ZERO
      : getListedPrice(db, p.item.id, p.variation?.id ?? null, p.subeventId);
    const rule = taxRule(p.item.tax_rule_id);
    let gross: Decimal;
    let priceAfterVoucher: Decimal;
    if (p.price === null) {
      priceAfterVoucher = p.voucher ? voucherPrice(p.voucher, listed, event.currency) : listed;
      gross = computeTax(rule, priceAfterVoucher, event.currency, 'auto').gross;
    } else {
      gross = p.price;
      priceAfterVoucher = p.voucher
        ? Decimal.max(p.price, voucherPrice(p.voucher, listed, event.currency))
        : listed;
    }
    const taxed = computeTax(rule, gross, event.currency, 'gross');
    return {
      parsed: p,
      price: gross,
      tax: taxed.tax,
      rate: taxed.rate,
      ruleId: rule?.id ?? null,
      voucherBudgetUse: p.voucher ? Decimal.max(listed.minus(priceAfterVoucher), 0) : null,
    };
  });

  const positionsTotal = lines.reduce((sum, l) => sum.plus(l.price), new Decimal(0));
  interface FeeLine {
    feeType: string;
    value: Decimal;
    description: string;
    internalType: string;
    ruleId: number | null;
    tax: Decimal;
    rate: Decimal;
  }
  const feeLines: FeeLine[] = [];
  // A payment fee sent without a tax rule is taxed by the event's default rule (pretix's
  // OrderFee._calculate_tax with `tax_rule_payment` = `default`).
  const defaultFeeRule = settings.tax_rule_payment === 'none' ? null : defaultTaxRuleId(db, event.id);
  const pushFee = (f: ParsedFee, value: Decimal, ruleId: number | null) => {
    const effectiveRule = ruleId === null && f.feeType === 'payment' ? defaultFeeRule : ruleId;
    const rule = taxRule(effectiveRule);
    const taxed = computeTax(rule, value, event.currency, 'gross');
    feeLines.push({
      feeType: f.feeType,
      value,
      description: f.description,
      internalType: f.internalType,
      ruleId: rule?.id ?? null,
      tax: taxed.tax,
      rate: taxed.rate,
    });
  };
  for (const f of fees) {
    let value = f.value;
    if (f.asPercentage) value = roundMoney(positionsTotal.times(value.dividedBy(100)), event.currency);
    if (f.splitTaxes) {
      // Split over the positions' tax rules in proportion to their net amounts, lowest rate first.
      const netByRule = new Map<number | null, Decimal>();
      for (const l of lines)
        netByRule.set(l.ruleId, (netByRule.get(l.ruleId) ?? ZERO).plus(l.price.minus(l.tax)));
      const bases = [...netByRule.entries()].sort(
        (a, b) => Number(taxRule(a[0])?.rate ?? 0) - Number(taxRule(b[0])?.rate ?? 0),
      );
      const sumBase = bases.reduce((s, [, v]) => s.plus(v), new Decimal(0));
      if (sumBase.isZero()) {
        pushFee(f, value, null);
        continue;
      }
      const parts = bases.map(([ruleId, base]) => ({
        ruleId,
        value: roundMoney(value.times(base).dividedBy(sumBase), event.currency),
      }));
      const sumParts = parts.reduce((s, p) => s.plus(p.value), new Decimal(0));
      if (sumParts.greaterThan(value)) parts[0]!.value = parts[0]!.value.plus(value.minus(sumParts));
      else if (sumParts.lessThan(value))
        parts[parts.length - 1]!.value = parts[parts.length - 1]!.value.plus(value.minus(sumParts));
      for (const part of parts) pushFee(f, part.value, part.ruleId);
    } else {
      pushFee(f, value, f.taxRuleId);
    }
  }
  const total = feeLines.reduce((sum, f) => sum.plus(f.value), positionsTotal);

  const expires =
    explicitExpires ??
    computeExpiry(ctx.now, settings, tz, {
      date_from: earliestDate(
        db,
        event,
        positions.map((p) => p.subeventId),
      ),
    });
  const orderLocale = locale ?? settings.locale;

  if (simulate) {
    return {
      orderId: 0,
      order: previewOrder(db, event, {
        status,
        testmode,
        email,
        phone,
        locale: orderLocale,
        expires,
        total,
        comment,
        customFollowupAt,
        checkinAttention,
        checkinText,
        requireApproval,
        validIfPending,
        salesChannel,
        apiMeta,
        now: ctx.now,
        invoiceAddress,
        lines: lines.map((l) => ({ ...l, parsed: l.parsed })),
        feeLines,
        currency: event.currency,
      }),
    };
  }

  // The order is valid: store it.
  const orderCode = code ?? uniqueOrderCode(db, event.organizer_id, testmode);
  const orderId = Number(
    db
      .prepare(
        `INSERT INTO orders (organizer_id, event_id, code, status, testmode, require_approval, valid_if_pending, email,
           phone, locale, secret, datetime, expires, total, comment, custom_followup_at, checkin_attention, checkin_text,
           sales_channel, meta_info, api_meta, last_modified)
         VALUES (?, ?, ?, 'n', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?)`,
      )
      .run(
        event.organizer_id,
        event.id,
        orderCode,
        testmode ? 1 : 0,
        requireApproval ? 1 : 0,
        validIfPending ? 1 : 0,
        email,
        phone,
        orderLocale,
        generateWebSecret(),
        nowIso,
        expires.toISOString(),
        moneyText(total),
        comment,
        customFollowupAt,
        checkinAttention ? 1 : 0,
        checkinText,
        salesChannel,
        JSON.stringify(apiMeta),
        nowIso,
      ).lastInsertRowid,
  );

  if (invoiceAddress) {
    db.prepare(
      `INSERT INTO invoice_addresses (order_id, last_modified, is_business, company, name_cached, name_parts, street,
         zipcode, city, country, state, vat_id, vat_id_validated, internal_reference, custom_field)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      orderId,
      nowIso,
      invoiceAddress.is_business ? 1 : 0,
      invoiceAddress.company,
      buildName(invoiceAddress.name_parts) ?? '',
      JSON.stringify(invoiceAddress.name_parts),
      invoiceAddress.street,
      invoiceAddress.zipcode,
      invoiceAddress.city,
      invoiceAddress.country,
      invoiceAddress.state,
      invoiceAddress.vat_id,
      invoiceAddress.vat_id_validated ? 1 : 0,
      invoiceAddress.internal_reference,
      invoiceAddress.custom_field,
    );
  }

  const secretLength = ticketSecretLength(settings);
  const insertPosition = db.prepare(
    `INSERT INTO order_positions (order_id, organizer_id, positionid, item_id, variation_id, subevent_id, price, tax_rate,
       tax_value, tax_rule_id, secret, web_secret, pseudonymization_id, attendee_name_cached, attendee_name_parts,
       attendee_email, company, street, zipcode, city, country, state, voucher_id, voucher_budget_use, addon_to_id,
       is_bundled, valid_from, valid_until)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const redeem = db.prepare('UPDATE vouchers SET redeemed = redeemed + 1 WHERE id = ?');
  const idByPositionId = new Map<number, number>();
  for (const [index, l] of lines.entries()) {
    const p = l.parsed;
    const positionid = p.positionid ?? index + 1;
    const parts = attendeeParts(p);
    const secret = p.secret ?? uniqueTicketSecret(db, event.organizer_id, secretLength, requestSecrets);
    requestSecrets.add(secret);
    const id = Number(
      insertPosition.run(
        orderId,
        event.organizer_id,
        positionid,
        p.item.id,
        p.variation?.id ?? null,
        p.subeventId,
        moneyText(l.price),
        moneyText(l.rate),
        moneyText(l.tax),
        l.ruleId,
        secret,
        generateWebSecret(),
        uniquePseudonymizationId(db),
        buildName(parts),
        JSON.stringify(parts),
        p.attendeeEmail,
        p.company,
        p.street,
        p.zipcode,
        p.city,
        p.country,
        p.state,
        p.voucher?.id ?? null,
        l.voucherBudgetUse ? moneyText(l.voucherBudgetUse) : null,
        p.addonTo !== null ? (idByPositionId.get(p.addonTo) ?? null) : null,
        p.isBundled ? 1 : 0,
        p.validFrom,
        p.validUntil,
      ).lastInsertRowid,
    );
    idByPositionId.set(positionid, id);
    if (p.voucher) redeem.run(p.voucher.id);
    storeAnswers(db, { orderPositionId: id }, p.answers);
  }

  if (consumedCartIds.length > 0) {
    const marks = consumedCartIds.map(() => '?').join(',');
    db.prepare(`DELETE FROM cart_positions WHERE addon_to_id IN (${marks})`).run(...consumedCartIds);
    db.prepare(`DELETE FROM cart_positions WHERE id IN (${marks})`).run(...consumedCartIds);
  }

  const insertFee = db.prepare(
    `INSERT INTO order_fees (order_id, fee_type, value, description, internal_type, tax_rate, tax_value, tax_rule_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const f of feeLines) {
    insertFee.run(
      orderId,
      f.feeType,
      moneyText(f.value),
      f.description,
      f.internalType,
      moneyText(f.rate),
      moneyText(f.tax),
      f.ruleId,
    );
  }

  // Status and payment, in pretix's order of branches.
  const audit = (actionType: string, data: unknown = {}) =>
    ctx.audit({
      organizerId: event.organizer_id,
      eventId: event.id,
      objectType: 'order',
      objectId: orderId,
      actionType,
      data,
    });
  let finalStatus: 'n' | 'p' = 'n';
  let payment: {
    provider: string;
    state: 'confirmed' | 'created';
    date: string | null;
    info: string;
  } | null = null;
  if (total.isZero() && status === 'p' && !paymentProvider) paymentProvider = 'free';
  if (total.isZero() && status !== 'p' && !requireApproval) {
    finalStatus = 'p';
    payment = { provider: 'free', state: 'confirmed', date: nowIso, info: '{}' };
  } else if (paymentProvider === 'free' && !total.isZero()) {
    throw refusedList('free_provider', 'You cannot use the "free" payment provider for non-free orders.');
  } else if (status === 'p') {
    if (!paymentProvider)
      throw refusedList('provider_required', 'You cannot create a paid order without a payment provider.');
    finalStatus = 'p';
    payment = {
      provider: paymentProvider,
      state: 'confirmed',
      date: paymentDate.toISOString(),
      info: paymentInfo,
    };
  } else if (paymentProvider) {
    payment = { provider: paymentProvider, state: 'created', date: null, info: paymentInfo };
  }
  if (finalStatus === 'p') db.prepare("UPDATE orders SET status = 'p' WHERE id = ?").run(orderId);
  let paymentLocalId: number | null = null;
  if (payment) {
    paymentLocalId = 1;
    db.prepare(
      `INSERT INTO order_payments (order_id, local_id, state, amount, created, payment_date, provider, info)
       VALUES (?, 1, ?, ?, ?, ?, ?, ?)`,
    ).run(orderId, payment.state, moneyText(total), nowIso, payment.date, payment.provider, payment.info);
  }

  holdOrderInQuotas(ctx, orderId);

  audit('pretix.event.order.placed', {});
  if (payment?.state === 'confirmed') {
    audit('pretix.event.order.payment.confirmed', { local_id: paymentLocalId, provider: payment.provider });
  }
  if (finalStatus === 'p') {
    audit('pretix.event.order.paid', {
      provider: payment?.provider ?? null,
      info: {},
      date: payment?.date ?? nowIso,
      force: false,
    });
  }

  return { orderId, order: loadOrderOrThrow(db, orderId) };
}

function loadOrderOrThrow(db: Database, orderId: number): OrderData {
  const order = loadOrder(db, orderId);
  if (!order)
    throw new EngineError('not_found', 'Order vanished.', { status: 404, body: { detail: 'Not found.' } });
  return order;
}

function attendeeParts(p: ParsedPosition): Record<string, unknown> {
  if (p.attendeeNameParts && Object.keys(p.attendeeNameParts).length > 0) return p.attendeeNameParts;
  if (p.attendeeName) return { _legacy: p.attendeeName };
  return {};
}

/** pretix's `is_included_for_free`: an add-on whose category is marked "price included" for the parent, or a parent voucher including all add-ons. */
function isIncludedForFree(db: Database, item: ItemRow, parent: ParsedPosition): boolean {
  if (parent.voucher?.all_addons_included) return true;
  if (item.category_id === null) return false;
  const row = db
    .prepare('SELECT price_included FROM item_addons WHERE base_item_id = ? AND addon_category_id = ?')
    .get(parent.item.id, item.category_id) as { price_included: number } | undefined;
  return Boolean(row?.price_included);
}

function earliestDate(db: Database, event: EventRow, subeventIds: (number | null)[]): string | null {
  const ids = subeventIds.filter((s): s is number => s !== null);
  if (ids.length === 0) return event.date_from;
  const row = db
    .prepare(`SELECT MIN(date_from) AS d FROM subevents WHERE id IN (${ids.map(() => '?').join(',')})`)
    .get(...ids) as { d: string | null };
  return row.d ?? event.date_from;
}

function validatePositionIds(
  positions: ParsedPosition[],
): (FieldErrors | Record<string, never>)[] | undefined {
  const errs: FieldErrors[] = positions.map(() => ({}));
  if (positions.some((p) => p.positionid)) {
    if (!positions.every((p) => p.positionid)) {
      positions.forEach((p, i) => {
        if (!p.positionid)
          errs[i]!.positionid = ['If you set position IDs manually, you need to do so for all positions.'];
      });
      return errs;
    }
    let lastNonAddon: number | null = null;
    let lastId = 0;
    positions.forEach((p, i) => {
      if (p.positionid !== lastId + 1) errs[i]!.positionid = ['Position IDs need to be consecutive.'];
      if (p.addonTo && p.addonTo !== lastNonAddon) {
        errs[i]!.addon_to = [
          'If you set addon_to, you need to make sure that the referenced position ID exists and is transmitted directly before its add-ons.',
        ];
      }
      if (!p.addonTo) lastNonAddon = p.positionid;
      lastId = p.positionid ?? lastId;
    });
  } else if (positions.some((p) => p.addonTo)) {
    return positions.map(() => ({
      positionid: ['If you set addon_to on any position, you need to specify position IDs manually.'],
    }));
  } else {
    positions.forEach((p, i) => (p.positionid = i + 1));
  }
  return errs.some((e) => Object.keys(e).length > 0) ? errs : undefined;
}

interface PreviewInput {
  status: 'n' | 'p';
  testmode: boolean;
  email: string | null;
  phone: string | null;
  locale: string;
  expires: Date;
  total: Decimal;
  comment: string;
  customFollowupAt: string | null;
  checkinAttention: boolean;
  checkinText: string | null;
  requireApproval: boolean;
  validIfPending: boolean;
  salesChannel: string;
  apiMeta: Record<string, unknown>;
  now: Date;
  invoiceAddress: ParsedInvoiceAddress | null;
  lines: { parsed: ParsedPosition; price: Decimal; tax: Decimal; rate: Decimal; ruleId: number | null }[];
  feeLines: {
    feeType: string;
    value: Decimal;
    description: string;
    internalType: string;
    ruleId: number | null;
    tax: Decimal;
    rate: Decimal;
  }[];
  currency: string;
}

/** The simulated order pretix answers with: code PREVIEW, no datetime, ids 0, no payments. */
function previewOrder(db: Database, event: EventRow, input: PreviewInput): OrderData {
  const nowIso = input.now.toISOString();
  const identifierOf = (table: 'questions' | 'question_options', id: number): string =>
    (db.prepare(`SELECT identifier FROM ${table} WHERE id = ?`).get(id) as { identifier: string } | undefined)
      ?.identifier ?? '';
  const ia: InvoiceAddressData | null = input.invoiceAddress
    ? {
        ...input.invoiceAddress,
        last_modified: nowIso,
        name_cached: buildName(input.invoiceAddress.name_parts) ?? '',
      }
    : null;
  const positions: PositionData[] = input.lines.map((l, index) => {
    const p = l.parsed;
    const parts = attendeeParts(p);
    const answers: AnswerData[] = p.answers.map((a) => ({
      question: a.questionId,
      question_identifier: identifierOf('questions', a.questionId),
      answer: a.answer,
      options: a.optionIds,
      option_identifiers: a.optionIds.map((id) => identifierOf('question_options', id)),
    }));
    return {
      id: 0,
      positionid: p.positionid ?? index + 1,
      item: p.item.id,
      variation: p.variation?.id ?? null,
      subevent: p.subeventId,
      price: moneyText(l.price),
      tax_rate: moneyText(l.rate),
      tax_value: moneyText(l.tax),
      tax_rule: l.ruleId,
      secret: p.secret ?? '',
      pseudonymization_id: 'PREVIEW',
      attendee_name_cached: buildName(parts),
      attendee_name_parts: parts,
      attendee_email: p.attendeeEmail,
      company: p.company,
      street: p.street,
      zipcode: p.zipcode,
      city: p.city,
      country: p.country,
      state: p.state,
      voucher: p.voucher?.id ?? null,
      addon_to: p.addonTo,
      addon_to_positionid: p.addonTo,
      is_bundled: p.isBundled,
      canceled: false,
      blocked: null,
      valid_from: p.validFrom,
      valid_until: p.validUntil,
      seat: null,
      item_admission: Boolean(p.item.admission),
      item_generate_tickets: null,
      answers,
      checkins: [],
    };
  });
  const fees: FeeData[] = input.feeLines.map((f) => ({
    id: 0,
    fee_type: f.feeType,
    value: moneyText(f.value),
    description: f.description,
    internal_type: f.internalType,
    tax_rate: moneyText(f.rate),
    tax_value: moneyText(f.tax),
    tax_rule: f.ruleId,
    canceled: false,
  }));
  return {
    id: 0,
    organizerSlug: event.organizer_slug,
    eventId: event.id,
    eventSlug: event.slug,
    code: 'PREVIEW',
    status: input.status,
    testmode: input.testmode,
    secret: generateWebSecret(),
    email: input.email,
    phone: input.phone,
    locale: input.locale,
    datetime: null,
    expires: input.expires.toISOString(),
    total: moneyText(input.total),
    comment: input.comment,
    custom_followup_at: input.customFollowupAt,
    checkin_attention: input.checkinAttention,
    checkin_text: input.checkinText,
    require_approval: input.requireApproval,
    valid_if_pending: input.validIfPending,
    sales_channel: input.salesChannel,
    last_modified: nowIso,
    cancellation_date: null,
    api_meta: input.apiMeta,
    invoice_address: ia,
    positions,
    fees,
    payments: [],
    refunds: [],
    simulated: true,
  };
}
