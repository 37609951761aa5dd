import { randomUUID } from 'node:crypto';
import { release } from 'node:os';
import type { Engine } from '../engine/engine';
import {
  allotmentsToBalance,
  chooseAllotmentSize,
  disconnect,
  eventApiPath,
  getConnection,
  lastConnection,
  nextDue,
  planAllotment,
  prepareConnection,
  storePulledPage,
  topUpTarget,
  unfinishedBusiness,
  type AllotmentRow,
  type UnfinishedBusiness,
} from '../engine/sync';
import { connectByDevicePairing, connectByToken, SyncClient, SyncError } from './client';
import { call, Unreachable } from './http';

export type ConnectInput =
  | { kind: 'token'; baseUrl: string; organizer: string; event: string; token: string }
  | { kind: 'pairing'; baseUrl: string; event: string; token: string };

export interface DeskLinkOptions {
  log?: (line: string) => void;
  /** Pause between two rounds of the loop (default 1 s). */
  intervalMs?: number;
  /** How often the copy of the server's lists is refreshed (default every minute). */
  pullEveryMs?: number;
  /** How long a call may wait for its answer (default 30 s). */
  timeoutMs?: number;
}

/** After a top-up that got fewer places than wanted, the same quota is asked again this much later. */
const BALANCE_PAUSE_MS = 30_000;
/** While uploads wait out a backoff, the server is asked this often whether it answers again. */
const PROBE_MS = 2_000;
/** Uploads sent per round, so a manager's action is never kept waiting behind a long queue. */
const UPLOADS_PER_ROUND = 20;

/**
 * A desk's link to its server while the desk runs (`guichet serve`, the desktop app's engine): one loop
 * that uploads the outbox, refreshes the copy of the server's lists and keeps each allotment at its size,
 * and the manager's actions that need the server (connect, allotment size, give back). Everything that
 * talks to the server runs one at a time, so a give-back never races a top-up of the same voucher.
 */
export class DeskLink {
  private client: SyncClient;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private queue: Promise<unknown> = Promise.resolve();
  private lastPullAt = 0;
  private lastProbeAt = 0;
  private readonly balanceAfter = new Map<number, number>();
  private lastProblem = '';

  constructor(
    private readonly engine: Engine,
    private readonly options: DeskLinkOptions = {},
  ) {
    this.client = new SyncClient(engine, { timeoutMs: options.timeoutMs });
  }

  /** Starts the loop; it does nothing while the desk is not connected. */
  start(): void {
    this.running = true;
    this.schedule(0);
  }

  /** Stops the loop and waits for a round that is running to end (the loop's timer keeps a process alive until then). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.queue.catch(() => undefined);
  }

  /** Runs a round soon (after a sale, a connection, a retried upload). */
  kick(): void {
    if (this.running) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.exclusive(() => this.round())
        .catch((e: unknown) => this.problem(e))
        .finally(() => {
          if (this.running && !this.timer) this.schedule(this.options.intervalMs ?? 1000);
        });
    }, ms);
  }

  /** One thing at a time with the server. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private problem(e: unknown): void {
    if (e instanceof Unreachable) return; // the status shows since when the server does not answer
    const message = (e as Error).message;
    if (message !== this.lastProblem) this.options.log?.(`Sync: ${message}`);
    this.lastProblem = message;
  }

  /**
   * One round: refresh the copy when due, move allotments, upload what is due, probe a silent server.
   * Each step stands alone: a list the server will not show never keeps the sales from uploading.
   */
  async round(): Promise<void> {
    if (!getConnection(this.engine.db)) return;
    const now = this.engine.clock.now().getTime();
    const pullEvery = this.options.pullEveryMs ?? 60_000;
    if (this.lastPullAt === 0 || now - this.lastPullAt >= pullEvery) {
      this.lastPullAt = now;
      await this.step(
        () => this.client.pull(),
        () => (this.lastPullAt = now - pullEvery + 5_000),
      );
    }
    for (const a of allotmentsToBalance(this.engine.db)) {
      if ((this.balanceAfter.get(a.quota_id) ?? 0) > now) continue;
      const after = await this.step(() => this.moveAllotment(a));
      if (!after || after.held < Math.max(after.target, after.sold))
        this.balanceAfter.set(a.quota_id, now + BALANCE_PAUSE_MS);
    }
    const log = await this.step(() => this.client.flush(UPLOADS_PER_ROUND));
    if (log?.length === UPLOADS_PER_ROUND) this.kick();
    const waiting = this.hasWaitingUploads() && !nextDue(this.engine.db, this.engine.clock.now());
    if (waiting && now - this.lastProbeAt >= PROBE_MS) {
      this.lastProbeAt = now;
      await this.step(() => this.client.checkConnection());
    }
  }

  private async step<T>(work: () => Promise<T>, onFailure?: () => void): Promise<T | undefined> {
    try {
      return await work();
    } catch (e) {
      onFailure?.();
      this.problem(e);
      return undefined;
    }
  }

  private hasWaitingUploads(): boolean {
    return unfinishedBusiness(this.engine.db).uploads > 0;
  }

  private async moveAllotment(a: AllotmentRow): Promise<AllotmentRow> {
    const target = a.size > 0 ? Math.max(a.target, topUpTarget(a)) : a.target;
    if (target !== a.target)
      this.engine.command((ctx) =>
        planAllotment(ctx, { quotaId: a.quota_id, voucherCode: a.voucher_code, target }),
      );
    return this.client.balance(a.quota_id);
  }

  /**
   * Connects the desk (pairing as a pretix device, or with a team API token), reads the event once to name
   * it, and starts syncing. Throws SyncError or Unreachable for the desk to word.
   */
  async connect(input: ConnectInput, manager: string): Promise<void> {
    return this.exclusive(async () => {
      const current = getConnection(this.engine.db);
      if (current)
        throw new SyncError(
          `This desk is already connected to ${current.base_url}. Disconnect it first.`,
          409,
        );
      // A pairing learns its organizer from the server's answer: until then the desk's last one stands in
      // (a pairing token works once, so unfinished work elsewhere is found before it is spent).
      const last = lastConnection(this.engine.db);
      const organizer = input.kind === 'token' ? input.organizer : (last?.organizer ?? '');
      this.engine.command(
        (ctx) => prepareConnection(ctx, { baseUrl: input.baseUrl, organizer, event: input.event }),
        manager,
      );
      if (input.kind === 'token') {
        await connectByToken(this.engine, { ...input, organizer: input.organizer });
      } else {
        await connectByDevicePairing(this.engine, {
          baseUrl: input.baseUrl,
          setupToken: input.token,
          event: input.event,
          hardware: {
            hardware_brand: 'Guichet',
            hardware_model: 'Box-office desk',
            os_name: process.platform,
            os_version: release(),
            software_brand: 'Guichet',
            software_version: process.env.npm_package_version ?? '0.1.0',
          },
        });
      }
      this.client = new SyncClient(this.engine, { timeoutMs: this.options.timeoutMs });
      this.lastPullAt = 0;
      this.balanceAfter.clear();
      await this.readEvent();
    }).finally(() => this.kick());
  }

  /** The event as the server describes it, kept to name it on the desk. */
  private async readEvent(): Promise<void> {
    const c = getConnection(this.engine.db)!;
    const answer = await call(
      { baseUrl: c.base_url, scheme: c.auth_scheme as 'Token' | 'Device', token: c.api_token },
      'GET',
      eventApiPath(c.organizer, c.event),
      { timeoutMs: this.options.timeoutMs },
    );
    if (answer.status === 404)
      throw new SyncError(
        `The desk is connected to organizer “${c.organizer}”, but the server shows it no event “${c.event}”.`,
        404,
      );
    if (answer.status !== 200) return;
    const event = answer.body as { slug: string };
    this.engine.command((ctx) =>
      storePulledPage(ctx, { resource: 'event', results: [event], idField: 'slug' }),
    );
  }

  /** Stops syncing (after a round that is running); what the desk still owes the server stays queued. */
  async disconnect(actor: string): Promise<UnfinishedBusiness> {
    return this.exclusive(async () => this.engine.command((ctx) => disconnect(ctx), actor));
  }

  /**
   * Sets how many places of a quota the desk keeps ready to sell, and moves its voucher there now (0
   * gives back every unsold place). When the server cannot be reached the size is kept and the loop
   * moves the voucher once it answers.
   */
  async setAllotmentSize(quotaId: number, size: number, actor: string): Promise<AllotmentRow> {
    return this.exclusive(async () => {
      const a = this.engine.command(
        (ctx) =>
          chooseAllotmentSize(ctx, {
            quotaId,
            size,
            voucherCode: `DESK-${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`,
          }),
        actor,
      );
      this.balanceAfter.delete(quotaId);
      try {
        return await this.client.balance(a.quota_id);
      } catch (e) {
        if (e instanceof Unreachable) return a;
        throw e;
      }
    });
  }
}
