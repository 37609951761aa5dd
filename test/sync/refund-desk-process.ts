/**
 * A desk as its own process that sells one order of three tickets from its allotment, refunds one of the
 * tickets at the desk (a partial refund, paid back in cash) and uploads both, for the test that kills it
 * and its server while it uploads. Each step is its own engine transaction and is skipped when the
 * desk's database shows it done, so a desk started again after a SIGKILL carries on where it stopped.
 *
 * One JSON line per event on stdout: {started}, {sold, secrets}, {refunded}, {uploading, kind}, {done}.
 * Usage: refund-desk-process.ts <db> <baseUrl> <token> <quota> <item>
 */
import { deskRefund } from '../../main/engine/boxoffice';
import { Engine } from '../../main/engine/engine';
import { deskOrderIdByCode, orderDetail } from '../../main/engine/orders';
import { getAllotment, getConnection, listOutbox, nextDue } from '../../main/engine/sync';
import { connectByToken, SyncClient } from '../../main/sync/client';
import { sellAtDesk } from '../../main/sync/desk-sale';
import { Unreachable } from '../../main/sync/http';

const [dbPath, baseUrl, token, quotaArg, itemArg] = process.argv.slice(2);
const quota = Number(quotaArg);
const item = Number(itemArg);
const say = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a server call until the server answers (it may be down or restarting). */
async function online<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof Unreachable) && (e as { status?: number }).status !== 503) throw e;
      await sleep(100);
    }
  }
}

const engine = Engine.open(dbPath!);
say({ started: process.pid });
if (!getConnection(engine.db)) {
  await online(() =>
    connectByToken(engine, { baseUrl: baseUrl!, token: token!, organizer: 'box-office', event: 'gala' }),
  );
}
const client = new SyncClient(engine, { timeoutMs: 3000 });
await online(() => client.pull());
if ((getAllotment(engine.db, quota)?.held ?? 0) === 0) await online(() => client.setAllotment(quota, 5));

let sale = listOutbox(engine.db).find((r) => r.kind === 'order');
if (!sale) {
  const sold = sellAtDesk(engine, { lines: [{ item, count: 3 }], paymentType: 'cash' });
  say({ sold: sold.code, secrets: sold.secrets });
  sale = sold.outbox;
}
const code = sale.order_code!;
if (!listOutbox(engine.db).some((r) => r.kind === 'refund')) {
  const ticket = orderDetail(engine.db, code, 'en').positions[0]!;
  engine.command((ctx) =>
    deskRefund(ctx, deskOrderIdByCode(ctx.db, code), {
      paymentId: null,
      positionIds: [ticket.id],
      amount: null,
      method: 'cash',
      markRefunded: true,
    }),
  );
  say({ refunded: ticket.secret });
}
for (;;) {
  const due = nextDue(engine.db, engine.clock.now());
  if (due) {
    say({ uploading: due.order_code, kind: due.kind });
    await client.flush(1);
    continue;
  }
  if (listOutbox(engine.db, 'pending').length === 0) break;
  await sleep(50);
  await client.checkConnection();
}
say({ done: true, refused: listOutbox(engine.db, 'refused').map((r) => r.reason) });
engine.close();
