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
import { found, invalidFields, type FieldErrors } from '../errors';
import { recountQuota } from '../quotas/counters';
import { eventOfObjectIn, foreignObjectErrors } from './event-objects';
import { deleteVouchersOf } from './vouchers';
import { addResource, deleteResource, logChange, updateInput, type CatalogResource } from './stored-fields';

/**
 * Quotas CRUD with pretix's validation (`Quota.clean_variations`, `clean_items`, `clean_subevent`). After
 * any change of what a quota counts (items, variations, sub-event), its counters are recomputed.
 */
export interface QuotaInput {
  name: string;
  /** Units on sale; null is unlimited. */
  size?: number | null;
  closed?: boolean;
  closeWhenSoldOut?: boolean;
  releaseAfterExit?: boolean;
  ignoreForEventAvailability?: boolean;
  /** The products (and of products with variations, the variations) the quota counts. */
  items?: number[];
  variations?: number[];
  /** The date of a series the quota counts; null for a single event. */
  subevent?: number | null;
}

const QUOTA: CatalogResource<QuotaInput> = {
  table: 'quotas',
  extra: [],
  objectType: 'quota',
  action: 'pretix.event.quota',
};

export function quotaMembers(db: ReadableDB, quotaId: number): { items: number[]; variations: number[] } {
  return { items: quotaItemIds(db, quotaId), variations: quotaVariationIds(db, quotaId) };
}

/**
 * The fields' own rules, all answered at once: the objects a quota counts are the event's own (pretix's
 * querysets of the event; the first id that is not answers for its field) and a size is a count.
 */
function checkFields(db: ReadableDB, eventId: number, input: Partial<QuotaInput>): void {
  const errors: FieldErrors = {};
  if (typeof input.size === 'number' && input.size < 0)
    errors.size = ['Ensure this value is greater than or equal to 0.'];
  Object.assign(
    errors,
    foreignObjectErrors(eventOfObjectIn(db), eventId, [
      ['items', 'item', input.items],
      ['variations', 'variation', input.variations],
      ['subevent', 'subevent', input.subevent],
    ]),
  );
  if (Object.keys(errors).length > 0) throw invalidFields('invalid', errors);
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

function writeMembers(db: WritableDB, quotaId: number, input: Partial<QuotaInput>): void {
  if (input.items) setQuotaItems(db, quotaId, input.items);
  if (input.variations) setQuotaVariations(db, quotaId, input.variations);
}

export function createQuota(ctx: EngineContext, eventId: number, input: QuotaInput): number {
  checkFields(ctx.db, eventId, input);
  const { items = [], variations = [], subevent = null, ...fields } = input;
  const problem = checkMembers(ctx.db, eventId, items, variations, subevent);
  if (problem) throw invalidFields('invalid_quota', { non_field_errors: [problem] });
  return addResource(ctx, QUOTA, eventId, input, {
    fields,
    fixed: { subevent_id: subevent },
    writeBeside: (id) => {
      writeMembers(ctx.db, id, { items, variations });
      recountQuota(ctx, id);
    },
  });
}

export function updateQuota(
  ctx: EngineContext,
  eventId: number,
  id: number,
  input: Partial<QuotaInput>,
): void {
  const current = found(findQuota(ctx.db, eventId, id));
  checkFields(ctx.db, eventId, input);
  const { items, variations, subevent, ...fields } = input;
  const now = quotaMembers(ctx.db, id);
  const problem = checkMembers(
    ctx.db,
    eventId,
    items ?? now.items,
    variations ?? now.variations,
    subevent !== undefined ? subevent : current.subevent_id,
  );
  if (problem) throw invalidFields('invalid_quota', { non_field_errors: [problem] });
  updateInput(
    ctx.db,
    'quotas',
    id,
    fields,
    QUOTA.extra,
    subevent !== undefined ? { subevent_id: subevent } : {},
  );
  writeMembers(ctx.db, id, input);
  if (items || variations || subevent !== undefined) recountQuota(ctx, id);
  logChange(ctx, QUOTA, eventId, id, 'changed', input);
}

export function deleteQuota(ctx: EngineContext, eventId: number, id: number): void {
  deleteResource(ctx, QUOTA, eventId, id, () => {
    deleteVouchersOf(ctx, 'quota_id', id);
    deleteQuotaRow(ctx.db, id);
  });
}
