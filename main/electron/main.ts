import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../api/server';
import { Engine } from '../engine/engine';
import { ensureDefaultOrganizer } from '../engine/organizers/organizers';
import { createDeskRpc } from '../rpc/index';
import { readDeskSettings } from '../rpc/desk-settings';
import { createTicketPrinter } from '../printing/ticket-printer';
import { printPdfFile } from './printing';

/**
 * The desk as a desktop app: one hardened window over the engine, the database in the user-data folder,
 * and the local REST API started (or stopped) from the desk's settings.
 */

const here = dirname(fileURLToPath(import.meta.url));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  let engine: Engine | null = null;
  let api: { server: FastifyInstance; url: string } | null = null;

  app.on('second-instance', () => {
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  const printTickets = createTicketPrinter(printPdfFile);
  const databasePath = process.env.GUICHET_DB ?? join(app.getPath('userData'), 'guichet.sqlite');

  async function applyApiSettings(): Promise<void> {
    if (!engine) return;
    const wanted = readDeskSettings(engine.db).api;
    if (api) {
      await api.server.close();
      api = null;
    }
    if (!wanted.enabled) return;
    const server = await buildApiServer({ engine });
    await server.listen({ host: wanted.host, port: wanted.port });
    const shownHost = wanted.host.includes(':') ? `[${wanted.host}]` : wanted.host;
    api = { server, url: `http://${shownHost}:${wanted.port}/api/v1/` };
  }

  // No remote content: every navigation, new window and permission request is refused.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (e) => e.preventDefault());
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });

  void app.whenReady().then(async () => {
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    engine = Engine.open(databasePath);
    engine.command((ctx) => ensureDefaultOrganizer(ctx), 'desk');
    const { seedDemoIfEmpty } = await import('../demo/seed');
    engine.command((ctx) => seedDemoIfEmpty(ctx), 'desk');
    const { PrintQueue } = await import('../printing/queue');
    const printQueue = new PrintQueue(engine, {
      // Where CUPS is absent (Windows), a system printer prints the PDF with Electron's silent print.
      systemPrint: (pdf, printerName, title) =>
        printTickets(pdf, title, { mode: 'silent', printer: printerName }).then(() => undefined),
    });
    printQueue.start();
    const rpc = createDeskRpc({
      engine,
      printQueue,
      mode: 'electron',
      databasePath,
      apiUrl: () => api?.url ?? null,
      onSettingsChanged: applyApiSettings,
      // Straight to the chosen printer when one is set, else through the system's print dialog.
      printTickets: async (pdf, name) => {
        const printer = readDeskSettings(engine!.db).printer.name;
        await printTickets(pdf, name, { mode: printer ? 'silent' : 'dialog', printer });
      },
      actor: 'desk',
    });
    ipcMain.handle('guichet:rpc', (event, method: unknown, input: unknown) => {
      // Only the desk's own page may call: a frame from anywhere else gets nothing.
      if (!event.senderFrame?.url.startsWith('file://')) {
        return {
          error: { code: 'forbidden', message: 'Not the desk.', status: 403, body: { detail: 'Forbidden.' } },
        };
      }
      return rpc.call(String(method), input);
    });
    try {
      await applyApiSettings();
    } catch (e) {
      console.error(`The local REST API did not start: ${(e as Error).message}`);
    }

    window = new BrowserWindow({
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
    window.once('ready-to-show', () => window?.show());
    const index = join(here, '..', 'renderer', 'index.html');
    await window.loadURL(pathToFileURL(index).href);
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    void api?.server.close();
    engine?.close();
  });
}
