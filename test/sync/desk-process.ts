/**
 * A desk as its own process, for the integration tests. It connects to the server given on the command
 * line (the first time only: the connection is in its database), holds an allotment of the quota, sells one
 * ticket at a time from it, topping up when it runs out, and uploads, until the server has no place left to
 * give it and its outbox is empty; then it gives back what it holds beyond its sales. While uploads wait
 * out a backoff it asks the server every 200 ms whether it answers, as a desk's status check does, so a
 * desk whose link comes back uploads at once. Started again on the same database file after a SIGKILL, it
 * carries on where it stopped.
 *
 * One JSON line per event on stdout: {started}, {held}, {sold, secret}, {uploading}, {refused}, {done}.
 * Usage: desk-process.ts <db> <baseUrl> <token> <quota> <item> <allotment> <paceMs>
 */
import { Engine } from '../../main/engine/engine';
import { getAllotment, getConnection, listOutbox, nextDue } from '../../main/engine/sync';
import { connectByToken, SyncClient } from '../../main/sync/client';
import { sellAtDesk } from '../../main/sync/desk-sale';
import { Unreachable } from '../../main/sync/http';

const [dbPath, baseUrl, token, quotaArg, itemArg, allotArg, paceArg] = process.argv.slice(2);
const quota = Number(quotaArg);
const item = Number(itemArg);
const allotment = Number(allotArg ?? 10);
const paceMs = Number(paceArg ?? 0);
const say = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let step = 'opening';
process.on('exit', (code) => {
  if (code !== 0) process.stderr.write(`desk stopped while ${step}\n`);
});
const engine = Engine.open(dbPath!);
say({ started: process.pid });
while (!getConnection(engine.db)) {
  try {
    await connectByToken(engine, {
      baseUrl: baseUrl!,
      token: token!,
      organizer: 'box-office',
      event: 'gala',
    });
  } catch (e) {
    if (!(e instanceof Unreachable)) throw e;
    await sleep(100);
  }
}
const client = new SyncClient(engine, { timeoutMs: 3000 });

/** Runs a server call; undefined when the server cannot be reached (the desk goes on offline). */
async function online<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Unreachable || (e as { status?: number }).status === 503) return undefined;
    throw e;
  }
}

let pulled = (await online(() => client.pull())) !== undefined;
/** The server answered a top-up with no new place: the quota is sold or held by others. */
let exhausted = false;
let lastProbe = 0;
for (;;) {
  step = 'pulling';
  if (!pulled) pulled = (await online(() => client.pull())) !== undefined;
  let a = getAllotment(engine.db, quota);
  step = 'topping up';
  if (pulled && !exhausted && (!a || a.held === a.sold)) {
    const before = a?.held ?? 0;
    const after = await online(() => client.setAllotment(quota, (a?.sold ?? 0) + allotment));
    if (after) {
      a = after;
      exhausted = after.held === before;
      say({ held: after.held, sold: after.sold });
    }
  }
  if (a && a.held > a.sold) {
    const sale = sellAtDesk(engine, { lines: [{ item, count: 1 }], paymentType: 'cash' });
    say({ sold: sale.code, secret: sale.secrets[0] });
  }
  for (;;) {
    const due = nextDue(engine.db, engine.clock.now());
    if (!due) break;
    say({ uploading: due.order_code });
    step = `uploading ${due.order_code}`;
    const [outcome] = await client.flush(1);
    if (outcome?.outcome === 'refused')
      say({ refused: listOutbox(engine.db, 'refused').map((r) => r.reason) });
    if (outcome?.outcome !== 'done') break;
  }
  const pending = listOutbox(engine.db, 'pending').length;
  if (pending > 0 && !nextDue(engine.db, engine.clock.now()) && Date.now() - lastProbe >= 200) {
    lastProbe = Date.now();
    step = 'checking the connection';
    await client.checkConnection();
  }
  if (exhausted && pending === 0) break;
  const free = a ? a.held - a.sold : 0;
  await sleep(free > 0 && !exhausted ? paceMs : 50);
}
step = 'giving back';
let final = await online(() => client.setAllotment(quota, 0));
while (!final) {
  await sleep(100);
  final = await online(() => client.setAllotment(quota, 0));
}
say({ done: true, held: final.held, sold: final.sold });
engine.close();
