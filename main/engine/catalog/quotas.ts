import type { EngineContext } from '../context';
import type { ReadableDB, WritableDB } from '../db/handles';
import { eventSeriesFlag } from '../db/queries/catalog/events';
import { itemHasVariations, variationItemId } from '../db/queries/catalog/items';
import {
  deleteQuotaRow,
  findQuota,
  quotaItemIds,
  quotaVariationIds,
  setQuotaItems,
  setQuotaVariations,
} from '../db/queries/catalog/quotas';
import { invalidFields, notFound, type FieldErrors } from '../errors';
import { isPlainObject } from '../orders/fields';
import { recountQuota } from '../quotas/counters';
import { deleteVouchersOf } from './vouchers';
import {
  insertRow,
  parseEventPk,
  parseEventPkList,
  parseFields,
  throwIfErrors,
  updateRow,
  type FieldSpecs,
} from './field-specs';

/**
 * Quotas CRUD with pretix's validation (`Quota.clean_variations`, `clean_items`, `clean_subevent`). After
 * any change of what a quota counts (items, variations, sub-event), its counters are recomputed.
 */
const QUOTA_FIELDS: FieldSpecs = {
  name: { kind: 'text', required: true, maxLength: 200 },
  size: { kind: 'int', nullable: true, min: 0 },
  closed: { kind: 'bool' },
  close_when_sold_out: { kind: 'bool' },
  release_after_exit: { kind: 'bool' },
  ignore_for_event_availability: { kind: 'bool' },
};

export function quotaMembers(db: ReadableDB, quotaId: number): { items: number[]; variations: number[] } {
  return { items: quotaItemIds(db, quotaId), variations: quotaVariationIds(db, quotaId) };
}

interface Members {
  items?: number[];
  variations?: number[];
  subevent?: number | null;
}

function parseMembers(
  db: ReadableDB,
  eventId: number,
  body: Record<string, unknown>,
  errors: FieldErrors,
): Members {
  const out: Members = {};
  if (body.items !== undefined) {
    const r = parseEventPkList(db, 'items', eventId, body.items);
    if (r.error !== undefined) errors.items = [r.error];
    else out.items = r.value;
  }
  if (body.variations !== undefined) {
    const r = parseEventPkList(db, 'item_variations', eventId, body.variations, {
      join: 'JOIN items ON items.id = item_variations.item_id',
      eventColumn: 'items.event_id',
    });
    if (r.error !== undefined) errors.variations = [r.error];
    else out.variations = r.value;
  }
  if (body.subevent !== undefined) {
    const r = parseEventPk(db, 'subevents', eventId, body.subevent, { nullable: true });
    if (r.error !== undefined) errors.subevent = [r.error];
    else out.subevent = r.value;
  }
  return out;
}

/** pretix's Quota.clean_variations / clean_items / clean_subevent, on the quota as it would be. */
function checkMembers(
  db: ReadableDB,
  eventId: number,
  items: number[],
  variations: number[],
  subevent: number | null,
): string | undefined {
  const variationItems = new Set(variations.map((v) => variationItemId(db, v)!));
  for (const item of variationItems)
    if (!items.includes(item)) return 'All variations must belong to an item contained in the items list.';
  for (const item of items)
    if (itemHasVariations(db, item) && !variationItems.has(item))
      return 'One or more items has variations but none of these are in the variations list.';
  const event = eventSeriesFlag(db, eventId)!;
  if (event.has_subevents === 1 && subevent === null) return 'Subevent cannot be null for event series.';
  if (event.has_subevents === 0 && subevent !== null) return 'The subevent does not belong to this event.';
  return undefined;
}

function writeMembers(db: WritableDB, quotaId: number, members: Members): void {
  if (members.items) setQuotaItems(db, quotaId, members.items);
  if (members.variations) setQuotaVariations(db, quotaId, members.variations);
}

export function createQuota(ctx: EngineContext, eventId: number, body: unknown): number {
  const raw = isPlainObject(body) ? body : {};
  const { values, errors } = parseFields(body, QUOTA_FIELDS);
  const members = parseMembers(ctx.db, eventId, raw, errors);
  throwIfErrors(errors);
  const problem = checkMembers(
    ctx.db,
    eventId,
    members.items ?? [],
    members.variations ?? [],
    members.subevent ?? null,
  );
  if (problem) throw invalidFields('invalid_quota', { non_field_errors: [problem] });
  const id = insertRow(ctx.db, 'quotas', values, QUOTA_FIELDS, {
    event_id: eventId,
    subevent_id: members.subevent ?? null,
  });
  writeMembers(ctx.db, id, { items: members.items ?? [], variations: members.variations ?? [] });
  recountQuota(ctx, id);
  ctx.audit({
    eventId,
    objectType: 'quota',
    objectId: id,
    actionType: 'pretix.event.quota.added',
    data: raw,
  });
  return id;
}

export function updateQuota(ctx: EngineContext, eventId: number, id: number, body: unknown): void {
  const current = findQuota(ctx.db, eventId, id);
  if (!current) throw notFound();
  const raw = isPlainObject(body) ? body : {};
  const { values, errors } = parseFields(body, QUOTA_FIELDS, { partial: true });
  const members = parseMembers(ctx.db, eventId, raw, errors);
  throwIfErrors(errors);
  const now = quotaMembers(ctx.db, id);
  const items = members.items ?? now.items;
  const variations = members.variations ?? now.variations;
  const subevent = members.subevent !== undefined ? members.subevent : current.subevent_id;
  const problem = checkMembers(ctx.db, eventId, items, variations, subevent);
  if (problem) throw invalidFields('invalid_quota', { non_field_errors: [problem] });
  const fixed: Record<string, unknown> = {};
  if (members.subevent !== undefined) fixed.subevent_id = members.subevent;
  updateRow(ctx.db, 'quotas', id, values, QUOTA_FIELDS, fixed);
  writeMembers(ctx.db, id, members);
  if (members.items || members.variations || members.subevent !== undefined) recountQuota(ctx, id);
  ctx.audit({
    eventId,
    objectType: 'quota',
    objectId: id,
    actionType: 'pretix.event.quota.changed',
    data: raw,
  });
}

export function deleteQuota(ctx: EngineContext, eventId: number, id: number): void {
  if (!findQuota(ctx.db, eventId, id)) throw notFound();
  deleteVouchersOf(ctx, 'quota_id', id);
  deleteQuotaRow(ctx.db, id);
  ctx.audit({
    eventId,
    objectType: 'quota',
    objectId: id,
    actionType: 'pretix.event.quota.deleted',
    data: {},
  });
}
