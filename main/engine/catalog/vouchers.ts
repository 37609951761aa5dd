import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import { eventSeriesFlag } from '../db/queries/catalog/events';
import { itemHasVariations, itemIsAddon, variationItemId } from '../db/queries/catalog/items';
import { loadQuota } from '../db/queries/catalog/quotas';
import { eventIdOf } from '../db/queries/catalog/tables';
import {
  deleteVoucherRow,
  deleteVouchersBoundTo,
  findVoucher,
  voucherCodeExists,
  voucherCodeTaken,
  voucherUsedByOrders,
} from '../db/queries/catalog/vouchers';
import type { VoucherRow } from '../db/rows';
import { EngineError, invalidFields, notFound, type FieldErrors } from '../errors';
import { randomString } from '../ids';
import { isPlainObject, parsePk, typeName } from '../orders/fields';
import {
  AVAILABILITY_OK,
  computeQuotaAvailability,
  quotasForProduct,
  type QuotaCounters,
} from '../quotas/availability';
import { hasErrors, insertRow, parseFields, updateRow, type FieldSpecs } from './field-specs';

/**
 * Vouchers with pretix's validation (base/models/vouchers.py `Voucher.clean_*`). Codes are stored
 * upper-case and unique per event; a voucher that blocks quota is only accepted while the quota has room.
 */
const VOUCHER_CODE_ALPHABET = 'ABCDEFGHKLMNPQRSTUVWXYZ23456789';
const VOUCHER_CODE_LENGTH = 16;

const VOUCHER_FIELDS: FieldSpecs = {
  code: { kind: 'text', maxLength: 255 },
  max_usages: { kind: 'int', min: 0 },
  min_usages: { kind: 'int', min: 1 },
  valid_until: { kind: 'datetime', nullable: true },
  block_quota: { kind: 'bool' },
  allow_ignore_quota: { kind: 'bool' },
  price_mode: { kind: 'choice', choices: ['none', 'set', 'subtract', 'percent'] },
  value: { kind: 'decimal', nullable: true },
  tag: { kind: 'text', nullable: true, allowBlank: true, maxLength: 255 },
  comment: { kind: 'text', allowBlank: true },
  show_hidden_items: { kind: 'bool' },
  all_addons_included: { kind: 'bool' },
  all_bundles_included: { kind: 'bool' },
  budget: { kind: 'decimal', nullable: true },
};

function generateVoucherCode(db: ReadableDB, eventId: number): string {
  for (;;) {
    const code = randomString(VOUCHER_CODE_ALPHABET, VOUCHER_CODE_LENGTH);
    if (!voucherCodeExists(db, eventId, code)) return code;
  }
}

interface Scope {
  item_id: number | null;
  variation_id: number | null;
  quota_id: number | null;
  subevent_id: number | null;
}

/** A pk of a row of some table, with DRF's messages; `eventOf` gives the event the row belongs to. */
function parseRef(
  db: ReadableDB,
  input: unknown,
  kind: 'item' | 'variation' | 'quota' | 'subevent',
  field: string,
  errors: FieldErrors,
): { id: number; event_id: number } | null | undefined {
  if (input === undefined) return undefined;
  if (input === null) return null;
  const pk = parsePk(input);
  if (pk.error !== undefined) {
    errors[field] = [pk.error];
    return undefined;
  }
  const eventId = eventIdOf(db, kind, pk.value);
  if (eventId === undefined) {
    errors[field] = [`Invalid pk "${pk.value}" - object does not exist.`];
    return undefined;
  }
  return { id: pk.value, event_id: eventId };
}

function scopeOf(db: ReadableDB, raw: Record<string, unknown>, current: Scope, errors: FieldErrors) {
  const item = parseRef(db, raw.item, 'item', 'item', errors);
  const variation = parseRef(db, raw.variation, 'variation', 'variation', errors);
  const quota = parseRef(db, raw.quota, 'quota', 'quota', errors);
  const subevent = parseRef(db, raw.subevent, 'subevent', 'subevent', errors);
  if (raw.seat !== undefined && raw.seat !== null && raw.seat !== '')
    errors.seat = ['Seating plans are not supported.'];
  return {
    item:
      item === undefined ? (current.item_id === null ? null : { id: current.item_id, event_id: -1 }) : item,
    variation:
      variation === undefined
        ? current.variation_id === null
          ? null
          : { id: current.variation_id, event_id: -1 }
        : variation,
    quota:
      quota === undefined
        ? current.quota_id === null
          ? null
          : { id: current.quota_id, event_id: -1 }
        : quota,
    subevent:
      subevent === undefined
        ? current.subevent_id === null
          ? null
          : { id: current.subevent_id, event_id: -1 }
        : subevent,
  };
}

/** pretix's `Voucher.clean_item_properties` and `clean_subevent`, as non-field errors. */
function checkScope(
  db: ReadableDB,
  eventId: number,
  scope: ReturnType<typeof scopeOf>,
  blockQuota: boolean,
): string | undefined {
  const { item, variation, quota, subevent } = scope;
  const sameEvent = (r: { event_id: number } | null) =>
    r === null || r.event_id === -1 || r.event_id === eventId;
  if (quota) {
    if (!sameEvent(quota)) return 'You cannot select a quota that belongs to a different event.';
    if (item) return 'You cannot select a quota and a specific product at the same time.';
  } else if (item) {
    if (!sameEvent(item)) return 'You cannot select an item that belongs to a different event.';
    const hasVariations = itemHasVariations(db, item.id);
    if (variation) {
      if (!hasVariations)
        return 'You cannot select a variation without having selected a product that provides variations.';
      if (variationItemId(db, variation.id) !== item.id)
        return 'This variation does not belong to this product.';
    } else if (hasVariations && blockQuota) {
      return 'You can only block quota if you specify a specific product variation. Otherwise it might be unclear which quotas to block.';
    }
    if (itemIsAddon(db, item.id))
      return 'It is currently not possible to create vouchers for add-on products.';
  } else if (blockQuota) {
    return 'You need to select a specific product or quota if this voucher should reserve tickets.';
  } else if (variation) {
    return 'You cannot select a variation without having selected a product that provides variations.';
  }
  const event = eventSeriesFlag(db, eventId)!;
  if (subevent && !sameEvent(subevent))
    return 'You can not select a subevent if your event is not an event series.';
  if (event.has_subevents === 1 && blockQuota && !subevent)
    return 'If you want this voucher to block quota, you need to select a specific date.';
  if (event.has_subevents === 0 && subevent)
    return 'You can not select a subevent if your event is not an event series.';
  return undefined;
}

const SOLD_OUT =
  'You cannot create a voucher that blocks quota as the selected product or quota is currently sold out or completely reserved.';

/** The quotas a voucher draws from: its quota, or those of its variation or product on its date. */
function quotasOfScope(
  db: ReadableDB,
  eventId: number,
  scope: { item: number | null; variation: number | null; quota: number | null; subevent: number | null },
): QuotaCounters[] {
  if (scope.quota !== null) {
    const q = loadQuota(db, scope.quota);
    return q ? [q] : [];
  }
  if (scope.item !== null) return quotasForProduct(db, eventId, scope.item, scope.variation, scope.subevent);
  return [];
}

/**
 * pretix's `Voucher.clean_quota_needs_checking` and `clean_quota_check`: a voucher that starts blocking
 * (new, newly blocking, valid again, or moved to another product or date) needs room for all its unused
 * units in every quota it draws from, not counting the quotas it already blocked.
 */
function checkQuota(
  ctx: EngineContext,
  eventId: number,
  scope: ReturnType<typeof scopeOf>,
  merged: {
    block_quota: number;
    allow_ignore_quota: number;
    valid_until: string | null;
    max_usages: number;
    redeemed: number;
  },
  current: VoucherRow | undefined,
): string | undefined {
  if (merged.allow_ignore_quota === 1 || merged.block_quota !== 1) return undefined;
  const nowIso = ctx.now.toISOString();
  if (merged.valid_until !== null && merged.valid_until < nowIso) return undefined;
  const target = {
    item: scope.item?.id ?? null,
    variation: scope.variation?.id ?? null,
    quota: scope.quota?.id ?? null,
    subevent: scope.subevent?.id ?? null,
  };
  if (current) {
    const wasValid = current.valid_until === null || current.valid_until >= nowIso;
    const moved =
      target.item !== current.item_id ||
      target.variation !== current.variation_id ||
      target.quota !== current.quota_id ||
      target.subevent !== current.subevent_id;
    if (current.block_quota === 1 && wasValid && !moved) return undefined;
  }
  const ignored = new Set<number>();
  if (
    current &&
    current.block_quota === 1 &&
    (current.valid_until === null || current.valid_until >= nowIso)
  ) {
    const old = quotasOfScope(ctx.db, eventId, {
      item: current.item_id,
      variation: current.variation_id,
      quota: current.quota_id,
      subevent: current.subevent_id,
    });
    for (const q of old) ignored.add(q.id);
  }
  if (target.quota !== null && ignored.has(target.quota)) return undefined;
  const quotas = quotasOfScope(ctx.db, eventId, target);
  // A product in no quota cannot be sold, so there is nothing to block.
  if (quotas.length === 0) return SOLD_OUT;
  const wanted = merged.max_usages - merged.redeemed;
  const counted = quotas.filter((q) => !ignored.has(q.id));
  const availability = computeQuotaAvailability(ctx, counted);
  for (const q of counted) {
    const a = availability.get(q.id);
    if (!a) continue;
    if (a.state !== AVAILABILITY_OK || (a.available !== null && a.available < wanted)) return SOLD_OUT;
  }
  return undefined;
}

function validate(ctx: EngineContext, eventId: number, body: unknown, current: VoucherRow | undefined) {
  const raw = isPlainObject(body) ? body : {};
  const { values, errors } = parseFields(body, VOUCHER_FIELDS, { partial: current !== undefined });
  if (!isPlainObject(body)) throw invalidFields('invalid', errors);
  if (typeof values.code === 'string') {
    const code = values.code.trim().toUpperCase();
    if (code.length < 5) errors.code = [`Ensure this field has at least 5 characters.`];
    values.code = code;
  }
  const scope = scopeOf(
    ctx.db,
    raw,
    current ?? { item_id: null, variation_id: null, quota_id: null, subevent_id: null },
    errors,
  );
  if (hasErrors(errors)) throw invalidFields('invalid_voucher', errors);
  const merged = {
    ...(current ?? {
      block_quota: 0,
      allow_ignore_quota: 0,
      max_usages: 1,
      redeemed: 0,
      code: '',
      valid_until: null,
    }),
    ...values,
  } as {
    block_quota: number;
    allow_ignore_quota: number;
    max_usages: number;
    redeemed: number;
    code: string;
    valid_until: string | null;
  };
  const nonField = (message: string) => invalidFields('invalid_voucher', { non_field_errors: [message] });
  const scopeProblem = checkScope(ctx.db, eventId, scope, merged.block_quota === 1);
  if (scopeProblem) throw nonField(scopeProblem);
  if (current && merged.max_usages < current.redeemed)
    throw nonField(
      `This voucher has already been redeemed ${current.redeemed} times. You cannot reduce the maximum number of usages below this number.`,
    );
  if (typeof values.code === 'string') {
    if (voucherCodeTaken(ctx.db, eventId, values.code, current?.id ?? null))
      throw nonField('A voucher with this code already exists.');
  }
  const quotaProblem = checkQuota(ctx, eventId, scope, merged, current);
  if (quotaProblem) throw nonField(quotaProblem);
  const fixed: Record<string, unknown> = {};
  if ('item' in raw || !current) fixed.item_id = scope.item?.id ?? null;
  if ('variation' in raw || !current) fixed.variation_id = scope.variation?.id ?? null;
  if ('quota' in raw || !current) fixed.quota_id = scope.quota?.id ?? null;
  if ('subevent' in raw || !current) fixed.subevent_id = scope.subevent?.id ?? null;
  return { raw, values, fixed };
}

export function createVoucher(ctx: EngineContext, eventId: number, body: unknown): number {
  const { raw, values, fixed } = validate(ctx, eventId, body, undefined);
  if (typeof values.code !== 'string') values.code = generateVoucherCode(ctx.db, eventId);
  const id = insertRow(ctx.db, 'vouchers', values, VOUCHER_FIELDS, { ...fixed, event_id: eventId });
  ctx.audit({ eventId, objectType: 'voucher', objectId: id, actionType: 'pretix.voucher.added', data: raw });
  return id;
}

/** pretix's batch_create: all vouchers or none; errors come back as one entry per voucher. */
export function createVouchers(ctx: EngineContext, eventId: number, body: unknown): number[] {
  if (!Array.isArray(body))
    throw new EngineError('invalid', 'Expected a list.', {
      kind: 'invalid',
      body: { non_field_errors: [`Expected a list of items but got type "${typeName(body)}".`] },
    });
  const ids: number[] = [];
  const errors: FieldErrors[] = [];
  let bad = false;
  const codes = new Set<string>();
  for (const entry of body) {
    try {
      const code =
        isPlainObject(entry) && typeof entry.code === 'string' ? entry.code.trim().toUpperCase() : null;
      if (code !== null && codes.has(code))
        throw invalidFields('duplicate', { code: ['Duplicate voucher code in request.'] });
      if (code !== null) codes.add(code);
      ids.push(createVoucher(ctx, eventId, entry));
      errors.push({});
    } catch (e) {
      if (!(e instanceof EngineError) || Array.isArray(e.body) || 'detail' in e.body) throw e;
      errors.push(e.body as FieldErrors);
      bad = true;
    }
  }
  if (bad)
    throw new EngineError('invalid', 'Invalid vouchers.', {
      kind: 'invalid',
      body: errors as unknown as string[],
    });
  return ids;
}

export function updateVoucher(ctx: EngineContext, eventId: number, id: number, body: unknown): void {
  const current = findVoucher(ctx.db, eventId, id);
  if (!current) throw notFound();
  const { raw, values, fixed } = validate(ctx, eventId, body, current);
  updateRow(ctx.db, 'vouchers', id, values, VOUCHER_FIELDS, fixed);
  ctx.audit({
    eventId,
    objectType: 'voucher',
    objectId: id,
    actionType: 'pretix.voucher.changed',
    data: raw,
  });
}

export function deleteVoucher(ctx: EngineContext, eventId: number, id: number): void {
  const current = findVoucher(ctx.db, eventId, id);
  if (!current) throw notFound();
  const used = current.redeemed > 0 || voucherUsedByOrders(ctx.db, id);
  if (used)
    throw new EngineError(
      'voucher_redeemed',
      'This voucher can not be deleted as it has already been redeemed.',
      {
        kind: 'forbidden',
      },
    );
  deleteVoucherRow(ctx.db, id);
  ctx.audit({ eventId, objectType: 'voucher', objectId: id, actionType: 'pretix.voucher.deleted', data: {} });
}

/**
 * Removes the vouchers bound to a product or quota that is being deleted (a voucher must never widen to
 * the whole shop because its target went away). Cart positions keep their product but lose the voucher.
 */
export function deleteVouchersOf(
  ctx: EngineContext,
  column: 'item_id' | 'variation_id' | 'quota_id',
  id: number,
): void {
  deleteVouchersBoundTo(ctx.db, column, id);
}
