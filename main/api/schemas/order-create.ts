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
import { DRF, addFieldErrors, drf, drfRead, parseBody, readThen, type Parsed } from './drf';
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
  const lookups = orderRequestLookups(ctx, eventId);
  const { schema, reading } = sharedSchema(lookups.timeZone, lookups.nameScheme);
  reading.lookups = lookups;
  try {
    return parseBody(schema, body);
  } finally {
    reading.lookups = undefined;
  }
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
function compiledOrderCreateSchema(lookups: OrderRequestLookups) {
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
function found<T>(id: number, result: Checked<T> | undefined): Parsed<T> {
  if (result === undefined) return refuse(DRF.pkMissing(id));
  return result;
}

const ok = <T>(value: T): Parsed<T> => ({ value });
const refuse = (error: string): Parsed<never> => ({ error });
const NULL = ok(null);
const none = () => NULL;
/** Missing or null is none (`required=False, allow_null=True`): `null`. */
const NONE = { missing: none, null: none };
const no = () => FALSE;
const FALSE = ok(false);

/** A CharField that may be blank or null (none is null). */
function optionalText(maxLength?: number) {
  return drf.field(drfRead.string({ allowBlank: true, maxLength }), NONE);
}

/** A boolean that may be left out or null (then false). */
function flag() {
  return drf.field(drfRead.boolean(), { missing: no, null: no });
}

/** A boolean that may be left out (then false) but not null, as pretix's model fields with a default. */
function flagNotNull() {
  return drf.field(drfRead.boolean(), { missing: no });
}

function dateTime(lookups: OrderRequestLookups) {
  return drf.field(drfRead.datetime(lookups.timeZone), NONE);
}

const PHONE = /^\+?[0-9 ()/.-]*$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The fields of a position (`OrderPositionCreateSerializer`), each with its lookup. Each field is one
 * step (`drf.field` with what a missing or null value gives), not a chain of zod wrappers.
 */
function positionFields(lookups: OrderRequestLookups) {
  const relatedPk = drfRead.relatedPk();
  const secret = drfRead.string({ maxLength: 255 });
  const countryText = drfRead.string({ allowBlank: true });
  return {
    positionid: drf.field(drfRead.integer({ min: 0 }), NONE),
    item: drf.field(readThen(relatedPk, (id) => found(id, lookups.item(id)))),
    variation: drf.field(
      readThen(relatedPk, (id) => {
        const variation = lookups.variation(id);
        return variation ? ok(variation) : refuse(DRF.pkMissing(id));
      }),
      NONE,
    ),
    subevent: drf.field(
      readThen(relatedPk, (id) => found(id, lookups.subevent(id))),
      { missing: () => found(0, lookups.subevent(null)), null: () => found(0, lookups.subevent(null)) },
    ),
    price: drf.field(
      readThen(drfRead.decimal(), (value) => ok(new Decimal(value))),
      NONE,
    ),
    attendee_name: optionalText(),
    // Checked with the other fields in `validate()`: an empty value is none, a non-object is refused.
    // Not copied here: `withScheme` makes the one copy the order keeps.
    attendee_name_parts: z.transform((parts: unknown) => {
      if (isPlainObject(parts)) return { parts, invalid: false };
      const empty =
        parts === undefined || parts === null || parts === '' || (Array.isArray(parts) && parts.length === 0);
      return { parts: null, invalid: !empty };
    }),
    attendee_email: drf.field(drfRead.email(), NONE),
    company: optionalText(255),
    street: optionalText(),
    zipcode: optionalText(30),
    city: optionalText(255),
    country: drf.field(
      readThen(countryText, (country) => {
        if (!country) return ok(country);
        const code = country.toUpperCase();
        return isCountryCode(code) ? ok(code) : refuse(DRF.choice(country));
      }),
      NONE,
    ),
    state: optionalText(255),
    is_bundled: flag(),
    secret: drf.field(
      readThen(secret, (value) =>
        lookups.secretTaken(value)
          ? refuse('You cannot assign a position secret that already exists.')
          : { value },
      ),
      { missing: none },
    ),
    addon_to: drf.field(drfRead.integer(), NONE),
    voucher: drf.field((raw) => {
      const code = typeof raw === 'string' ? raw : String(raw);
      const voucher = lookups.voucher(code);
      return voucher ? ok(voucher) : refuse(DRF.slugMissing('code', code));
    }, NONE),
    seat: drf.field((seat) => (seat === '' ? ok(seat) : refuse('The specified seat does not exist.')), {
      missing: () => ok(undefined),
      null: none,
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
    attendeeNameParts: partsGiven ? withScheme(parts, lookups.nameScheme) : parts && {},
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
      tax_rule: drf.field(
        readThen(drfRead.pk(), (id) => found(id, lookups.taxRule(id))),
        NONE,
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
 * The fields of an order (`OrderCreateSerializer`), each with its lookup, each one step as a position's;
 * `initial` is the body as sent (DRF's `initial_data`), which pretix's `testmode` check reads.
 */
function orderFields(lookups: OrderRequestLookups, initial: () => Record<string, unknown>) {
  const code = drfRead.string({ maxLength: 16, minLength: 5 });
  const text = drfRead.string();
  return {
    code: drf.field(
      readThen(code, (value) => {
        if (lookups.orderCodeTaken(value)) return refuse('This order code is already in use.');
        if ([...value].some((c) => !CLIENT_CODE_ALPHABET.includes(c)))
          return refuse('This order code contains invalid characters.');
        return { value };
      }),
      { missing: none },
    ),
    status: drf.field(drfRead.choice(['n', 'p']), { missing: () => ok('n' as const) }),
    sales_channel: drf.field(
      (channel) => (knownChannel(channel) ? ok(channel as string) : refuse('Unknown sales channel.')),
      { missing: () => ok('web') },
    ),
    testmode: drf.field(
      readThen(drfRead.boolean(), (testmode) => {
        const channel = initial().sales_channel;
        return testmode && knownChannel(channel) && !SALES_CHANNELS[channel as string]!.testmode
          ? refuse('This sales channel does not provide support for test mode.')
          : ok(testmode);
      }),
      { missing: no },
    ),
    email: drf.field(drfRead.email(), NONE),
    phone: drf.field((phone) => {
      const text = typeof phone === 'string' || typeof phone === 'number' ? String(phone) : undefined;
      if (text === undefined || !PHONE.test(text)) return refuse('Enter a valid phone number.');
      return ok(text ? text.replace(/[ ()/.-]/g, '') : null);
    }, NONE),
    locale: drf.field(drfRead.string({ maxLength: 32 }), NONE),
    comment: drf.field(drfRead.string({ allowBlank: true }), { missing: () => ok('') }),
    custom_followup_at: drf.field(drfRead.date(), NONE),
    checkin_attention: flagNotNull(),
    checkin_text: optionalText(),
    valid_if_pending: flagNotNull(),
    require_approval: flagNotNull(),
    force: flagNotNull(),
    simulate: flagNotNull(),
    send_email: drf.field(drfRead.boolean(), { missing: () => ok(undefined), null: none }),
    payment_provider: drf.field(
      readThen(text, (provider) =>
        lookups.paymentProviderKnown(provider)
          ? ok(provider)
          : refuse('The given payment provider is not known.'),
      ),
      NONE,
    ),
    payment_info: z.transform((info: unknown) => (info === undefined ? '{}' : JSON.stringify(info ?? null))),
    payment_date: dateTime(lookups),
    expires: drf.field(
      readThen(drfRead.datetime(lookups.timeZone), (expires) =>
        expires.getTime() < lookups.now.getTime()
          ? refuse('The expiry date must be in the future.')
          : ok(expires),
      ),
      NONE,
    ),
    api_meta: drf.field((meta) => (isPlainObject(meta) ? ok(meta) : refuse('Value must be valid JSON.')), {
      missing: () => ok({}),
      null: () => ok({}),
    }),
    customer: drf.field((customer) => refuse(DRF.slugMissing('identifier', customer)), {
      missing: () => ok(undefined),
      null: none,
    }),
    consume_carts: drf.field(
      (carts) => (Array.isArray(carts) ? ok(carts.map((cart) => String(cart))) : refuse(DRF.list(carts))),
      { missing: () => ok([]), null: () => ok([]) },
    ),
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
