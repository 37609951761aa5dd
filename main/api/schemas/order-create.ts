import { z } from 'zod';
import type { EngineContext } from '../../engine/context';
import { Decimal } from '../../engine/money';
import {
  CLIENT_CODE_ALPHABET,
  FEE_TYPES,
  MAX_POSITIONS_PER_ORDER,
  SALES_CHANNELS,
  isCountryCode,
  orderRequestLookups,
  positionIdErrors,
  stateError,
  tooManyPositions,
  type Checked,
  type OrderFeeRequest,
  type OrderPositionRequest,
  type OrderRequest,
  type OrderRequestLookups,
} from '../../engine/orders';
import { DRF, addFieldErrors, drf, parseBody } from './drf';
import { answersSchema } from './answers';
import { invoiceAddressSchema, withScheme } from './invoice-address';

/**
 * The body of pretix's `POST …/orders/` (`OrderCreateSerializer` with its nested position, fee and
 * invoice address serializers): every field in pretix's order, with DRF's messages, the rows it names
 * looked up as DRF's related fields do, so that format and lookup errors come back together in one 400.
 * The result is the orders room's typed `OrderRequest`.
 */

/** Reads the body of an order creation in `eventId` with the command's database and clock. */
export function readOrderCreate(ctx: EngineContext, eventId: number, body: unknown): OrderRequest {
  const lookups = remembered(orderRequestLookups(ctx, eventId));
  const { schema, reading } = sharedSchema(lookups.timeZone, lookups.nameScheme);
  reading.lookups = lookups;
  try {
    return parseBody(schema, body);
  } finally {
    reading.lookups = undefined;
  }
}

/**
 * The lookups of one request, each row looked up once: a group's positions name the same item, sub-event
 * and questions again and again (a query each, about a third of reading a 5-position body). The rows are
 * read inside the command's transaction and only read afterwards, so one copy serves every position.
 */
function remembered(lookups: OrderRequestLookups): OrderRequestLookups {
  return {
    ...lookups,
    item: remember(lookups.item),
    variation: remember(lookups.variation),
    subevent: remember(lookups.subevent),
    voucher: remember(lookups.voucher),
    taxRule: remember(lookups.taxRule),
    answers: { question: remember(lookups.answers.question), option: remember(lookups.answers.option) },
  };
}

function remember<K, V>(lookup: (key: K) => V): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    if (known.has(key)) return known.get(key) as V;
    const value = lookup(key);
    known.set(key, value);
    return value;
  };
}

/**
 * Building the schema costs several times what parsing with it does, so one is built per time zone and
 * name scheme (the only lookups it is built from) and kept. Its other lookups are the request's, reached
 * through `reading` while `parseBody` runs: parsing is synchronous, so no other request's can interleave.
 */
const sharedSchemas = new Map<
  string,
  { schema: ReturnType<typeof orderCreateSchema>; reading: { lookups?: OrderRequestLookups } }
>();

function sharedSchema(timeZone: string, nameScheme: string) {
  const key = `${timeZone} ${nameScheme}`;
  let shared = sharedSchemas.get(key);
  if (!shared) {
    const reading: { lookups?: OrderRequestLookups } = {};
    const current = (): OrderRequestLookups => {
      if (!reading.lookups) throw new Error('The order schema was used outside readOrderCreate.');
      return reading.lookups;
    };
    const lookups: OrderRequestLookups = {
      timeZone,
      nameScheme,
      get now() {
        return current().now;
      },
      orderCodeTaken: (code) => current().orderCodeTaken(code),
      paymentProviderKnown: (provider) => current().paymentProviderKnown(provider),
      item: (id) => current().item(id),
      variation: (id) => current().variation(id),
      subevent: (id) => current().subevent(id),
      variationProblem: (item, variation) => current().variationProblem(item, variation),
      secretTaken: (secret) => current().secretTaken(secret),
      voucher: (code) => current().voucher(code),
      taxRule: (id) => current().taxRule(id),
      answers: {
        question: (id) => current().answers.question(id),
        option: (id) => current().answers.option(id),
      },
    };
    shared = { schema: compiledOrderCreateSchema(lookups), reading };
    sharedSchemas.set(key, shared);
  }
  return shared;
}

/**
 * The schema as zod's compiler makes it (`z.compile`): a generated function reads a body without zod's
 * per-field wrappers (about a third of the CPU), and a body it refuses is read again by the schema itself,
 * which reports every error as before. The transforms may run twice for such a body; they only read.
 * A schema the compiler cannot model stays as it is (a test checks that this one compiles).
 */
export function compiledOrderCreateSchema(lookups: OrderRequestLookups) {
  return z.compile(orderCreateSchema(lookups));
}

type Issue = (message: string, path?: (string | number)[]) => typeof z.NEVER;

function issuer(ctx: z.RefinementCtx, input: unknown): Issue {
  return (message, path = []) => {
    ctx.addIssue({ code: 'custom', message, path, input });
    return z.NEVER;
  };
}

/** A row a lookup finds by id: DRF's `Invalid pk` when there is none, the lookup's message when unusable. */
function found<T>(id: number, result: Checked<T> | undefined, fail: Issue): T {
  if (result === undefined) return fail(DRF.pkMissing(id));
  return 'error' in result ? fail(result.error) : result.value;
}

/** A CharField that may be blank or null (none is null). */
function optionalText(maxLength?: number) {
  return drf
    .string({ allowBlank: true, maxLength })
    .nullish()
    .transform((value) => value ?? null);
}

function flag() {
  return drf
    .boolean()
    .nullish()
    .transform((value) => value ?? false);
}

/** A boolean that may be left out (then false) but not null, as pretix's model fields with a default. */
function flagNotNull() {
  return drf.boolean().default(false);
}

function dateTime(lookups: OrderRequestLookups) {
  return drf
    .datetime(lookups.timeZone)
    .nullish()
    .transform((value) => value ?? null);
}

const PHONE = /^\+?[0-9 ()/.-]*$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fields of a position (`OrderPositionCreateSerializer`), each with its lookup. */
function positionFields(lookups: OrderRequestLookups) {
  return {
    positionid: drf
      .integer({ min: 0 })
      .nullish()
      .transform((value) => value ?? null),
    item: drf.relatedPk().transform((id, ctx) => found(id, lookups.item(id), issuer(ctx, id))),
    variation: drf
      .relatedPk()
      .nullish()
      .transform((id, ctx) => {
        if (id === undefined || id === null) return null;
        const variation = lookups.variation(id);
        return variation ?? issuer(ctx, id)(DRF.pkMissing(id));
      }),
    subevent: drf
      .relatedPk()
      .nullish()
      .transform((id, ctx) => found(id ?? 0, lookups.subevent(id ?? null), issuer(ctx, id))),
    price: drf
      .decimal()
      .nullish()
      .transform((value) => (value === undefined || value === null ? null : new Decimal(value))),
    attendee_name: optionalText(),
    // Checked with the other fields in `validate()`: an empty value is none, a non-object is refused.
    attendee_name_parts: z
      .unknown()
      .optional()
      .transform((parts) => {
        if (isPlainObject(parts)) return { parts: { ...parts }, invalid: false };
        const none =
          parts === undefined ||
          parts === null ||
          parts === '' ||
          (Array.isArray(parts) && parts.length === 0);
        return { parts: null, invalid: !none };
      }),
    attendee_email: drf
      .email()
      .nullish()
      .transform((value) => value ?? null),
    company: optionalText(255),
    street: optionalText(),
    zipcode: optionalText(30),
    city: optionalText(255),
    country: optionalText().transform((country, ctx) => {
      if (!country) return country;
      const code = country.toUpperCase();
      return isCountryCode(code) ? code : issuer(ctx, country)(DRF.choice(country));
    }),
    state: optionalText(255),
    is_bundled: flag(),
    secret: drf
      .string({ maxLength: 255 })
      .optional()
      .transform((secret, ctx) => {
        if (secret === undefined) return null;
        if (lookups.secretTaken(secret))
          return issuer(ctx, secret)('You cannot assign a position secret that already exists.');
        return secret;
      }),
    addon_to: drf
      .integer()
      .nullish()
      .transform((value) => value ?? null),
    voucher: z
      .unknown()
      .optional()
      .transform((raw, ctx) => {
        if (raw === undefined || raw === null) return null;
        const code = typeof raw === 'string' ? raw : String(raw);
        return lookups.voucher(code) ?? issuer(ctx, raw)(DRF.slugMissing('code', code));
      }),
    seat: z
      .unknown()
      .optional()
      .superRefine((seat, ctx) => {
        if (seat !== undefined && seat !== null && seat !== '')
          issuer(ctx, seat)('The specified seat does not exist.');
      }),
    valid_from: dateTime(lookups),
    valid_until: dateTime(lookups),
    answers: answersSchema(lookups.answers, { nullIsNone: true }),
  };
}

type PositionFields = z.output<z.ZodObject<ReturnType<typeof positionFields>>>;

/** The position serializer's `validate()`: runs once every field is valid, answers with its first problem. */
function validatePosition(
  lookups: OrderRequestLookups,
  f: PositionFields,
  ctx: z.RefinementCtx,
): OrderPositionRequest {
  const fail = issuer(ctx, f);
  const variationProblem = lookups.variationProblem(f.item, f.variation);
  if (variationProblem) return fail(variationProblem, ['variation']);
  const parts = f.attendee_name_parts.parts;
  const partsGiven = parts !== null && Object.keys(parts).length > 0;
  if (f.attendee_name && partsGiven)
    return fail('Do not specify attendee_name if you specified attendee_name_parts.', ['attendee_name']);
  if (f.attendee_name_parts.invalid) return fail('Invalid data type', ['attendee_name_parts']);
  if (f.state) {
    const problem = stateError(f.country ?? '', f.state);
    if (problem) return fail(problem, ['state']);
  }
  return {
    positionid: f.positionid,
    item: f.item,
    variation: f.variation,
    subeventId: f.subevent,
    price: f.price,
    attendeeName: f.attendee_name,
    attendeeNameParts: partsGiven ? withScheme(parts, lookups.nameScheme) : parts,
    attendeeEmail: f.attendee_email,
    company: f.company,
    street: f.street,
    zipcode: f.zipcode,
    city: f.city,
    country: f.country,
    state: f.state,
    isBundled: f.is_bundled,
    secret: f.secret,
    addonTo: f.addon_to,
    voucher: f.voucher,
    validFrom: f.valid_from?.toISOString() ?? null,
    validUntil: f.valid_until?.toISOString() ?? null,
    answers: f.answers,
  };
}

function positionSchema(lookups: OrderRequestLookups) {
  return drf.serializer(positionFields(lookups)).transform((f, ctx) => validatePosition(lookups, f, ctx));
}

function feeSchema(lookups: OrderRequestLookups) {
  return drf
    .serializer({
      fee_type: drf.choice(FEE_TYPES),
      value: drf.decimal(),
      description: optionalText(190),
      internal_type: optionalText(255),
      tax_rule: drf
        .pk()
        .nullish()
        .transform((id, ctx) =>
          id === undefined || id === null ? null : found(id, lookups.taxRule(id), issuer(ctx, id)),
        ),
      _treat_value_as_percentage: flag(),
      _split_taxes_like_products: flag(),
    })
    .transform((f): OrderFeeRequest => ({
      feeType: f.fee_type,
      value: new Decimal(f.value),
      description: f.description ?? '',
      internalType: f.internal_type ?? '',
      taxRuleId: f.tax_rule,
      asPercentage: f._treat_value_as_percentage,
      splitTaxes: f._split_taxes_like_products,
    }));
}

function positionsSchema(lookups: OrderRequestLookups) {
  return drf
    .many(positionSchema(lookups), (list) => {
      if (list.length === 0) return 'An order cannot be empty.';
      if (list.length > MAX_POSITIONS_PER_ORDER) return tooManyPositions(list.length);
      return undefined;
    })
    .transform((positions, ctx) => {
      const errors = positionIdErrors(positions);
      if (!errors) return positions;
      addFieldErrors(ctx, errors);
      return z.NEVER;
    });
}

const knownChannel = (channel: unknown) =>
  typeof channel === 'string' && Object.prototype.hasOwnProperty.call(SALES_CHANNELS, channel);

/**
 * The fields of an order (`OrderCreateSerializer`), each with its lookup; `initial` is the body as sent
 * (DRF's `initial_data`), which pretix's `testmode` check reads.
 */
function orderFields(lookups: OrderRequestLookups, initial: () => Record<string, unknown>) {
  return {
    code: drf
      .string({ maxLength: 16, minLength: 5 })
      .optional()
      .transform((code, ctx) => {
        if (code === undefined) return null;
        if (lookups.orderCodeTaken(code)) return issuer(ctx, code)('This order code is already in use.');
        if ([...code].some((c) => !CLIENT_CODE_ALPHABET.includes(c)))
          return issuer(ctx, code)('This order code contains invalid characters.');
        return code;
      }),
    status: drf.choice(['n', 'p']).default('n'),
    sales_channel: drf
      .field<string>((channel) =>
        knownChannel(channel) ? { value: channel as string } : { error: 'Unknown sales channel.' },
      )
      .default('web'),
    testmode: flagNotNull().superRefine((testmode, ctx) => {
      const channel = initial().sales_channel;
      if (testmode && knownChannel(channel) && !SALES_CHANNELS[channel as string]!.testmode)
        issuer(ctx, testmode)('This sales channel does not provide support for test mode.');
    }),
    email: drf
      .email()
      .nullish()
      .transform((value) => value ?? null),
    phone: drf
      .field<string>((phone) => {
        const text = typeof phone === 'string' || typeof phone === 'number' ? String(phone) : undefined;
        return text !== undefined && PHONE.test(text)
          ? { value: text }
          : { error: 'Enter a valid phone number.' };
      })
      .nullish()
      .transform((phone) => (phone ? phone.replace(/[ ()/.-]/g, '') : null)),
    locale: drf
      .string({ maxLength: 32 })
      .nullish()
      .transform((value) => value ?? null),
    comment: drf.string({ allowBlank: true }).default(''),
    custom_followup_at: drf
      .date()
      .nullish()
      .transform((value) => value ?? null),
    checkin_attention: flagNotNull(),
    checkin_text: optionalText(),
    valid_if_pending: flagNotNull(),
    require_approval: flagNotNull(),
    force: flagNotNull(),
    simulate: flagNotNull(),
    send_email: drf.boolean().nullish(),
    payment_provider: drf
      .string()
      .nullish()
      .transform((provider, ctx) => {
        if (provider === undefined || provider === null) return null;
        if (!lookups.paymentProviderKnown(provider))
          return issuer(ctx, provider)('The given payment provider is not known.');
        return provider;
      }),
    payment_info: z
      .unknown()
      .optional()
      .transform((info) => (info === undefined ? '{}' : JSON.stringify(info ?? null))),
    payment_date: dateTime(lookups),
    expires: dateTime(lookups).superRefine((expires, ctx) => {
      if (expires && expires.getTime() < lookups.now.getTime())
        issuer(ctx, expires)('The expiry date must be in the future.');
    }),
    api_meta: z
      .unknown()
      .optional()
      .transform((meta, ctx) => {
        if (meta === undefined || meta === null) return {};
        return isPlainObject(meta) ? meta : issuer(ctx, meta)('Value must be valid JSON.');
      }),
    customer: z
      .unknown()
      .optional()
      .superRefine((customer, ctx) => {
        if (customer !== undefined && customer !== null)
          issuer(ctx, customer)(DRF.slugMissing('identifier', customer));
      }),
    consume_carts: drf
      .list(z.unknown().transform((cart) => String(cart)))
      .nullish()
      .transform((carts) => carts ?? []),
    invoice_address: invoiceAddressSchema(lookups.nameScheme)
      .nullish()
      .transform((address) => address ?? null),
    fees: drf
      .many(feeSchema(lookups))
      .nullish()
      .transform((fees) => fees ?? []),
    positions: positionsSchema(lookups),
  };
}

type OrderFields = z.output<z.ZodObject<ReturnType<typeof orderFields>>>;

function toOrderRequest(f: OrderFields): OrderRequest {
  return {
    code: f.code,
    status: f.status,
    salesChannel: f.sales_channel,
    testmode: f.testmode,
    email: f.email,
    phone: f.phone,
    locale: f.locale,
    comment: f.comment,
    customFollowupAt: f.custom_followup_at,
    checkinAttention: f.checkin_attention,
    checkinText: f.checkin_text,
    validIfPending: f.valid_if_pending,
    requireApproval: f.require_approval,
    force: f.force,
    simulate: f.simulate,
    paymentProvider: f.payment_provider,
    paymentInfo: f.payment_info,
    paymentDate: f.payment_date,
    expires: f.expires,
    apiMeta: f.api_meta,
    consumeCarts: f.consume_carts,
    invoiceAddress: f.invoice_address,
    fees: f.fees,
    positions: f.positions,
  };
}

/** The order creation body's schema, its rows looked up with `lookups`. */
export function orderCreateSchema(lookups: OrderRequestLookups) {
  let initial: Record<string, unknown> = {};
  const fields = drf.serializer(orderFields(lookups, () => initial));
  return z
    .unknown()
    .transform((body) => {
      initial = isPlainObject(body) ? body : {};
      return body;
    })
    .pipe(fields)
    .transform(toOrderRequest);
}
