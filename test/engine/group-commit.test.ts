import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../main/engine/engine';
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

  it('runs each command once while none fails; a failure runs the group again, each command in its savepoint', async () => {
    const { engine } = testEngine();
    const runs = new Map<string, number>();
    const insert = (slug: string, fail = false) =>
      engine.commandGrouped((ctx) => {
        runs.set(slug, (runs.get(slug) ?? 0) + 1);
        ctx.db.prepare('INSERT INTO organizers (slug, name) VALUES (?, ?)').run(slug, slug);
        if (fail) throw new EngineError('refused', `refused ${slug}`);
        return slug;
      });
    const slugs = () =>
      (engine.db.prepare('SELECT slug FROM organizers ORDER BY slug').all() as { slug: string }[])
        .map((r) => r.slug)
        .filter((slug) => slug.length === 2);

    expect(await Promise.all([insert('a1'), insert('a2'), insert('a3')])).toEqual(['a1', 'a2', 'a3']);
    expect([...runs.values()]).toEqual([1, 1, 1]);

    runs.clear();
    const failing = await Promise.allSettled([insert('b1'), insert('b2', true), insert('b3')]);
    expect(failing.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // The first try stopped at b2 and was rolled back; the second ran all three, each in its savepoint.
    expect(Object.fromEntries(runs)).toEqual({ b1: 2, b2: 2, b3: 1 });
    expect(slugs()).toEqual(['a1', 'a2', 'a3', 'b1', 'b3']);

    // After a group with a failure, the next one starts with savepoints: each command runs once.
    runs.clear();
    await Promise.allSettled([insert('c1', true), insert('c2')]);
    expect(Object.fromEntries(runs)).toEqual({ c1: 1, c2: 1 });
    expect(slugs()).toEqual(['a1', 'a2', 'a3', 'b1', 'b3', 'c2']);
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

describe('group commit on a database file', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  /** A database file in a directory of its own, removed after the test. */
  const databasePath = () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-group-'));
    dirs.push(dir);
    return join(dir, 'box.sqlite');
  };

  it('answers only once the WAL is flushed, with the rows committed before and synchronous=FULL after', async () => {
    const path = databasePath();
    const synced: string[] = [];
    let flush: () => void = () => {};
    const engine = Engine.open(path, {
      syncFile: (file) => {
        synced.push(file);
        return new Promise<void>((resolve) => (flush = resolve));
      },
    });
    const other = new BetterSqlite3(path, { readonly: true });
    try {
      let answered = false;
      const created = engine
        .commandGrouped((ctx) => {
          ctx.db.prepare("INSERT INTO organizers (slug, name) VALUES ('grouped', 'Grouped')").run();
          return 'grouped';
        })
        .then((slug) => {
          answered = true;
          return slug;
        });
      // Let the group commit, then leave its fsync pending for a few turns of the event loop.
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(synced).toEqual([`${path}-wal`]);
      expect(other.prepare("SELECT COUNT(*) AS n FROM organizers WHERE slug = 'grouped'").get()).toEqual({
        n: 1,
      });
      expect(answered).toBe(false);
      expect(engine.db.pragma('synchronous', { simple: true })).toBe(2);
      let settled = false;
      const closing = engine.settled().then(() => (settled = true));
      await new Promise((resolve) => setImmediate(resolve));
      expect(settled).toBe(false);
      flush();
      expect(await created).toBe('grouped');
      await closing;
      expect(settled).toBe(true);
    } finally {
      other.close();
      engine.close();
    }
  });

  it('answers before the WAL is flushed when its caller flushes it, and flushWal flushes the file’s WAL', async () => {
    const path = databasePath();
    const synced: string[] = [];
    const syncFile = (file: string) => {
      synced.push(file);
      return Promise.resolve();
    };
    const first = Engine.open(path, { syncFile });
    const writer = Engine.open(path, { alongside: true, answerBeforeWalFlush: true, syncFile });
    try {
      const slug = await writer.commandGrouped((ctx) => {
        ctx.db.prepare("INSERT INTO organizers (slug, name) VALUES ('early', 'Early')").run();
        return 'early';
      });
      expect(slug).toBe('early');
      expect(synced).toEqual([]);
      expect(writer.db.pragma('synchronous', { simple: true })).toBe(2);
      await first.flushWal();
      expect(synced).toEqual([`${path}-wal`]);
      const memory = Engine.open(':memory:');
      await memory.flushWal();
      memory.close();
      expect(synced).toHaveLength(1);
    } finally {
      writer.close();
      first.close();
    }
  });

  it('fails every command of a group whose WAL could not be flushed', async () => {
    const engine = Engine.open(databasePath(), {
      syncFile: () => Promise.reject(new Error('EIO: i/o error, fsync')),
    });
    try {
      const insert = (slug: string) =>
        engine.commandGrouped((ctx) =>
          ctx.db.prepare('INSERT INTO organizers (slug, name) VALUES (?, ?)').run(slug, slug),
        );
      const outcomes = await Promise.allSettled([insert('a'), insert('b')]);
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
      expect(String((outcomes[0] as PromiseRejectedResult).reason)).toContain('EIO');
    } finally {
      engine.close();
    }
  });

  it('flushes the real WAL file and answers', async () => {
    const engine = Engine.open(databasePath());
    try {
      const results = await Promise.all(
        ['x', 'y', 'z'].map((slug) =>
          engine.commandGrouped((ctx) => {
            ctx.db.prepare('INSERT INTO organizers (slug, name) VALUES (?, ?)').run(slug, slug);
            return slug;
          }),
        ),
      );
      expect(results).toEqual(['x', 'y', 'z']);
      expect(engine.db.pragma('synchronous', { simple: true })).toBe(2);
    } finally {
      engine.close();
    }
  });

  it('commits at most maxGroup commands at a time, and answers each group once its own WAL flush is done', async () => {
    const flushes: { rows: number; done: () => void }[] = [];
    const engine = Engine.open(databasePath(), {
      maxGroup: 8,
      syncFile: () =>
        new Promise<void>((resolve) => {
          const rows = engine.db.prepare('SELECT COUNT(*) AS n FROM organizers').get() as { n: number };
          flushes.push({ rows: rows.n, done: resolve });
        }),
    });
    try {
      const answered: number[] = [];
      const commands = Array.from({ length: 20 }, (_, i) =>
        engine
          .commandGrouped((ctx) =>
            ctx.db.prepare('INSERT INTO organizers (slug, name) VALUES (?, ?)').run(`g${i}`, 'g'),
          )
          .then(() => answered.push(i)),
      );
      while (flushes.length < 3) await new Promise((resolve) => setImmediate(resolve));
      // Three commits of 8, 8 and 4 commands, the organizers' rows growing by each group.
      const before = flushes[0]!.rows - 8;
      expect(flushes.map((f) => f.rows - before)).toEqual([8, 16, 20]);
      expect(answered).toEqual([]);
      flushes[1]!.done();
      await new Promise((resolve) => setImmediate(resolve));
      expect(answered).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
      flushes[0]!.done();
      flushes[2]!.done();
      await Promise.all(commands);
      expect(answered).toHaveLength(20);
    } finally {
      engine.close();
    }
  });
});
