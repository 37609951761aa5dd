import { randomUUID } from 'node:crypto';
import type { Engine } from '../engine/engine';
import type { JsonValue } from '../engine/json';
import {
  confirmUpload,
  finishPull,
  getAllotment,
  importServerCatalog,
  getConnection,
  lastPull,
  lowerHeld,
  nextDue,
  planAllotment,
  recordContact,
  recordHeld,
  recordSync,
  recordUnreachable,
  refundComment,
  refuseUpload,
  replacePulledList,
  resendUnderNewKey,
  retryLater,
  saveConnection,
  sentIdempotencyKey,
  storePulledPage,
  uploadsOfOrder,
  type AllotmentRow,
  type OutboxRow,
  type SyncAuthScheme,
  type SyncConnectionRow,
} from '../engine/sync';
import { CATALOG_LISTS, parseServerCatalog, type CatalogList } from './server-schemas';
import { call, isTransient, reasonOf, Unreachable, type ServerAnswer, type ServerAuth } from './http';

interface Voucher {
  id: number;
  code: string;
  max_usages: number;
  redeemed: number;
}

export class SyncError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}

export interface HardwareInfo {
  hardware_brand: string;
  hardware_model: string;
  os_name: string;
  os_version: string;
  software_brand: string;
  software_version: string;
}

/** Pairs the desk as a pretix device (`POST /api/v1/device/initialize`) and keeps its device token. */
export async function connectByDevicePairing(
  engine: Engine,
  input: { baseUrl: string; setupToken: string; event: string; hardware: HardwareInfo },
): Promise<SyncConnectionRow> {
  const answer = await call({ baseUrl: input.baseUrl }, 'POST', 'api/v1/device/initialize', {
    body: { token: input.setupToken, ...input.hardware },
  });
  if (answer.status !== 200) throw new SyncError(reasonOf(answer), answer.status);
  const device = answer.body as { organizer: string; device_id: number; api_token: string };
  return engine.command((ctx) =>
    saveConnection(ctx, {
      base_url: input.baseUrl,
      organizer: device.organizer,
      event: input.event,
      auth_scheme: 'Device',
      api_token: device.api_token,
      device_id: device.device_id,
    }),
  );
}

/** Connects with a team API token; checks it can read the event before keeping it. */
export async function connectByToken(
  engine: Engine,
  input: { baseUrl: string; token: string; organizer: string; event: string },
): Promise<SyncConnectionRow> {
  const auth: ServerAuth = { baseUrl: input.baseUrl, scheme: 'Token', token: input.token };
  const answer = await call(auth, 'GET', `api/v1/organizers/${input.organizer}/events/${input.event}/`);
  if (answer.status !== 200) throw new SyncError(reasonOf(answer), answer.status);
  return engine.command((ctx) =>
    saveConnection(ctx, {
      base_url: input.baseUrl,
      organizer: input.organizer,
      event: input.event,
      auth_scheme: 'Token',
      api_token: input.token,
      device_id: null,
    }),
  );
}

/** The server's words when it still runs (or ran, and died while running) a call with the same key. */
const CONCURRENT_KEY = 'Concurrent request with idempotency key.';
/** pretix's words when an order code is taken (`OrderCreateSerializer.validate_code`). */
const CODE_IN_USE = 'This order code is already in use.';
/** How often the time of the last answer is written down while the server keeps answering. */
const CONTACT_NOTE_MS = 5_000;

interface QuotaAvailabilityAnswer {
  total_size: number | null;
  paid_orders: number;
  pending_orders: number;
  blocking_vouchers: number;
  cart_positions: number;
}

interface ServerOrder {
  code: string;
  status: string;
  positions: { id: number; secret: string }[];
}

/** The server answered a read-back with an error that may pass (5xx): the call is tried again later. */
class ServerTrouble extends Error {}

/**
 * Refusals after which the server may have done the call already (its answer was lost, or someone did
 * the same at the server): the desk reads the order back before calling it a refusal.
 */
const SETTLED_BY_THE_ORDER: Record<string, (status: number, reason: string) => boolean> = {
  order: (_status, reason) => reason.includes(CODE_IN_USE),
  cancel: (status) => status === 400,
  position_cancel: (status) => status === 400 || status === 404,
};

type UploadOutcome = 'done' | 'refused' | 'retry';

/** A desk's link to its server, read from the desk's database; every method is safe to repeat. */
export class SyncClient {
  /** Whether the server answered the last call; undefined until the first call after the desk started. */
  private reachable: boolean | undefined;
  private contactNoted = 0;

  /** `timeoutMs`: how long a call may wait for its answer before it counts as unreachable (default 30 s). */
  constructor(
    private readonly engine: Engine,
    private readonly options: { timeoutMs?: number } = {},
  ) {}

  private connection(): SyncConnectionRow {
    const c = getConnection(this.engine.db);
    if (!c) throw new SyncError('This desk is not connected to a server.');
    return c;
  }

  private auth(): ServerAuth {
    const c = this.connection();
    return { baseUrl: c.base_url, scheme: c.auth_scheme as SyncAuthScheme, token: c.api_token };
  }

  /** `/api/v1/organizers/<org>/events/<event>/` */
  eventPath(): string {
    const c = this.connection();
    return `api/v1/organizers/${encodeURIComponent(c.organizer)}/events/${encodeURIComponent(c.event)}/`;
  }

  /**
   * Every call goes through here, so the desk knows whether its server answers. The first answer after
   * the desk started, or after the server could not be reached, makes uploads waiting out a backoff due
   * at once: a desk that comes back uploads its sales promptly.
   */
  private async send(
    method: string,
    path: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<ServerAnswer> {
    let answer: ServerAnswer;
    try {
      answer = await call(this.auth(), method, path, {
        body,
        idempotencyKey,
        timeoutMs: this.options.timeoutMs,
      });
    } catch (e) {
      if (e instanceof Unreachable && this.reachable !== false) {
        this.reachable = false;
        this.engine.command((ctx) => recordUnreachable(ctx));
      }
      throw e;
    }
    const reconnected = this.reachable !== true;
    const now = this.engine.clock.now().getTime();
    if (reconnected || now - this.contactNoted >= CONTACT_NOTE_MS) {
      this.reachable = true;
      this.contactNoted = now;
      this.engine.command((ctx) => recordContact(ctx, { reconnected }));
    }
    return answer;
  }

  /** Asks the server for the event: true when it answers (and waiting uploads are then due at once). */
  async checkConnection(): Promise<boolean> {
    try {
      const answer = await this.send('GET', this.eventPath());
      return answer.status === 200;
    } catch (e) {
      if (e instanceof Unreachable) return false;
      throw e;
    }
  }

  /**
   * Reads the server's event and its catalog lists whole, then, in one transaction, keeps them as the
   * desk's copy and imports them as the desk's own catalog (updating what an earlier import made).
   * Orders are pulled incrementally: the `X-Page-Generated` of their last complete pull is sent as
   * `modified_since`, and the new value is kept only once the last page is stored.
   */
  async pull(): Promise<{ resource: string; received: number }[]> {
    const out: { resource: string; received: number }[] = [];
    const event = await this.send('GET', this.eventPath());
    if (event.status !== 200) throw new SyncError(reasonOf(event), event.status);
    const lists = {} as Record<CatalogList, unknown[]>;
    for (const resource of Object.keys(CATALOG_LISTS) as CatalogList[]) {
      const results: unknown[] = [];
      await this.readPages(resource, undefined, (page) => results.push(...page));
      lists[resource] = results;
      out.push({ resource, received: results.length });
    }
    const { organizer } = this.connection();
    const catalog = parseServerCatalog(organizer, event.body, lists);
    this.engine.command((ctx) => {
      replacePulledList(ctx, {
        resource: 'event',
        results: [event.body as { slug?: unknown }],
        idField: 'slug',
      });
      for (const resource of Object.keys(lists) as CatalogList[]) {
        replacePulledList(ctx, { resource, results: lists[resource] as { id?: unknown }[] });
      }
      importServerCatalog(ctx, catalog);
    });
    let received = 0;
    const since = lastPull(this.engine.db, 'orders');
    const generated = await this.readPages('orders', since, (page) => {
      received += page.length;
      this.engine.command((ctx) =>
        storePulledPage(ctx, { resource: 'orders', results: page as { code?: unknown }[], idField: 'code' }),
      );
    });
    if (generated)
      this.engine.command((ctx) => finishPull(ctx, { resource: 'orders', pageGenerated: generated }));
    out.push({ resource: 'orders', received });
    this.engine.command((ctx) => recordSync(ctx));
    return out;
  }

  /** Reads a list page by page; returns the first page's `X-Page-Generated`. */
  private async readPages(
    resource: string,
    since: string | undefined,
    onPage: (results: unknown[]) => void,
  ): Promise<string | null> {
    let url: string | null = `${this.eventPath()}${resource}/?page=1${
      since ? `&modified_since=${encodeURIComponent(since)}` : ''
    }`;
    let generated: string | null = null;
    while (url) {
      const answer = await this.send('GET', url);
      // an event that is not a series has no dates to list
      if (answer.status === 404 && resource === 'subevents') break;
      if (answer.status !== 200) throw new SyncError(reasonOf(answer), answer.status);
      generated ??= answer.headers.get('x-page-generated');
      const page = answer.body as { results: unknown[]; next: string | null };
      onPage(page.results);
      url = page.next;
    }
    return generated;
  }

  /** Sets how many places of a quota this desk wants to hold, then tops up or gives back to that. */
  async setAllotment(quotaId: number, target: number): Promise<AllotmentRow> {
    const code = `DESK-${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
    this.engine.command((ctx) => planAllotment(ctx, { quotaId, voucherCode: code, target }));
    return this.balance(quotaId);
  }

  /** Finds the desk's voucher on the server (it may have been created by a call whose answer was lost). */
  private async findVoucher(a: AllotmentRow): Promise<Voucher | undefined> {
    const answer = await this.send(
      'GET',
      `${this.eventPath()}vouchers/?code=${encodeURIComponent(a.voucher_code)}`,
    );
    if (answer.status !== 200) throw new SyncError(reasonOf(answer), answer.status);
    const found = (answer.body as { results: Voucher[] }).results.find((v) => v.code === a.voucher_code);
    return found;
  }

  /**
   * Moves the allotment towards its target. Giving back lowers the desk's own count first, then the
   * voucher. Topping up first reads what the quota has left and asks for no more than that, then raises
   * the voucher (or creates it) and reads the availability again: pretix checks a blocking voucher against
   * its quota only when it is created, and only for one place (`Voucher.clean_quota_check(full_data, 1,
   * …)`), never when `max_usages` grows, so two desks topping up at once can block more than the quota
   * holds. The desk then lowers its voucher by the overdraft and counts as held only what is left; an
   * answer lost on the way is found again by reading the voucher back by its code.
   */
  async balance(quotaId: number): Promise<AllotmentRow> {
    let a = getAllotment(this.engine.db, quotaId);
    if (!a) throw new SyncError('This desk holds no places of that quota.');
    const goal = Math.max(a.target, a.sold);
    if (goal < a.held) {
      const keep = Math.max(0, a.target - a.sold);
      a = this.engine.command((ctx) => lowerHeld(ctx, { quotaId, keep }));
    }
    let voucher = await this.findVoucher(a);
    const current = voucher?.max_usages ?? 0;
    let wanted = Math.max(goal, a.held);
    if (wanted > current) {
      const left = await this.quotaLeft(quotaId);
      wanted = Math.max(a.held, current + Math.min(wanted - current, Math.max(0, left)));
    }
    if (!voucher) {
      if (wanted === 0) return a;
      const answer = await this.send('POST', `${this.eventPath()}vouchers/`, {
        code: a.voucher_code,
        max_usages: wanted,
        block_quota: true,
        allow_ignore_quota: false,
        price_mode: 'none',
        quota: quotaId,
        comment: 'Places held by a box-office desk',
      });
      if (answer.status === 400) return a; // sold out: pretix refuses a blocking voucher on a full quota
      if (answer.status !== 201) throw new SyncError(reasonOf(answer), answer.status);
      voucher = answer.body as Voucher;
    } else if (voucher.max_usages !== wanted) {
      voucher = await this.patchVoucher(voucher.id, wanted);
    }
    if (voucher.max_usages > a.held) voucher = await this.withinQuota(quotaId, voucher, a.held);
    const held = voucher.max_usages;
    const voucherId = voucher.id;
    return this.engine.command((ctx) => recordHeld(ctx, { quotaId, voucherId, held }));
  }

  private async patchVoucher(id: number, maxUsages: number): Promise<Voucher> {
    const answer = await this.send('PATCH', `${this.eventPath()}vouchers/${id}/`, { max_usages: maxUsages });
    if (answer.status !== 200) throw new SyncError(reasonOf(answer), answer.status);
    return answer.body as Voucher;
  }

  /** Places of the quota nobody holds or has bought (negative when blocking vouchers overdraw it). */
  private async quotaLeft(quotaId: number): Promise<number> {
    const answer = await this.send('GET', `${this.eventPath()}quotas/${quotaId}/availability/`);
    if (answer.status !== 200) throw new SyncError(reasonOf(answer), answer.status);
    const q = answer.body as QuotaAvailabilityAnswer;
    if (q.total_size === null) return Number.POSITIVE_INFINITY;
    return q.total_size - q.paid_orders - q.pending_orders - q.blocking_vouchers - q.cart_positions;
  }

  /** Lowers the voucher (never below `floor`, what the desk already counts as its own) until the quota is not overdrawn. */
  private async withinQuota(quotaId: number, voucher: Voucher, floor: number): Promise<Voucher> {
    const left = await this.quotaLeft(quotaId);
    if (left >= 0) return voucher;
    return this.patchVoucher(voucher.id, Math.max(floor, voucher.max_usages + left));
  }

  /**
   * Sends due outbox calls in order until none is due. A confirmed call (2xx, or the server's replay of
   * it) is marked done; a refusal stops that order with the server's reason; anything else is retried
   * with backoff. Returns what happened to each call it tried.
   */
  async flush(limit = Infinity): Promise<{ seq: number; outcome: UploadOutcome }[]> {
    const log: { seq: number; outcome: UploadOutcome }[] = [];
    while (log.length < limit) {
      const now = this.engine.clock.now();
      const row = nextDue(this.engine.db, now);
      if (!row) break;
      const outcome = await this.upload(row);
      log.push({ seq: row.seq, outcome });
      if (outcome === 'retry') break;
    }
    if (log.some((l) => l.outcome === 'done')) this.engine.command((ctx) => recordSync(ctx));
    return log;
  }

  private async upload(row: OutboxRow): Promise<UploadOutcome> {
    let answer: ServerAnswer;
    try {
      const path = await this.pathOf(row);
      if (path === null) return this.settle(row, null, 'The ticket is no longer on the server.');
      const body = JSON.parse(row.body) as unknown;
      answer = await this.send(row.method, path, body ?? undefined, sentIdempotencyKey(row));
    } catch (e) {
      if (!(e instanceof Unreachable)) throw e;
      this.engine.command((ctx) => retryLater(ctx, { seq: row.seq, reason: e.message }));
      return 'retry';
    }
    if (answer.status >= 200 && answer.status < 300) return this.confirm(row, answer.body);
    const reason = reasonOf(answer);
    if (answer.status === 409 || SETTLED_BY_THE_ORDER[row.kind]?.(answer.status, reason)) {
      return this.settle(row, answer, reason);
    }
    if (isTransient(answer.status) || answer.status === 401 || answer.status === 403) {
      this.engine.command((ctx) => retryLater(ctx, { seq: row.seq, reason }));
      return 'retry';
    }
    return this.refuse(row, reason, answer.body);
  }

  /**
   * The call's path. A ticket canceled at the desk is named by the server's id of its position, which the
   * desk learns from the server's answer to the sale (or, if that answer was not kept, from the order).
   * Null when the server's order no longer has that ticket.
   */
  private async pathOf(row: OutboxRow): Promise<string | null> {
    if (!row.position_secret) return row.path;
    const sale = uploadsOfOrder(this.engine.db, row.order_code!).find((r) => r.kind === 'order');
    const answered = sale?.response ? (JSON.parse(sale.response) as Partial<ServerOrder>) : undefined;
    let position = answered?.positions?.find((p) => p.secret === row.position_secret);
    if (!position) {
      const found = await this.send('GET', this.orderPath(row));
      if (found.status === 200) {
        position = (found.body as ServerOrder).positions.find((p) => p.secret === row.position_secret);
      }
      if (!position) return null;
    }
    return row.path.replace('{position}', String(position.id));
  }

  private orderPath(row: OutboxRow): string {
    return `${this.eventPath()}orders/${encodeURIComponent(row.order_code!)}/`;
  }

  private confirm(row: OutboxRow, response: unknown): UploadOutcome {
    // an answer's body is what JSON.parse gave (or the text of a page that was no JSON)
    this.engine.command((ctx) => confirmUpload(ctx, { seq: row.seq, response: response as JsonValue }));
    return 'done';
  }

  private refuse(row: OutboxRow, reason: string, response: unknown): UploadOutcome {
    this.engine.command((ctx) =>
      refuseUpload(ctx, { seq: row.seq, reason, response: response as JsonValue }),
    );
    return 'refused';
  }

  /**
   * Whether the server already did what this call asks, read back from the order the desk's own code
   * names: the sale's order with this sale's tickets, the order canceled, the ticket no longer in the
   * order, the refund with the desk's note. Undefined when it did not; `conflict` when the server has an
   * order with this code but other tickets.
   */
  private async doneOnServer(row: OutboxRow): Promise<{ done: boolean; body: unknown } | 'conflict'> {
    if (row.kind === 'refund') {
      const found = await this.send('GET', `${this.orderPath(row)}refunds/`);
      if (found.status !== 200) return { done: false, body: found.body };
      const note = refundComment(row.idempotency_key);
      const refund = (found.body as { results: { comment?: string | null }[] }).results.find(
        (r) => r.comment === note,
      );
      return { done: refund !== undefined, body: refund };
    }
    const found = await this.send('GET', this.orderPath(row));
    if (found.status === 404) return { done: false, body: found.body };
    if (found.status !== 200) throw new ServerTrouble(reasonOf(found));
    const order = found.body as ServerOrder;
    if (row.kind === 'cancel') return { done: order.status === 'c', body: order };
    if (row.kind === 'position_cancel') {
      return { done: !order.positions.some((p) => p.secret === row.position_secret), body: order };
    }
    const ours = (JSON.parse(row.body) as ServerOrder).positions.map((p) => p.secret).sort();
    const theirs = order.positions.map((p) => p.secret).sort();
    return JSON.stringify(ours) === JSON.stringify(theirs) ? { done: true, body: order } : 'conflict';
  }

  /**
   * The server either still runs a call with this key (409), or refused a call it may have done already
   * (an order code in use, an order canceled or a ticket gone already). The desk's own order code settles
   * it: when the server's order shows the call done (the server did it and then stopped before answering,
   * or its answer was lost), the upload is done. When it does not and the key stayed locked past pretix's
   * `Retry-After`, the request holding it died with the server (pretix never unlocks such a key): the
   * call goes again under a fresh key; the code, which the server never gives twice, still keeps a sale
   * from being created twice, and a refund is found again by its note.
   */
  private async settle(row: OutboxRow, answer: ServerAnswer | null, reason: string): Promise<UploadOutcome> {
    let found: Awaited<ReturnType<SyncClient['doneOnServer']>>;
    try {
      found = await this.doneOnServer(row);
    } catch (e) {
      if (!(e instanceof Unreachable) && !(e instanceof ServerTrouble)) throw e;
      this.engine.command((ctx) => retryLater(ctx, { seq: row.seq, reason: e.message }));
      return 'retry';
    }
    if (found === 'conflict') {
      return this.refuse(
        row,
        `The server already has an order ${row.order_code} with other tickets than this sale.`,
        null,
      );
    }
    if (found.done) return this.confirm(row, found.body);
    if (answer?.status !== 409) return this.refuse(row, reason, answer?.body ?? null);
    if (row.reason === CONCURRENT_KEY) {
      this.engine.command((ctx) => resendUnderNewKey(ctx, { seq: row.seq, reason }));
    } else {
      const retryAfterMs = Number(answer.headers.get('retry-after') ?? 5) * 1000;
      this.engine.command((ctx) => retryLater(ctx, { seq: row.seq, reason, atLeastMs: retryAfterMs }));
    }
    return 'retry';
  }
}
