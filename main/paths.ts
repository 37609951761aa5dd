import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Guichet';

/** The app's user-data folder, as Electron's `app.getPath('userData')` names it on each platform. */
export function userDataDir(): string {
  if (process.env.GUICHET_HOME) return process.env.GUICHET_HOME;
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

/** The database the desk uses unless told otherwise (`--db` or GUICHET_DB). */
export function defaultDatabasePath(): string {
  return process.env.GUICHET_DB ?? join(userDataDir(), 'guichet.sqlite');
}
