import { describe, expect, it } from 'vitest';
import { seedDemo, seedDemoIfEmpty } from '../../../main/demo/seed';
import { recountQuota } from '../../../main/engine/quotas/counters';
import { testEngine } from '../../helpers';

describe('demo seed', () => {
  it('builds an event with orders in every state and exact quota counters', () => {
    const { engine } = testEngine();
    const result = engine.command((ctx) => seedDemo(ctx));
    expect(result).toEqual({ eventSlug: 'demo', orders: 20 });
    const states = engine.db
      .prepare('SELECT status, COUNT(*) AS n FROM orders GROUP BY status ORDER BY status')
      .all();
    expect(states).toEqual([
      { status: 'c', n: 2 },
      { status: 'e', n: 2 },
      { status: 'n', n: 4 },
      { status: 'p', n: 12 },
    ]);
    const before = engine.db.prepare('SELECT id, paid_count, pending_count FROM quotas ORDER BY id').all();
    engine.command((ctx) => {
      for (const q of before as { id: number }[]) recountQuota(ctx, q.id);
    });
    expect(engine.db.prepare('SELECT id, paid_count, pending_count FROM quotas ORDER BY id').all()).toEqual(
      before,
    );
    expect((before as { paid_count: number }[])[0]!.paid_count).toBeGreaterThan(0);
    // A second seed gets its own slug; seeding on first start happens only on an empty database.
    expect(engine.command((ctx) => seedDemo(ctx)).eventSlug).toBe('demo-2');
    expect(engine.command((ctx) => seedDemoIfEmpty(ctx))).toBeUndefined();
  });
});
