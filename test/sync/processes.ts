/**
 * Real processes for the sync integration tests: a hub (`guichet serve` on its own database), desks (each
 * test/sync/desk-process.ts on its own database), loopback relays standing for network links that can be
 * cut, and a web shop placing orders straight on the hub's REST API. Everything listens on port 0 of
 * 127.0.0.1, and `stopAll` kills every process a test started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { createApiToken } from '../../main/engine/auth/tokens';
import { Engine } from '../../main/engine/engine';
import { generateOrderCode } from '../../main/engine/ids';
import { ensureDefaultOrganizer } from '../../main/engine/organizers/organizers';
import { listOutbox } from '../../main/engine/sync';
import { call, reasonOf, Unreachable, type ServerAuth } from '../../main/sync/http';
import { fixtureEvent, fixtureItem, fixtureQuota } from '../fixtures/catalog';

const children = new Set<ChildProcess>();

export function stopAll(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.clear();
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * The hub's database: one event `gala`, one item, one quota of `size` (named `quotaName`), events with
 * the `otherEvents` short names, and an API token for the desks.
 */
export function prepareHubDatabase(
  dir: string,
  size: number,
  more: { quotaName?: string; otherEvents?: string[] } = {},
) {
  const dbPath = join(dir, 'hub.sqlite');
  const engine = Engine.open(dbPath);
  const organizerId = engine.command((ctx) => ensureDefaultOrganizer(ctx)).id;
  const token = engine.command((ctx) => createApiToken(ctx, { organizerId, name: 'desks' })).token;
  const eventId = fixtureEvent(engine, organizerId, { slug: 'gala' });
  const item = fixtureItem(engine, eventId, { price: '23.00' });
  const quota = fixtureQuota(engine, eventId, size, { items: [item], name: more.quotaName });
  for (const slug of more.otherEvents ?? []) fixtureEvent(engine, organizerId, { slug });
  engine.close();
  return { dbPath, token, item, quota };
}

/** `guichet serve` on the hub's database; resolves once it says where it listens. */
export class HubProcess {
  child: ChildProcess | undefined;
  port = 0;
  starts = 0;

  constructor(private readonly dbPath: string) {}

  async start(): Promise<void> {
    const child = spawn(
      process.execPath,
      ['bin/guichet.mjs', 'serve', '--db', this.dbPath, '--port', '0', '--no-demo'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.add(child);
    this.child = child;
    this.starts += 1;
    let out = '';
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    this.port = await new Promise<number>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /at http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code, signal) => reject(new Error(`the hub exited (${code ?? signal}): ${out}`)));
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  kill(): Promise<void> {
    return this.end('SIGKILL');
  }

  stop(): Promise<void> {
    return this.end('SIGTERM');
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }
}

/**
 * A loopback TCP relay standing for a network link: `cut()` drops every connection and stops listening,
 * as a pulled cable would; `restore()` listens again on the same port; `target` follows a restarted hub.
 */
export class Relay {
  port = 0;
  target: number;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(target: number) {
    this.target = target;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async open(): Promise<void> {
    const server = createServer((inbound) => {
      const outbound = connect(this.target, '127.0.0.1');
      this.sockets.add(inbound).add(outbound);
      inbound.pipe(outbound).pipe(inbound);
      const drop = () => {
        inbound.destroy();
        outbound.destroy();
        this.sockets.delete(inbound);
        this.sockets.delete(outbound);
      };
      inbound.on('error', drop).on('close', drop);
      outbound.on('error', drop).on('close', drop);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  restore(): Promise<void> {
    return this.open();
  }
}

export type DeskEvent = {
  started?: number;
  held?: number;
  sold?: string | number;
  secret?: string;
  uploading?: string;
  refused?: string[];
  done?: boolean;
};

const DESK_BUNDLE = resolve('node_modules/.cache/guichet-tests/desk-process.mjs');
let bundled: Promise<unknown> | undefined;

/**
 * The desk process as one ES module (its packages stay in node_modules), built once per run: it starts in
 * a fraction of the time TypeScript compiled at each start takes, which matters when desks are killed and
 * started again many times. It finds the migrations through GUICHET_MIGRATIONS_DIR.
 */
export function bundleDeskProcess(): Promise<unknown> {
  bundled ??= build({
    entryPoints: ['test/sync/desk-process.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: DESK_BUNDLE,
    logLevel: 'error',
  });
  return bundled;
}

/** A desk process on its own database; `start()` again after a kill carries on from that database. */
export class DeskProcess {
  child: ChildProcess | undefined;
  readonly events: DeskEvent[] = [];
  exitCode: number | null = null;
  private listeners: ((e: DeskEvent) => void)[] = [];

  constructor(
    readonly dbPath: string,
    private readonly args: {
      url: () => string;
      token: string;
      quota: number;
      item: number;
      allotment: number;
      paceMs: number;
    },
  ) {}

  start(): void {
    const child = spawn(
      process.execPath,
      [
        DESK_BUNDLE,
        this.dbPath,
        this.args.url(),
        this.args.token,
        String(this.args.quota),
        String(this.args.item),
        String(this.args.allotment),
        String(this.args.paceMs),
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, GUICHET_MIGRATIONS_DIR: resolve('main/engine/db/migrations') },
      },
    );
    children.add(child);
    this.child = child;
    this.exitCode = null;
    let buffer = '';
    let errors = '';
    child.stderr!.on('data', (d: Buffer) => {
      errors += d.toString();
      if (process.env.DESK_TRACE) process.stderr.write(`${this.dbPath.slice(-12)} ERR ${d.toString()}`);
    });
    child.stdout!.on('data', (d: Buffer) => {
      if (process.env.DESK_TRACE) process.stderr.write(`${this.dbPath.slice(-12)} ${d.toString()}`);
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const l of lines) {
        if (!l.trim()) continue;
        const event = JSON.parse(l) as DeskEvent;
        this.events.push(event);
        for (const f of this.listeners) f(event);
      }
    });
    child.once('close', (code) => {
      if (child !== this.child) return;
      this.exitCode = code;
      if (code !== 0 && code !== null)
        process.stderr.write(`desk ${this.dbPath} exited ${code}: ${errors}\n`);
    });
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  get finished(): boolean {
    return this.exitCode === 0;
  }

  onEvent(f: (e: DeskEvent) => void): void {
    this.listeners.push(f);
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  /** What the desk's own database says it sold: every order it queued, with its tickets' secrets. */
  sales(): { code: string; secrets: string[]; state: string }[] {
    const engine = Engine.open(this.dbPath);
    try {
      return listOutbox(engine.db)
        .filter((r) => r.kind === 'order')
        .map((r) => ({
          code: r.order_code!,
          secrets: (JSON.parse(r.body) as { positions: { secret: string }[] }).positions.map((p) => p.secret),
          state: r.state,
        }));
    } finally {
      engine.close();
    }
  }
}

/**
 * Orders placed straight on the hub's REST API, one ticket each, as an online shop would: each order has
 * its own code and X-Idempotency-Key, a lost answer is asked again under the same key, and a refusal for
 * lack of quota is tried again a moment later (a place held by a desk's top-up may come free) until
 * `soldOut()` says the sale is over. Returns the codes of the orders the hub confirmed.
 */
export async function webShop(input: {
  url: () => string;
  token: string;
  item: number;
  paceMs: number;
  soldOut: () => Promise<boolean>;
}): Promise<{ codes: string[]; quotaRefusals: number }> {
  const codes: string[] = [];
  let quotaRefusals = 0;
  let code = generateOrderCode();
  let key = randomUUID();
  let lockedBefore = false;
  const path = 'api/v1/organizers/box-office/events/gala/orders/';
  const auth = (): ServerAuth => ({ baseUrl: input.url(), scheme: 'Token', token: input.token });
  const confirmed = () => {
    codes.push(code);
    code = generateOrderCode();
    key = randomUUID();
    lockedBefore = false;
  };
  const exists = async () => (await call(auth(), 'GET', `${path}${code}/`)).status === 200;
  for (;;) {
    try {
      const answer = await call(auth(), 'POST', path, {
        idempotencyKey: key,
        timeoutMs: 5000,
        body: {
          code,
          email: 'web@example.org',
          status: 'p',
          payment_provider: 'manual',
          positions: [{ item: input.item }],
        },
      });
      const reason = reasonOf(answer);
      if (answer.status === 201) {
        confirmed();
        await sleep(input.paceMs);
      } else if (answer.status === 409 || reason.includes('already in use')) {
        if (await exists()) confirmed();
        else if (lockedBefore || answer.status !== 409) key = randomUUID();
        else lockedBefore = true;
        await sleep(100);
      } else if (answer.status === 400 && /quota/.test(reason)) {
        quotaRefusals += 1;
        key = randomUUID();
        if (await input.soldOut()) return { codes, quotaRefusals };
        await sleep(50);
      } else if (answer.status >= 500) {
        await sleep(100);
      } else {
        throw new Error(`the hub refused a web order: ${answer.status} ${reason}`);
      }
    } catch (e) {
      if (!(e instanceof Unreachable)) throw e;
      await sleep(100);
    }
  }
}

/** The hub's REST API, read by the test as a manager would. */
export function hubApi(url: () => string, token: string) {
  const auth = (): ServerAuth => ({ baseUrl: url(), scheme: 'Token', token });
  const event = 'api/v1/organizers/box-office/events/gala/';
  return {
    async availability(quota: number) {
      const a = await call(auth(), 'GET', `${event}quotas/${quota}/availability/`);
      return a.body as { available_number: number; paid_orders: number; blocking_vouchers: number };
    },
    async orders(): Promise<
      { code: string; status: string; positions: { secret: string; voucher: number | null }[] }[]
    > {
      const out: { code: string; status: string; positions: { secret: string; voucher: number | null }[] }[] =
        [];
      let next: string | null = `${event}orders/?page_size=50`;
      while (next) {
        const page = (await call(auth(), 'GET', next)).body as { results: typeof out; next: string | null };
        out.push(...page.results);
        next = page.next;
      }
      return out;
    },
    async checkinList(): Promise<number> {
      const a = await call(auth(), 'POST', `${event}checkinlists/`, {
        body: { name: 'Door', all_products: true },
      });
      return (a.body as { id: number }).id;
    },
    async redeem(list: number, secret: string): Promise<string> {
      const a = await call(auth(), 'POST', 'api/v1/organizers/box-office/checkinrpc/redeem/', {
        body: { secret, lists: [list], source_type: 'barcode' },
      });
      return (a.body as { status: string; reason?: string }).reason ?? (a.body as { status: string }).status;
    },
  };
}
