import type { EngineContext } from '../engine/context';

export interface SeedResult {
  eventSlug: string;
  orders: number;
}

/** The demo event for a first start. Filled in once the catalog and order commands exist. */
export function seedDemo(ctx: EngineContext): SeedResult {
  void ctx;
  return { eventSlug: 'demo', orders: 0 };
}

export function seedDemoIfEmpty(ctx: EngineContext): SeedResult | undefined {
  const count = (ctx.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  return count === 0 ? seedDemo(ctx) : undefined;
}
