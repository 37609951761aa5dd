import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../main/engine/engine';
import { getAllotment, listOutbox } from '../../main/engine/sync';
import { startServer } from '../../main/server/serve';
import { sellAtDesk } from '../../main/sync/desk-sale';
import { connectedClient } from './hub';
import { HubProcess, sleep, stopAll, until } from './processes';
import { startServedHub, type ServedHub } from './served-hub';

let hub: ServedHub;
let dir: string;

beforeAll(async () => {
  hub = await startServedHub();
  dir = mkdtempSync(join(tmpdir(), 'guichet-served-desk-'));
}, 60_000);

afterAll(async () => {
  await hub?.stop();
  stopAll();
  rmSync(dir, { recursive: true, force: true });
});

/** A desk database connected to the hub, holding `held` places and with `sales` one-ticket sales queued. */
async function connectedDeskDatabase(name: string, held: number, sales: number) {
  const dbPath = join(dir, name);
  const engine = Engine.open(dbPath);
  const client = await connectedClient(engine, { baseUrl: hub.url, token: hub.token });
  await client.setAllotment(hub.quota, held);
  const codes = Array.from(
    { length: sales },
    () => sellAtDesk(engine, { lines: [{ item: hub.item, count: 1 }], paymentType: 'cash' }).code,
  );
  engine.close();
  return { dbPath, codes };
}

const onHub = async (code: string) => (await hub.api('GET', `events/gala/orders/${code}/`)).status === 200;

describe('guichet serve syncs a connected desk by itself', () => {
  it('uploads the sales a desk made before it started, and stops with the server', async () => {
    const { dbPath, codes } = await connectedDeskDatabase('served.sqlite', 5, 3);
    for (const code of codes) expect(await onHub(code)).toBe(false);
    const desk = new HubProcess(dbPath);
    await desk.start();
    await until('the served desk uploads its sales', async () =>
      (await Promise.all(codes.map(onHub))).every(Boolean),
    );
    const exited = new Promise<number | null>((r) => desk.child!.once('exit', (code) => r(code)));
    await desk.stop();
    expect(await exited).toBe(0);
    const engine = Engine.open(dbPath);
    try {
      expect(listOutbox(engine.db).map((r) => [r.order_code, r.state])).toEqual(
        codes.map((c) => [c, 'done']),
      );
      expect(getAllotment(engine.db, hub.quota)).toMatchObject({ held: 5, sold: 3, uploaded: 3 });
    } finally {
      engine.close();
    }
  }, 60_000);

  it('leaves no timer of its sync loop behind once the server is closed', async () => {
    const { dbPath, codes } = await connectedDeskDatabase('in-process.sqlite', 2, 1);
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    // The setup's own timers (its clients' time limits) run out first, so they are not counted.
    await until('the setup to leave no timer', () => timers() === 0, 10_000);
    const before = timers();
    const server = await startServer({
      dbPath,
      host: '127.0.0.1',
      port: 0,
      seedDemo: false,
      log: () => undefined,
      desk: false,
      backupIntervalMs: 0,
    });
    await until('the in-process desk uploads its sale', () => onHub(codes[0]!));
    // Between two turns the loop waits on a timer; during a turn it waits on the hub instead.
    await until('the sync loop to wait on a timer for its next turn', () => timers() > before);
    await server.close();
    await sleep(50);
    expect(timers()).toBe(before);
  }, 60_000);
});
