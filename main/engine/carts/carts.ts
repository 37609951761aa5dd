import type { Database } from 'better-sqlite3';
import type { EngineContext } from '../context';
import { notFound, type FieldErrors } from '../errors';
import { generateApiCartId } from '../ids';
import { buildName, type NameParts } from '../catalog/names';
import { eventSettings } from '../catalog/settings';
import { storeAnswers } from '../questions/position-answers';
import { grantQuotaUnits, notEnoughQuotaMessage, type QuotaCounters } from '../quotas/availability';
import { CART_VOUCHER_MESSAGES, voucherUsesLeft } from '../vouchers/sale-rules';
import { validateCartPosition, type ValidCartPosition } from './validate';

/**
 * Cart positions created through the API (pretix's `CartPositionViewSet`): they hold quota and voucher
 * uses while `expires` is in the future and are the placeholders an order can later consume. Only carts
 * whose id ends in `@api` are visible through the API.
 */

export interface CartPositionRow {
  id: number;
  event_id: number;
  cart_id: string | null;
  item_id: number;
  variation_id: number | null;
  subevent_id: number | null;
  price: string;
  includes_tax: number;
  attendee_name_cached: string | null;
  attendee_name_parts: string;
  attendee_email: string | null;
  voucher_id: number | null;
  addon_to_id: number | null;
  is_bundled: number;
  seat: string | null;
  sales_channel: string;
  datetime: string;
  expires: string;
}

/** One request position's outcome; `plain` marks a bare message (a list body for a single create). */
export type CartCreateOutcome =
  { ok: true; positionId: number } | { ok: false; errors: FieldErrors; plain?: string };

interface EventRow {
  id: number;
  organizer_id: number;
  has_subevents: number;
  timezone: string;
}

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

function uniqueCartId(db: Database): string {
  const exists = db.prepare('SELECT 1 FROM cart_positions WHERE cart_id = ? LIMIT 1');
  let id = generateApiCartId();
  while (exists.get(id)) id = generateApiCartId();
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
  const id = Number(
    ctx.db
      .prepare(
        `INSERT INTO cart_positions (event_id, cart_id, item_id, variation_id, subevent_id, price, includes_tax,
           attendee_name_cached, attendee_name_parts, attendee_email, voucher_id, addon_to_id, is_bundled,
           sales_channel, datetime, expires)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        eventId,
        cartId,
        p.item.id,
        p.variation?.id ?? null,
        p.subevent?.id ?? null,
        p.price,
        p.includesTax ? 1 : 0,
        buildName(parts as NameParts, nameScheme),
        JSON.stringify(parts),
        p.attendeeEmail,
        p.voucher?.id ?? null,
        parent?.id ?? null,
        parent?.bundled ? 1 : 0,
        p.salesChannel,
        ctx.now.toISOString(),
        p.expires.toISOString(),
      ).lastInsertRowid,
  );
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
  inputs: unknown[],
): CartCreateOutcome[] {
  const event = ctx.db
    .prepare('SELECT id, organizer_id, has_subevents, timezone FROM events WHERE id = ?')
    .get(scope.eventId) as EventRow | undefined;
  if (!event) throw notFound();
  const validations = inputs.map((raw) =>
    validateCartPosition(ctx.db, { organizerId: scope.organizerId, event, now: ctx.now }, raw),
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

const API_CARTS = "substr(cart_id, -4) = '@api'";
const ORDERINGS: Record<string, string> = { datetime: 'datetime', cart_id: 'cart_id' };

/** `ordering` as pretix's TotalOrderingFilter reads it; unknown fields are ignored; ties by id. */
export function cartOrderingSql(ordering: string[]): string {
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

export function countApiCartPositions(db: Database, eventId: number): number {
  return (
    db
      .prepare(`SELECT COUNT(*) AS n FROM cart_positions WHERE event_id = ? AND ${API_CARTS}`)
      .get(eventId) as {
      n: number;
    }
  ).n;
}

export function listApiCartPositions(
  db: Database,
  eventId: number,
  page: { limit: number; offset: number; ordering?: string[] },
): CartPositionRow[] {
  return db
    .prepare(
      `SELECT * FROM cart_positions WHERE event_id = ? AND ${API_CARTS}
       ORDER BY ${cartOrderingSql(page.ordering ?? [])} LIMIT ? OFFSET ?`,
    )
    .all(eventId, page.limit, page.offset) as CartPositionRow[];
}

export function getApiCartPosition(db: Database, eventId: number, id: number): CartPositionRow | undefined {
  return db
    .prepare(`SELECT * FROM cart_positions WHERE id = ? AND event_id = ? AND ${API_CARTS}`)
    .get(id, eventId) as CartPositionRow | undefined;
}

/** Add-ons and bundled positions of a parent, in creation order. */
export function cartPositionChildren(db: Database, parentId: number): CartPositionRow[] {
  return db
    .prepare('SELECT * FROM cart_positions WHERE addon_to_id = ? ORDER BY id')
    .all(parentId) as CartPositionRow[];
}

/** Deletes an API cart position with its add-ons (which frees their quota and voucher uses). */
export function deleteCartPosition(ctx: EngineContext, eventId: number, id: number): void {
  const row = getApiCartPosition(ctx.db, eventId, id);
  if (!row) throw notFound();
  ctx.db.prepare('DELETE FROM cart_positions WHERE addon_to_id = ?').run(id);
  ctx.db.prepare('DELETE FROM cart_positions WHERE id = ?').run(id);
  const event = ctx.db.prepare('SELECT organizer_id FROM events WHERE id = ?').get(eventId) as {
    organizer_id: number;
  };
  ctx.audit({
    organizerId: event.organizer_id,
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
  const parents = ctx.db
    .prepare('SELECT id FROM cart_positions WHERE expires < ? AND addon_to_id IS NULL')
    .all(cutoff) as { id: number }[];
  if (!parents.length) return 0;
  const removeChildren = ctx.db.prepare('DELETE FROM cart_positions WHERE addon_to_id = ?');
  const remove = ctx.db.prepare('DELETE FROM cart_positions WHERE id = ?');
  let removed = 0;
  for (const { id } of parents) {
    removed += removeChildren.run(id).changes;
    removed += remove.run(id).changes;
  }
  ctx.audit({
    objectType: 'cartposition',
    actionType: 'pretix.cartpositions.purged',
    data: { count: removed, expired_before: cutoff },
  });
  return removed;
}
