import type { EngineContext } from '../context';
import { deleteCategoryRow } from '../db/queries/catalog/items';
import { insertInput, requireRow, updateInput, type I18nText } from './stored-fields';

/** A product category (pretix's ItemCategory); an add-on category holds the products offered as add-ons. */
export interface CategoryInput {
  name: I18nText;
  internalName?: string | null;
  description?: I18nText;
  position?: number;
  isAddon?: boolean;
}

function audit(ctx: EngineContext, eventId: number, id: number, action: string, data: object) {
  ctx.audit({
    eventId,
    objectType: 'category',
    objectId: id,
    actionType: `pretix.event.category.${action}`,
    data,
  });
}

export function createCategory(ctx: EngineContext, eventId: number, input: CategoryInput): number {
  const id = insertInput(ctx.db, 'categories', input, [], { event_id: eventId });
  audit(ctx, eventId, id, 'added', input);
  return id;
}

export function updateCategory(
  ctx: EngineContext,
  eventId: number,
  id: number,
  input: Partial<CategoryInput>,
): void {
  requireRow(ctx.db, 'categories', eventId, id);
  updateInput(ctx.db, 'categories', id, input, []);
  audit(ctx, eventId, id, 'changed', input);
}

export function deleteCategory(ctx: EngineContext, eventId: number, id: number): void {
  requireRow(ctx.db, 'categories', eventId, id);
  // Items keep existing without a category; add-on slots of this category go with it (pretix's cascade).
  deleteCategoryRow(ctx.db, id);
  audit(ctx, eventId, id, 'deleted', {});
}
