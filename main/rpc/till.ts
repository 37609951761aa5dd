import type { Database } from 'better-sqlite3';
import { DEMO_CASHIERS } from '../demo/seed';
import { tillSession as tillOfDesk, type TillSession } from '../engine/shifts';

/** The desk's till, with the demo's staff whose PINs the sign-in screen may show. */
export function tillSession(db: Database): TillSession {
  return tillOfDesk(db, DEMO_CASHIERS);
}
