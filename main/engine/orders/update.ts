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
import { auditOrder } from './state';
import type { EngineContext } from '../context';
import { eventSettings } from '../catalog/settings';
import { forbidden, found } from '../errors';
import { generateWebSecret } from '../ids';
import { releaseOrderFromQuotas } from '../quotas/counters';
import { ticketSecretLength, uniqueTicketSecret } from './order-codes';
import { invoiceAddressRow } from './store-order';
import type { InvoiceAddressInput } from './order-request';
import type { ReadableDB } from '../db/handles';

/** Locales the event offers (setting `locales`, defaulting to its one `locale`). */
export function eventLocales(db: ReadableDB, eventId: number): string[] {
  const settings = eventSettings(db, eventId);
  const locales = settings.locales;
  if (Array.isArray(locales) && locales.every((l) => typeof l === 'string')) return locales as string[];
  return [settings.locale];
}

/** What an order's PATCH changes; a field left out stays as it is. */
export interface OrderChanges {
  comment?: string;
  checkinText?: string | null;
  /** A date, YYYY-MM-DD. */
  customFollowupAt?: string | null;
  checkinAttention?: boolean;
  validIfPending?: boolean;
  email?: string | null;
  phone?: string | null;
  /** One of the event's locales. */
  locale?: string;
  /** The address with the names of the fields the request gave (the others keep their stored values); null deletes it. */
  invoiceAddress?: { address: InvoiceAddressInput; given: string[] } | null;
}

/** The order columns a PATCH changes, in pretix's field order (the audit rows follow it). */
function orderColumns(c: OrderChanges): Record<string, unknown> {
  const flag = (b: boolean | undefined) => (b === undefined ? undefined : b ? 1 : 0);
  const columns: Record<string, unknown> = {
    comment: c.comment,
    checkin_text: c.checkinText,
    custom_followup_at: c.customFollowupAt,
    checkin_attention: flag(c.checkinAttention),
    valid_if_pending: flag(c.validIfPending),
    email: c.email,
    phone: c.phone,
    locale: c.locale,
  };
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined));
}

/**
 * pretix's `PATCH …/orders/{code}/`: only comment, custom_followup_at, checkin_attention, checkin_text,
 * email, locale, phone, valid_if_pending and invoice_address change. One audit row per changed field, in
 * pretix's action types.
 */
export function updateOrder(ctx: EngineContext, input: { orderId: number; changes: OrderChanges }): void {
  const order = found(findOrder(ctx.db, input.orderId));
  const changes = orderColumns(input.changes);
  const given = input.changes.invoiceAddress;
  const invoiceAddress = given ? mergeAddress(ctx, order.id, given.given, given.address) : given;

  const nowIso = ctx.now.toISOString();
  const audit = (actionType: string, data: object) => auditOrder(ctx, order, actionType, data);
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

type AddressValue = InvoiceAddressInput;

/**
 * A PATCH changes only the address fields it names (DRF's partial update); a changed VAT id is no longer
 * validated unless the request says so.
 */
function mergeAddress(
  ctx: EngineContext,
  orderId: number,
  givenFields: string[],
  parsed: AddressValue,
): AddressValue {
  const current = findInvoiceAddress(ctx.db, orderId);
  if (!current) return parsed;
  const given = (key: string) => givenFields.includes(key);
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
  const order = found(findOrder(ctx.db, input.orderId));
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
  const order = found(findOrder(ctx.db, input.orderId));
  const length = ticketSecretLength(eventSettings(ctx.db, order.event_id));
  setOrderSecret(ctx.db, order.id, generateWebSecret(), ctx.now.toISOString());
  const taken = new Set<string>();
  for (const positionId of positionIdsOfOrder(ctx.db, order.id)) {
    const secret = uniqueTicketSecret(ctx.db, order.organizer_id, length, taken);
    taken.add(secret);
    setPositionSecrets(ctx.db, positionId, secret, generateWebSecret());
  }
  auditOrder(ctx, order, 'pretix.event.order.secret.changed');
}
