import type { EventSettings } from '../catalog/settings';
import type { ReadableDB } from '../db/handles';
import {
  findTaxRuleEvent,
  orderCodeTaken,
  ticketSecretTaken,
  ticketSecretTakenInEvent,
  type OrderEvent,
} from '../db/queries/orders/place';
import { invalidFields, refusedList, type FieldErrors, shown } from '../errors';
import { Decimal, ZERO } from '../money';
import { eventPaymentProviders } from '../payments/providers';
import { validateAnswers, type NormalisedAnswer } from '../questions/position-answers';
import type { InvoiceAddressData } from './model';
import {
  checkItem,
  checkSubevent,
  checkVariation,
  itemOfOrganizer,
  resolvePk,
  subeventOfOrganizer,
  variationOfOrganizer,
  type SaleItem,
  type SaleVariation,
} from '../sales/product-checks';
import { ORDER_VOUCHER_MESSAGES, voucherByCode, type SaleVoucher } from '../vouchers/sale-rules';
import {
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
import { isCountryCode, stateError } from './addresses';

/**
 * The first step of placing an order: pretix's `OrderCreateSerializer` reading the request field by field,
 * in DRF's order, with DRF's messages. Fields that name rows (items, vouchers, tax rules) are looked up as
 * the serializer's related fields do, so their errors sit among the others in the same order.
 */

/**
 * The most positions one order may have. pretix sets no small limit; a box office's largest group sale is
 * far below this, and creating an order holds the engine for time proportional to its positions, so the cap
 * keeps one order from stalling every other till and scanner (`npm run bench`: p99 of other clients while
 * maximal orders are created).
 */
export const MAX_POSITIONS_PER_ORDER = 500;

export function tooManyPositions(count: number): string {
  return `An order can have at most ${MAX_POSITIONS_PER_ORDER} positions; this one has ${count}. Split it into several orders.`;
}

/** Sales channels and whether they may create test-mode orders. */
export const SALES_CHANNELS: Record<string, { testmode: boolean }> = {
  web: { testmode: true },
  pretixpos: { testmode: true },
  resellers: { testmode: false },
};
const FEE_TYPES = [
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

export interface OrderPositionRequest {
  positionid: number | null;
  item: SaleItem;
  variation: SaleVariation | null;
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
  voucher: SaleVoucher | null;
  validFrom: string | null;
  validUntil: string | null;
}

export interface OrderFeeRequest {
  feeType: string;
  value: Decimal;
  description: string;
  internalType: string;
  taxRuleId: number | null;
  asPercentage: boolean;
  splitTaxes: boolean;
}

/** An invoice address as the request gives it (the stored one adds its name and modification time). */
export type InvoiceAddressInput = Omit<InvoiceAddressData, 'last_modified' | 'name_cached'>;

/** An order request once every field is valid. */
export interface OrderRequest {
  code: string | null;
  status: 'n' | 'p';
  salesChannel: string;
  testmode: boolean;
  email: string | null;
  phone: string | null;
  locale: string | null;
  comment: string;
  customFollowupAt: string | null;
  checkinAttention: boolean;
  checkinText: string | null;
  validIfPending: boolean;
  requireApproval: boolean;
  force: boolean;
  simulate: boolean;
  paymentProvider: string | null;
  /** The payment's info as JSON text. */
  paymentInfo: string;
  paymentDate: Date;
  expires: Date | null;
  apiMeta: Record<string, unknown>;
  consumeCarts: string[];
  invoiceAddress: InvoiceAddressInput | null;
  fees: OrderFeeRequest[];
  positions: OrderPositionRequest[];
}

/** Where the request is read: the event, its settings and time zone, and the command's clock. */
export interface RequestScope {
  db: ReadableDB;
  event: OrderEvent;
  settings: EventSettings;
  timeZone: string;
  now: Date;
}

function hasKey(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/**
 * Reads the request body of pretix's `POST …/orders/`: DRF's 400 with every field's error, or the order
 * request. Ticket secrets that another position (or the request itself) holds are pretix's integrity error.
 */
export function readOrderRequest(scope: RequestScope, body: unknown): OrderRequest {
  if (!isPlainObject(body)) {
    throw invalidFields('invalid', {
      non_field_errors: [`Invalid data. Expected a dictionary, but got ${typeName(body)}.`],
    });
  }
  const errors: FieldErrors = {};
  const header = readOrderHeader(scope, body, errors);
  const payment = readOrderPayment(scope, body, errors);
  const invoiceAddress = readInvoiceAddressField(scope, body, errors);
  const fees = readFees(scope, body, errors);
  const positions = readPositions(scope, body, errors);
  if (Object.keys(errors).length > 0) throw invalidFields('invalid', errors);
  refuseTakenSecrets(scope, positions);
  return { ...header, ...payment, invoiceAddress, fees, positions };
}

/** Secrets must also differ inside one request (the database would refuse the second one). */
function refuseTakenSecrets({ db, event }: RequestScope, positions: OrderPositionRequest[]): void {
  const requestSecrets = new Set<string>();
  for (const p of positions) {
    if (p.secret === null) continue;
    // Secrets are unique in the organizer: another event's secret fails where pretix's database refuses it.
    if (requestSecrets.has(p.secret) || ticketSecretTaken(db, event.organizer_id, p.secret))
      throw refusedList('duplicate', 'Integrity error, possibly duplicate submission of same order.');
    requestSecrets.add(p.secret);
  }
}

function booleanReader(body: Record<string, unknown>, errors: FieldErrors) {
  return (key: string, fallback: boolean): boolean => {
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
}

type OrderHeader = Pick<
  OrderRequest,
  | 'code'
  | 'status'
  | 'salesChannel'
  | 'testmode'
  | 'email'
  | 'phone'
  | 'locale'
  | 'comment'
  | 'customFollowupAt'
  | 'checkinAttention'
  | 'checkinText'
  | 'validIfPending'
  | 'requireApproval'
  | 'force'
  | 'simulate'
>;

function readOrderHeader(
  { db, event }: RequestScope,
  body: Record<string, unknown>,
  errors: FieldErrors,
): OrderHeader {
  const bool = booleanReader(body, errors);
  let code: string | null = null;
  if (hasKey(body, 'code')) {
    const s =
      body.code === null
        ? ({ error: NOT_NULL } as Parsed<string>)
        : parseString(body.code, { maxLength: 16, minLength: 5 });
    if (s.error !== undefined) errors.code = [s.error];
    else if (orderCodeTaken(db, event.organizer_id, s.value))
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
  return {
    code,
    status,
    salesChannel,
    testmode,
    email,
    phone,
    locale,
    comment,
    customFollowupAt,
    checkinAttention,
    checkinText,
    validIfPending,
    requireApproval,
    force,
    simulate,
  };
}

type OrderPaymentFields = Pick<
  OrderRequest,
  'paymentProvider' | 'paymentInfo' | 'paymentDate' | 'expires' | 'apiMeta' | 'consumeCarts'
>;

function readOrderPayment(
  { db, event, timeZone, now }: RequestScope,
  body: Record<string, unknown>,
  errors: FieldErrors,
): OrderPaymentFields {
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
  let paymentDate: Date = now;
  if (hasKey(body, 'payment_date') && body.payment_date !== null) {
    const d = parseDatetime(body.payment_date, timeZone);
    if (d.error !== undefined) errors.payment_date = [d.error];
    else paymentDate = d.value;
  }
  let expires: Date | null = null;
  if (hasKey(body, 'expires') && body.expires !== null) {
    const d = parseDatetime(body.expires, timeZone);
    if (d.error !== undefined) errors.expires = [d.error];
    else if (d.value.getTime() < now.getTime()) errors.expires = ['The expiry date must be in the future.'];
    else expires = d.value;
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
  return { paymentProvider, paymentInfo, paymentDate, expires, apiMeta, consumeCarts };
}

function readInvoiceAddressField(
  { settings }: RequestScope,
  body: Record<string, unknown>,
  errors: FieldErrors,
): InvoiceAddressInput | null {
  if (!hasKey(body, 'invoice_address') || body.invoice_address === null) return null;
  const ia = parseInvoiceAddress(body.invoice_address, settings);
  if (ia.errors) {
    errors.invoice_address = ia.errors;
    return null;
  }
  return ia.value!;
}

function readFees(
  scope: RequestScope,
  body: Record<string, unknown>,
  errors: FieldErrors,
): OrderFeeRequest[] {
  const fees: OrderFeeRequest[] = [];
  if (!hasKey(body, 'fees') || body.fees === null) return fees;
  if (!Array.isArray(body.fees)) {
    errors.fees = { non_field_errors: [`Expected a list of items but got type "${typeName(body.fees)}".`] };
    return fees;
  }
  const feeErrors: (FieldErrors | Record<string, never>)[] = [];
  for (const f of body.fees) {
    const parsed = parseFee(scope, f);
    if (parsed.errors) feeErrors.push(parsed.errors);
    else {
      feeErrors.push({});
      fees.push(parsed.value!);
    }
  }
  if (feeErrors.some((e) => Object.keys(e).length > 0)) errors.fees = feeErrors;
  return fees;
}

function readPositions(
  scope: RequestScope,
  body: Record<string, unknown>,
  errors: FieldErrors,
): OrderPositionRequest[] {
  const positions: OrderPositionRequest[] = [];
  if (!hasKey(body, 'positions')) errors.positions = [REQUIRED];
  else if (body.positions === null) errors.positions = [NOT_NULL];
  else if (!Array.isArray(body.positions))
    errors.positions = {
      non_field_errors: [`Expected a list of items but got type "${typeName(body.positions)}".`],
    };
  else if (body.positions.length === 0) errors.positions = ['An order cannot be empty.'];
  else if (body.positions.length > MAX_POSITIONS_PER_ORDER)
    errors.positions = [tooManyPositions(body.positions.length)];
  else {
    const positionErrors: (FieldErrors | Record<string, never>)[] = [];
    for (const p of body.positions) {
      const parsed = parsePosition(scope, p);
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
  return positions;
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

type PositionReferences = Pick<OrderPositionRequest, 'positionid' | 'variation' | 'subeventId'> & {
  item: SaleItem | undefined;
};
type PositionPerson = Pick<
  OrderPositionRequest,
  'price' | 'attendeeName' | 'attendeeEmail' | 'company' | 'street' | 'zipcode' | 'city' | 'country' | 'state'
> & { attendeeNameParts: Record<string, unknown> | null; partsInvalid: boolean };
type PositionTicket = Pick<
  OrderPositionRequest,
  'isBundled' | 'secret' | 'addonTo' | 'voucher' | 'validFrom' | 'validUntil' | 'answers'
>;

/** One position (`OrderPositionCreateSerializer`): its fields in order, then the object-level checks. */
function parsePosition(
  scope: RequestScope,
  raw: unknown,
): { value?: OrderPositionRequest; errors?: FieldErrors } {
  if (!isPlainObject(raw)) {
    return {
      errors: { non_field_errors: [`Invalid data. Expected a dictionary, but got ${typeName(raw)}.`] },
    };
  }
  const errors: FieldErrors = {};
  const { positionid, item, variation, subeventId } = readPositionReferences(scope, raw, errors);
  const { partsInvalid, ...person } = readPositionPerson(raw, errors);
  const ticket = readPositionTicket(scope, raw, errors);
  const { attendeeName, attendeeNameParts, country, state } = person;

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
    attendeeNameParts._scheme = scope.settings.name_scheme;
  }
  if (state) {
    const problem = stateError(country ?? '', state);
    if (problem) return { errors: { state: [problem] } };
  }

  return {
    value: { positionid, item, variation, subeventId, ...person, ...ticket },
  };
}

function readPositionReferences(
  scope: RequestScope,
  raw: Record<string, unknown>,
  errors: FieldErrors,
): PositionReferences {
  let positionid: number | null = null;
  if (hasKey(raw, 'positionid') && raw.positionid !== null) {
    const n = parseInteger(raw.positionid);
    if (n.error !== undefined) errors.positionid = [n.error];
    else if (n.value < 0) errors.positionid = ['Ensure this value is greater than or equal to 0.'];
    else positionid = n.value;
  }
  const present = (key: string) => hasKey(raw, key);
  const item = resolveItem(scope, raw.item, present('item'), errors);
  const variation = resolveVariation(scope, raw.variation, present('variation'), errors);
  const subeventId = resolveSubevent(scope, raw.subevent, present('subevent'), errors);
  return { positionid, item, variation, subeventId };
}

/** The product a position names (a primary key of the organizer's), on sale in this event. */
export function resolveItem(
  { db, event }: RequestScope,
  pk: unknown,
  present: boolean,
  errors: FieldErrors,
): SaleItem | undefined {
  const ref = resolvePk(pk, present, (id) => itemOfOrganizer(db, event.organizer_id, id), { required: true });
  if (!ref.ok) errors.item = [ref.message];
  else if (ref.value) {
    const message = checkItem(ref.value, event.id);
    if (message) errors.item = [message];
    else return ref.value;
  }
  return undefined;
}

export function resolveVariation(
  { db, event }: RequestScope,
  pk: unknown,
  present: boolean,
  errors: FieldErrors,
): SaleVariation | null {
  const ref = resolvePk(pk, present, (id) => variationOfOrganizer(db, event.organizer_id, id), {
    allowNull: true,
  });
  if (ref.ok) return ref.value;
  errors.variation = [ref.message];
  return null;
}

export function resolveSubevent(
  { db, event }: RequestScope,
  pk: unknown,
  present: boolean,
  errors: FieldErrors,
): number | null {
  const ref = resolvePk(pk, present, (id) => subeventOfOrganizer(db, event.organizer_id, id), {
    allowNull: true,
  });
  if (!ref.ok) errors.subevent = [ref.message];
  else {
    const message = checkSubevent(ref.value, event);
    if (message) errors.subevent = [message];
    else return ref.value?.id ?? null;
  }
  return null;
}

function readPositionPerson(raw: Record<string, unknown>, errors: FieldErrors): PositionPerson {
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

  return {
    price,
    attendeeName,
    attendeeNameParts,
    partsInvalid,
    attendeeEmail,
    company,
    street,
    zipcode,
    city,
    country,
    state,
  };
}

function readPositionTicket(
  { db, event, timeZone }: RequestScope,
  raw: Record<string, unknown>,
  errors: FieldErrors,
): PositionTicket {
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
    else if (ticketSecretTakenInEvent(db, event.id, s.value)) {
      errors.secret = ['You cannot assign a position secret that already exists.'];
    } else secret = s.value;
  }

  let addonTo: number | null = null;
  if (hasKey(raw, 'addon_to') && raw.addon_to !== null) {
    const n = parseInteger(raw.addon_to);
    if (n.error !== undefined) errors.addon_to = [n.error];
    else addonTo = n.value;
  }

  let voucher: SaleVoucher | null = null;
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
  for (const key of ['valid_from', 'valid_until'] as const) {
    if (hasKey(raw, key) && raw[key] !== null) {
      const d = parseDatetime(raw[key], timeZone);
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

  return { isBundled, secret, addonTo, voucher, validFrom, validUntil, answers };
}

function parseFee(
  { db, event }: RequestScope,
  raw: unknown,
): { value?: OrderFeeRequest; errors?: FieldErrors } {
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
      const row = findTaxRuleEvent(db, pk.value);
      if (!row) errors.tax_rule = [invalidPk(raw.tax_rule)];
      else if (row.event_id !== event.id)
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

export function parseInvoiceAddress(
  raw: unknown,
  settings: EventSettings,
): { value?: InvoiceAddressInput; errors?: FieldErrors } {
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
  const value: InvoiceAddressInput = {
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

export function validatePositionIds(
  positions: OrderPositionRequest[],
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
