import { z } from 'zod';
import { shown } from '../../engine/errors';
import {
  CART_POSITION_DEFAULTS,
  type CartPositionRequest,
  type CartRequestLookups,
} from '../../engine/carts';
import { answersSchema } from './answers';
import { DRF, drf, drfErrorMap, drfFieldErrors } from './drf';
import type { FieldErrors } from '../../engine/errors';

/**
 * The body of pretix's `POST …/cartpositions/` (`CartPositionCreateSerializer`, with its nested add-on
 * and bundled position serializers): the fields in pretix's order with DRF's messages, the rows they name
 * looked up as DRF's related fields do. Each position of a bulk request is read on its own, so one bad
 * position does not refuse the others. The result is the carts room's typed `CartPositionRequest`.
 */

type Issue = (message: string) => typeof z.NEVER;

function issuer(ctx: z.RefinementCtx, input: unknown): Issue {
  return (message) => {
    ctx.addIssue({ code: 'custom', message, input });
    return z.NEVER;
  };
}

/** A CharField as pretix's cart serializer reads it: numbers and booleans become their text. */
function text(options: { allowBlank?: boolean; maxLength?: number } = {}) {
  return drf.field<string>((input) => {
    if (typeof input !== 'string' && typeof input !== 'number' && typeof input !== 'boolean')
      return { error: DRF.string };
    const value = String(input);
    if (!options.allowBlank && value.trim() === '') return { error: DRF.blank };
    if (options.maxLength !== undefined && value.length > options.maxLength)
      return { error: DRF.maxLength(options.maxLength) };
    return { value };
  });
}

/** A field that may be left out or null: then `none`. */
function orNone<T extends z.ZodType, N>(field: T, none: N) {
  return field.nullish().transform((value) => (value === undefined || value === null ? none : value));
}

/** Two decimal places, as pretix's DecimalField(13, 2) stores and renders the price. */
function formatPrice(text: string): string {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace(/^[+-]/, '').split('.');
  const value = `${whole || '0'}.${fraction.padEnd(2, '0').slice(0, 2)}`;
  return negative && value !== '0.00' ? `-${value}` : value;
}

/** The fields every cart position has, nested or not. */
function positionFields(lookups: CartRequestLookups) {
  return {
    item: drf.relatedPk().transform((id, ctx) => {
      const found = lookups.item(id);
      if (found === undefined) return issuer(ctx, id)(DRF.pkMissing(id));
      return 'error' in found ? issuer(ctx, id)(found.error) : found.value;
    }),
    variation: drf
      .relatedPk()
      .nullish()
      .transform((id, ctx) => {
        if (id === undefined || id === null) return null;
        return lookups.variation(id) ?? issuer(ctx, id)(DRF.pkMissing(id));
      }),
    price: drf.decimal().transform(formatPrice),
    attendee_name: orNone(text(), null).transform((name) => name?.trim() ?? null),
    attendee_name_parts: drf
      .field<Record<string, unknown>>((parts) =>
        typeof parts === 'object' && !Array.isArray(parts)
          ? { value: parts as Record<string, unknown> }
          : { error: 'Invalid data type' },
      )
      .optional()
      .transform((parts) => parts ?? null),
    attendee_email: orNone(drf.email(), null).transform((email) => email || null),
    subevent: drf
      .relatedPk()
      .nullable()
      .optional()
      .transform((id, ctx) => {
        if (id === undefined) return null;
        const found = lookups.subevent(id);
        if (found === undefined) return issuer(ctx, id)(DRF.pkMissing(id));
        return 'error' in found ? issuer(ctx, id)(found.error) : found.value;
      }),
    includes_tax: orNone(drf.boolean(), true),
    answers: answersSchema(lookups.answers),
  };
}

type NestedFields = z.output<z.ZodObject<ReturnType<typeof positionFields>>>;

function nested({ item, variation, subevent, price, answers, ...f }: NestedFields): CartPositionRequest {
  return {
    ...CART_POSITION_DEFAULTS,
    item,
    variation,
    subevent,
    price,
    answers,
    includesTax: f.includes_tax,
    attendeeName: f.attendee_name,
    attendeeNameParts: f.attendee_name_parts,
    attendeeEmail: f.attendee_email,
  };
}

function nestedList(lookups: CartRequestLookups) {
  return orNone(drf.list(drf.serializer(positionFields(lookups)).transform(nested)), []);
}

/** A top-level position: the nested fields plus its cart, expiry, children, seat, channel and voucher. */
export function cartPositionSchema(lookups: CartRequestLookups) {
  return drf
    .serializer({
      ...positionFields(lookups),
      cart_id: orNone(text({ allowBlank: true, maxLength: 255 }), '').transform((id, ctx) => {
        if (id && !id.endsWith('@api')) return issuer(ctx, id)('Cart ID should end in @api or be empty.');
        return id || null;
      }),
      expires: drf
        .datetime(lookups.timeZone)
        .optional()
        .transform((value) => value ?? null),
      addons: nestedList(lookups),
      bundled: nestedList(lookups),
      seat: orNone(text(), null),
      sales_channel: drf
        .field<string>((channel) =>
          typeof channel === 'string' && lookups.salesChannelKnown(channel)
            ? { value: channel }
            : { error: `Object with identifier=${shown(channel)} does not exist.` },
        )
        .optional()
        .transform((channel) => channel ?? 'web'),
      voucher: orNone(text(), null),
    })
    .transform((f): CartPositionRequest => ({
      ...nested(f),
      cartId: f.cart_id,
      expires: f.expires,
      voucherCode: f.voucher,
      seat: f.seat,
      salesChannel: f.sales_channel,
      addons: f.addons,
      bundled: f.bundled,
    }));
}

/** Reads one cart position of a request: the typed request, or DRF's field errors. */
export function readCartPosition(
  schema: ReturnType<typeof cartPositionSchema>,
  body: unknown,
): { ok: true; request: CartPositionRequest } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(body, { error: drfErrorMap });
  return result.success
    ? { ok: true, request: result.data }
    : { ok: false, errors: drfFieldErrors(result.error, body) };
}
