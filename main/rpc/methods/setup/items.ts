import { z } from 'zod';
import {
  createItem,
  createVariation,
  deleteItem,
  deleteVariation,
  updateItem,
  updateVariation,
  type ItemInput,
  type VariationInput,
} from '../../../engine/catalog';
import type { ItemSetup, VariationSetup } from '../../../../shared/contract';
import {
  converted,
  decimalText,
  given,
  i18nText,
  objectId,
  parentOf,
  priceOf,
  yesNo,
  type SetupKindCommands,
  type SetupTarget,
} from './setup-kind';

const item = z.object({
  name: i18nText,
  price: decimalText,
  taxRuleId: objectId.nullable(),
  admission: yesNo,
  requireApproval: yesNo,
  active: yesNo,
  variations: z.array(i18nText).optional(),
});

/** The product's own fields as the catalog takes them; variations are created with it, never changed. */
function itemInput(fields: Partial<ItemSetup>): Partial<ItemInput> {
  return given({
    name: fields.name,
    defaultPrice: converted(fields.price, priceOf),
    taxRule: fields.taxRuleId,
    admission: fields.admission,
    requireApproval: fields.requireApproval,
    active: fields.active,
  });
}

/**
 * A product: name, price, tax rule and flags; a new one with its variations. The catalog checks that the
 * tax rule is the event's.
 */
export const itemSetup: SetupKindCommands<'item'> = {
  fields: item,
  changes: item.omit({ variations: true }).partial(),
  create: (ctx, { eventId }, fields) =>
    createItem(ctx, eventId, {
      ...itemInput(fields),
      name: fields.name,
      variations: (fields.variations ?? []).map((value) => ({ value, active: true })),
    }),
  update: (ctx, { eventId }, id, fields) => updateItem(ctx, eventId, id, itemInput(fields)),
  remove: (ctx, { eventId }, id) => deleteItem(ctx, eventId, id),
};

const variation = z.object({
  value: i18nText,
  price: decimalText.nullable(),
  active: yesNo,
  position: z.number({ error: 'A valid integer is required.' }).int().min(0),
});

function variationInput(fields: Partial<VariationSetup>): Partial<VariationInput> {
  return given({
    defaultPrice: converted(fields.price, priceOf),
    value: fields.value,
    active: fields.active,
    position: fields.position,
  });
}

const itemOf = (target: SetupTarget) => parentOf(target, 'A variation needs its item.');

/** A variation of the product it is created under (the parent); the catalog checks the product has them. */
export const variationSetup: SetupKindCommands<'variation'> = {
  fields: variation,
  changes: variation.partial(),
  create: (ctx, target, fields) =>
    createVariation(ctx, target.eventId, itemOf(target), { ...variationInput(fields), value: fields.value }),
  update: (ctx, target, id, fields) =>
    updateVariation(ctx, target.eventId, itemOf(target), id, variationInput(fields)),
  remove: (ctx, target, id) => deleteVariation(ctx, target.eventId, itemOf(target), id),
};
