import { z } from 'zod';
import { createQuota, deleteQuota, updateQuota, type QuotaInput } from '../../../engine/catalog';
import type { QuotaSetup } from '../../../../shared/contract';
import { converted, given, objectId, plainName, type SetupKindCommands } from './setup-kind';

const count = z
  .string({ error: 'A valid integer is required.' })
  .trim()
  .regex(/^[+-]?\d+$/, { error: 'A valid integer is required.' })
  .refine((text) => Number(text) >= 0, { error: 'Ensure this value is greater than or equal to 0.' });

const quota = z.object({
  name: plainName(200),
  size: count.nullable(),
  items: z.array(objectId, { error: 'Choose the products.' }),
  variations: z.array(objectId, { error: 'Choose the variations.' }),
  subeventId: objectId.nullable(),
});

function quotaInput(fields: Partial<QuotaSetup>): Partial<QuotaInput> {
  return given({
    name: fields.name,
    items: fields.items,
    variations: fields.variations,
    subevent: fields.subeventId,
    size: converted(fields.size, Number),
  });
}

/**
 * A quota: name, size and what it counts. The catalog checks that the products, variations and date are
 * the event's and that every product with variations has them listed.
 */
export const quotaSetup: SetupKindCommands<'quota'> = {
  fields: quota,
  changes: quota.partial(),
  create: (ctx, { eventId }, fields) =>
    createQuota(ctx, eventId, { ...quotaInput(fields), name: fields.name }),
  update: (ctx, { eventId }, id, fields) => updateQuota(ctx, eventId, id, quotaInput(fields)),
  remove: (ctx, { eventId }, id) => deleteQuota(ctx, eventId, id),
};
