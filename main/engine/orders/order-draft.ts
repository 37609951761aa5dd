import { invalidFields, type FieldErrors } from '../errors';
import type { Decimal } from '../money';
import { eventPaymentProviders } from '../payments/providers';
import { validateAnswers } from '../questions/position-answers';
import { checkVariation } from '../sales/product-checks';
import { parseEmail } from './fields';
import {
  MAX_POSITIONS_PER_ORDER,
  tooManyPositions,
  resolveItem,
  resolveSubevent,
  resolveVariation,
  validatePositionIds,
  type OrderPositionRequest,
  type OrderRequest,
  type RequestScope,
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
export function resolveOrderDraft(scope: RequestScope, draft: OrderDraft): OrderRequest {
  const errors: FieldErrors = {};
  if (draft.email !== null) {
    const e = parseEmail(draft.email);
    if (e.error !== undefined) errors.email = [e.error];
  }
  if (
    draft.paymentProvider !== null &&
    !eventPaymentProviders(scope.db, scope.event.id).includes(draft.paymentProvider)
  )
    errors.payment_provider = ['The given payment provider is not known.'];
  const positions: OrderPositionRequest[] = [];
  if (draft.positions.length === 0) errors.positions = ['An order cannot be empty.'];
  else if (draft.positions.length > MAX_POSITIONS_PER_ORDER)
    errors.positions = [tooManyPositions(draft.positions.length)];
  else {
    const positionErrors: FieldErrors[] = [];
    for (const d of draft.positions) {
      const result = resolvePositionDraft(scope, d);
      positionErrors.push(result.errors ?? {});
      if (result.value) positions.push(result.value);
    }
    if (positionErrors.some((e) => Object.keys(e).length > 0)) errors.positions = positionErrors;
    else {
      const idErrors = validatePositionIds(positions);
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
    paymentDate: scope.now,
    expires: null,
    apiMeta: {},
    consumeCarts: draft.consumeCarts,
    invoiceAddress: null,
    fees: [],
    positions,
  };
}

function resolvePositionDraft(
  scope: RequestScope,
  d: PositionDraft,
): { value?: OrderPositionRequest; errors?: FieldErrors } {
  const errors: FieldErrors = {};
  const item = resolveItem(scope, d.itemId, true, errors);
  const variation = resolveVariation(scope, d.variationId, true, errors);
  const subeventId = resolveSubevent(scope, d.subeventId, true, errors);
  const answers = validateAnswers(
    scope.db,
    { organizerId: scope.event.organizer_id, eventId: scope.event.id },
    d.answers,
  );
  if (!answers.ok) errors.answers = answers.errors;
  if (Object.keys(errors).length > 0 || !item || !answers.ok) return { errors };
  const variationProblem = checkVariation(item, variation);
  if (variationProblem) return { errors: { variation: [variationProblem] } };
  return {
    value: {
      positionid: null,
      item,
      variation,
      subeventId,
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
