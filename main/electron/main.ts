import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runDesktop } from './desktop';
import { printPdfFile } from './printing';

/**
 * The desk as a desktop app: Electron's API bound to the app's life in `desktop.ts`. The engine runs in
 * its own process (`engine-process.ts`); this process loads no native module.
 */

const here = dirname(fileURLToPath(import.meta.url));

// No remote content: every navigation, new window and permission request is refused.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

async function openWindow(indexUrl: string): Promise<BrowserWindow> {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  const window = new BrowserWindow({
    width: 1366,
    height: 768,
    title: 'Guichet',
    show: false,
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  await window.loadURL(indexUrl);
  return window;
}

void runDesktop(
  {
    packaged: app.isPackaged,
    execPath: process.execPath,
    env: process.env,
    userDataDir: () => app.getPath('userData'),
    requestSingleInstanceLock: () => app.requestSingleInstanceLock(),
    whenReady: () => app.whenReady(),
    onSecondInstance: (listener) => app.on('second-instance', () => listener()),
    onWindowAllClosed: (listener) => app.on('window-all-closed', () => listener()),
    onWillQuit: (listener) => app.on('will-quit', (event) => listener(event)),
    quit: () => app.quit(),
    exit: (code) => app.exit(code),
    handleRpc: (handler) =>
      ipcMain.handle('guichet:rpc', (event, method: unknown, input: unknown) =>
        handler(event.senderFrame?.url ?? null, method, input),
      ),
    openWindow,
    printPdf: printPdfFile,
    showError: (title, reason) => dialog.showErrorBox(title, reason),
    log: (line) => process.stderr.write(`${line}\n`),
  },
  {
    hostScript: join(here, 'engine-process.mjs'),
    indexUrl: pathToFileURL(join(here, '..', 'renderer', 'index.html')).href,
  },
);
