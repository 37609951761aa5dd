import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../api/server';
import { Engine } from '../engine/engine';
import { ensureDefaultOrganizer } from '../engine/organizers/organizers';

export interface ServeOptions {
  dbPath: string;
  host: string;
  port: number;
  /** Add the demo event when the database has no event yet. */
  seedDemo: boolean;
  log: (line: string) => void;
}

export interface RunningServer {
  url: string;
  engine: Engine;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Opens the database, starts the REST API (and, where built, the desk UI) and says where it listens. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const engine = Engine.open(options.dbPath);
  engine.command((ctx) => ensureDefaultOrganizer(ctx), 'serve');
  if (options.seedDemo) {
    const { seedDemoIfEmpty } = await import('../demo/seed');
    engine.command((ctx) => seedDemoIfEmpty(ctx), 'serve');
  }
  const app = await buildApiServer({ engine });
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${shownHost}:${port}/`;
  options.log(`Guichet is serving ${options.dbPath} at ${url}`);
  return {
    url,
    engine,
    app,
    async close() {
      await app.close();
      engine.close();
    },
  };
}
