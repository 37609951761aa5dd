import type { EngineContext } from '../context';
import { deleteCategoryRow } from '../db/queries/catalog/items';
import { addResource, changeResource, deleteResource, type CatalogResource } from './stored-fields';
import type { I18nText } from './stored-fields';

/** A product category (pretix's ItemCategory); an add-on category holds the products offered as add-ons. */
export interface CategoryInput {
  name: I18nText;
  internalName?: string | null;
  description?: I18nText;
  position?: number;
  isAddon?: boolean;
}

const CATEGORY: CatalogResource<CategoryInput> = {
  table: 'categories',
  extra: [],
  objectType: 'category',
  action: 'pretix.event.category',
};

export function createCategory(ctx: EngineContext, eventId: number, input: CategoryInput): number {
  return addResource(ctx, CATEGORY, eventId, input);
}

export function updateCategory(
  ctx: EngineContext,
  eventId: number,
  id: number,
  input: Partial<CategoryInput>,
): void {
  changeResource(ctx, CATEGORY, eventId, id, input);
}

export function deleteCategory(ctx: EngineContext, eventId: number, id: number): void {
  // Items keep existing without a category; add-on slots of this category go with it (pretix's cascade).
  deleteResource(ctx, CATEGORY, eventId, id, () => deleteCategoryRow(ctx.db, id));
}
