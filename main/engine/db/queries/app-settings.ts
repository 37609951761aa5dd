import type { WritableDB } from '../handles';
import type { AppSettingRow } from '../rows';
import { readAll } from './statements';

/** The installation's preferences, one JSON value per key. */
export const allAppSettings = readAll<[], AppSettingRow>('SELECT key, value FROM app_settings');

export function upsertAppSetting(db: WritableDB, key: string, value: string): void {
  db.prepare(
    'INSERT INTO app_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}
