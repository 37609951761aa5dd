import {
  eventCurrency,
  findPosition,
  liveAddonIds,
  liveAmounts,
  livePositionsBesides,
  setPositionBlocked,
  setPositionCanceled,
  setPositionColumn,
  setPositionPrice,
  setPositionSecret,
  type PositionPatch,
} from '../db/queries/orders/order';
import { findTaxRuleRate } from '../db/queries/orders/place';
import type { OrderPositionRow } from '../db/rows';
import type { EngineContext } from '../context';
import { buildName, withScheme } from '../catalog/names';
import { eventSettings } from '../catalog/settings';
import { invalidFields, notFound, refusedList, type FieldErrors, shown } from '../errors';
import { Decimal, moneyText } from '../money';
import { computeTax } from '../pricing/tax';
import { confirmPaymentCore, insertPayment } from '../payments/payments';
import { holdOrderInQuotas, releaseOrderFromQuotas } from '../quotas/counters';
import { eventTimeZone } from './order-event';
import { ticketSecretLength, uniqueTicketSecret } from './order-codes';
import { bodyObject, isPlainObject, parseDatetime, parseDecimal, parseEmail, parseString } from './fields';
import { isCountryCode, stateError } from './addresses';
import {
  auditOrder,
  freshExpiry,
  orderRow,
  paymentRefundSum,
  pendingSum,
  releaseVouchers,
  saveOrder,
} from './state';

/**
 * Changes to single positions of an existing order, as pretix's order-position endpoints make them through
 * its OrderChangeManager: cancel (DELETE), PATCH of attendee data, price and validity, a new ticket secret,
 * and block names. Each bumps the order's `last_modified` and logs pretix's action types.
 */
function positionRow(ctx: EngineContext, positionId: number): OrderPositionRow {
  const row = findPosition(ctx.db, positionId);
  if (!row || row.canceled) throw notFound();
  return row;
}

/**
 * Recomputes the total after a change (Σ non-canceled positions + Σ non-canceled fees) and moves the
 * status as pretix's change manager does: a paid order that now owes money goes back to pending, a
 * pending one that is now covered becomes paid, and an order that became free is paid with `free`.
 */
function settleAfterChange(ctx: EngineContext, orderId: number): void {
  const sum = (amounts: string[]) => amounts.reduce((s, v) => s.plus(v), new Decimal(0));
  const live = liveAmounts(ctx.db, orderId);
  const total = sum(live.positions).plus(sum(live.fees));
  const before = orderRow(ctx, orderId);
  saveOrder(ctx, orderId, { total: moneyText(total) });
  const order = orderRow(ctx, orderId);
  const diff = total.minus(before.total);
  if (order.status === 'p' && diff.greaterThan(0) && pendingSum(ctx, order).greaterThan(0)) {
    releaseOrderFromQuotas(ctx, orderId);
    saveOrder(ctx, orderId, { status: 'n', expires: freshExpiry(ctx, order).toISOString() });
    holdOrderInQuotas(ctx, orderId);
  } else if ((order.status === 'n' || order.status === 'e') && !order.require_approval) {
    if (total.isZero() && paymentRefundSum(ctx, orderId).isZero()) {
      const payment = insertPayment(ctx, orderId, {
        state: 'created',
        amount: new Decimal(0),
        provider: 'free',
      });
      confirmPaymentCore(ctx, payment, { ignoreDate: true });
    } else if (diff.lessThan(0) && pendingSum(ctx, order).lessThanOrEqualTo(0)) {
      releaseOrderFromQuotas(ctx, orderId);
      saveOrder(ctx, orderId, { status: 'p' });
      holdOrderInQuotas(ctx, orderId);
      auditOrder(ctx, order, 'pretix.event.order.paid', {
        provider: null,
        info: {},
        date: ctx.now.toISOString(),
        force: false,
      });
    }
  }
}

/**
 * `DELETE …/orderpositions/{id}/`: the position (and its add-ons) is canceled, its voucher use given
 * back, and the order total recomputed. The last position of an order cannot go this way.
 */
export function cancelPosition(ctx: EngineContext, input: { positionId: number }): void {
  const position = positionRow(ctx, input.positionId);
  const order = orderRow(ctx, position.order_id);
  const addons = liveAddonIds(ctx.db, position.id);
  const affected = [position.id, ...addons];
  if (livePositionsBesides(ctx.db, order.id, affected) === 0) {
    throw refusedList(
      'order_would_be_empty',
      'This operation would leave the order empty. Please cancel the order itself instead.',
    );
  }
  releaseOrderFromQuotas(ctx, order.id);
  releaseVouchers(ctx, affected);
  for (const id of affected) {
    const p = findPosition(ctx.db, id)!;
    setPositionCanceled(ctx.db, id);
    auditOrder(ctx, order, 'pretix.event.order.changed.cancel', {
      position: p.id,
      positionid: p.positionid,
      old_item: p.item_id,
      old_variation: p.variation_id,
      old_price: p.price,
      addon_to: p.addon_to_id,
    });
  }
  holdOrderInQuotas(ctx, order.id);
  settleAfterChange(ctx, order.id);
}

const TEXT_FIELDS = ['company', 'street', 'zipcode', 'city'] as const;

/**
 * `PATCH …/orderpositions/{id}/`: attendee name (or name parts), attendee email, address fields, price
 * and validity window. Read-only fields (tax_rate, secret, …) are ignored, as in pretix.
 */
export function updatePosition(ctx: EngineContext, input: { positionId: number; body: unknown }): void {
  const body = bodyObject(input.body);
  const position = positionRow(ctx, input.positionId);
  const order = orderRow(ctx, position.order_id);
  const settings = eventSettings(ctx.db, order.event_id);
  const has = (k: string) => Object.prototype.hasOwnProperty.call(body, k);
  const errors: FieldErrors = {};
  const changes: PositionPatch = {};

  if (
    has('attendee_name') &&
    has('attendee_name_parts') &&
    body.attendee_name &&
    isPlainObject(body.attendee_name_parts) &&
    Object.keys(body.attendee_name_parts).length > 0
  ) {
    errors.attendee_name = ['Do not specify attendee_name if you specified attendee_name_parts.'];
  } else if (has('attendee_name_parts')) {
    const parts = body.attendee_name_parts;
    if (parts === null || (isPlainObject(parts) && Object.keys(parts).length === 0)) {
      changes.attendee_name_parts = '{}';
      changes.attendee_name_cached = null;
    } else if (!isPlainObject(parts)) {
      errors.attendee_name_parts = ['Invalid data type'];
    } else {
      const p = withScheme(parts, settings.name_scheme);
      changes.attendee_name_parts = JSON.stringify(p);
      changes.attendee_name_cached = buildName(p);
    }
  } else if (has('attendee_name')) {
    if (body.attendee_name === null || body.attendee_name === '') {
      changes.attendee_name_parts = '{}';
      changes.attendee_name_cached = null;
    } else {
      const s = parseString(body.attendee_name, { maxLength: 255 });
      if (s.error !== undefined) errors.attendee_name = [s.error];
      else {
        changes.attendee_name_parts = JSON.stringify({ _legacy: s.value });
        changes.attendee_name_cached = s.value;
      }
    }
  }
  if (has('attendee_email')) {
    if (body.attendee_email === null || body.attendee_email === '') changes.attendee_email = null;
    else {
      const e = parseEmail(body.attendee_email);
      if (e.error !== undefined) errors.attendee_email = [e.error];
      else changes.attendee_email = e.value;
    }
  }
  for (const key of TEXT_FIELDS) {
    if (!has(key)) continue;
    if (body[key] === null) changes[key] = null;
    else {
      const s = parseString(body[key], { allowBlank: true, maxLength: 255 });
      if (s.error !== undefined) errors[key] = [s.error];
      else changes[key] = s.value;
    }
  }
  if (has('country')) {
    if (body.country === null || body.country === '') changes.country = null;
    else if (typeof body.country !== 'string' || !isCountryCode(body.country.toUpperCase()))
      errors.country = [`"${shown(body.country)}" is not a valid choice.`];
    else changes.country = body.country.toUpperCase();
  }
  if (has('state')) {
    if (body.state === null || body.state === '') changes.state = null;
    else {
      const s = parseString(body.state, { maxLength: 255 });
      const country = (changes.country as string | null | undefined) ?? position.country ?? '';
      if (s.error !== undefined) errors.state = [s.error];
      else if (stateError(country, s.value)) errors.state = [stateError(country, s.value)!];
      else changes.state = s.value;
    }
  }
  const tz = eventTimeZone(ctx.db, order.event_id);
  for (const key of ['valid_from', 'valid_until'] as const) {
    if (!has(key)) continue;
    if (body[key] === null) changes[key] = null;
    else {
      const d = parseDatetime(body[key], tz);
      if (d.error !== undefined) errors[key] = [d.error];
      else changes[key] = d.value.toISOString();
    }
  }
  let newPrice: Decimal | undefined;
  if (has('price')) {
    const d = body.price === null ? { error: 'This field may not be null.' } : parseDecimal(body.price);
    if (d.error !== undefined) errors.price = [d.error];
    else newPrice = new Decimal(d.value);
  }
  if (Object.keys(errors).length > 0) throw invalidFields('invalid', errors);

  const changed = (Object.keys(changes) as (keyof PositionPatch)[]).filter((k) => position[k] !== changes[k]);
  for (const key of changed) setPositionColumn(ctx.db, position.id, key, changes[key]);
  if (newPrice && !newPrice.equals(position.price)) {
    const currency = eventCurrency(ctx.db, order.event_id);
    const rule = position.tax_rule_id === null ? null : findTaxRuleRate(ctx.db, position.tax_rule_id);
    const tax = computeTax(rule ?? null, newPrice, currency, 'gross');
    setPositionPrice(ctx.db, position.id, {
      price: moneyText(newPrice),
      tax_rate: moneyText(tax.rate),
      tax_value: moneyText(tax.tax),
    });
    auditOrder(ctx, order, 'pretix.event.order.changed.price', {
      position: position.id,
      positionid: position.positionid,
      old_price: position.price,
      new_price: moneyText(newPrice),
    });
    settleAfterChange(ctx, order.id);
  }
  if (changed.length > 0) {
    auditOrder(ctx, order, 'pretix.event.order.modified', { data: [{ position: position.id, ...body }] });
  }
  saveOrder(ctx, order.id, {});
}

/** `POST …/orderpositions/{id}/regenerate_secrets/`: a new ticket secret for this position. */
export function regeneratePositionSecret(ctx: EngineContext, input: { positionId: number }): void {
  const position = positionRow(ctx, input.positionId);
  const order = orderRow(ctx, position.order_id);
  const secret = uniqueTicketSecret(
    ctx.db,
    order.organizer_id,
    ticketSecretLength(eventSettings(ctx.db, order.event_id)),
  );
  setPositionSecret(ctx.db, position.id, secret);
  saveOrder(ctx, order.id, {});
  auditOrder(ctx, order, 'pretix.event.order.changed.secret', {
    position: position.id,
    positionid: position.positionid,
  });
}

const BLOCK_NAME = /^(admin|api:[a-zA-Z0-9._]+)$/;

/** `add_block` / `remove_block`: names `admin` or `api:<id>`; an empty list is stored as null. */
export function changePositionBlock(
  ctx: EngineContext,
  input: { positionId: number; body: unknown; action: 'add' | 'remove' },
): void {
  const body = bodyObject(input.body);
  if (body.name === undefined) throw invalidFields('invalid', { name: ['This field is required.'] });
  if (typeof body.name !== 'string' || !BLOCK_NAME.test(body.name)) {
    throw invalidFields('invalid', { name: ['Enter a valid value.'] });
  }
  const name = body.name;
  const position = positionRow(ctx, input.positionId);
  const order = orderRow(ctx, position.order_id);
  let blocked: string[] = [];
  try {
    const parsed = JSON.parse(position.blocked ?? 'null') as unknown;
    if (Array.isArray(parsed)) blocked = parsed.filter((b): b is string => typeof b === 'string');
  } catch {
    blocked = [];
  }
  const next =
    input.action === 'add'
      ? blocked.includes(name)
        ? blocked
        : [...blocked, name]
      : blocked.filter((b) => b !== name);
  releaseOrderFromQuotas(ctx, order.id);
  setPositionBlocked(ctx.db, position.id, next.length > 0 ? JSON.stringify(next) : null);
  holdOrderInQuotas(ctx, order.id);
  saveOrder(ctx, order.id, {});
  auditOrder(
    ctx,
    order,
    `pretix.event.order.changed.${input.action === 'add' ? 'add_block' : 'remove_block'}`,
    {
      position: position.id,
      positionid: position.positionid,
      block_name: name,
    },
  );
}
