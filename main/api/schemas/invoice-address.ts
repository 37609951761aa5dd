import { z } from 'zod';
import { isCountryCode, stateError, type InvoiceAddressInput } from '../../engine/orders';
import { drf, drfRead, type Parsed } from './drf';

/**
 * pretix's `InvoiceAddressSerializer` as orders take it (`invoice_address` of `POST …/orders/` and of an
 * order's PATCH): its fields with DRF's messages, then its `validate()` (name or name parts, the state).
 */

const EMPTY: Parsed<string> = { value: '' };
const noText = () => EMPTY;
const FALSE: Parsed<boolean> = { value: false };
const no = () => FALSE;

/** A CharField that may be blank or null; none is `''`. One step, as `drfField` explains. */
function text(maxLength?: number) {
  return drf.field(drfRead.string({ allowBlank: true, maxLength }), { missing: noText, null: noText });
}

function flag() {
  return drf.field(drfRead.boolean(), { missing: no, null: no });
}

/** Name parts count as given unless they are empty (`null`, `''`, `{}`). */
function partsGiven(parts: unknown): boolean {
  if (parts === undefined || parts === null || parts === '') return false;
  return !(isPlainObject(parts) && Object.keys(parts).length === 0);
}

/**
 * A copy of the name parts a request gave (the only one its read makes), keeping the scheme they name;
 * others are in the event's.
 */
export function withScheme(parts: Record<string, unknown>, nameScheme: string): Record<string, unknown> {
  return Object.prototype.hasOwnProperty.call(parts, '_scheme')
    ? { ...parts }
    : { ...parts, _scheme: nameScheme };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The invoice address; name parts given without a scheme are in the event's `nameScheme`. */
export function invoiceAddressSchema(nameScheme: string) {
  return drf
    .serializer({
      is_business: flag(),
      company: text(255),
      street: text(),
      zipcode: text(30),
      city: text(255),
      state: text(255),
      vat_id: text(255),
      vat_id_validated: flag(),
      internal_reference: text(),
      custom_field: drf.string({ allowBlank: true, maxLength: 255 }).nullish(),
      name: text(),
      country: text().superRefine((country, ctx) => {
        if (country && !isCountryCode(country.toUpperCase()))
          ctx.addIssue({ code: 'custom', message: `"${country}" is not a valid choice.`, input: country });
      }),
      name_parts: z.unknown().optional(),
    })
    .transform((f, ctx): InvoiceAddressInput => {
      const fail = (field: string, message: string) => {
        ctx.addIssue({ code: 'custom', message, path: [field], input: f });
        return z.NEVER;
      };
      const given = partsGiven(f.name_parts);
      if (f.name && given) return fail('name', 'Do not specify name if you specified name_parts.');
      if (given && !isPlainObject(f.name_parts)) return fail('name_parts', 'Invalid data type');
      const country = f.country.toUpperCase();
      if (f.state) {
        const problem = stateError(country, f.state);
        if (problem) return fail('state', problem);
      }
      // Given parts are an object by now (checked above).
      const nameParts = given && isPlainObject(f.name_parts) ? withScheme(f.name_parts, nameScheme) : null;
      return {
        is_business: f.is_business,
        company: f.company,
        name_parts: nameParts ?? (f.name ? { _legacy: f.name } : {}),
        street: f.street,
        zipcode: f.zipcode,
        city: f.city,
        country,
        state: f.state,
        vat_id: f.vat_id,
        vat_id_validated: f.vat_id_validated,
        internal_reference: f.internal_reference,
        custom_field: f.custom_field ?? null,
      };
    });
}
