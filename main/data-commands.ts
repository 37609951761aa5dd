import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Engine } from './engine/engine';
import { systemClock } from './engine/clock';
import {
  backupDatabase,
  BackupRefused,
  DatabaseInUse,
  exportOrders,
  ordersAsCsv,
  ordersAsJson,
  restoreDatabase,
} from './engine/backup';
import type { Out } from './cli';

type Values = Record<string, string | boolean | undefined> & { db: string };

/** `guichet backup | restore | export`: the database's safety net and its way out. */
export async function runDataCommand(
  command: 'backup' | 'restore' | 'export',
  values: Values,
  io: Out,
): Promise<number> {
  if (command === 'backup') {
    if (typeof values.to !== 'string') {
      io.err('backup needs --to <folder>.');
      return 2;
    }
    const keep = values.keep === undefined ? 10 : Number(values.keep);
    if (!Number.isInteger(keep) || keep < 1) {
      io.err('--keep takes a whole number of at least 1.');
      return 2;
    }
    const engine = Engine.open(values.db);
    try {
      const result = await backupDatabase(engine.db, values.to, { clock: systemClock, keep });
      io.out(`Backup written to ${result.path} (${result.bytes} bytes).`);
      for (const old of result.removed) io.out(`Removed old backup ${old}.`);
      return 0;
    } finally {
      engine.close();
    }
  }
  if (command === 'restore') {
    if (typeof values.from !== 'string') {
      io.err('restore needs --from <backup file>.');
      return 2;
    }
    try {
      const { previous } = restoreDatabase(values.from, values.db);
      io.out(
        `Restored ${values.db} from ${values.from}.${previous ? ` The replaced database is kept as ${previous}.` : ''}`,
      );
      return 0;
    } catch (e) {
      if (e instanceof BackupRefused || e instanceof DatabaseInUse) {
        io.err(e.message);
        return 1;
      }
      throw e;
    }
  }
  const format = values.format ?? 'csv';
  if (format !== 'csv' && format !== 'json') {
    io.err('--format is csv or json.');
    return 2;
  }
  const engine = Engine.open(values.db);
  try {
    const orders = exportOrders(engine.db, {
      eventSlug: typeof values.event === 'string' ? values.event : undefined,
    });
    const chunks = format === 'csv' ? ordersAsCsv(orders) : ordersAsJson(orders);
    if (typeof values.out !== 'string') {
      for (const chunk of chunks) process.stdout.write(chunk);
      return 0;
    }
    const file = createWriteStream(values.out);
    for (const chunk of chunks) if (!file.write(chunk)) await once(file, 'drain');
    file.end();
    await once(file, 'finish');
    io.out(`Orders exported to ${values.out}.`);
    return 0;
  } finally {
    engine.close();
  }
}
