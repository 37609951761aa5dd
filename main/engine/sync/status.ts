import type { ReadableDB } from '../db/handles';
import {
  countOutboxRows,
  findSyncConnection,
  listOutboxRows,
  listSyncAllotments,
  pulledBodies,
} from '../db/queries/sync';
import { i18nText } from '../i18n';

/** A quota of the server's event, named as the desk's copy of the catalog names it. */
export interface SyncQuota {
  quotaId: number;
  /** The quota's name on the server ("Quota 12" before the desk has a copy of it). */
  name: string;
  /** The event, or the date of an event series, the quota counts places of. */
  event: string;
}

/** What the desk shows of its link to the server, for a cashier at a glance and a manager resolving refusals. */
export interface SyncStatus {
  /** The server the desk syncs with; null for a desk that is not connected. */
  server: {
    url: string;
    organizer: string;
    event: string;
    /** The event's name as the server gave it. */
    eventName: string;
    /** `Device`: paired as a pretix device; `Token`: a team API token. */
    scheme: string;
    connected: string;
  } | null;
  /** Whether the server answered the last call: null before the first call. */
  reachable: boolean | null;
  lastContact: string | null;
  unreachableSince: string | null;
  /** The last pull or upload that completed. */
  lastSync: string | null;
  /** Calls still to upload, and calls the server refused (waiting for a manager). */
  outbox: { pending: number; refused: number };
  refused: { seq: number; orderCode: string | null; kind: string; reason: string; created: string }[];
  /** Refused calls a manager dropped: the desk's sale stays, never uploaded. */
  dropped: { seq: number; orderCode: string | null; kind: string; reason: string; dropped: string }[];
  /** The server's quotas in the desk's copy, for choosing what to hold. */
  quotas: SyncQuota[];
  allotments: (SyncQuota & {
    /** Places the desk keeps ready to sell (set by a manager); 0: it gives back what it does not sell. */
    size: number;
    target: number;
    held: number;
    sold: number;
    uploaded: number;
    free: number;
  })[];
}

interface PulledQuota {
  id: number;
  name: string;
  subevent: number | null;
}
interface PulledNamed {
  id?: number;
  slug?: string;
  name: unknown;
  date_from?: string;
}

const text = (v: unknown, locale: string) => i18nText(typeof v === 'string' ? v : JSON.stringify(v), locale);

/** The server's quotas as the desk's copy has them, each with its event (or date) named. */
function quotasOfCopy(db: ReadableDB, locale: string): Map<number, SyncQuota> {
  const parse = <T>(resource: string) => pulledBodies(db, resource).map((b) => JSON.parse(b) as T);
  const event = parse<PulledNamed>('event')[0];
  const eventName = event ? text(event.name, locale) : '';
  const dates = new Map(parse<PulledNamed>('subevents').map((s) => [s.id, s]));
  const out = new Map<number, SyncQuota>();
  for (const q of parse<PulledQuota>('quotas')) {
    const date = q.subevent === null ? undefined : dates.get(q.subevent);
    const dateName = date
      ? `${text(date.name, locale)}${date.date_from ? ` (${date.date_from.slice(0, 10)})` : ''}`
      : '';
    out.set(q.id, { quotaId: q.id, name: q.name, event: dateName || eventName });
  }
  return out;
}

export function syncStatus(db: ReadableDB, locale = 'en'): SyncStatus {
  const c = findSyncConnection(db);
  const quotas = c ? quotasOfCopy(db, locale) : new Map<number, SyncQuota>();
  const event = pulledBodies(db, 'event').map((b) => JSON.parse(b) as PulledNamed)[0];
  return {
    server: c
      ? {
          url: c.base_url,
          organizer: c.organizer,
          event: c.event,
          eventName: event && event.slug === c.event ? text(event.name, locale) : c.event,
          scheme: c.auth_scheme,
          connected: c.connected,
        }
      : null,
    reachable:
      !c || (c.last_contact === null && c.unreachable_since === null) ? null : c.unreachable_since === null,
    lastContact: c?.last_contact ?? null,
    unreachableSince: c?.unreachable_since ?? null,
    lastSync: c?.last_sync ?? null,
    outbox: { pending: countOutboxRows(db, 'pending'), refused: countOutboxRows(db, 'refused') },
    refused: listOutboxRows(db, 'refused').map((r) => ({
      seq: r.seq,
      orderCode: r.order_code,
      kind: r.kind,
      reason: r.reason ?? '',
      created: r.created,
    })),
    dropped: listOutboxRows(db, 'dropped').map((r) => ({
      seq: r.seq,
      orderCode: r.order_code,
      kind: r.kind,
      reason: r.reason ?? '',
      dropped: r.finished ?? r.created,
    })),
    quotas: [...quotas.values()],
    allotments: listSyncAllotments(db).map((a) => ({
      ...(quotas.get(a.quota_id) ?? { quotaId: a.quota_id, name: `Quota ${a.quota_id}`, event: '' }),
      size: a.size,
      target: a.target,
      held: a.held,
      sold: a.sold,
      uploaded: a.uploaded,
      free: a.held - a.sold,
    })),
  };
}
