import { invalidFields, type FieldErrors } from '../errors';
import type { Decimal } from '../money';
import { answersByIds } from '../questions/position-answers';
import { isEmailAddress } from './addresses';
import {
  MAX_POSITIONS_PER_ORDER,
  tooManyPositions,
  positionIdErrors,
  type OrderPositionRequest,
  type OrderRequest,
  type OrderRequestLookups,
} from './order-request';
/** An answer to a question, as pretix's API names its parts. */
export interface DraftAnswer {
  question: number;
  answer: string;
  /** The chosen options of a choice question. */
  options?: number[];
}

export interface PositionDraft {
  itemId: number;
  variationId: number | null;
  subeventId: number | null;
  attendeeName: string | null;
  answers: DraftAnswer[];
  /** The price to charge; null for the listed price. */
  price: Decimal | null;
}

/** An order placed by the engine's own callers (the desk): typed, every product named by its id. */
export interface OrderDraft {
  /** `p` for an order paid at once with `paymentProvider`. */
  status: 'n' | 'p';
  salesChannel: 'web' | 'pretixpos' | 'resellers';
  email: string | null;
  locale: string | null;
  comment: string;
  paymentProvider: string | null;
  /** The payment's info; none is stored as `{}`. */
  paymentInfo: Record<string, unknown> | null;
  /** Carts the order is made from: what they hold becomes the order's. */
  consumeCarts: string[];
  positions: PositionDraft[];
}

/**
 * Checks what a draft names against the event (products, dates, questions, payment provider) with the same
 * rules and messages as pretix's API, in the same error shape; the request to place, or the 400.
 */
export function resolveOrderDraft(lookups: OrderRequestLookups, draft: OrderDraft): OrderRequest {
  const errors: FieldErrors = {};
  if (draft.email !== null && !isEmailAddress(draft.email)) errors.email = ['Enter a valid email address.'];
  if (draft.paymentProvider !== null && !lookups.paymentProviderKnown(draft.paymentProvider))
    errors.payment_provider = ['The given payment provider is not known.'];
  const positions: OrderPositionRequest[] = [];
  if (draft.positions.length === 0) errors.positions = ['An order cannot be empty.'];
  else if (draft.positions.length > MAX_POSITIONS_PER_ORDER)
    errors.positions = [tooManyPositions(draft.positions.length)];
  else {
    const positionErrors: FieldErrors[] = [];
    for (const d of draft.positions) {
      const result = resolvePositionDraft(lookups, d);
      positionErrors.push(result.errors ?? {});
      if (result.value) positions.push(result.value);
    }
    if (positionErrors.some((e) => Object.keys(e).length > 0)) errors.positions = positionErrors;
    else {
      const idErrors = positionIdErrors(positions);
      if (idErrors) errors.positions = idErrors;
    }
  }
  if (Object.keys(errors).length > 0) throw invalidFields('invalid', errors);
  return {
    code: null,
    status: draft.status,
    salesChannel: draft.salesChannel,
    testmode: false,
    email: draft.email === '' ? null : draft.email,
    phone: null,
    locale: draft.locale,
    comment: draft.comment,
    customFollowupAt: null,
    checkinAttention: false,
    checkinText: null,
    validIfPending: false,
    requireApproval: false,
    force: false,
    simulate: false,
    paymentProvider: draft.paymentProvider,
    paymentInfo: draft.paymentInfo === null ? '{}' : JSON.stringify(draft.paymentInfo),
    paymentDate: null,
    expires: null,
    apiMeta: {},
    consumeCarts: draft.consumeCarts,
    invoiceAddress: null,
    fees: [],
    positions,
  };
}

const invalidPk = (id: number) => `Invalid pk "${id}" - object does not exist.`;

function resolvePositionDraft(
  lookups: OrderRequestLookups,
  d: PositionDraft,
): { value?: OrderPositionRequest; errors?: FieldErrors } {
  const errors: FieldErrors = {};
  const item = lookups.item(d.itemId);
  if (!item) errors.item = [invalidPk(d.itemId)];
  else if ('error' in item) errors.item = [item.error];
  const variation = d.variationId === null ? null : lookups.variation(d.variationId);
  if (variation === undefined) errors.variation = [invalidPk(d.variationId!)];
  const subevent = lookups.subevent(d.subeventId);
  if (!subevent) errors.subevent = [invalidPk(d.subeventId!)];
  else if ('error' in subevent) errors.subevent = [subevent.error];
  const answers = answersByIds(lookups.answers, d.answers);
  if (!answers.ok) errors.answers = answers.errors as FieldErrors[];
  if (Object.keys(errors).length > 0 || !item || 'error' in item || !answers.ok) return { errors };
  const variationProblem = lookups.variationProblem(item.value, variation ?? null);
  if (variationProblem) return { errors: { variation: [variationProblem] } };
  return {
    value: {
      positionid: null,
      item: item.value,
      variation: variation ?? null,
      subeventId: subevent && 'value' in subevent ? subevent.value : null,
      price: d.price,
      attendeeName: d.attendeeName,
      attendeeNameParts: null,
      attendeeEmail: null,
      company: null,
      street: null,
      zipcode: null,
      city: null,
      country: null,
      state: null,
      isBundled: false,
      secret: null,
      addonTo: null,
      answers: answers.answers,
      voucher: null,
      validFrom: null,
      validUntil: null,
    },
  };
}
