import Fastify, { type FastifyInstance } from 'fastify';
import { buildApiServer } from '../api/server';
import { Engine } from '../engine/engine';
import { ensureDefaultOrganizer } from '../engine/organizers';
import { prepareTicketRendering } from '../engine/tickets';
import { createTicketPrinter, type ElectronPrinter } from '../printing/ticket-printer';
import { readDeskSettings } from '../engine/preferences';
import { registerDeskRoutes, newSessionToken, serverOrigins } from '../rpc/http';
import { createDeskRpc } from '../rpc/index';
import { startHousekeeping } from '../server/housekeeping';
import { DeskLink } from '../sync/desk-link';

/**
 * The desktop app's engine process: the database, the desk's RPC on a loopback port for the shell (with a
 * per-start session token, as in the browser mode), the local REST API as the desk's settings say, and
 * the background housekeeping. It imports no Electron: it runs on Node in development and on Electron run
 * as Node in the packaged app.
 */

export interface DesktopEngineOptions {
  dbPath: string;
  /** Prints a PDF file through the shell; null where no shell listens (the page gets the PDF instead). */
  print: ElectronPrinter | null;
  log: (line: string) => void;
  /** Backup schedule (default hourly; 0 turns it off). */
  backupIntervalMs?: number;
}

export interface RunningDesktopEngine {
  rpcUrl: string;
  sessionToken: string;
  engine: Engine;
  apiUrl(): string | null;
  close(): Promise<void>;
}

export async function startDesktopEngine(options: DesktopEngineOptions): Promise<RunningDesktopEngine> {
  const engine = Engine.open(options.dbPath);
  let rpcServer: FastifyInstance | null = null;
  let api: { server: FastifyInstance; url: string } | null = null;
  let housekeeping: { stop(): void } | null = null;
  let printQueue: { stop(): Promise<void> } | null = null;
  const sync = new DeskLink(engine, { log: options.log });
  try {
    engine.command((ctx) => ensureDefaultOrganizer(ctx), 'desk');
    const { seedDemoIfEmpty } = await import('../demo/seed');
    engine.command((ctx) => seedDemoIfEmpty(ctx), 'desk');

    // The REST API for scanners and scripts, started, moved or stopped from the desk's settings.
    const applyApiSettings = async (): Promise<void> => {
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
    };

    const printTickets = options.print ? createTicketPrinter(options.print) : null;
    // Tickets, receipts and reports print from the queue; where CUPS is absent (Windows), a system
    // printer prints the PDF with Electron's silent print, through the shell.
    const { PrintQueue } = await import('../printing/queue');
    const queue = new PrintQueue(engine, {
      log: options.log,
      systemPrint: printTickets
        ? (pdf, printerName, title) =>
            printTickets(pdf, title, { mode: 'silent', printer: printerName }).then(() => undefined)
        : undefined,
    });
    printQueue = queue;
    queue.start();
    const rpc = createDeskRpc({
      engine,
      printQueue: queue,
      sync,
      mode: 'electron',
      databasePath: options.dbPath,
      apiUrl: () => api?.url ?? null,
      onSettingsChanged: applyApiSettings,
      // Straight to the chosen printer when one is set, else through the system's print dialog.
      printTickets: printTickets
        ? async (pdf, name) => {
            const printer = readDeskSettings(engine.db).printer.name;
            await printTickets(pdf, name, { mode: printer ? 'silent' : 'dialog', printer });
          }
        : undefined,
      actor: 'desk',
    });

    const sessionToken = newSessionToken();
    const server = Fastify({ bodyLimit: 16 * 1024 * 1024, return503OnClosing: true });
    rpcServer = server;
    // Answers only to its own loopback names, as the browser mode's server does.
    let origins: string[] = [];
    registerDeskRoutes(server, { rpc, sessionToken, rendererDir: null, origins: () => origins });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const address = server.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    origins = serverOrigins('127.0.0.1', port);

    try {
      await applyApiSettings();
    } catch (e) {
      options.log(`The local REST API did not start: ${(e as Error).message}`);
    }
    housekeeping = await startHousekeeping(engine, {
      dbPath: options.dbPath,
      backupIntervalMs: options.backupIntervalMs,
      log: options.log,
    });
    sync.start();
    // In the background, so the first sale's ticket does not wait for the fonts to be read.
    void prepareTicketRendering();

    return {
      rpcUrl: `http://127.0.0.1:${port}/rpc/`,
      sessionToken,
      engine,
      apiUrl: () => api?.url ?? null,
      async close() {
        housekeeping?.stop();
        await sync.stop();
        await printQueue?.stop();
        await api?.server.close();
        await server.close();
        engine.close();
      },
    };
  } catch (e) {
    housekeeping?.stop();
    await sync.stop();
    await printQueue?.stop();
    await (api as { server: FastifyInstance } | null)?.server.close();
    await rpcServer?.close();
    engine.close();
    throw e;
  }
}
