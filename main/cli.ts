import { parseArgs } from 'node:util';
import { Engine } from './engine/engine';
import { createApiToken, listApiTokens, revokeApiToken, TOKEN_SCOPES, type TokenScope } from './engine/auth';
import { ensureDefaultOrganizer } from './engine/organizers';
import { isEngineError } from './engine/errors';
import { defaultDatabasePath } from './paths';
import { startServer } from './server/serve';

const USAGE = `Usage: guichet <command> [options]

Commands:
  serve        --db <file> [--host 127.0.0.1] [--port 8787]   run the engine, REST API and desk UI
               [--test-clock]   (end-to-end tests) POST /test/clock moves the clock forward
  token create --db <file> --name <name> [--scope all|read|checkin]   print a new API token
  token list   --db <file>                                     list API tokens
  token revoke --db <file> --id <id>                           revoke an API token
  seed-demo    --db <file>                                     add the demo event with orders
  backup       --db <file> --to <folder> [--keep 10]           online backup, keeping the newest N
  restore      --db <file> --from <backup.sqlite>              replace the database with a backup
  export       --db <file> --format csv|json [--event <slug>] [--out <file>]   export orders
  ticket-preview --layout default|<file.json> [--paper a4|letter|80mm|thermal-2x5.5in] --out <file.pdf> [--png]
                                                               a layout rendered with sample data
  tickets export --db <file> --event <slug> --out <file.pdf> [--orders CODE,...] [--subevent <id>] [--paper ...]
                                                               every paid ticket in one PDF, with progress
  journal verify --db <file>                                   recompute the till journal's hash chain

--db defaults to ${defaultDatabasePath()}`;

export type Out = { out: (line: string) => void; err: (line: string) => void };
const console_: Out = {
  out: (l) => process.stdout.write(l + '\n'),
  err: (l) => process.stderr.write(l + '\n'),
};

function openEngine(db: string | undefined): Engine {
  const engine = Engine.open(db ?? defaultDatabasePath());
  engine.command((ctx) => ensureDefaultOrganizer(ctx), 'cli');
  return engine;
}

export async function main(argv: string[], io: Out = console_): Promise<number> {
  const [command, ...rest] = argv;
  const sub =
    command === 'token' || command === 'tickets' || command === 'journal' ? rest.shift() : undefined;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        db: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        name: { type: 'string' },
        scope: { type: 'string' },
        id: { type: 'string' },
        to: { type: 'string' },
        from: { type: 'string' },
        keep: { type: 'string' },
        format: { type: 'string' },
        event: { type: 'string' },
        out: { type: 'string' },
        layout: { type: 'string' },
        paper: { type: 'string' },
        png: { type: 'boolean' },
        orders: { type: 'string' },
        subevent: { type: 'string' },
        'no-demo': { type: 'boolean' },
        'test-clock': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    io.err((e as Error).message);
    io.err(USAGE);
    return 2;
  }
  const db = values.db as string | undefined;
  try {
    switch (command) {
      case 'serve': {
        const port = values.port === undefined ? 8787 : Number(values.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          io.err(`Invalid port: ${String(values.port)}`);
          return 2;
        }
        const server = await startServer({
          dbPath: db ?? defaultDatabasePath(),
          host: (values.host as string | undefined) ?? '127.0.0.1',
          port,
          seedDemo: !values['no-demo'],
          testClock: values['test-clock'] === true,
          log: io.out,
        });
        await new Promise<void>((resolve) => {
          const stop = () => {
            void server.close().then(resolve);
          };
          process.once('SIGTERM', stop);
          process.once('SIGINT', stop);
        });
        return 0;
      }
      case 'token': {
        const engine = openEngine(db);
        try {
          if (sub === 'create') {
            const scope = (values.scope as string | undefined) ?? 'all';
            if (!TOKEN_SCOPES.includes(scope as TokenScope)) {
              io.err(`Unknown scope "${scope}": use one of ${TOKEN_SCOPES.join(', ')}.`);
              return 2;
            }
            if (!values.name) {
              io.err('token create needs --name <name>.');
              return 2;
            }
            const { token } = engine.command(
              (ctx) =>
                createApiToken(ctx, {
                  organizerId: ensureDefaultOrganizer(ctx).id,
                  name: values.name as string,
                  scope: scope as TokenScope,
                }),
              'cli',
            );
            io.out(token);
            return 0;
          }
          if (sub === 'list') {
            for (const t of listApiTokens(engine.db)) {
              io.out(
                `${t.id}\t${t.name}\t${t.scope}\t${t.created}\t${t.revoked_at ? 'revoked ' + t.revoked_at : 'active'}`,
              );
            }
            return 0;
          }
          if (sub === 'revoke') {
            const id = Number(values.id);
            if (!Number.isInteger(id)) {
              io.err('token revoke needs --id <id>.');
              return 2;
            }
            engine.command((ctx) => revokeApiToken(ctx, id), 'cli');
            io.out(`Token ${id} revoked.`);
            return 0;
          }
          io.err(USAGE);
          return 2;
        } finally {
          engine.close();
        }
      }
      case 'seed-demo': {
        const engine = openEngine(db);
        try {
          const { seedDemo } = await import('./demo/seed');
          const result = engine.command((ctx) => seedDemo(ctx), 'cli');
          io.out(`Demo event "${result.eventSlug}" ready with ${result.orders} orders.`);
          return 0;
        } finally {
          engine.close();
        }
      }
      case 'backup':
      case 'restore':
      case 'export': {
        const { runDataCommand } = await import('./data-commands');
        return await runDataCommand(command, { ...values, db: db ?? defaultDatabasePath() }, io);
      }
      case 'ticket-preview': {
        const { runTicketPreview } = await import('./ticket-commands');
        return await runTicketPreview(values, io);
      }
      case 'tickets': {
        const { runTicketsCommand } = await import('./ticket-commands');
        return await runTicketsCommand(sub, { ...values, db: db ?? defaultDatabasePath() }, io);
      }
      case 'journal': {
        const { runJournalCommand } = await import('./journal-commands');
        return runJournalCommand(sub, db ?? defaultDatabasePath(), io);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.err(`Unknown command "${command}".`);
        io.err(USAGE);
        return 2;
    }
  } catch (e) {
    if (isEngineError(e)) {
      io.err(e.message);
      return 1;
    }
    io.err(`guichet: ${(e as Error).message}`);
    return 1;
  }
}
