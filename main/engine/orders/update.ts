import {
  deleteInvoiceAddress,
  deleteOrderRows,
  findInvoiceAddress,
  findOrder,
  positionIdsOfOrder,
  releaseVoucherRedemption,
  setOrderColumn,
  setOrderSecret,
  setPositionSecrets,
  upsertInvoiceAddress,
  vouchersOfOrderPositions,
} from '../db/queries/orders/order';
import type { OrderRow } from '../db/rows';
import { touchOrder } from './model';
import type { EngineContext } from '../context';
import { eventSettings } from '../catalog/settings';
import { forbidden, invalidFields, notFound, type FieldErrors } from '../errors';
import { generateWebSecret } from '../ids';
import { releaseOrderFromQuotas } from '../quotas/counters';
import { ticketSecretLength, uniqueTicketSecret } from './order-codes';
import { invoiceAddressRow } from './store-order';
import {
  isPlainObject,
  NOT_NULL,
  parseBoolean,
  parseDate,
  parseEmail,
  parseString,
  typeName,
  parseInvoiceAddress,
} from './fields';

function orderRow(ctx: EngineContext, orderId: number): OrderRow {
  const row = findOrder(ctx.db, orderId);
  if (!row) throw notFound();
  return row;
}

/** Locales the event offers (setting `locales`, defaulting to its one `locale`). */
function eventLocales(ctx: EngineContext, eventId: number): string[] {
  const settings = eventSettings(ctx.db, eventId);
  const locales = settings.locales;
  if (Array.isArray(locales) && locales.every((l) => typeof l === 'string')) return locales as string[];
  return [settings.locale];
}

/**
 * pretix's `PATCH …/orders/{code}/`: only comment, custom_followup_at, checkin_attention, checkin_text,
 * email, locale, phone, valid_if_pending and invoice_address change; other keys are ignored. One audit
 * row per changed field, in pretix's action types.
 */
export function updateOrder(ctx: EngineContext, input: { orderId: number; body: unknown }): void {
  const order = orderRow(ctx, input.orderId);
  const body = input.body;
  if (!isPlainObject(body)) {
    throw invalidFields('invalid', {
      non_field_errors: [`Invalid data. Expected a dictionary, but got ${typeName(body)}.`],
    });
  }
  const errors: FieldErrors = {};
  const changes: Record<string, unknown> = {};
  const has = (k: string) => Object.prototype.hasOwnProperty.call(body, k);

  if (has('comment')) {
    const s = body.comment === null ? { error: NOT_NULL } : parseString(body.comment, { allowBlank: true });
    if (s.error !== undefined) errors.comment = [s.error];
    else changes.comment = s.value;
  }
  if (has('checkin_text')) {
    if (body.checkin_text === null) changes.checkin_text = null;
    else {
      const s = parseString(body.checkin_text, { allowBlank: true });
      if (s.error !== undefined) errors.checkin_text = [s.error];
      else changes.checkin_text = s.value;
    }
  }
  if (has('custom_followup_at')) {
    if (body.custom_followup_at === null) changes.custom_followup_at = null;
    else {
      const d = parseDate(body.custom_followup_at);
      if (d.error !== undefined) errors.custom_followup_at = [d.error];
      else changes.custom_followup_at = d.value;
    }
  }
  for (const key of ['checkin_attention', 'valid_if_pending'] as const) {
    if (!has(key)) continue;
    const b = body[key] === null ? { error: NOT_NULL } : parseBoolean(body[key]);
    if (b.error !== undefined) errors[key] = [b.error];
    else changes[key] = b.value ? 1 : 0;
  }
  if (has('email')) {
    if (body.email === null || body.email === '') changes.email = null;
    else {
      const e = parseEmail(body.email);
      if (e.error !== undefined) errors.email = [e.error];
      else changes.email = e.value;
    }
  }
  if (has('phone')) {
    if (body.phone === null || body.phone === '') changes.phone = null;
    else {
      const s = parseString(body.phone);
      if (s.error !== undefined || !/^\+?[0-9 ()/.-]*$/.test(s.value ?? ''))
        errors.phone = ['Enter a valid phone number.'];
      else changes.phone = s.value.replace(/[ ()/.-]/g, '');
    }
  }
  if (has('locale')) {
    const s = body.locale === null ? { error: NOT_NULL } : parseString(body.locale);
    if (s.error !== undefined) errors.locale = [s.error];
    else if (!eventLocales(ctx, order.event_id).includes(s.value))
      errors.locale = [`"${s.value}" is not a supported locale for this event.`];
    else changes.locale = s.value;
  }
  let invoiceAddress: ReturnType<typeof parseInvoiceAddress>['value'] | null | undefined;
  if (has('invoice_address')) {
    if (body.invoice_address === null) invoiceAddress = null;
    else {
      const ia = parseInvoiceAddress(body.invoice_address, eventSettings(ctx.db, order.event_id).name_scheme);
      if (ia.errors) errors.invoice_address = ia.errors;
      else if (ia.value && isPlainObject(body.invoice_address))
        invoiceAddress = mergeAddress(ctx, order.id, body.invoice_address, ia.value);
    }
  }
  if (Object.keys(errors).length > 0) throw invalidFields('invalid', errors);

  const nowIso = ctx.now.toISOString();
  const audit = (actionType: string, data: unknown) =>
    ctx.audit({
      organizerId: order.organizer_id,
      eventId: order.event_id,
      objectType: 'order',
      objectId: order.id,
      actionType,
      data,
    });
  const current = order as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes)) {
    if (current[key] === value) continue;
    setOrderColumn(ctx.db, order.id, key as keyof OrderRow, value as OrderRow[keyof OrderRow]);
    switch (key) {
      case 'email':
        audit('pretix.event.order.contact.changed', { old_email: order.email, new_email: value });
        break;
      case 'phone':
        audit('pretix.event.order.phone.changed', { old_phone: order.phone, new_phone: value });
        break;
      case 'locale':
        audit('pretix.event.order.locale.changed', { old_locale: order.locale, new_locale: value });
        break;
      case 'valid_if_pending':
        audit(
          value ? 'pretix.event.order.valid_if_pending.set' : 'pretix.event.order.valid_if_pending.unset',
          {},
        );
        break;
      default:
        audit(`pretix.event.order.${key}`, { new_value: value });
    }
  }
  if (invoiceAddress === null) {
    deleteInvoiceAddress(ctx.db, order.id);
    audit('pretix.event.order.modified', { invoice_data: null });
  } else if (invoiceAddress) {
    const ia = invoiceAddress;
    upsertInvoiceAddress(ctx.db, invoiceAddressRow(order.id, nowIso, ia));
    audit('pretix.event.order.modified', { invoice_data: ia });
  }
  touchOrder(ctx.db, order.id, ctx.now);
}

type AddressValue = NonNullable<ReturnType<typeof parseInvoiceAddress>['value']>;

/**
 * A PATCH changes only the address fields it names (DRF's partial update); a changed VAT id is no longer
 * validated unless the request says so.
 */
function mergeAddress(
  ctx: EngineContext,
  orderId: number,
  raw: Record<string, unknown>,
  parsed: AddressValue,
): AddressValue {
  const current = findInvoiceAddress(ctx.db, orderId);
  if (!current) return parsed;
  const given = (key: string) => Object.prototype.hasOwnProperty.call(raw, key);
  const merged: AddressValue = { ...parsed };
  for (const key of [
    'company',
    'street',
    'zipcode',
    'city',
    'country',
    'state',
    'vat_id',
    'internal_reference',
  ] as const) {
    if (!given(key)) merged[key] = String(current[key] ?? '');
  }
  if (!given('custom_field')) merged.custom_field = current.custom_field ?? null;
  if (!given('is_business')) merged.is_business = Boolean(current.is_business);
  if (!given('name') && !given('name_parts')) {
    try {
      merged.name_parts = JSON.parse(String(current.name_parts ?? '{}')) as Record<string, unknown>;
    } catch {
      merged.name_parts = {};
    }
  }
  if (!given('vat_id_validated'))
    merged.vat_id_validated = merged.vat_id === current.vat_id ? Boolean(current.vat_id_validated) : false;
  return merged;
}

/** pretix's `DELETE …/orders/{code}/`: only test-mode orders; voucher uses are given back. */
export function deleteOrder(ctx: EngineContext, input: { orderId: number }): void {
  const order = orderRow(ctx, input.orderId);
  if (!order.testmode) throw forbidden('Only test mode orders can be deleted.');
  releaseOrderFromQuotas(ctx, order.id);
  for (const voucherId of vouchersOfOrderPositions(ctx.db, order.id)) {
    releaseVoucherRedemption(ctx.db, voucherId);
  }
  deleteOrderRows(ctx.db, order.id);
  ctx.audit({
    organizerId: order.organizer_id,
    eventId: order.event_id,
    objectType: 'event',
    objectId: order.event_id,
    actionType: 'pretix.event.order.deleted',
    data: { code: order.code },
  });
}

/** pretix's `regenerate_secrets`: new order link secret, new web secrets and new ticket secrets for every position. */
export function regenerateOrderSecrets(ctx: EngineContext, input: { orderId: number }): void {
  const order = orderRow(ctx, input.orderId);
  const length = ticketSecretLength(eventSettings(ctx.db, order.event_id));
  setOrderSecret(ctx.db, order.id, generateWebSecret(), ctx.now.toISOString());
  const taken = new Set<string>();
  for (const positionId of positionIdsOfOrder(ctx.db, order.id)) {
    const secret = uniqueTicketSecret(ctx.db, order.organizer_id, length, taken);
    taken.add(secret);
    setPositionSecrets(ctx.db, positionId, secret, generateWebSecret());
  }
  ctx.audit({
    organizerId: order.organizer_id,
    eventId: order.event_id,
    objectType: 'order',
    objectId: order.id,
    actionType: 'pretix.event.order.secret.changed',
    data: {},
  });
}
