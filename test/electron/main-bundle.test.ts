import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ElectronBuild } from '../../main/rpc/build-electron';
import { ENGINE_NODE_VARIABLE, parseShellStatus } from '../../main/electron/runtime';
import { buildDesktopBundles, freshDatabase, isAlive, paidOrderCode, waitFor } from './engine-helpers';

/**
 * The built Electron main bundle (`dist/electron/main.mjs`), run on Node with `electron` resolved to a
 * stand-in that reports what the app does: the whole of main.ts's binding to Electron's API, short of a
 * real window.
 */

type Report = { type: string; [key: string]: unknown };

let bundles: ElectronBuild;
beforeAll(async () => {
  bundles = await buildDesktopBundles();
});
afterAll(() => rmSync(bundles.outDir, { recursive: true, force: true }));

function startApp(env: Record<string, string>) {
  const child: ChildProcess = fork(join(bundles.outDir, 'main.mjs'), [], {
    execArgv: ['--import', pathToFileURL(join(__dirname, 'stand-in', 'register.mjs')).href],
    env: { ...process.env, [ENGINE_NODE_VARIABLE]: process.execPath, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const reports: Report[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.on('message', (m) => reports.push(m as Report));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let nextId = 0;
  const invoke = async (url: string, method: string, input: unknown) => {
    const id = ++nextId;
    child.send({ type: 'invoke', id, url, method, input });
    await waitFor(() => reports.some((r) => r.type === 'reply' && r.id === id), 20_000);
    return reports.find((r) => r.type === 'reply' && r.id === id)!.reply as {
      result?: Record<string, unknown>;
      error?: { code: string };
    };
  };
  const statuses = () =>
    stderr
      .split('\n')
      .map((l) => parseShellStatus(l))
      .filter((s) => s !== null);
  return { child, reports, invoke, exited, statuses, stderr: () => stderr };
}

describe('the Electron main bundle on a stand-in Electron', () => {
  it('opens the hardened window on the built desk after the engine, serves the desk, and stops the engine on close', async () => {
    const db = freshDatabase();
    const app = startApp({ GUICHET_DB: db.dbPath });
    try {
      await waitFor(() => app.reports.some((r) => r.type === 'show'), 30_000);
      expect(app.statuses()).toEqual([{ kind: 'open' }]);
      const window = app.reports.find((r) => r.type === 'window')!;
      expect(window.options).toMatchObject({
        webPreferences: {
          preload: join(bundles.outDir, 'preload.cjs'),
          contextIsolation: true,
          sandbox: true,
          nodeIntegration: false,
        },
      });
      expect(window.navigationPrevented).toBe(true);
      expect(window.opened).toEqual({ action: 'deny' });
      const load = app.reports.find((r) => r.type === 'load')!;
      expect(load.url).toBe(pathToFileURL(join(bundles.outDir, '..', 'renderer', 'index.html')).href);

      const desk = load.url as string;
      expect((await app.invoke(desk, 'app.info', {})).result).toMatchObject({
        mode: 'electron',
        databasePath: db.dbPath,
      });
      expect((await app.invoke('https://example.com/', 'app.info', {})).error?.code).toBe('forbidden');

      // A reprint reaches Electron's printing: the PDF is loaded in a hidden window and printed from it.
      const code = paidOrderCode(db.dbPath);
      expect((await app.invoke(desk, 'orders.reprint', { code })).error).toBeUndefined();
      const pdfLoad = app.reports.filter((r) => r.type === 'load').at(-1)!;
      expect(pdfLoad.url).toMatch(/^file:\/\/.*\.pdf$/);
      expect(app.reports.filter((r) => r.type === 'print')).toEqual([
        { type: 'print', options: { silent: false, copies: 1, printBackground: true } },
      ]);

      const enginePid = Number(/process (\d+)\./.exec(app.stderr())![1]);
      expect(isAlive(enginePid)).toBe(true);
      app.child.send({ type: 'close-window' });
      expect(await app.exited).toBe(0);
      expect(app.reports.some((r) => r.type === 'quit')).toBe(true);
      expect(isAlive(enginePid)).toBe(false);
      expect(existsSync(`${db.dbPath}-wal`)).toBe(false);
    } finally {
      if (app.child.exitCode === null) app.child.kill('SIGKILL');
      db.cleanup();
    }
  });

  it('packaged, with an engine that cannot start: a dialog, the one-line reason, exit 1 and no window', async () => {
    const db = freshDatabase();
    // A folder is no database file.
    const app = startApp({ GUICHET_DB: db.dir, STAND_IN_PACKAGED: '1' });
    try {
      expect(await app.exited).toBe(1);
      const [status] = app.statuses();
      expect(status).toMatchObject({ kind: 'failed' });
      const reason = (status as { reason: string }).reason;
      expect(reason).toContain(`The engine could not open ${db.dir}`);
      expect(app.reports.filter((r) => r.type === 'error-box')).toEqual([
        { type: 'error-box', title: 'Guichet cannot start', reason },
      ]);
      expect(app.reports.some((r) => r.type === 'window')).toBe(false);
    } finally {
      db.cleanup();
    }
  });
});
