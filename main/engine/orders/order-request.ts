import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import {
  findTaxRuleEvent,
  orderCodeTaken,
  ticketSecretTaken,
  ticketSecretTakenInEvent,
  type OrderEvent,
} from '../db/queries/orders/place';
import type { OrderPositionRow } from '../db/rows';
import { refusedList, type FieldErrors } from '../errors';
import type { Decimal } from '../money';
import { paymentProvidersOfPlugins } from '../payments/providers';
import { answerLookups, type AnswerLookups, type NormalisedAnswer } from '../questions/position-answers';
import {
  checkedItem,
  checkedSubevent,
  checkVariation,
  variationOfOrganizer,
  type Checked,
  type SaleItem,
  type SaleVariation,
} from '../sales/product-checks';
import { voucherByCode, type SaleVoucher } from '../vouchers/sale-rules';
import type { InvoiceAddressData } from './model';
import { placementForLookups } from './order-event';

/**
 * What placing an order takes, once every field is valid: the typed request both doors build (the REST
 * door from pretix's `POST …/orders/` body, the desk from its draft), and the lookups they check the rows
 * it names with, so that both answer with pretix's rules and messages.
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

/** The kinds of fee an order may carry. */
export const FEE_TYPES = [
  'payment',
  'shipping',
  'service',
  'cancellation',
  'insurance',
  'late',
  'other',
  'giftcard',
] as const;

/** The characters a client-chosen order code may use. */
export const CLIENT_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ1234567890';

/** An attendee's address on a position. */
type PositionAddress = Pick<
  OrderPositionRow,
  'company' | 'street' | 'zipcode' | 'city' | 'country' | 'state'
>;

export interface OrderPositionRequest extends PositionAddress {
  positionid: number | null;
  item: SaleItem;
  variation: SaleVariation | null;
  subeventId: number | null;
  price: Decimal | null;
  attendeeName: string | null;
  attendeeNameParts: Record<string, unknown> | null;
  attendeeEmail: string | null;
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
  /** When the payment of a paid order was made; none is the placement's time. */
  paymentDate: Date | null;
  expires: Date | null;
  apiMeta: Record<string, unknown>;
  consumeCarts: string[];
  invoiceAddress: InvoiceAddressInput | null;
  fees: OrderFeeRequest[];
  positions: OrderPositionRequest[];
}

/** A lookup's answer: the row, or pretix's message why it cannot be used here. */
export type { Checked };

/**
 * The rows an order request may name, looked up in its event (and organizer), as pretix's serializer
 * fields look them up: `undefined` when there is no such row, a message when the row may not be used.
 */
export interface OrderRequestLookups {
  /** The event's time zone, for datetimes given without an offset. */
  timeZone: string;
  /** The event's name scheme, stamped on name parts given without one. */
  nameScheme: string;
  /** The command's clock. */
  now: Date;
  orderCodeTaken(code: string): boolean;
  paymentProviderKnown(provider: string): boolean;
  item(id: number): Checked<SaleItem> | undefined;
  variation(id: number): SaleVariation | undefined;
  /** The position's sub-event (none given is `null`): required in a series, else forbidden. */
  subevent(id: number | null): Checked<number | null> | undefined;
  /** The variation rules of an item: required when it has variations, of the item, forbidden otherwise. */
  variationProblem(item: SaleItem, variation: SaleVariation | null): string | undefined;
  secretTaken(secret: string): boolean;
  /** A voucher of the event by its exact code. */
  voucher(code: string): SaleVoucher | undefined;
  taxRule(id: number): Checked<number> | undefined;
  /** A position's `answers`, checked against the questions (pretix's `AnswerSerializer`). */
  answers: AnswerLookups;
}

/** The lookups of an order placed in `eventId` by the command `ctx` (404 when there is no such event). */
export function orderRequestLookups(
  ctx: Pick<EngineContext, 'db' | 'now'>,
  eventId: number,
): OrderRequestLookups {
  const { db, now } = ctx;
  const { event, settings, timeZone } = placementForLookups(ctx, db, eventId);
  const organizerId = event.organizer_id;
  const answers = answerLookups(db, { organizerId, eventId: event.id });
  return {
    timeZone,
    nameScheme: settings.name_scheme,
    now,
    orderCodeTaken: (code) => orderCodeTaken(db, organizerId, code),
    paymentProviderKnown: (provider) => paymentProvidersOfPlugins(event.plugins).includes(provider),
    item: remembered((id) => checkedItem(db, organizerId, event.id, id)),
    variation: remembered((id) => variationOfOrganizer(db, organizerId, id)),
    subevent: remembered((id) => {
      const subevent = checkedSubevent(db, organizerId, event, id);
      return subevent && 'value' in subevent ? { value: subevent.value?.id ?? null } : subevent;
    }),
    variationProblem: checkVariation,
    secretTaken: (secret) => ticketSecretTakenInEvent(db, event.id, secret),
    voucher: remembered((code: string) => {
      const found = voucherByCode(db, event.id, code);
      // pretix looks the code up exactly (a SlugRelatedField), not case-insensitively.
      return found && found.code === code ? found : undefined;
    }),
    taxRule: remembered((id) => {
      const row = findTaxRuleEvent(db, id);
      if (!row) return undefined;
      return row.event_id === event.id
        ? { value: row.id }
        : { error: 'The specified tax rate does not belong to this event.' };
    }),
    answers: { question: remembered(answers.question), option: remembered(answers.option) },
  };
}

/**
 * A lookup that reads each row once per request: an order names the same product, sub-event and question
 * on many positions, and the rows do not change while its command runs.
 */
function remembered<K, T>(lookup: (key: K) => T): (key: K) => T {
  const found = new Map<K, T>();
  return (key) => {
    if (found.has(key)) return found.get(key)!;
    const value = lookup(key);
    found.set(key, value);
    return value;
  };
}

/**
 * Ticket secrets must be unique in the organizer, also inside one request: a taken one is pretix's
 * integrity error (its database refuses the second one).
 */
export function refuseTakenSecrets(
  db: ReadableDB,
  event: OrderEvent,
  positions: OrderPositionRequest[],
): void {
  const requestSecrets = new Set<string>();
  for (const p of positions) {
    if (p.secret === null) continue;
    if (requestSecrets.has(p.secret) || ticketSecretTaken(db, event.organizer_id, p.secret))
      throw refusedList('duplicate', 'Integrity error, possibly duplicate submission of same order.');
    requestSecrets.add(p.secret);
  }
}

/**
 * pretix's checks of the positions' ids: all given or none (then numbered in order), consecutive, add-ons
 * right after the position they belong to. The errors per position (`{}` for good ones), or none.
 */
export function positionIdErrors(
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
