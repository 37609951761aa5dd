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
import { notFound, refusedList } from '../errors';
import { Decimal, moneyText, type Money } from '../money';
import { computeTax } from '../pricing/tax';
import { confirmPaymentCore, insertPayment } from '../payments/payments';
import { holdOrderInQuotas, releaseOrderFromQuotas } from '../quotas/counters';
import { ticketSecretLength, uniqueTicketSecret } from './order-codes';
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

/** What `PATCH …/orderpositions/{id}/` changes; a field left out stays as it is, null clears it. */
export interface PositionChanges {
  /** Name parts (given without a scheme: in the event's); null clears the name. */
  attendeeNameParts?: Record<string, unknown> | null;
  /** A plain name (pretix's legacy `attendee_name`); null clears the name. */
  attendeeName?: string | null;
  attendeeEmail?: string | null;
  company?: string | null;
  street?: string | null;
  zipcode?: string | null;
  city?: string | null;
  /** An ISO 3166 country code. */
  country?: string | null;
  /** A subdivision of the country. */
  state?: string | null;
  /** UTC ISO datetimes. */
  validFrom?: string | null;
  validUntil?: string | null;
  price?: Money;
}

/** The stored columns of the attendee's name. */
function attendeeNameColumns(
  ctx: EngineContext,
  eventId: number,
  input: PositionChanges,
): Pick<PositionPatch, 'attendee_name_parts' | 'attendee_name_cached'> {
  const { attendeeNameParts: parts, attendeeName: name } = input;
  if (parts) {
    const p = withScheme(parts, eventSettings(ctx.db, eventId).name_scheme);
    return { attendee_name_parts: JSON.stringify(p), attendee_name_cached: buildName(p) };
  }
  if (name) return { attendee_name_parts: JSON.stringify({ _legacy: name }), attendee_name_cached: name };
  if (parts === null || name === null) return { attendee_name_parts: '{}', attendee_name_cached: null };
  return {};
}

/**
 * `PATCH …/orderpositions/{id}/`: attendee name, email and address, price and validity window. `logged` is
 * the request as given, for the audit log.
 */
export function updatePosition(
  ctx: EngineContext,
  input: { positionId: number; changes: PositionChanges; logged: Record<string, unknown> },
): void {
  const position = positionRow(ctx, input.positionId);
  const order = orderRow(ctx, position.order_id);
  const c = input.changes;
  const changes: PositionPatch = {
    ...attendeeNameColumns(ctx, order.event_id, c),
    attendee_email: c.attendeeEmail,
    company: c.company,
    street: c.street,
    zipcode: c.zipcode,
    city: c.city,
    country: c.country,
    state: c.state,
    valid_from: c.validFrom,
    valid_until: c.validUntil,
  };
  for (const key of Object.keys(changes) as (keyof PositionPatch)[])
    if (changes[key] === undefined) delete changes[key];
  const newPrice = c.price;
  const changed = (Object.keys(changes) as (keyof PositionPatch)[]).filter((k) => position[k] !== changes[k]);
  for (const key of changed) setPositionColumn(ctx.db, position.id, key, changes[key]);
  if (newPrice && !newPrice.equals(position.price)) {
    const currency = eventCurrency(ctx.db, order.event_id);
    const rule = position.tax_rule_id === null ? null : findTaxRuleRate(ctx.db, position.tax_rule_id);
    const tax = computeTax(rule ?? null, newPrice, currency, 'gross');
    setPositionPrice(ctx.db, moneyText(newPrice), moneyText(tax.rate), moneyText(tax.tax), position.id);
    auditOrder(ctx, order, 'pretix.event.order.changed.price', {
      position: position.id,
      positionid: position.positionid,
      old_price: position.price,
      new_price: moneyText(newPrice),
    });
    settleAfterChange(ctx, order.id);
  }
  if (changed.length > 0) {
    auditOrder(ctx, order, 'pretix.event.order.modified', {
      data: [{ position: position.id, ...input.logged }],
    });
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

/** `add_block` / `remove_block` of a block `name` (`admin` or `api:<id>`); an empty list is stored as null. */
export function changePositionBlock(
  ctx: EngineContext,
  input: { positionId: number; name: string; action: 'add' | 'remove' },
): void {
  const name = input.name;
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
