import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import { allAppSettings, upsertAppSetting } from '../db/queries/app-settings';

/** The languages the desk speaks. */
export type DeskLocale = 'en' | 'de';

/** This installation's preferences: the desk's language, its local API, printer, name and quick sell. */
export interface DeskSettings {
  locale: DeskLocale;
  api: { enabled: boolean; host: string; port: number };
  printer: { name: string; paper: 'a4' | 'letter' | '80mm' | 'thermal-2x5.5in' };
  backupFolder: string | null;
  /** This desk's name, shown in the header and on every receipt and report. */
  deskName: string;
  /** Item sold by the quick-sell key (one anonymous ticket paid in cash). */
  quickSell: {
    eventId: number;
    subeventId: number | null;
    itemId: number;
    variationId: number | null;
    name: string;
  } | null;
  /** Print each desk sale's and refund's receipt on the receipts printer by itself. */
  printReceipts: boolean;
}

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
export function readDeskSettings(db: ReadableDB): DeskSettings {
  const stored: Record<string, unknown> = {};
  for (const r of allAppSettings(db)) stored[r.key] = JSON.parse(r.value);
  return { ...DEFAULT_DESK_SETTINGS, ...(stored as Partial<DeskSettings>) };
}

/** This installation's desk name, which every shift, receipt and report carries. */
export function deskName(db: ReadableDB): string {
  return readDeskSettings(db).deskName;
}

/** Engine command: stores the changed keys and writes one audit row naming them. */
export function updateDeskSettings(ctx: EngineContext, change: Partial<DeskSettings>): DeskSettings {
  const keys = Object.keys(change) as (keyof DeskSettings)[];
  for (const key of keys) upsertAppSetting(ctx.db, key, JSON.stringify(change[key] ?? null));
  if (keys.length) {
    ctx.audit({ objectType: 'app_settings', actionType: 'guichet.desk.settings.changed', data: { keys } });
  }
  return readDeskSettings(ctx.db);
}
