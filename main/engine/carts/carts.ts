import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import {
  apiCartPositionsPage,
  cartIdTaken,
  cartPositionsUnder,
  countApiCartPositionsOfEvent,
  deleteCartPositionWithChildren,
  eventOrganizerId,
  expiredParentCartPositionIds,
  findApiCartPosition,
  findCartEvent,
  insertCartPosition,
} from '../db/queries/carts';
import type { CartPositionRow } from '../db/rows';
import { notFound, type FieldErrors } from '../errors';
import { generateApiCartId } from '../ids';
import { buildName, type NameParts } from '../catalog/names';
import { eventSettings } from '../catalog/settings';
import { storeAnswers } from '../questions/position-answers';
import { grantQuotaUnits, notEnoughQuotaMessage, type QuotaCounters } from '../quotas/availability';
import { CART_VOUCHER_MESSAGES, voucherUsesLeft } from '../vouchers/sale-rules';
import { validateCartPosition, type CartPositionRequest, type ValidCartPosition } from './validate';

/**
 * Cart positions created through the API (pretix's `CartPositionViewSet`): they hold quota and voucher
 * uses while `expires` is in the future and are the placeholders an order can later consume. Only carts
 * whose id ends in `@api` are visible through the API.
 */

export type { CartPositionRow };

/** One request position's outcome; `plain` marks a bare message (a list body for a single create). */
export type CartCreateOutcome =
  { ok: true; positionId: number } | { ok: false; errors: FieldErrors; plain?: string };

function quotaNeeds(position: ValidCartPosition): Map<number, { quota: QuotaCounters; units: number }> {
  const needs = new Map<number, { quota: QuotaCounters; units: number }>();
  for (const p of [position, ...position.addons, ...position.bundled]) {
    for (const q of p.quotas) {
      const entry = needs.get(q.id) ?? { quota: q, units: 0 };
      entry.units += 1;
      needs.set(q.id, entry);
    }
  }
  return needs;
}

function uniqueCartId(db: ReadableDB): string {
  let id = generateApiCartId();
  while (cartIdTaken(db, id)) id = generateApiCartId();
  return id;
}

function insertPosition(
  ctx: EngineContext,
  eventId: number,
  p: ValidCartPosition,
  cartId: string,
  parent: { id: number; bundled: boolean } | null,
  nameScheme: string,
): number {
  let parts: Record<string, unknown> = p.attendeeNameParts ?? {};
  if (p.attendeeName && !Object.keys(parts).length) parts = { _legacy: p.attendeeName };
  const id = insertCartPosition(ctx.db, {
    event_id: eventId,
    cart_id: cartId,
    item_id: p.item.id,
    variation_id: p.variation?.id ?? null,
    subevent_id: p.subevent?.id ?? null,
    price: p.price,
    includes_tax: p.includesTax ? 1 : 0,
    attendee_name_cached: buildName(parts as NameParts, nameScheme),
    attendee_name_parts: JSON.stringify(parts),
    attendee_email: p.attendeeEmail,
    voucher_id: p.voucher?.id ?? null,
    addon_to_id: parent?.id ?? null,
    is_bundled: parent?.bundled ? 1 : 0,
    sales_channel: p.salesChannel,
    datetime: ctx.now.toISOString(),
    expires: p.expires.toISOString(),
  });
  storeAnswers(ctx.db, { cartPositionId: id }, p.answers);
  return id;
}

/**
 * Creates cart positions as pretix's `_create` does: every request position is validated on its own;
 * the quota demand of all valid ones (main, add-ons and bundled) is summed and each quota hands out
 * min(demand, available) units; positions are then served in request order, each taking its units or
 * failing, so a bulk request keeps what fits. Positions without a cart id share one generated id.
 * Runs inside the caller's command, so the check and the inserts commit together.
 */
export function createCartPositions(
  ctx: EngineContext,
  scope: { organizerId: number; eventId: number },
  inputs: CartPositionRequest[],
): CartCreateOutcome[] {
  const event = findCartEvent(ctx.db, scope.eventId);
  if (!event) throw notFound();
  const validations = inputs.map((request) =>
    validateCartPosition(ctx.db, { organizerId: scope.organizerId, event, now: ctx.now }, request),
  );

  const demand = new Map<number, number>();
  const voucherUses = new Map<number, number>();
  for (const v of validations) {
    if (!v.ok) continue;
    for (const [id, need] of quotaNeeds(v.value)) demand.set(id, (demand.get(id) ?? 0) + need.units);
  }
  const granted = grantQuotaUnits(ctx, demand);
  for (const v of validations) {
    if (!v.ok || !v.value.voucher) continue;
    const voucher = v.value.voucher;
    if (!voucherUses.has(voucher.id)) voucherUses.set(voucher.id, voucherUsesLeft(ctx.db, voucher, ctx.now));
  }

  const nameScheme = String(eventSettings(ctx.db, event.id).name_scheme);
  let defaultCartId: string | undefined;
  return validations.map((v): CartCreateOutcome => {
    if (!v.ok) return { ok: false, errors: v.errors };
    const position = v.value;
    const needs = quotaNeeds(position);
    for (const { quota, units } of needs.values()) {
      if ((granted.get(quota.id) ?? 0) < units) {
        const message = notEnoughQuotaMessage(quota.name);
        return { ok: false, errors: { non_field_errors: [message] }, plain: message };
      }
    }
    if (position.voucher && (voucherUses.get(position.voucher.id) ?? 0) < 1) {
      return { ok: false, errors: { voucher: [CART_VOUCHER_MESSAGES.usedUp] } };
    }
    for (const { quota, units } of needs.values()) granted.set(quota.id, granted.get(quota.id)! - units);
    if (position.voucher) voucherUses.set(position.voucher.id, voucherUses.get(position.voucher.id)! - 1);

    const cartId = position.cartId ?? (defaultCartId ??= uniqueCartId(ctx.db));
    const id = insertPosition(ctx, event.id, position, cartId, null, nameScheme);
    for (const addon of position.addons)
      insertPosition(ctx, event.id, addon, cartId, { id, bundled: false }, nameScheme);
    for (const b of position.bundled)
      insertPosition(ctx, event.id, b, cartId, { id, bundled: true }, nameScheme);
    ctx.audit({
      organizerId: event.organizer_id,
      eventId: event.id,
      objectType: 'cartposition',
      objectId: id,
      actionType: 'pretix.event.cartposition.created',
      data: { cart_id: cartId, item: position.item.id, variation: position.variation?.id ?? null },
    });
    return { ok: true, positionId: id };
  });
}

const ORDERINGS: Record<string, string> = { datetime: 'datetime', cart_id: 'cart_id' };

/** `ordering` as pretix's TotalOrderingFilter reads it; unknown fields are ignored; ties by id. */
function cartOrderingSql(ordering: string[]): string {
  const parts: string[] = [];
  for (const raw of ordering) {
    const desc = raw.startsWith('-');
    const column = ORDERINGS[desc ? raw.slice(1) : raw];
    if (column) parts.push(`${column} ${desc ? 'DESC' : 'ASC'}`);
  }
  if (!parts.length) parts.push('datetime ASC');
  parts.push('id DESC');
  return parts.join(', ');
}

export function countApiCartPositions(db: ReadableDB, eventId: number): number {
  return countApiCartPositionsOfEvent(db, eventId);
}

export function listApiCartPositions(
  db: ReadableDB,
  eventId: number,
  page: { limit: number; offset: number; ordering?: string[] },
): CartPositionRow[] {
  return apiCartPositionsPage(db, eventId, {
    limit: page.limit,
    offset: page.offset,
    orderBy: cartOrderingSql(page.ordering ?? []),
  });
}

export function getApiCartPosition(db: ReadableDB, eventId: number, id: number): CartPositionRow | undefined {
  return findApiCartPosition(db, eventId, id);
}

/** Add-ons and bundled positions of a parent, in creation order. */
export function cartPositionChildren(db: ReadableDB, parentId: number): CartPositionRow[] {
  return cartPositionsUnder(db, parentId);
}

/** Deletes an API cart position with its add-ons (which frees their quota and voucher uses). */
export function deleteCartPosition(ctx: EngineContext, eventId: number, id: number): void {
  const row = getApiCartPosition(ctx.db, eventId, id);
  if (!row) throw notFound();
  deleteCartPositionWithChildren(ctx.db, id);
  ctx.audit({
    organizerId: eventOrganizerId(ctx.db, eventId)!,
    eventId,
    objectType: 'cartposition',
    objectId: id,
    actionType: 'pretix.event.cartposition.deleted',
    data: { cart_id: row.cart_id },
  });
}

/** How long an expired cart position is kept before it is purged (pretix keeps them two weeks). */
export const EXPIRED_CART_RETENTION_MS = 14 * 24 * 60 * 60 * 1000;

/**
 * Deletes cart positions that expired longer than `retentionMs` ago (with their add-ons and answers).
 * Expired positions hold nothing already; this only keeps the table small. Returns how many went.
 */
export function purgeExpiredCarts(ctx: EngineContext, retentionMs = EXPIRED_CART_RETENTION_MS): number {
  const cutoff = new Date(ctx.now.getTime() - retentionMs).toISOString();
  const parents = expiredParentCartPositionIds(ctx.db, cutoff);
  if (!parents.length) return 0;
  let removed = 0;
  for (const id of parents) removed += deleteCartPositionWithChildren(ctx.db, id);
  ctx.audit({
    objectType: 'cartposition',
    actionType: 'pretix.cartpositions.purged',
    data: { count: removed, expired_before: cutoff },
  });
  return removed;
}
