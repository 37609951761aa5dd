import { z } from 'zod';
import { authorise, requireCashier } from '../../engine/cashiers';
import { deskName } from '../../engine/preferences';
import { openShiftOf } from '../../engine/shifts';
import { retryRefused, syncStatus } from '../../engine/sync';
import { defineMethods } from '../registry';

export const syncMethods = defineMethods({
  'sync.status': {
    input: z.object({}).strict(),
    run: (env) => env.engine.read((ctx) => syncStatus(ctx.db)),
  },
  'sync.retry': {
    input: z.object({
      seq: z.number().int().positive(),
      managerPin: z.string().trim().max(8).nullable().optional(),
    }),
    run: (env, input) =>
      env.engine.command((ctx) => {
        // Sending a refused upload again is a manager's decision: the server said no once.
        const desk = deskName(ctx.db);
        authorise(ctx, {
          desk,
          shiftId: openShiftOf(ctx.db, desk)?.id ?? null,
          cashier: requireCashier(ctx.db, desk),
          action: 'retry_upload',
          managerPin: input.managerPin ?? null,
          detail: { upload: input.seq },
        });
        retryRefused(ctx, input.seq);
        return syncStatus(ctx.db);
      }, env.actor),
  },
});
