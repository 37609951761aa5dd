/**
 * The served desks of the end-to-end specs (vitest's globalSetup): each spec file takes a desk of its own,
 * a `guichet serve` on a fresh database, so that no spec sees what another left behind, whatever the
 * order the files run in. One desk is kept started and ready to sell ahead of the spec that will take
 * it, so a spec does not wait for a server to start; the spec gives it back when done, and it is stopped.
 * Specs take and give back desks over a small HTTP endpoint on loopback (`deskPool`, see desk.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import type { RpcInput, RpcMethod, RpcOutput } from '../../shared/contract';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where specs take (`POST /take`) and give back (`POST /give-back/<id>`) their served desk. */
    deskPool: string;
  }
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What a spec gets: its desk's address and database file. */
export interface ServedDesk {
  id: number;
  url: string;
  db: string;
}

/** The manager the end-to-end tests sell as, created on the fresh database's first start. */
export const E2E_MANAGER = { name: 'Desk manager', pin: '4321' };

/** A call to a desk method: from the page (desk.ts `rpc`) or from here, before any page is open. */
export type DeskCall = <M extends RpcMethod>(method: M, input: RpcInput<M>) => Promise<RpcOutput<M>>;

/** Signs the test manager in and opens a shift where needed; true when anything changed. */
export async function readyTill(call: DeskCall): Promise<boolean> {
  let session = await call('till.session', {});
  const before = JSON.stringify([session.cashier?.id, session.shift?.id]);
  if (session.cashiers.length === 0) session = await call('till.firstManager', E2E_MANAGER);
  const manager = session.cashiers.find((c) => c.name === E2E_MANAGER.name);
  if (!manager) throw new Error('The end-to-end manager is missing.');
  if (session.cashier?.id !== manager.id)
    session = await call('till.signIn', { cashierId: manager.id, pin: E2E_MANAGER.pin });
  if (!session.shift) session = await call('shift.open', { openingFloat: '0', currency: session.currency });
  return JSON.stringify([session.cashier?.id, session.shift?.id]) !== before;
}

/** Desk methods called as the desk's page calls them: same host, this start's session token. */
async function deskCaller(url: string): Promise<DeskCall> {
  const page = await (await fetch(url)).text();
  const token = /<meta name="guichet-session" content="([^"]+)"/.exec(page)?.[1];
  if (!token) throw new Error(`No session token in the desk's page at ${url}`);
  return async (method, input) => {
    const res = await fetch(new URL(`rpc/${method}`, url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-guichet-session': token },
      body: JSON.stringify(input),
    });
    const reply = (await res.json()) as { result?: unknown };
    if (!res.ok || !('result' in reply)) throw new Error(`${method} failed: ${JSON.stringify(reply)}`);
    return reply.result as RpcOutput<typeof method>;
  };
}

interface Running extends ServedDesk {
  stop(): Promise<void>;
}

/**
 * `guichet serve` on a fresh database (no demo event, the engine's clock movable by `passTime`) on a
 * free loopback port, with the test manager signed in and a shift open, as a desk ready to sell.
 */
async function serveDesk(id: number): Promise<Running> {
  const work = mkdtempSync(join(tmpdir(), 'guichet-e2e-'));
  const db = join(work, 'guichet.sqlite');
  const args = ['serve', '--db', db, '--host', '127.0.0.1', '--port', '0', '--no-demo', '--test-clock'];
  const server = spawn(process.execPath, [join(ROOT, 'bin', 'guichet.mjs'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, GUICHET_HOME: work },
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
    await exited;
    rmSync(work, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      server.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const m = /at (http:\/\/\S+)/.exec(seen);
        if (m) resolve(m[1]!);
      });
      void exited.then(() => reject(new Error(`The served desk exited before it listened:\n${seen}`)));
    });
    await readyTill(await deskCaller(url));
    return { id, url, db, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The desk's UI is built once here, not by the first served desk while a spec waits for it.
  const { ensureRenderer } = await import('../../main/rpc/build');
  if (!(await ensureRenderer())) throw new Error('The desk UI could not be built.');

  let made = 0;
  const given = new Map<number, Running>();
  let spare: Promise<Running> | undefined;
  const next = () => {
    const desk = serveDesk(++made);
    desk.catch(() => undefined); // reported to the spec that takes it
    return desk;
  };

  const pool = createServer((req, res) => {
    const answer = (status: number, body?: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    const giveBack = /^\/give-back\/(\d+)$/.exec(req.url ?? '');
    if (req.method === 'POST' && req.url === '/take') {
      const taken = spare ?? next();
      spare = next();
      taken.then(
        (desk) => {
          given.set(desk.id, desk);
          answer(200, { id: desk.id, url: desk.url, db: desk.db } satisfies ServedDesk);
        },
        (err: unknown) => answer(500, { error: err instanceof Error ? err.message : String(err) }),
      );
    } else if (req.method === 'POST' && giveBack) {
      const desk = given.get(Number(giveBack[1]));
      given.delete(Number(giveBack[1]));
      void (desk?.stop() ?? Promise.resolve()).then(() => answer(204));
    } else answer(404);
  });
  await new Promise<void>((resolve) => pool.listen(0, '127.0.0.1', resolve));
  project.provide('deskPool', `http://127.0.0.1:${(pool.address() as AddressInfo).port}/`);
  spare = next();

  return async () => {
    pool.closeAllConnections();
    await new Promise<void>((resolve) => pool.close(() => resolve()));
    const left = [...given.values()];
    if (spare)
      left.push(
        ...(await spare.then(
          (d) => [d],
          () => [],
        )),
      );
    await Promise.all(left.map((d) => d.stop()));
  };
}
