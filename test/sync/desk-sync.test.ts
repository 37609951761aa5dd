import { afterEach, describe, expect, it } from 'vitest';
import { connectByDevicePairing, SyncClient } from '../../main/sync/client';
import { cancelAtDesk, sellAtDesk } from '../../main/sync/desk-sale';
import {
  getAllotment,
  lastPull,
  listOutbox,
  pulledResources,
  retryLater,
  syncStatus,
} from '../../main/engine/sync';
import { buildApiServer } from '../../main/api/server';
import { authHash } from '../../main/engine/idempotency/api-calls';
import { ManualClock } from '../../main/engine/clock';
import { connectedDesk, deskEngine, startHub } from './hub';

type Hub = Awaited<ReturnType<typeof startHub>>;
let hub: Hub | undefined;
afterEach(async () => {
  await hub?.app.close();
  hub = undefined;
});

/** A hub selling 100 places, and a desk connected to it that holds `places` of them. */
async function deskHolding(places: number) {
  const started = await startHub(100);
  hub = started;
  const { desk, client } = await connectedDesk(started);
  await client.setAllotment(started.quota, places);
  return { hub: started, desk, client };
}

const HARDWARE = {
  hardware_brand: 'Guichet',
  hardware_model: 'Desk',
  os_name: 'Linux',
  os_version: '6',
  software_brand: 'Guichet',
  software_version: '0.1.0',
};

describe('a desk syncing with a hub through pretix’s API', () => {
  it('copies the catalog and keeps X-Page-Generated for the next incremental order pull', async () => {
    hub = await startHub(100);
    const { desk, client } = await connectedDesk(hub);
    expect(pulledResources<{ id: number }>(desk.db, 'items').map((i) => i.id)).toEqual([hub.item]);
    expect(pulledResources<{ id: number; size: number }>(desk.db, 'quotas')).toMatchObject([
      { id: hub.quota, size: 100 },
    ]);
    expect(lastPull(desk.db, 'orders')).toMatch(/^\d{4}-\d\d-\d\dT/);
    const again = await client.pull();
    expect(again.find((r) => r.resource === 'orders')?.received).toBe(0);
  });

  it('holds an allotment as a blocking voucher, sells from it, uploads the sale and gives back the rest', async () => {
    const { hub, desk, client } = await deskHolding(20);
    expect((await hub.availability()).available_number).toBe(80);

    const sale = sellAtDesk(desk, { lines: [{ item: hub.item, count: 3 }], paymentType: 'cash' });
    expect(getAllotment(desk.db, hub.quota)).toMatchObject({ held: 20, sold: 3, uploaded: 0 });
    expect((await hub.availability()).available_number).toBe(80);

    expect(await client.flush()).toEqual([{ seq: sale.outbox.seq, outcome: 'done' }]);
    const order = (await hub.get(`orders/${sale.code}/`)) as {
      status: string;
      positions: { secret: string }[];
    };
    expect(order.status).toBe('p');
    expect(order.positions.map((p) => p.secret).sort()).toEqual([...sale.secrets].sort());
    expect(getAllotment(desk.db, hub.quota)).toMatchObject({ held: 20, sold: 3, uploaded: 3 });
    expect((await hub.availability()).available_number).toBe(80);

    await client.setAllotment(hub.quota, 0);
    expect(getAllotment(desk.db, hub.quota)).toMatchObject({ held: 3, sold: 3 });
    expect((await hub.availability()).available_number).toBe(97);
  });

  it('refuses a sale beyond the allotment and changes nothing', async () => {
    const { hub, desk } = await deskHolding(2);
    expect(() => sellAtDesk(desk, { lines: [{ item: hub!.item, count: 3 }], paymentType: 'card' })).toThrow(
      'only 2 places left',
    );
    expect(listOutbox(desk.db)).toHaveLength(0);
    expect(getAllotment(desk.db, hub.quota)!.sold).toBe(0);
  });

  it('tops up only what the quota can hold', async () => {
    hub = await startHub(10);
    const a = await connectedDesk(hub);
    const b = await connectedDesk(hub);
    await a.client.setAllotment(hub.quota, 8);
    const held = await b.client.setAllotment(hub.quota, 2);
    expect(held.held).toBe(2);
    const more = await b.client.setAllotment(hub.quota, 5);
    expect(more.held).toBe(2);
    expect((await hub.availability()).available_number).toBe(0);
  });

  it('a sale the server confirmed but the desk never heard of is replayed, not doubled', async () => {
    const { hub, desk, client } = await deskHolding(5);
    const sale = sellAtDesk(desk, { lines: [{ item: hub.item, count: 2 }], paymentType: 'cash' });
    await client.flush();
    // the answer was lost: the row is pending again, as after a crash before the desk's commit
    desk.db.prepare("UPDATE sync_outbox SET state = 'pending' WHERE seq = ?").run(sale.outbox.seq);
    desk.db.prepare('UPDATE sync_allotments SET uploaded = 0').run();
    expect(await client.flush()).toEqual([{ seq: sale.outbox.seq, outcome: 'done' }]);
    const orders = (await hub.get('orders/')) as { count: number };
    expect(orders.count).toBe(1);
    expect(getAllotment(desk.db, hub.quota)).toMatchObject({ sold: 2, uploaded: 2 });
  });

  it('the same sale key queues the sale once', async () => {
    const { hub, desk } = await deskHolding(5);
    const first = sellAtDesk(desk, {
      saleKey: 'sale-1',
      lines: [{ item: hub.item, count: 1 }],
      paymentType: 'cash',
    });
    const second = sellAtDesk(desk, {
      saleKey: 'sale-1',
      lines: [{ item: hub.item, count: 1 }],
      paymentType: 'cash',
    });
    expect(second.code).toBe(first.code);
    expect(getAllotment(desk.db, hub.quota)!.sold).toBe(1);
  });

  it('a refused upload stops with the server’s reason; other orders still go up', async () => {
    const { hub, desk, client } = await deskHolding(5);
    const bad = sellAtDesk(desk, { lines: [{ item: hub.item, count: 1 }], paymentType: 'cash' });
    desk.db
      .prepare("UPDATE sync_outbox SET body = json_set(body, '$.positions[0].item', 999999) WHERE seq = ?")
      .run(bad.outbox.seq);
    const good = sellAtDesk(desk, { lines: [{ item: hub.item, count: 1 }], paymentType: 'cash' });
    const log = await client.flush();
    expect(log).toEqual([
      { seq: bad.outbox.seq, outcome: 'refused' },
      { seq: good.outbox.seq, outcome: 'done' },
    ]);
    const refused = listOutbox(desk.db, 'refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toMatch(/object|exist|product/i);
    // the refused sale's place stays held on the server: nothing oversold meanwhile
    expect(getAllotment(desk.db, hub.quota)).toMatchObject({ held: 5, sold: 2, uploaded: 1 });
  });

  it('keeps sales while the server is unreachable and retries with backoff', async () => {
    const { hub, desk, client } = await deskHolding(5);
    await hub.app.close();
    const sale = sellAtDesk(desk, { lines: [{ item: hub.item, count: 1 }], paymentType: 'cash' });
    expect(await client.flush()).toEqual([{ seq: sale.outbox.seq, outcome: 'retry' }]);
    expect(await client.flush()).toEqual([]);
    const row = listOutbox(desk.db)[0]!;
    expect(row).toMatchObject({ state: 'pending', attempts: 1 });
    expect(row.reason).toMatch(/cannot be reached/);
    expect(row.next_attempt).toBe('2026-03-01T10:00:01.000Z');
    (desk.clock as ManualClock).advance(1000);
    expect(await client.flush()).toEqual([{ seq: sale.outbox.seq, outcome: 'retry' }]);
    expect(listOutbox(desk.db)[0]).toMatchObject({ attempts: 2, next_attempt: '2026-03-01T10:00:03.000Z' });
  });

  it('pairs as a device with the setup token and pulls with the device token', async () => {
    hub = await startHub(100);
    const created = (await (
      await fetch(`${hub.baseUrl}/api/v1/organizers/box-office/devices/`, {
        method: 'POST',
        headers: { authorization: `Token ${hub.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Desk 2', all_events: true, security_profile: 'full' }),
      })
    ).json()) as { initialization_token: string };
    const desk = deskEngine();
    const connection = await connectByDevicePairing(desk, {
      baseUrl: hub.baseUrl,
      setupToken: created.initialization_token,
      event: 'gala',
      hardware: HARDWARE,
    });
    expect(connection).toMatchObject({ auth_scheme: 'Device', organizer: 'box-office' });
    await new SyncClient(desk).pull();
    expect(pulledResources(desk.db, 'items')).toHaveLength(1);
  });

  it('uploads at once when its server answers again, instead of waiting out the backoff', async () => {
    const { hub, desk, client } = await deskHolding(5);
    const port = Number(new URL(hub.baseUrl).port);
    await hub.app.close();
    const sale = sellAtDesk(desk, { lines: [{ item: hub.item, count: 1 }], paymentType: 'cash' });
    expect(await client.flush()).toEqual([{ seq: sale.outbox.seq, outcome: 'retry' }]);
    // many failures later the next attempt is minutes away
    desk.command((ctx) => {
      for (let i = 0; i < 8; i++) retryLater(ctx, { seq: sale.outbox.seq, reason: 'offline' });
    });
    expect(listOutbox(desk.db)[0]!.next_attempt).toBe('2026-03-01T10:04:16.000Z');
    expect(syncStatus(desk.db)).toMatchObject({ reachable: false, outbox: { pending: 1, refused: 0 } });
    expect(await client.flush()).toEqual([]);

    // the server is back on the same address: the status check finds it and the upload goes at once
    hub.app = await buildApiServer({ engine: hub.engine });
    await hub.app.listen({ host: '127.0.0.1', port });
    expect(await client.checkConnection()).toBe(true);
    expect(await client.flush()).toEqual([{ seq: sale.outbox.seq, outcome: 'done' }]);
    expect(syncStatus(desk.db)).toMatchObject({
      reachable: true,
      unreachableSince: null,
      lastSync: '2026-03-01T10:00:00.000Z',
      outbox: { pending: 0, refused: 0 },
      allotments: [{ quotaId: hub.quota, held: 5, sold: 1, uploaded: 1, free: 4 }],
    });
  });

  it('a desk started again uploads at once what was waiting out a backoff', async () => {
    const { hub, desk, client } = await deskHolding(5);
    const sale = sellAtDesk(desk, { lines: [{ item: hub.item, count: 1 }], paymentType: 'cash' });
    desk.command((ctx) => retryLater(ctx, { seq: sale.outbox.seq, reason: 'offline' }));
    expect(await client.flush()).toEqual([]);
    const restarted = new SyncClient(desk);
    await restarted.pull();
    expect(await restarted.flush()).toEqual([{ seq: sale.outbox.seq, outcome: 'done' }]);
  });

  it('a key the server keeps locked (it stopped while running the upload) is settled by the order code', async () => {
    const { hub, desk, client } = await deskHolding(5);
    const lockKey = (key: string) =>
      hub!.engine.db
        .prepare(
          `INSERT INTO api_calls (idempotency_key, auth_hash, created, locked, request_method, request_path)
           VALUES (?, ?, ?, ?, 'POST', '/')`,
        )
        .run(key, authHash(`Token ${hub!.token}`), '2026-03-01T10:00:00.000Z', '2026-03-01T10:00:00.000Z');

    // the server stopped before creating the order: after Retry-After it goes again under a fresh key
    const lost = sellAtDesk(desk, { lines: [{ item: hub.item, count: 1 }], paymentType: 'cash' });
    lockKey(lost.outbox.idempotency_key);
    expect(await client.flush()).toEqual([{ seq: lost.outbox.seq, outcome: 'retry' }]);
    expect(listOutbox(desk.db)[0]).toMatchObject({ next_attempt: '2026-03-01T10:00:05.000Z', resent: 0 });
    (desk.clock as ManualClock).advance(5000);
    expect(await client.flush()).toEqual([{ seq: lost.outbox.seq, outcome: 'retry' }]);
    expect(listOutbox(desk.db)[0]).toMatchObject({ resent: 1, state: 'pending' });
    expect(await client.flush()).toEqual([{ seq: lost.outbox.seq, outcome: 'done' }]);

    // the server created the order, then stopped before storing its answer under the key (and the desk
    // never heard the answer either)
    const unconfirm = (seq: number, places: number) => {
      desk.db.prepare("UPDATE sync_outbox SET state = 'pending' WHERE seq = ?").run(seq);
      desk.db.prepare('UPDATE sync_allotments SET uploaded = uploaded - ?').run(places);
    };
    const stored = sellAtDesk(desk, { lines: [{ item: hub.item, count: 2 }], paymentType: 'card' });
    await client.flush();
    unconfirm(stored.outbox.seq, 2);
    hub.engine.db
      .prepare('UPDATE api_calls SET locked = created WHERE idempotency_key = ?')
      .run(stored.outbox.idempotency_key);
    expect(await client.flush()).toEqual([{ seq: stored.outbox.seq, outcome: 'done' }]);

    // the key is forgotten (24 hours later): the code already in use is this sale's own order
    unconfirm(stored.outbox.seq, 2);
    hub.engine.db.prepare('DELETE FROM api_calls').run();
    expect(await client.flush()).toEqual([{ seq: stored.outbox.seq, outcome: 'done' }]);

    const orders = (await hub.get('orders/')) as { count: number; results: { code: string }[] };
    expect(orders.results.map((o) => o.code).sort()).toEqual([lost.code, stored.code].sort());
    expect(listOutbox(desk.db, 'refused')).toEqual([]);
  });

  it('a sale canceled at the desk goes up behind it as mark_canceled; its places come back once confirmed', async () => {
    const { hub, desk, client } = await deskHolding(20);
    const uploaded = sellAtDesk(desk, { lines: [{ item: hub.item, count: 2 }], paymentType: 'cash' });
    await client.flush();
    const offline = sellAtDesk(desk, { lines: [{ item: hub.item, count: 1 }], paymentType: 'card' });

    const cancel = cancelAtDesk(desk, { orderCode: uploaded.code });
    expect(cancelAtDesk(desk, { orderCode: uploaded.code }).seq).toBe(cancel.seq);
    const cancelOffline = cancelAtDesk(desk, { orderCode: offline.code });
    expect(() => cancelAtDesk(desk, { orderCode: 'NOPE1' })).toThrow('There is no order NOPE1.');
    // nothing comes back before the server has confirmed
    expect(getAllotment(desk.db, hub.quota)).toMatchObject({ held: 20, sold: 3, uploaded: 2 });

    expect((await client.flush()).map((l) => l.outcome)).toEqual(['done', 'done', 'done']);
    for (const code of [uploaded.code, offline.code]) {
      expect(((await hub.get(`orders/${code}/`)) as { status: string }).status).toBe('c');
    }
    expect(getAllotment(desk.db, hub.quota)).toMatchObject({ held: 20, sold: 0, uploaded: 0 });
    // the places are the desk's again: blocked by its voucher at the hub, free to sell at the desk
    expect(await hub.availability()).toMatchObject({ available_number: 80, paid_orders: 0 });

    // an answer lost after the server canceled: the order's status settles it
    desk.db.prepare("UPDATE sync_outbox SET state = 'pending' WHERE seq = ?").run(cancelOffline.seq);
    desk.db.prepare('UPDATE sync_allotments SET sold = sold + 1, uploaded = uploaded + 1').run();
    hub.engine.db.prepare('DELETE FROM api_calls').run();
    expect(await client.flush()).toEqual([{ seq: cancelOffline.seq, outcome: 'done' }]);
    expect(getAllotment(desk.db, hub.quota)).toMatchObject({ sold: 0, uploaded: 0 });
  });
});
