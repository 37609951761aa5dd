import type { ReadableDB, WritableDB } from '../handles';
import type { AppSettingRow } from '../rows';

/** The installation's preferences, one JSON value per key. */
export function allAppSettings(db: ReadableDB): AppSettingRow[] {
  return db.prepare('SELECT key, value FROM app_settings').all() as AppSettingRow[];
}

export function upsertAppSetting(db: WritableDB, key: string, value: string): void {
  db.prepare(
    'INSERT INTO app_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}
