import { afterEach, describe, expect, it } from 'vitest';
import { deskRefund, takings } from '../../main/engine/boxoffice';
import { ManualClock } from '../../main/engine/clock';
import type { Engine } from '../../main/engine/engine';
import { moneyText } from '../../main/engine/money';
import { authHash } from '../../main/engine/idempotency/api-calls';
import { deskOrderIdByCode, orderDetail, searchOrders } from '../../main/engine/orders';
import { getAllotment, listOutbox } from '../../main/engine/sync';
import { sellAtDesk } from '../../main/sync/desk-sale';
import { connectedDesk, startHub } from './hub';

type Hub = Awaited<ReturnType<typeof startHub>>;
let hub: Hub | undefined;
afterEach(async () => {
  await hub?.app.close();
  hub = undefined;
});

interface HubOrder {
  status: string;
  total: string;
  positions: { id: number; secret: string }[];
}
interface HubRefunds {
  results: { amount: string; state: string; provider: string; comment: string | null }[];
}

const netTakings = (desk: Engine) =>
  moneyText(
    takings(desk.db, { eventId: null, from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' }).net,
  );

/** A desk holding 10 places, with a sale of three tickets uploaded to the hub. */
async function deskWithUploadedSale(h: Hub) {
  const { desk, client } = await connectedDesk(h);
  await client.setAllotment(h.quota, 10);
  const sale = sellAtDesk(desk, { lines: [{ item: h.item, count: 3 }], paymentType: 'cash' });
  expect(await client.flush()).toEqual([{ seq: sale.outbox.seq, outcome: 'done' }]);
  const orderId = deskOrderIdByCode(desk.db, sale.code);
  const positions = orderDetail(desk.db, sale.code, 'en').positions;
  return { desk, client, sale, orderId, positions };
}

describe('a desk sale is the desk’s own order, and its refunds go up', () => {
  it('a desk sale is in the desk’s order list and takings, and at the hub with the desk’s code and secrets', async () => {
    hub = await startHub(100);
    const { desk, sale, positions } = await deskWithUploadedSale(hub);
    expect(searchOrders(desk.db, sale.code, 5, 'en')).toMatchObject([{ code: sale.code, status: 'p' }]);
    expect(positions.map((p) => p.secret).sort()).toEqual([...sale.secrets].sort());
    expect(netTakings(desk)).toBe('69.00');
    const atHub = (await hub.get(`orders/${sale.code}/`)) as unknown as HubOrder;
    expect(atHub).toMatchObject({ status: 'p', total: '69.00' });
    expect(atHub.positions.map((p) => p.secret).sort()).toEqual([...sale.secrets].sort());
  });

  it('a partial refund cancels the ticket at the hub and records the money; the place comes back once confirmed', async () => {
    hub = await startHub(100);
    const { desk, client, sale, orderId, positions } = await deskWithUploadedSale(hub);
    const refunded = positions[0]!;
    desk.command((ctx) =>
      deskRefund(ctx, orderId, {
        paymentId: null,
        positionIds: [refunded.id],
        amount: null,
        method: 'cash',
        markRefunded: true,
      }),
    );
    const queued = listOutbox(desk.db, 'pending');
    expect(queued.map((r) => [r.kind, r.method])).toEqual([
      ['position_cancel', 'DELETE'],
      ['refund', 'POST'],
    ]);
    // the place stays the desk's sale until the server has the cancellation
    expect(getAllotment(desk.db, hub.quota)).toMatchObject({ held: 10, sold: 3, uploaded: 3 });
    expect(await client.flush()).toEqual(queued.map((r) => ({ seq: r.seq, outcome: 'done' })));

    const atHub = (await hub.get(`orders/${sale.code}/`)) as unknown as HubOrder;
    expect(atHub.status).toBe('p');
    expect(atHub.positions.map((p) => p.secret).sort()).toEqual(
      sale.secrets.filter((s) => s !== refunded.secret).sort(),
    );
    const refunds = (await hub.get(`orders/${sale.code}/refunds/`)) as unknown as HubRefunds;
    expect(refunds.results).toMatchObject([{ amount: '23.00', state: 'done', provider: 'boxoffice' }]);
    expect(getAllotment(desk.db, hub.quota)).toMatchObject({ held: 10, sold: 2, uploaded: 2 });
    // the hub blocks the place for the desk again: availability unchanged by the refund
    expect((await hub.availability()).available_number).toBe(90);

    // refunding the rest cancels the order at the hub; every place comes back to the desk
    desk.command((ctx) =>
      deskRefund(ctx, orderId, {
        paymentId: null,
        positionIds: positions.slice(1).map((p) => p.id),
        amount: null,
        method: 'card',
        markRefunded: true,
      }),
    );
    await client.flush();
    expect(((await hub.get(`orders/${sale.code}/`)) as unknown as HubOrder).status).toBe('c');
    const all = (await hub.get(`orders/${sale.code}/refunds/`)) as unknown as HubRefunds;
    expect(all.results.map((r) => r.amount)).toEqual(['23.00', '46.00']);
    expect(getAllotment(desk.db, hub.quota)).toMatchObject({ held: 10, sold: 0, uploaded: 0 });
    expect(netTakings(desk)).toBe('0.00');
  });

  it('a refund the hub made but never confirmed, or whose key it keeps locked, is made there once', async () => {
    hub = await startHub(100);
    const { desk, client, sale, orderId, positions } = await deskWithUploadedSale(hub);
    const lockKey = (key: string) =>
      hub!.engine.db
        .prepare(
          `INSERT OR REPLACE INTO api_calls (idempotency_key, auth_hash, created, locked, request_method, request_path)
           VALUES (?, ?, ?, ?, 'POST', '/')`,
        )
        .run(key, authHash(`Token ${hub!.token}`), '2026-03-01T10:00:00.000Z', '2026-03-01T10:00:00.000Z');
    const refund = (positionIds: number[], amount: string | null) =>
      desk.command((ctx) =>
        deskRefund(ctx, orderId, {
          paymentId: null,
          positionIds,
          amount,
          method: 'cash',
          markRefunded: true,
        }),
      );

    // the hub stopped before running the refund and keeps its key locked: sent again under a fresh key
    refund([], '5.00');
    const [lost] = listOutbox(desk.db, 'pending');
    lockKey(lost!.idempotency_key);
    expect(await client.flush()).toEqual([{ seq: lost!.seq, outcome: 'retry' }]);
    (desk.clock as ManualClock).advance(5000);
    await client.flush();
    await client.flush();
    expect(listOutbox(desk.db).find((r) => r.seq === lost!.seq)).toMatchObject({ state: 'done', resent: 1 });

    // the hub made the refund and the ticket's cancellation, then stopped before answering
    refund([positions[0]!.id], null);
    const rows = listOutbox(desk.db, 'pending');
    await client.flush();
    for (const row of rows) {
      desk.db.prepare("UPDATE sync_outbox SET state = 'pending' WHERE seq = ?").run(row.seq);
      lockKey(row.idempotency_key);
    }
    // as before the confirmation: the canceled ticket's place still counted as the desk's sale
    desk.db.prepare('UPDATE sync_allotments SET sold = 3, uploaded = 3').run();
    expect(await client.flush()).toEqual(rows.map((r) => ({ seq: r.seq, outcome: 'done' })));

    const refunds = (await hub.get(`orders/${sale.code}/refunds/`)) as unknown as HubRefunds;
    expect(refunds.results.map((r) => r.amount)).toEqual(['5.00', '23.00']);
    expect(((await hub.get(`orders/${sale.code}/`)) as unknown as HubOrder).positions).toHaveLength(2);
    expect(getAllotment(desk.db, hub.quota)).toMatchObject({ sold: 2, uploaded: 2 });
  });
});
