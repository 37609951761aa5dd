import type { Engine } from '../engine/engine';

export interface HousekeepingOptions {
  dbPath: string;
  /** Back up the database this often (default hourly; 0 turns the schedule off). */
  backupIntervalMs?: number;
  log: (line: string) => void;
}

/**
 * What a running desk does in the background, in `guichet serve` and in the desktop app alike: hourly
 * backups into the desk's backup folder (newest ten kept) and clearing out long-expired cart reservations.
 */
export async function startHousekeeping(
  engine: Engine,
  options: HousekeepingOptions,
): Promise<{ stop(): void }> {
  const { BackupSchedule } = await import('../engine/backup');
  const { backupFolderOf } = await import('../rpc/methods/settings');
  const interval = options.backupIntervalMs ?? 60 * 60 * 1000;
  const folder = backupFolderOf({
    engine,
    mode: 'browser',
    databasePath: options.dbPath,
    apiUrl: () => null,
    actor: 'backup',
  });
  const schedule =
    interval > 0 && options.dbPath !== ':memory:'
      ? new BackupSchedule(engine.db, folder, {
          clock: engine.clock,
          keep: 10,
          intervalMs: interval,
          onError: (e) => options.log(`Scheduled backup failed: ${e.message}`),
        })
      : undefined;
  schedule?.start();
  // Long-expired cart reservations block nothing but take room; clear them out now and then.
  const { purgeExpiredCarts } = await import('../engine/carts');
  const purge = () => engine.command((ctx) => purgeExpiredCarts(ctx), 'housekeeping');
  purge();
  const purgeTimer = setInterval(purge, 60 * 60 * 1000);
  purgeTimer.unref();
  return {
    stop() {
      schedule?.stop();
      clearInterval(purgeTimer);
    },
  };
}
