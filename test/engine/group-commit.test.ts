import { describe, expect, it } from 'vitest';
import { EngineError } from '../../main/engine/errors';
import { testEngine } from '../helpers';

describe('group commit', () => {
  it('runs concurrent commands in one commit, each atomic on its own', async () => {
    const { engine } = testEngine();
    const insert = (slug: string, fail: boolean) =>
      engine.commandGrouped((ctx) => {
        ctx.db.prepare('INSERT INTO organizers (slug, name) VALUES (?, ?)').run(slug, slug);
        ctx.audit({ objectType: 'organizer', actionType: 'test.created' });
        if (fail) throw new EngineError('refused', `refused ${slug}`);
        return slug;
      });
    const outcomes = await Promise.allSettled([insert('a', false), insert('b', true), insert('c', false)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(EngineError);
    const slugs = (
      engine.db.prepare("SELECT slug FROM organizers WHERE slug IN ('a', 'b', 'c') ORDER BY slug").all() as {
        slug: string;
      }[]
    ).map((r) => r.slug);
    // The refused command left neither its row nor its audit entry behind.
    expect(slugs).toEqual(['a', 'c']);
    expect(
      engine.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action_type = 'test.created'").get(),
    ).toEqual({ n: 2 });
    expect(engine.db.inTransaction).toBe(false);
  });

  it('answers only after the commit: a command sees the rows of the ones before it in the group', async () => {
    const { engine } = testEngine();
    const count = () =>
      engine.commandGrouped((ctx) => {
        ctx.db.prepare("INSERT INTO organizers (slug, name) VALUES (lower(hex(randomblob(6))), 'x')").run();
        return (ctx.db.prepare('SELECT COUNT(*) AS n FROM organizers').get() as { n: number }).n;
      });
    const results = await Promise.all([count(), count(), count()]);
    expect(results).toEqual([2, 3, 4]);
  });
});
