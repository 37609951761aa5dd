import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import type { ElectronBuild } from '../../main/rpc/build-electron';
import { OrderWriter } from '../../main/api/order-creation/order-writer';
import { Engine } from '../../main/engine/engine';
import { ensureDefaultOrganizer } from '../../main/engine/organizers/organizers';
import { fixtureOnSale } from '../fixtures/catalog';
import { paidOrderCreation } from '../support/api';
import { EngineStartError, EngineSupervisor } from '../../main/electron/engine-supervisor';
import { engineLaunch, ENGINE_NODE_VARIABLE } from '../../main/electron/runtime';
import {
  buildDesktopBundles,
  fakeElectronWithForeignBinding,
  freshDatabase,
  isAlive,
  waitFor,
} from './engine-helpers';

type Envelope = { result?: Record<string, unknown>; error?: { code: string; message: string } };

let bundles: ElectronBuild;
beforeAll(async () => {
  bundles = await buildDesktopBundles();
});
afterAll(() => rmSync(bundles.outDir, { recursive: true, force: true }));

const hostScript = () => join(bundles.outDir, 'engine-process.mjs');

/** The engine process as `npm start` launches it in development: on this Node. */
function devSupervisor(
  dbPath: string,
  extra: Partial<ConstructorParameters<typeof EngineSupervisor>[0]> = {},
) {
  const lines: string[] = [];
  const supervisor = new EngineSupervisor({
    launch: engineLaunch({
      packaged: false,
      execPath: '/opt/Guichet/guichet',
      env: { ...process.env, [ENGINE_NODE_VARIABLE]: process.execPath },
      hostScript: hostScript(),
      dbPath,
    }),
    log: (line) => lines.push(line),
    restartDelaysMs: [50],
    ...extra,
  });
  return { supervisor, lines };
}

describe('which process loads which better-sqlite3', () => {
  it('the Electron main bundle imports no native module; only the engine process imports better-sqlite3', () => {
    const externals = (m: ElectronBuild['metafiles']['main']) =>
      Object.values(m.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
    const main = new Set(externals(bundles.metafiles.main));
    expect([...main].filter((p) => p !== 'electron' && !p.startsWith('node:'))).toEqual([]);
    expect(Object.keys(bundles.metafiles.main.inputs).some((p) => p.includes('main/engine/'))).toBe(false);
    expect(externals(bundles.metafiles.engine)).toContain('better-sqlite3');
    // The engine process itself never imports Electron, so it runs on plain Node.
    expect(externals(bundles.metafiles.engine)).not.toContain('electron');
  });

  it('the engine process finds its REST door\u2019s order writer thread bundled next to it, and it creates orders', async () => {
    const db = freshDatabase();
    const engine = Engine.open(db.dbPath);
    const writer = new OrderWriter(engine, pathToFileURL(join(bundles.outDir, 'order-writer-thread.mjs')));
    try {
      const organizer = engine.command((ctx) => ensureDefaultOrganizer(ctx));
      const { eventId, itemId } = fixtureOnSale(engine, organizer.id, { event: { slug: 'bundled' } });
      expect(await writer.whenReady()).toBe(true);
      const { code } = await writer.create(paidOrderCreation(eventId, itemId));
      expect(writer.threadId).toBeGreaterThan(0);
      expect(engine.db.prepare('SELECT status FROM orders WHERE code = ?').get(code)).toEqual({
        status: 'p',
      });
    } finally {
      await writer.close();
      engine.close();
      db.cleanup();
    }
  });

  it('in development the engine runs on Node and loads the better-sqlite3 npm install built for its ABI', async () => {
    const db = freshDatabase();
    const { supervisor } = devSupervisor(db.dbPath);
    try {
      const ready = new Promise<{ runtime: string; abi: string }>((r) => supervisor.once('ready', r));
      await supervisor.start();
      expect(await ready).toEqual({
        pid: supervisor.pid,
        starts: 1,
        runtime: `Node.js ${process.versions.node}`,
        abi: process.versions.modules,
      });
      const info = (await supervisor.call('app.info', {})) as Envelope;
      expect(info.result).toMatchObject({
        mode: 'electron',
        databasePath: db.dbPath,
        api: { running: false },
      });
      const events = (await supervisor.call('events.list', {})) as { result: unknown[] };
      expect(events.result.length).toBeGreaterThan(0); // the demo event, seeded on first start
      const bad = (await supervisor.call('orders.get', { code: 42 })) as Envelope;
      expect(bad.error?.code).toBe('invalid_input');
    } finally {
      await supervisor.stop();
      db.cleanup();
    }
  });

  it('when packaged the engine runs on Electron as Node (stand-in: this Node with ELECTRON_RUN_AS_NODE=1)', async () => {
    const db = freshDatabase();
    const supervisor = new EngineSupervisor({
      launch: engineLaunch({
        packaged: true,
        execPath: process.execPath,
        env: { ...process.env },
        hostScript: hostScript(),
        dbPath: db.dbPath,
      }),
      log: () => {},
    });
    try {
      await supervisor.start();
      const environ = `/proc/${supervisor.pid}/environ`;
      if (existsSync(environ)) {
        expect(readFileSync(environ, 'utf8').split('\0')).toContain('ELECTRON_RUN_AS_NODE=1');
      }
      expect(((await supervisor.call('app.info', {})) as Envelope).result?.mode).toBe('electron');
    } finally {
      await supervisor.stop();
      db.cleanup();
    }
  });

  it('a packaged engine whose better-sqlite3 was built for another ABI fails in one line with both ABIs and the fix', async () => {
    const db = freshDatabase();
    const fake = fakeElectronWithForeignBinding(db.dir, '115');
    const supervisor = new EngineSupervisor({
      launch: engineLaunch({
        packaged: true,
        execPath: process.execPath,
        env: { ...process.env, NODE_OPTIONS: `--import ${fake}` },
        hostScript: hostScript(),
        dbPath: db.dbPath,
      }),
      log: () => {},
    });
    try {
      const failure = await supervisor.start().then(
        () => null,
        (e: Error) => e,
      );
      expect(failure).toBeInstanceOf(EngineStartError);
      expect(failure!.message).toBe(
        `better-sqlite3 was built for NODE_MODULE_VERSION 115 but the engine runs on Electron 45.4.1, ` +
          `which needs ${process.versions.modules}; fix it with: npx electron-builder install-app-deps (then package again)`,
      );
      expect(supervisor.state).toBe('failed');
      // Calls made now are answered, not left hanging.
      expect(((await supervisor.call('app.info', {})) as Envelope).error?.code).toBe('offline');
    } finally {
      await supervisor.stop();
      db.cleanup();
    }
  });

  it('a runtime that is not there fails the start at once, in one line naming it', async () => {
    const supervisor = new EngineSupervisor({
      launch: engineLaunch({
        packaged: false,
        execPath: '/opt/Guichet/guichet',
        env: { [ENGINE_NODE_VARIABLE]: '/nonexistent/bin/node' },
        hostScript: hostScript(),
        dbPath: '/nonexistent/guichet.sqlite',
      }),
      log: () => {},
    });
    await expect(supervisor.start()).rejects.toThrow(
      'The engine process could not be started (/nonexistent/bin/node): spawn /nonexistent/bin/node ENOENT',
    );
    expect(supervisor.state).toBe('failed');
    await supervisor.stop();
  });

  it('an engine that cannot open its database says so in one line', async () => {
    const db = freshDatabase();
    const { supervisor } = devSupervisor(db.dir); // a folder, not a database file
    try {
      await expect(supervisor.start()).rejects.toThrow(`The engine could not open ${db.dir}:`);
    } finally {
      await supervisor.stop();
      db.cleanup();
    }
  });
});

describe('supervising the engine process', () => {
  it('restarts the engine after a SIGKILL; what was committed is kept and calls made meanwhile are answered', async () => {
    const db = freshDatabase();
    const { supervisor, lines } = devSupervisor(db.dbPath);
    try {
      await supervisor.start();
      const first = supervisor.pid!;
      const changed = (await supervisor.call('settings.update', { locale: 'de' })) as Envelope;
      expect(changed.result?.locale).toBe('de');

      const restarted = new Promise<{ pid: number; starts: number }>((r) => supervisor.once('ready', r));
      process.kill(first, 'SIGKILL');
      await waitFor(() => !isAlive(first));
      // Called while the engine is down: waits for the new engine instead of failing.
      const during = supervisor.call('app.info', {}) as Promise<Envelope>;
      const again = await restarted;
      expect(again.pid).not.toBe(first);
      expect(again.starts).toBe(2);
      const info = await during;
      expect(info.result).toMatchObject({ settings: { locale: 'de' } });
      expect(lines.some((l) => l.includes('ended (SIGKILL); restarting'))).toBe(true);

      // And once more: a second crash is survived the same way.
      const third = new Promise<{ starts: number }>((r) => supervisor.once('ready', r));
      process.kill(again.pid, 'SIGKILL');
      expect((await third).starts).toBe(3);
      expect(((await supervisor.call('app.info', {})) as Envelope).result?.mode).toBe('electron');
    } finally {
      await supervisor.stop();
      db.cleanup();
    }
  });

  it('stops the engine: it closes the database (WAL checkpointed) and exits, and nothing restarts it', async () => {
    const db = freshDatabase();
    const { supervisor } = devSupervisor(db.dbPath);
    try {
      await supervisor.start();
      const pid = supervisor.pid!;
      expect(existsSync(`${db.dbPath}-wal`)).toBe(true);
      const exits: { expected: boolean; code: number | null }[] = [];
      supervisor.on('exit', (e) => exits.push(e));
      await supervisor.stop();
      expect(isAlive(pid)).toBe(false);
      expect(exits).toEqual([{ pid, code: 0, signal: null, expected: true }]);
      expect(supervisor.state).toBe('stopped');
      // The last connection closed cleanly, so SQLite folded the WAL back and removed it.
      expect(existsSync(`${db.dbPath}-wal`)).toBe(false);
      const check = new Database(db.dbPath, { readonly: true });
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      check.close();
      await new Promise((r) => setTimeout(r, 200));
      expect(supervisor.pid).toBeNull();
      expect(((await supervisor.call('app.info', {})) as Envelope).error?.code).toBe('offline');
    } finally {
      db.cleanup();
    }
  });

  it('a stop while the engine is still opening is not lost: the engine exits by itself, unkilled', async () => {
    const db = freshDatabase();
    const { supervisor } = devSupervisor(db.dbPath, { stopTimeoutMs: 30_000 });
    try {
      const exited = new Promise<{ code: number | null; signal: string | null }>((r) =>
        supervisor.once('exit', r),
      );
      const starting = supervisor.start().then(
        () => null,
        (e: Error) => e.message,
      );
      await new Promise((r) => setTimeout(r, 150)); // the process runs, the engine is not open yet
      await supervisor.stop();
      expect(await starting).toBe('The box office is closing.');
      expect(await exited).toMatchObject({ code: 0, signal: null });
      expect(existsSync(`${db.dbPath}-wal`)).toBe(false);
    } finally {
      db.cleanup();
    }
  });

  it('kills an engine that does not stop within the stop timeout', async () => {
    const db = freshDatabase();
    const { supervisor } = devSupervisor(db.dbPath, { stopTimeoutMs: 300 });
    try {
      await supervisor.start();
      const pid = supervisor.pid!;
      process.kill(pid, 'SIGSTOP'); // frozen: it cannot read the stop message
      const exited = new Promise<{ signal: string | null }>((r) => supervisor.once('exit', r));
      await supervisor.stop();
      expect((await exited).signal).toBe('SIGKILL');
      expect(isAlive(pid)).toBe(false);
    } finally {
      db.cleanup();
    }
  });

  it('gives up after the engine keeps dying, and says so', async () => {
    const db = freshDatabase();
    const { supervisor } = devSupervisor(db.dbPath, { maxCrashesPerMinute: 2 });
    try {
      await supervisor.start();
      const failed = new Promise<string>((r) => supervisor.once('failed', r));
      const second = new Promise<{ pid: number }>((r) => supervisor.once('ready', r));
      process.kill(supervisor.pid!, 'SIGKILL');
      process.kill((await second).pid, 'SIGKILL');
      expect(await failed).toBe('The box office engine stopped 2 times within a minute (last: SIGKILL).');
      expect(supervisor.state).toBe('failed');
    } finally {
      await supervisor.stop();
      db.cleanup();
    }
  });
});
