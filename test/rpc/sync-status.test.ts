import { describe, expect, it } from 'vitest';
import { createCashier } from '../../main/engine/cashiers/cashiers';
import { enqueue, refuseUpload, saveConnection } from '../../main/engine/sync';
import type { RpcInput, RpcMethod } from '../../shared/contract';
import { testEngine } from '../helpers';
import { browserDeskRpc, deskResult } from '../support/desk-rpc';

function setup() {
  const { engine } = testEngine();
  const rpc = browserDeskRpc(engine);
  const ok = <M extends RpcMethod>(method: M, input: RpcInput<M>) => deskResult(rpc, method, input);
  return { engine, rpc, ok };
}

/** A desk connected to a server, with one sale waiting and one the server refused. */
function connectedWithRefusal(engine: ReturnType<typeof testEngine>['engine']) {
  return engine.command((ctx) => {
    saveConnection(ctx, {
      base_url: 'http://127.0.0.1:9/',
      organizer: 'demo',
      event: 'fest',
      auth_scheme: 'Token',
      api_token: 'secret-token',
      device_id: null,
    });
    const orderBody = { email: null, positions: [] };
    const refusedRow = enqueue(ctx, {
      idempotencyKey: 'sale-1',
      kind: 'order',
      method: 'POST',
      path: '/api/v1/organizers/demo/events/fest/orders/',
      orderCode: 'AAAA1',
      body: orderBody,
    });
    enqueue(ctx, {
      idempotencyKey: 'sale-2',
      kind: 'order',
      method: 'POST',
      path: '/api/v1/organizers/demo/events/fest/orders/',
      orderCode: 'BBBB2',
      body: orderBody,
    });
    refuseUpload(ctx, {
      seq: refusedRow.seq,
      reason: 'The product "Day ticket" does not exist.',
      response: { positions: [{ item: ['Invalid pk "7" - object does not exist.'] }] },
    });
    return refusedRow.seq;
  });
}

describe('sync status at the desk', () => {
  it('says a desk without a connection syncs with no server', async () => {
    const { ok } = setup();
    expect(await ok('sync.status', {})).toEqual({
      server: null,
      reachable: null,
      lastContact: null,
      unreachableSince: null,
      lastSync: null,
      outbox: { pending: 0, refused: 0 },
      refused: [],
      dropped: [],
      quotas: [],
      allotments: [],
    });
  });

  it("shows the outbox and the server's reason, and a manager sends a refused upload again", async () => {
    const { engine, ok, rpc } = setup();
    const seq = connectedWithRefusal(engine);
    const status = await ok('sync.status', {});
    expect(status.server).toEqual({
      url: 'http://127.0.0.1:9/',
      organizer: 'demo',
      event: 'fest',
      eventName: 'fest',
      scheme: 'Token',
      connected: '2026-03-01T10:00:00.000Z',
    });
    expect(JSON.stringify(status)).not.toContain('secret-token');
    expect(status.outbox).toEqual({ pending: 1, refused: 1 });
    expect(status.refused).toEqual([
      expect.objectContaining({
        seq,
        orderCode: 'AAAA1',
        reason: 'The product "Day ticket" does not exist.',
      }),
    ]);

    // Nobody signed in: nothing is sent again.
    expect(await rpc.call('sync.retry', { seq })).toMatchObject({ error: { code: 'not_signed_in' } });
    await ok('till.firstManager', { name: 'Max', pin: '9999' });
    const cashier = engine.command((ctx) =>
      createCashier(ctx, { name: 'Eve', role: 'cashier', pin: '1111' }),
    );
    await ok('till.signOut', {});
    await ok('till.signIn', { cashierId: cashier.id, pin: '1111' });

    // A cashier needs a manager's PIN; a wrong one changes nothing.
    expect(await rpc.call('sync.retry', { seq })).toMatchObject({
      error: {
        code: 'manager_required',
        message: 'A manager’s PIN is needed for sending a refused upload again.',
      },
    });
    expect(await rpc.call('sync.retry', { seq, managerPin: '0000' })).toMatchObject({
      error: { status: 403 },
    });
    expect((await ok('sync.status', {})).outbox).toEqual({ pending: 1, refused: 1 });

    const after = await ok('sync.retry', { seq, managerPin: '9999' });
    expect(after.outbox).toEqual({ pending: 2, refused: 0 });
    expect(after.refused).toEqual([]);
    const authorised = engine.db
      .prepare("SELECT action, detail FROM authorisations WHERE action = 'retry_upload'")
      .all();
    expect(authorised).toEqual([
      { action: 'retry_upload', detail: JSON.stringify({ upload: seq, order: 'AAAA1' }) },
    ]);

    // Only a refused upload is sent again.
    expect(await rpc.call('sync.retry', { seq, managerPin: '9999' })).toMatchObject({
      error: { code: 'outbox_not_refused' },
    });
    expect(await rpc.call('sync.retry', { seq: 0 })).toMatchObject({ error: { status: 400 } });
  });
});
