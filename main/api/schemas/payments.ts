import { z } from 'zod';
import { EngineError, refusedList } from '../../engine/errors';
import { Decimal, type Money } from '../../engine/money';
import {
  PAYMENT_STATES,
  REFUND_SOURCES,
  REFUND_STATES,
  type PaymentInput,
  type RefundInput,
} from '../../engine/payments';
import { DRF, drf, drfField, parseBody } from './drf';
import { bodyObject, truthy } from './orders';

/**
 * Request bodies of an order's payment and refund endpoints (pretix's OrderPaymentCreateSerializer,
 * OrderRefundCreateSerializer and the actions' parameters), read once at the REST door; the payments room
 * receives typed values.
 */

/** pretix's JSON `info`: a dictionary, stored as given. */
const info = drfField<Record<string, unknown>>((input) =>
  typeof input === 'object' && input !== null && !Array.isArray(input)
    ? { value: input as Record<string, unknown> }
    : { error: 'Value must be valid JSON.' },
);

/** DRF reads `force` and the `mark_*` flags raw from the request: any truthy JSON value counts. */
const flag = z.unknown().optional().transform(truthy);

/** `mark_canceled`, or its legacy name `mark_refunded` when that is given. */
function markCanceled(body: Record<string, unknown>): boolean {
  return truthy(
    Object.prototype.hasOwnProperty.call(body, 'mark_refunded') ? body.mark_refunded : body.mark_canceled,
  );
}

const amount = drf.decimal().transform((text): Money => new Decimal(text));

/** A datetime that may be absent or null (none: null), stored as UTC ISO text. */
function optionalDatetime(timeZone: string) {
  return drf
    .datetime(timeZone)
    .nullish()
    .transform((d) => d?.toISOString() ?? null);
}

const optionalInfo = info.nullish().transform((v) => v ?? undefined);

/** `POST …/orders/{code}/payments/`; `payment_date` without an offset is in `timeZone` (the event's). */
export function paymentCreateBody(body: unknown, timeZone: string): PaymentInput {
  const schema = z.object({
    state: drf.choice(PAYMENT_STATES),
    amount,
    provider: drf.string({ maxLength: 255 }),
    payment_date: optionalDatetime(timeZone),
    info: optionalInfo,
    send_email: drf.boolean().nullish(),
    force: flag,
  });
  const { payment_date, send_email, ...payment } = parseBody(schema, bodyObject(body));
  void send_email; // checked as pretix checks it; the desk sends no mail
  return { ...payment, paymentDate: payment_date };
}

/** `POST …/orders/{code}/refunds/`; `execution_date` without an offset is in `timeZone` (the event's). */
export function refundCreateBody(body: unknown, timeZone: string): RefundInput {
  const b = bodyObject(body);
  const schema = z.object({
    state: drf.choice(REFUND_STATES),
    source: drf.choice(REFUND_SOURCES),
    amount,
    provider: drf.string({ maxLength: 255 }),
    payment: drf.integer().nullish(),
    execution_date: optionalDatetime(timeZone),
    comment: drf
      .string({ allowBlank: true })
      .nullish()
      .transform((v) => v ?? null),
    info: optionalInfo,
    mark_pending: flag,
  });
  const { payment, execution_date, mark_pending, ...refund } = parseBody(schema, b);
  return {
    ...refund,
    paymentLocalId: payment ?? null,
    executionDate: execution_date,
    markCanceled: markCanceled(b),
    markPending: mark_pending,
  };
}

/** `POST …/payments/{id}/confirm/`: `force`. */
export function paymentConfirmBody(body: unknown): { force: boolean } {
  return { force: truthy(bodyObject(body).force) };
}

/** `POST …/refunds/{id}/process/`: `mark_canceled`. */
export function refundProcessBody(body: unknown): { markCanceled: boolean } {
  return { markCanceled: markCanceled(bodyObject(body)) };
}

/**
 * `POST …/payments/{id}/refund/`: `amount` (none: the whole payment), `mark_canceled` and `comment`,
 * checked one by one as pretix's view does, each failure its own 400.
 */
export function paymentRefundBody(b: Record<string, unknown>): {
  amount?: Money;
  markCanceled: boolean;
  comment: string | null;
} {
  let refund: Money | undefined;
  if (Object.prototype.hasOwnProperty.call(b, 'amount')) {
    const parsed = amount.safeParse(b.amount);
    if (!parsed.success) throw refusedList('invalid', parsed.error.issues[0]?.message ?? DRF.number);
    refund = parsed.data;
  }
  const mark = markCanceled(b);
  if (b.comment !== undefined && typeof b.comment !== 'string') {
    throw new EngineError('invalid', 'Invalid type.', {
      kind: 'invalid',
      body: { comment: ['Invalid type.'] },
    });
  }
  return { amount: refund, markCanceled: mark, comment: typeof b.comment === 'string' ? b.comment : null };
}
