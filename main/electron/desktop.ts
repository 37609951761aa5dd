import { join } from 'node:path';
import type { PrintRequestOptions } from './engine-protocol';
import { EngineSupervisor } from './engine-supervisor';
import { engineLaunch, shellStatus } from './runtime';

/**
 * The desktop app's life, written against the few things it needs from Electron (`DesktopHost`), so that
 * Node tests drive it with a stand-in: one instance, the engine process started before the window, the
 * desk's calls forwarded to it, the window opened, and the engine stopped before the app quits.
 * `main.ts` binds the host to Electron's real API.
 */

export interface DesktopWindow {
  isMinimized(): boolean;
  restore(): void;
  focus(): void;
}

export interface DesktopHost {
  /** `app.isPackaged`. */
  packaged: boolean;
  /** `process.execPath`: Electron's binary. */
  execPath: string;
  env: Record<string, string | undefined>;
  /** `app.getPath('userData')`. */
  userDataDir(): string;
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<unknown>;
  onSecondInstance(listener: () => void): void;
  onWindowAllClosed(listener: () => void): void;
  onWillQuit(listener: (event: { preventDefault(): void }) => void): void;
  quit(): void;
  exit(code: number): void;
  /** Answers the renderer's `guichet:rpc` calls; `senderUrl` is the calling frame's URL. */
  handleRpc(handler: (senderUrl: string | null, method: unknown, input: unknown) => Promise<unknown>): void;
  /** Opens the hardened desk window on the built renderer. */
  openWindow(indexUrl: string): Promise<DesktopWindow>;
  printPdf(path: string, options: PrintRequestOptions): Promise<void>;
  /** Tells whoever sits at the screen that the app cannot go on (a dialog in Electron). */
  showError(title: string, reason: string): void;
  /** A line for the terminal (`npm start` reads the shell's status lines from it). */
  log(line: string): void;
}

export interface DesktopPaths {
  /** The engine process's entry, `dist/electron/engine-process.mjs`. */
  hostScript: string;
  /** `file://` URL of the built renderer's index.html. */
  indexUrl: string;
}

export interface RunningDesktop {
  supervisor: EngineSupervisor;
  window: DesktopWindow;
}

const FORBIDDEN = {
  error: { code: 'forbidden', message: 'Not the desk.', status: 403, body: { detail: 'Forbidden.' } },
};

/** Runs the app; resolves once the window is open, or null when the app does not start (and quits). */
export async function runDesktop(host: DesktopHost, paths: DesktopPaths): Promise<RunningDesktop | null> {
  if (!host.requestSingleInstanceLock()) {
    host.quit();
    return null;
  }
  let window: DesktopWindow | null = null;
  host.onSecondInstance(() => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  await host.whenReady();
  const dbPath = host.env.GUICHET_DB ?? join(host.userDataDir(), 'guichet.sqlite');
  const launch = engineLaunch({
    packaged: host.packaged,
    execPath: host.execPath,
    env: host.env,
    hostScript: paths.hostScript,
    dbPath,
  });
  const supervisor = new EngineSupervisor({
    launch,
    printPdf: (path, options) => host.printPdf(path, options),
    log: (line) => host.log(line),
  });

  // Only the desk's own page may call: a frame from anywhere else gets nothing.
  host.handleRpc(async (senderUrl, method, input) => {
    if (!senderUrl?.startsWith('file://')) return FORBIDDEN;
    return supervisor.call(String(method), input);
  });

  let quitting = false;
  host.onWillQuit((event) => {
    if (supervisor.state === 'stopped') return;
    // The engine closes its database first; then the app quits for real.
    event.preventDefault();
    if (quitting) return;
    quitting = true;
    void supervisor.stop().then(() => host.quit());
  });
  host.onWindowAllClosed(() => host.quit());

  supervisor.on('failed', (reason) => {
    if (supervisor.state !== 'failed' || !window) return;
    host.log(shellStatus.failed(reason));
    host.showError('The box office engine stopped', reason);
    host.quit();
  });

  try {
    await supervisor.start();
  } catch (e) {
    // Quit while the engine was opening: the quit goes on, nothing failed.
    if (supervisor.state === 'stopping' || supervisor.state === 'stopped') return null;
    const reason = (e as Error).message;
    host.log(shellStatus.failed(reason));
    if (host.packaged) host.showError('Guichet cannot start', reason);
    await supervisor.stop();
    host.exit(1);
    return null;
  }

  window = await host.openWindow(paths.indexUrl);
  host.log(shellStatus.open);
  return { supervisor, window };
}
