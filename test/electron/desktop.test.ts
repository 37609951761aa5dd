import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ElectronBuild } from '../../main/rpc/build-electron';
import { runDesktop, type DesktopHost, type DesktopWindow } from '../../main/electron/desktop';
import type { PrintRequestOptions } from '../../main/electron/engine-protocol';
import { ENGINE_NODE_VARIABLE, parseShellStatus } from '../../main/electron/runtime';
import { buildDesktopBundles, freshDatabase, isAlive, paidOrderCode, waitFor } from './engine-helpers';

type Envelope = { result?: Record<string, unknown>; error?: { code: string; message: string } };

let bundles: ElectronBuild;
beforeAll(async () => {
  bundles = await buildDesktopBundles();
});
afterAll(() => rmSync(bundles.outDir, { recursive: true, force: true }));

/** A stand-in for Electron's app, ipcMain, BrowserWindow and dialog, recording what the app does. */
function standInElectron(options: {
  dbPath: string;
  packaged?: boolean;
  env?: Record<string, string>;
  lock?: boolean;
}) {
  const listeners = {
    secondInstance: [] as (() => void)[],
    windowAllClosed: [] as (() => void)[],
    willQuit: [] as ((e: { preventDefault(): void }) => void)[],
  };
  let rpc: ((senderUrl: string | null, method: unknown, input: unknown) => Promise<unknown>) | null = null;
  const record = {
    quits: 0,
    exits: [] as number[],
    windows: [] as string[],
    focused: 0,
    errors: [] as { title: string; reason: string }[],
    printed: [] as { path: string; pdf: Buffer; options: PrintRequestOptions }[],
    log: [] as string[],
  };
  const window: DesktopWindow = {
    isMinimized: () => false,
    restore: () => {},
    focus: () => void record.focused++,
  };
  const host: DesktopHost = {
    packaged: options.packaged ?? false,
    execPath: process.execPath,
    env: {
      ...process.env,
      [ENGINE_NODE_VARIABLE]: process.execPath,
      GUICHET_DB: options.dbPath,
      ...options.env,
    },
    userDataDir: () => '/nonexistent/user-data',
    requestSingleInstanceLock: () => options.lock ?? true,
    whenReady: async () => {},
    onSecondInstance: (l) => void listeners.secondInstance.push(l),
    onWindowAllClosed: (l) => void listeners.windowAllClosed.push(l),
    onWillQuit: (l) => void listeners.willQuit.push(l),
    quit: () => {
      // As Electron does: quitting emits will-quit, whose listeners may hold it back.
      let prevented = false;
      for (const l of listeners.willQuit) l({ preventDefault: () => (prevented = true) });
      if (!prevented) record.quits++;
    },
    exit: (code) => void record.exits.push(code),
    handleRpc: (handler) => void (rpc = handler),
    openWindow: async (url) => {
      record.windows.push(url);
      return window;
    },
    printPdf: async (path, printOptions) => {
      record.printed.push({ path, pdf: readFileSync(path), options: printOptions });
    },
    showError: (title, reason) => void record.errors.push({ title, reason }),
    log: (line) => void record.log.push(line),
  };
  const invoke = (senderUrl: string, method: string, input: unknown) => {
    if (!rpc) throw new Error('no guichet:rpc handler');
    return rpc(senderUrl, method, input) as Promise<Envelope>;
  };
  return { host, record, listeners, invoke };
}

const paths = () => ({
  hostScript: join(bundles.outDir, 'engine-process.mjs'),
  indexUrl: 'file:///app/dist/renderer/index.html',
});
const DESK = 'file:///app/dist/renderer/index.html';

describe('the desktop app with a stand-in for Electron', () => {
  it('starts the engine before the window, serves the desk, survives a SIGKILL, prints, and stops the engine on quit', async () => {
    const db = freshDatabase();
    const electron = standInElectron({ dbPath: db.dbPath });
    try {
      const app = await runDesktop(electron.host, paths());
      expect(app).not.toBeNull();
      const { supervisor } = app!;
      expect(electron.record.windows).toEqual([paths().indexUrl]);
      expect(electron.record.log.map(parseShellStatus).filter(Boolean)).toEqual([{ kind: 'open' }]);

      // The desk's own page is served; any other frame is refused.
      expect((await electron.invoke(DESK, 'app.info', {})).result).toMatchObject({
        mode: 'electron',
        databasePath: db.dbPath,
      });
      expect((await electron.invoke('https://example.com/', 'app.info', {})).error?.code).toBe('forbidden');

      // A reprint goes from the engine process to Electron's printing, as a real PDF file.
      const code = paidOrderCode(db.dbPath);
      const reprint = await electron.invoke(DESK, 'orders.reprint', { code });
      expect(reprint.error).toBeUndefined();
      expect(electron.record.printed).toHaveLength(1);
      expect(electron.record.printed[0]!.pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(electron.record.printed[0]!.options).toMatchObject({ silent: false }); // no printer chosen: dialog

      // The engine is killed. A call racing the kill gets an answer (the result, or 'offline' when it
      // may have reached the dying engine: the cashier checks and retries); calls after it reach the
      // restarted engine.
      const first = supervisor.pid!;
      const exited = new Promise((r) => supervisor.once('exit', r));
      const restarted = new Promise<{ pid: number }>((r) => supervisor.once('ready', r));
      process.kill(first, 'SIGKILL');
      const racing = await electron.invoke(DESK, 'app.info', {});
      expect(racing.result?.mode ?? racing.error?.code).toMatch(/^(electron|offline)$/);
      await exited;
      expect((await electron.invoke(DESK, 'app.info', {})).result?.mode).toBe('electron');
      expect((await restarted).pid).not.toBe(first);

      // A second start focuses the window.
      electron.listeners.secondInstance.forEach((l) => l());
      expect(electron.record.focused).toBe(1);

      // Closing the window quits; the quit waits until the engine has closed its database.
      const engine = supervisor.pid!;
      electron.listeners.windowAllClosed.forEach((l) => l());
      expect(electron.record.quits).toBe(0);
      await waitFor(() => electron.record.quits === 1);
      expect(isAlive(engine)).toBe(false);
      expect(supervisor.state).toBe('stopped');
      expect(existsSync(`${db.dbPath}-wal`)).toBe(false);
    } finally {
      db.cleanup();
    }
  });

  it('quitting while the engine opens: the engine stops first, then the app quits, and nothing is reported as failed', async () => {
    const db = freshDatabase();
    const electron = standInElectron({ dbPath: db.dbPath });
    try {
      const running = runDesktop(electron.host, paths());
      await new Promise((r) => setTimeout(r, 150));
      electron.host.quit();
      expect(await running).toBeNull();
      await waitFor(() => electron.record.quits === 1);
      expect(electron.record.exits).toEqual([]);
      expect(electron.record.windows).toEqual([]);
      expect(electron.record.log.map(parseShellStatus).filter(Boolean)).toEqual([]);
      expect(existsSync(`${db.dbPath}-wal`)).toBe(false);
    } finally {
      db.cleanup();
    }
  });

  it('a second instance quits at once and starts no engine', async () => {
    const electron = standInElectron({ dbPath: '/nonexistent/never.sqlite', lock: false });
    expect(await runDesktop(electron.host, paths())).toBeNull();
    expect(electron.record.quits).toBe(1);
    expect(electron.record.windows).toEqual([]);
  });

  it('an engine that cannot start: no window, the one-line reason for npm start, a dialog when packaged, exit 1', async () => {
    const db = freshDatabase();
    try {
      for (const packaged of [false, true]) {
        // A folder is no database file.
        const electron = standInElectron({ dbPath: db.dir, packaged });
        if (packaged) electron.host.execPath = process.execPath;
        expect(await runDesktop(electron.host, paths())).toBeNull();
        expect(electron.record.windows).toEqual([]);
        expect(electron.record.exits).toEqual([1]);
        const statuses = electron.record.log.map(parseShellStatus).filter((s) => s !== null);
        expect(statuses).toHaveLength(1);
        expect(statuses[0]).toMatchObject({ kind: 'failed' });
        const reason = (statuses[0] as { reason: string }).reason;
        expect(reason).toContain(`The engine could not open ${db.dir}`);
        expect(electron.record.errors).toEqual(packaged ? [{ title: 'Guichet cannot start', reason }] : []);
      }
    } finally {
      db.cleanup();
    }
  });
});
