import type { Database } from 'better-sqlite3';
import type { EngineContext } from '../engine/context';
import type { DeskSettings } from '../../shared/contract';

export const DEFAULT_DESK_SETTINGS: DeskSettings = {
  locale: 'en',
  api: { enabled: true, host: '127.0.0.1', port: 8787 },
  printer: { name: '', paper: 'a4' },
  backupFolder: null,
  deskName: 'Box office 1',
  quickSell: null,
  printReceipts: false,
};

/** The desk's preferences, stored key by key in `app_settings` over the defaults. */
export function readDeskSettings(db: Database): DeskSettings {
  const rows = db.prepare('SELECT key, value FROM app_settings').all() as { key: string; value: string }[];
  const stored: Record<string, unknown> = {};
  for (const r of rows) stored[r.key] = JSON.parse(r.value);
  return { ...DEFAULT_DESK_SETTINGS, ...(stored as Partial<DeskSettings>) };
}

/** Engine command: stores the changed keys and writes one audit row naming them. */
export function updateDeskSettings(ctx: EngineContext, change: Partial<DeskSettings>): DeskSettings {
  const upsert = ctx.db.prepare(
    'INSERT INTO app_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  const keys = Object.keys(change) as (keyof DeskSettings)[];
  for (const key of keys) upsert.run(key, JSON.stringify(change[key] ?? null));
  if (keys.length) {
    ctx.audit({ objectType: 'app_settings', actionType: 'guichet.desk.settings.changed', data: { keys } });
  }
  return readDeskSettings(ctx.db);
}
