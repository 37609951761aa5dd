import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCashier } from '../../main/engine/cashiers/cashiers';
import { verifyTillJournal } from '../../main/engine/journal';
import { getAllotment, listOutbox } from '../../main/engine/sync';
import { DeskLink } from '../../main/sync/desk-link';
import { sellAtDesk } from '../../main/sync/desk-sale';
import type { RpcInput, RpcMethod } from '../../shared/contract';
import { testEngine } from '../helpers';
import { browserDeskRpc, deskResult } from '../support/desk-rpc';
import { stopAll } from '../sync/processes';
import { queueUploadTheHubRefuses, startServedHub, type ServedHub } from '../sync/served-hub';

let hub: ServedHub;
/** An HTTP server that is not pretix: an HTML page for every address. */
let website: Server;
let websiteUrl = '';
/** A loopback port nothing listens on. */
let closedUrl = '';

beforeAll(async () => {
  hub = await startServedHub();
  website = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<!doctype html><html><body><h1>Not Found</h1></body></html>');
  });
  await new Promise<void>((r) => website.listen(0, '127.0.0.1', r));
  websiteUrl = `http://127.0.0.1:${(website.address() as { port: number }).port}/`;
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  closedUrl = `http://127.0.0.1:${(closed.address() as { port: number }).port}/`;
  await new Promise<void>((r) => closed.close(() => r()));
}, 60_000);

afterAll(async () => {
  await hub?.stop();
  await new Promise<void>((r) => (website ? website.close(() => r()) : r()));
  stopAll();
});

/** A desk with a manager signed in and its link to servers (not looping: the test runs its rounds). */
async function desk() {
  const { engine } = testEngine();
  const link = new DeskLink(engine, { timeoutMs: 5000 });
  const rpc = browserDeskRpc(engine, { sync: link });
  const ok = <M extends RpcMethod>(method: M, input: RpcInput<M>) => deskResult(rpc, method, input);
  await ok('till.firstManager', { name: 'Max', pin: '9999' });
  const byToken = (more: Partial<RpcInput<'sync.connect'>> = {}) =>
    rpc.call('sync.connect', {
      url: hub.url,
      kind: 'token',
      token: hub.token,
      organizer: 'box-office',
      event: 'gala',
      ...more,
    });
  /** Connected to the hub's `gala`, its lists copied, holding `size` places of "Main hall". */
  const connected = async (size: number) => {
    await byToken();
    await link.round();
    await ok('sync.allotment', { quotaId: hub.quota, size });
  };
  return { engine, link, rpc, ok, byToken, connected };
}

const errorOf = (reply: unknown) => {
  const error = (reply as { error?: { code: string; message: string } }).error;
  return error && { code: error.code, message: error.message };
};

describe('connecting a desk from its settings', () => {
  it('answers a nonsense address, a silent one and a website that is not pretix in plain words, keeping nothing', async () => {
    const { ok, byToken } = await desk();
    for (const url of ['not a server', 'ftp://127.0.0.1/', 'http://exa mple.org', '']) {
      expect(errorOf(await byToken({ url }))).toMatchObject({
        code: 'sync_bad_url',
        message: expect.stringContaining('is not a server address'),
      });
    }
    expect(errorOf(await byToken({ url: closedUrl }))).toEqual({
      code: 'sync_unreachable',
      message: `Nothing answers at ${closedUrl}. Check the address and that this computer is on the network.`,
    });
    expect(errorOf(await byToken({ url: websiteUrl }))).toMatchObject({
      code: 'sync_not_pretix',
      message: `${websiteUrl} answers, but not as a pretix server. Check the address.`,
    });
    expect(errorOf(await byToken({ url: websiteUrl, kind: 'pairing' }))).toMatchObject({
      code: 'sync_not_pretix',
    });
    expect(errorOf(await byToken({ token: 'wrong-token' }))).toMatchObject({
      code: 'sync_token_refused',
      message:
        'The server does not accept this API token. Check it, or create a new one in the organizer’s team.',
    });
    expect(errorOf(await byToken({ event: 'nope' }))).toMatchObject({
      code: 'sync_event_unknown',
      message:
        'The server shows this token no event “nope” of organizer “box-office”. Check both short names, and that the token’s team may see the event.',
    });
    expect(errorOf(await byToken({ organizer: undefined }))).toMatchObject({
      code: 'sync_organizer_missing',
    });
    expect((await ok('sync.status', {})).server).toBeNull();
  });

  it('connects with an API token once, even when Connect is pressed twice, and names the event and its quotas', async () => {
    const { ok, byToken, link } = await desk();
    const [first, second] = await Promise.all([byToken(), byToken()]);
    const replies = [first, second];
    expect(replies.filter((r) => 'result' in r)).toHaveLength(1);
    expect(replies.map(errorOf).find(Boolean)).toEqual({
      code: 'sync_already_connected',
      message: `This desk is already connected to ${hub.url}/. Disconnect it first.`,
    });
    await link.round();
    const status = await ok('sync.status', {});
    expect(status.server).toMatchObject({
      url: `${hub.url}/`,
      organizer: 'box-office',
      event: 'gala',
      eventName: 'Fixture Event',
      scheme: 'Token',
    });
    expect(status.reachable).toBe(true);
    expect(status.lastSync).not.toBeNull();
    expect(status.quotas).toEqual([{ quotaId: hub.quota, name: 'Main hall', event: 'Fixture Event' }]);
    expect(JSON.stringify(status)).not.toContain(hub.token);
  });

  it('pairs as a pretix device with the code of the setup QR code, which works only once', async () => {
    const code = await hub.newPairingCode();
    const first = await desk();
    const pairing = { url: hub.url, kind: 'pairing', token: code, event: 'gala' } as const;
    const status = await first.ok('sync.connect', pairing);
    expect(status.server).toMatchObject({
      organizer: 'box-office',
      scheme: 'Device',
      eventName: 'Fixture Event',
    });
    const second = await desk();
    expect(errorOf(await second.rpc.call('sync.connect', pairing))).toEqual({
      code: 'sync_token_used',
      message:
        'This pairing code has already been used. Create a new device on the server and use its new code.',
    });
    expect(
      errorOf(await second.rpc.call('sync.connect', { ...pairing, token: 'abcdefgh12345678' })),
    ).toMatchObject({
      code: 'sync_token_unknown',
    });
    expect((await second.ok('sync.status', {})).server).toBeNull();
  });

  it('asks a cashier for a manager’s PIN and records who authorised the connection', async () => {
    const { engine, ok, rpc, byToken } = await desk();
    const cashier = engine.command((ctx) =>
      createCashier(ctx, { name: 'Eve', role: 'cashier', pin: '1111' }),
    );
    await ok('till.signOut', {});
    await ok('till.signIn', { cashierId: cashier.id, pin: '1111' });
    expect(errorOf(await byToken())).toMatchObject({
      code: 'manager_required',
      message: 'A manager’s PIN is needed for connecting this desk to a server.',
    });
    expect(errorOf(await byToken({ managerPin: '0000' }))).toMatchObject({ code: 'wrong_manager_pin' });
    expect((await ok('sync.status', {})).server).toBeNull();
    expect('result' in (await byToken({ managerPin: '9999' }))).toBe(true);
    const authorised = engine.db
      .prepare("SELECT action, detail FROM authorisations WHERE action = 'connect_server'")
      .all();
    expect(authorised).toEqual([
      { action: 'connect_server', detail: JSON.stringify({ url: `${hub.url}/`, event: 'gala' }) },
    ]);
    // The connection is in the journal with who authorised it; the chain still verifies.
    const journal = engine.db.prepare("SELECT payload FROM journal WHERE kind = 'authorisation'").all() as {
      payload: string;
    }[];
    expect(journal.map((j) => JSON.parse(j.payload) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ action: 'connect_server', cashier_id: cashier.id }),
    ]);
    expect(errorOf(await rpc.call('sync.disconnect', {}))).toMatchObject({ code: 'manager_required' });
  });
});

describe('allotments set at the desk', () => {
  it('holds the size chosen per quota at the hub, tops up after sales and gives back unsold places', async () => {
    const { engine, ok, byToken, link, rpc } = await desk();
    await byToken();
    await link.round();
    const before = await hub.available();
    let status = await ok('sync.allotment', { quotaId: hub.quota, size: 20 });
    expect(status.allotments).toEqual([
      expect.objectContaining({
        quotaId: hub.quota,
        name: 'Main hall',
        size: 20,
        held: 20,
        sold: 0,
        free: 20,
      }),
    ]);
    expect(await hub.available()).toBe(before - 20);

    // 12 sold: fewer than half the size left, so the next round tops up to sales + 20 and uploads the sales.
    for (let i = 0; i < 4; i++)
      sellAtDesk(engine, { lines: [{ item: hub.item, count: 3 }], paymentType: 'cash' });
    await link.round();
    status = await ok('sync.status', {});
    expect(status.allotments[0]).toMatchObject({ held: 32, sold: 12, uploaded: 12, free: 20 });
    expect(status.outbox).toEqual({ pending: 0, refused: 0 });
    expect(await hub.available()).toBe(before - 32);

    // Giving back: the server keeps only what was sold; the desk stops topping up.
    status = await ok('sync.allotment', { quotaId: hub.quota, size: 0 });
    expect(status.allotments[0]).toMatchObject({ size: 0, held: 12, sold: 12, free: 0 });
    expect(await hub.available()).toBe(before - 12);
    await link.round();
    expect(getAllotment(engine.db, hub.quota)).toMatchObject({ held: 12 });

    expect(errorOf(await rpc.call('sync.allotment', { quotaId: 987654, size: 5 }))).toMatchObject({
      code: 'sync_quota_unknown',
    });
    expect(errorOf(await rpc.call('sync.allotment', { quotaId: hub.quota, size: 2.5 }))).toMatchObject({
      code: 'invalid_input',
    });
  });
});

describe('a refused upload, decided by a manager', () => {
  it('is dropped after the server refused it: the sale stays at the desk, never uploaded, and the rest goes on', async () => {
    const { engine, ok, link, rpc, connected } = await desk();
    await connected(5);
    const bad = queueUploadTheHubRefuses(engine, 'BADXX');
    const good = sellAtDesk(engine, { lines: [{ item: hub.item, count: 1 }], paymentType: 'card' });
    await link.round();
    let status = await ok('sync.status', {});
    expect(status.refused).toEqual([
      expect.objectContaining({
        seq: bad.seq,
        orderCode: 'BADXX',
        reason: expect.stringContaining('987654'),
      }),
    ]);
    expect(listOutbox(engine.db, 'done').map((r) => r.order_code)).toEqual([good.code]);

    // Dropping twice, or a call that was not refused, changes nothing more.
    const cashier = engine.command((ctx) =>
      createCashier(ctx, { name: 'Eve', role: 'cashier', pin: '1111' }),
    );
    await ok('till.signOut', {});
    await ok('till.signIn', { cashierId: cashier.id, pin: '1111' });
    expect(errorOf(await rpc.call('sync.drop', { seq: bad.seq }))).toMatchObject({
      code: 'manager_required',
    });
    status = await ok('sync.drop', { seq: bad.seq, managerPin: '9999' });
    expect(status.refused).toEqual([]);
    expect(status.dropped).toEqual([
      expect.objectContaining({
        seq: bad.seq,
        orderCode: 'BADXX',
        reason: expect.stringContaining('987654'),
      }),
    ]);
    expect(errorOf(await rpc.call('sync.drop', { seq: bad.seq, managerPin: '9999' }))).toMatchObject({
      code: 'outbox_not_refused',
    });
    const journal = engine.db
      .prepare("SELECT kind, payload FROM journal WHERE kind = 'authorisation'")
      .all() as { payload: string }[];
    // The manager's own decisions are journaled too (connect, allotment); the drop names its order.
    expect(
      journal
        .map((j) => JSON.parse(j.payload) as { action: string; detail: unknown })
        .filter((j) => j.action === 'drop_upload'),
    ).toEqual([
      expect.objectContaining({ action: 'drop_upload', detail: { upload: bad.seq, order: 'BADXX' } }),
    ]);
    const audit = engine.db
      .prepare("SELECT actor, data FROM audit_log WHERE action_type = 'guichet.sync.upload.dropped'")
      .all() as { actor: string; data: string }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe('Eve at Box office 1');
    expect(verifyTillJournal(engine.db)).toMatchObject({ ok: true, unjournaled: [] });
    // The hub never sees it; the round after has nothing to send.
    expect((await hub.api('GET', 'events/gala/orders/BADXX/')).status).toBe(404);
    await link.round();
    expect(listOutbox(engine.db, 'dropped').map((r) => r.seq)).toEqual([bad.seq]);
  });
});

describe('disconnecting', () => {
  it('stops syncing, keeps what is owed to the event, and refuses another event until it is finished', async () => {
    const { engine, ok, byToken, link, rpc, connected } = await desk();
    await connected(4);
    const sale = sellAtDesk(engine, { lines: [{ item: hub.item, count: 1 }], paymentType: 'cash' });
    let status = await ok('sync.disconnect', {});
    expect(status.server).toBeNull();
    expect(status.outbox.pending).toBe(1);
    expect(errorOf(await rpc.call('sync.disconnect', {}))).toMatchObject({ code: 'sync_not_connected' });
    await link.round(); // not connected: nothing goes up
    expect(listOutbox(engine.db, 'pending').map((r) => r.order_code)).toEqual([sale.code]);

    expect(errorOf(await byToken({ event: 'matinee' }))).toEqual({
      code: 'sync_unfinished_elsewhere',
      message: `This desk still has 1 sales to upload, 4 places held with the event “gala” at ${hub.url}/. Connect it to that event again to finish them first.`,
    });
    status = await ok('sync.connect', {
      url: hub.url,
      kind: 'token',
      token: hub.token,
      organizer: 'box-office',
      event: 'gala',
    });
    await link.round();
    expect(listOutbox(engine.db, 'done').map((r) => r.order_code)).toEqual([sale.code]);
    status = await ok('sync.allotment', { quotaId: hub.quota, size: 0 });
    await ok('sync.disconnect', {});
    // Nothing owed any more: the desk may move to another event; the old copy and allotments are gone.
    status = await ok('sync.connect', {
      url: hub.url,
      kind: 'token',
      token: hub.token,
      organizer: 'box-office',
      event: 'matinee',
    });
    expect(status.server).toMatchObject({ event: 'matinee' });
    expect(status.allotments).toEqual([]);
  });
});
