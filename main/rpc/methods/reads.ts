import { z } from 'zod';
import { readDeskSettings } from '../../engine/preferences';
import { dashboardStats } from '../../engine/boxoffice';
import { deskEvents, salesTiles, setupEvent } from '../../engine/catalog';
import { approvalQueue, orderDetail, searchOrders } from '../../engine/orders';
import { empty, id } from '../inputs';
import { defineMethods, type RpcEnv } from '../registry';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'A day is written YYYY-MM-DD.')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'That day does not exist.');

function locale(env: RpcEnv): string {
  return readDeskSettings(env.engine.db).locale;
}

/** Methods that only read: each runs in one read transaction, so a screen sees one consistent state. */
export const readMethods = defineMethods({
  'events.list': {
    input: empty,
    run: (env) => env.engine.read((ctx) => deskEvents(ctx.db, locale(env))),
  },
  'sales.tiles': {
    input: z.object({ eventId: id, subeventId: id.nullable() }),
    run: (env, input) => env.engine.read((ctx) => salesTiles(ctx.db, input, ctx.now, locale(env))),
  },
  'orders.search': {
    input: z.object({ query: z.string().max(200), limit: z.number().int().min(1).max(100) }),
    run: (env, input) =>
      env.engine.read((ctx) => searchOrders(ctx.db, input.query, input.limit, locale(env))),
  },
  'orders.get': {
    input: z.object({ code: z.string().trim().min(1).max(64) }),
    run: (env, input) => env.engine.read((ctx) => orderDetail(ctx.db, input.code, locale(env))),
  },
  'approvals.list': {
    input: empty,
    run: (env) => env.engine.read((ctx) => approvalQueue(ctx.db, locale(env))),
  },
  'dashboard.stats': {
    input: z.object({ eventId: id.nullable(), from: day.nullable(), to: day.nullable() }),
    run: (env, input) => env.engine.read((ctx) => dashboardStats(ctx.db, input, ctx.now, locale(env))),
  },
  'setup.event': {
    input: z.object({ eventId: id }),
    run: (env, input) => env.engine.read((ctx) => setupEvent(ctx.db, input.eventId, ctx.now, locale(env))),
  },
});
