import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../api/server';
import { OffsetClock } from '../engine/clock';
import { Engine } from '../engine/engine';
import { ensureDefaultOrganizer } from '../engine/organizers';
import { prepareTicketRendering } from '../engine/tickets';
import { startHousekeeping } from './housekeeping';
import { registerTestClock } from './test-clock';

export interface ServeOptions {
  dbPath: string;
  host: string;
  port: number;
  /** Add the demo event when the database has no event yet. */
  seedDemo: boolean;
  log: (line: string) => void;
  /** Serve the desk UI and its RPC (default true). */
  desk?: boolean;
  /** Back up the database this often (default hourly; 0 turns the schedule off). */
  backupIntervalMs?: number;
  /**
   * For end-to-end tests: the engine's clock can be moved forward with `POST /test/clock`
   * (`{ "advanceMs": n }`), so a reservation or payment term runs out without waiting for it.
   */
  testClock?: boolean;
}

export interface RunningServer {
  url: string;
  engine: Engine;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Opens the database, starts the REST API (and, where built, the desk UI) and says where it listens. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const testClock = options.testClock ? new OffsetClock() : null;
  const engine = Engine.open(options.dbPath, testClock ? { clock: testClock } : {});
  engine.command((ctx) => ensureDefaultOrganizer(ctx), 'serve');
  if (options.seedDemo) {
    const { seedDemoIfEmpty } = await import('../demo/seed');
    engine.command((ctx) => seedDemoIfEmpty(ctx), 'serve');
  }
  const { createDeskRpc } = await import('../rpc/index');
  const { registerDeskRoutes, newSessionToken, serverOrigins } = await import('../rpc/http');
  const { lanAddresses } = await import('../api/lan');
  const { ensureRenderer } = await import('../rpc/build');
  const rendererDir = options.desk === false ? null : await ensureRenderer(undefined, options.log);
  let url = '';
  // Tickets, receipts and reports print from the queue on the machine this server runs on.
  const { PrintQueue } = await import('../printing/queue');
  const printQueue = new PrintQueue(engine, { log: options.log });
  // A desk connected to a pretix server or a hub uploads its sales and keeps its allotments from here.
  const { DeskLink } = await import('../sync/desk-link');
  const sync = new DeskLink(engine, { log: options.log });
  const rpc = createDeskRpc({
    printQueue,
    sync,
    engine,
    mode: 'browser',
    databasePath: options.dbPath,
    apiUrl: () => (url ? `${url}api/v1/` : null),
    actor: 'desk',
  });
  const sessionToken = newSessionToken();
  let origins: string[] = [];
  const app = await buildApiServer({
    engine,
    extend: (server) => {
      registerDeskRoutes(server, { rpc, sessionToken, rendererDir, origins: () => origins });
      if (testClock) registerTestClock(server, testClock);
    },
  });
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  origins = serverOrigins(options.host, port, lanAddresses());
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  url = `http://${shownHost}:${port}/`;
  options.log(`Guichet is serving ${options.dbPath} at ${url}`);
  printQueue.start();
  sync.start();
  // In the background, so the first sale's ticket does not wait for the fonts to be read.
  void prepareTicketRendering();
  const housekeeping = await startHousekeeping(engine, {
    dbPath: options.dbPath,
    backupIntervalMs: options.backupIntervalMs,
    log: options.log,
  });
  return {
    url,
    engine,
    app,
    async close() {
      housekeeping.stop();
      await sync.stop();
      await printQueue.stop();
      await app.close();
      engine.close();
    },
  };
}
