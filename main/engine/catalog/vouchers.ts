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
import { EngineError, found, invalidFields, type FieldErrors } from '../errors';
import { randomString } from '../ids';
import type { Money } from '../money';
import {
  AVAILABILITY_OK,
  computeQuotaAvailability,
  quotasForProduct,
  type QuotaCounters,
} from '../quotas/availability';
import { insertInput, logChange, updateInput, type CatalogResource } from './stored-fields';

/**
 * Vouchers with pretix's validation (base/models/vouchers.py `Voucher.clean_*`). Codes are stored
 * upper-case and unique per event; a voucher that blocks quota is only accepted while the quota has room.
 */
const VOUCHER_CODE_ALPHABET = 'ABCDEFGHKLMNPQRSTUVWXYZ23456789';
const VOUCHER_CODE_LENGTH = 16;

/** A voucher (pretix's Voucher): for the whole shop, a product (or variation), or a quota, on a date. */
export interface VoucherInput {
  code?: string;
  maxUsages?: number;
  minUsages?: number;
  validUntil?: Date | null;
  blockQuota?: boolean;
  allowIgnoreQuota?: boolean;
  priceMode?: 'none' | 'set' | 'subtract' | 'percent';
  value?: Money | null;
  tag?: string | null;
  comment?: string;
  showHiddenItems?: boolean;
  allAddonsIncluded?: boolean;
  allBundlesIncluded?: boolean;
  budget?: Money | null;
  item?: number | null;
  variation?: number | null;
  quota?: number | null;
  subevent?: number | null;
}

const VOUCHER: CatalogResource<VoucherInput> = {
  table: 'vouchers',
  extra: [],
  objectType: 'voucher',
  action: 'pretix.voucher',
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

type ScopeRef = { id: number; event_id: number } | null;

/** What the voucher is for as it would be: the objects named (with their event), else the stored ones. */
function scopeOf(db: ReadableDB, input: Partial<VoucherInput>, current: Scope) {
  const ref = (kind: 'item' | 'variation' | 'quota' | 'subevent', stored: number | null): ScopeRef => {
    const given = input[kind];
    if (given === undefined) return stored === null ? null : { id: stored, event_id: -1 };
    return given === null ? null : { id: given, event_id: eventIdOf(db, kind, given) ?? -2 };
  };
  return {
    item: ref('item', current.item_id),
    variation: ref('variation', current.variation_id),
    quota: ref('quota', current.quota_id),
    subevent: ref('subevent', current.subevent_id),
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

function validate(
  ctx: EngineContext,
  eventId: number,
  input: Partial<VoucherInput>,
  current: VoucherRow | undefined,
) {
  const fields = { ...input };
  if (fields.code !== undefined) fields.code = fields.code.trim().toUpperCase();
  const scope = scopeOf(
    ctx.db,
    input,
    current ?? { item_id: null, variation_id: null, quota_id: null, subevent_id: null },
  );
  const flag = (given: boolean | undefined, stored: number | undefined) =>
    given !== undefined ? (given ? 1 : 0) : (stored ?? 0);
  const merged = {
    block_quota: flag(input.blockQuota, current?.block_quota),
    allow_ignore_quota: flag(input.allowIgnoreQuota, current?.allow_ignore_quota),
    max_usages: input.maxUsages ?? current?.max_usages ?? 1,
    redeemed: current?.redeemed ?? 0,
    valid_until:
      input.validUntil !== undefined
        ? (input.validUntil?.toISOString() ?? null)
        : (current?.valid_until ?? null),
  };
  const nonField = (message: string) => invalidFields('invalid_voucher', { non_field_errors: [message] });
  const scopeProblem = checkScope(ctx.db, eventId, scope, merged.block_quota === 1);
  if (scopeProblem) throw nonField(scopeProblem);
  if (current && merged.max_usages < current.redeemed)
    throw nonField(
      `This voucher has already been redeemed ${current.redeemed} times. You cannot reduce the maximum number of usages below this number.`,
    );
  if (fields.code !== undefined && voucherCodeTaken(ctx.db, eventId, fields.code, current?.id ?? null))
    throw nonField('A voucher with this code already exists.');
  const quotaProblem = checkQuota(ctx, eventId, scope, merged, current);
  if (quotaProblem) throw nonField(quotaProblem);
  const { item, variation, quota, subevent, ...columns } = fields;
  const fixed: Record<string, unknown> = {};
  if (item !== undefined || !current) fixed.item_id = scope.item?.id ?? null;
  if (variation !== undefined || !current) fixed.variation_id = scope.variation?.id ?? null;
  if (quota !== undefined || !current) fixed.quota_id = scope.quota?.id ?? null;
  if (subevent !== undefined || !current) fixed.subevent_id = scope.subevent?.id ?? null;
  return { columns, fixed };
}

export function createVoucher(ctx: EngineContext, eventId: number, input: VoucherInput): number {
  const { columns, fixed } = validate(ctx, eventId, input, undefined);
  const code = columns.code ?? generateVoucherCode(ctx.db, eventId);
  const id = insertInput(ctx.db, 'vouchers', { ...columns, code }, VOUCHER.extra, {
    ...fixed,
    event_id: eventId,
  });
  logChange(ctx, VOUCHER, eventId, id, 'added', input);
  return id;
}

/** pretix's batch_create: all vouchers or none; errors come back as one entry per voucher. */
export function createVouchers(ctx: EngineContext, eventId: number, inputs: VoucherInput[]): number[] {
  const ids: number[] = [];
  const errors: FieldErrors[] = [];
  let bad = false;
  for (const input of inputs) {
    try {
      ids.push(createVoucher(ctx, eventId, input));
      errors.push({});
    } catch (e) {
      if (!(e instanceof EngineError) || Array.isArray(e.body) || 'detail' in e.body) throw e;
      errors.push(e.body as FieldErrors);
      bad = true;
    }
  }
  if (bad) throw voucherListError(errors);
  return ids;
}

/** The 400 of a batch: one entry of field errors per voucher, `{}` for the good ones. */
export function voucherListError(errors: FieldErrors[]): EngineError {
  return new EngineError('invalid', 'Invalid vouchers.', {
    kind: 'invalid',
    body: errors as unknown as string[],
  });
}

export function updateVoucher(
  ctx: EngineContext,
  eventId: number,
  id: number,
  input: Partial<VoucherInput>,
): void {
  const current = found(findVoucher(ctx.db, eventId, id));
  const { columns, fixed } = validate(ctx, eventId, input, current);
  updateInput(ctx.db, 'vouchers', id, columns, VOUCHER.extra, fixed);
  logChange(ctx, VOUCHER, eventId, id, 'changed', input);
}

export function deleteVoucher(ctx: EngineContext, eventId: number, id: number): void {
  const current = found(findVoucher(ctx.db, eventId, id));
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
  logChange(ctx, VOUCHER, eventId, id, 'deleted', {});
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
