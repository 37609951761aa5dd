import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  bundleDeskProcess,
  DeskProcess,
  HubProcess,
  hubApi,
  prepareHubDatabase,
  Relay,
  sleep,
  stopAll,
  until,
  webShop,
} from './processes';

/**
 * Real processes: a hub `guichet serve` on its own database and three desks, each its own process with
 * its own database, selling the last places of one quota of 100 through pretix's API while a web shop
 * orders straight from the hub. Every check reads the hub through its REST API and the desks from their
 * own databases.
 */
const dirs: string[] = [];
afterEach(() => {
  stopAll();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const QUOTA_SIZE = 100;

async function scenario() {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-sync-'));
  dirs.push(dir);
  await bundleDeskProcess();
  const db = prepareHubDatabase(dir, QUOTA_SIZE);
  const hub = new HubProcess(db.dbPath);
  await hub.start();
  const link = new Relay(hub.port);
  await link.open();
  const api = hubApi(() => link.url, db.token);
  const desk = (name: string, url: () => string, allotment: number, paceMs: number) =>
    new DeskProcess(join(dir, `${name}.sqlite`), {
      url,
      token: db.token,
      quota: db.quota,
      item: db.item,
      allotment,
      paceMs,
    });
  /** The web shop buying through the link at `paceMs` until the hub is sold out once `desksDone()`. */
  const shop = (paceMs: number, desksDone: () => boolean) =>
    webShop({
      url: () => link.url,
      token: db.token,
      item: db.item,
      paceMs,
      soldOut: async () => desksDone() && (await api.availability(db.quota)).available_number === 0,
    });
  return { dir, db, hub, link, api, desk, shop };
}

/**
 * Exactly `QUOTA_SIZE` places sold at the hub, every desk sale there once with the desk's own code and
 * secrets, nothing blocked any more, every web order the shop was told about there, nothing else; and every
 * ticket a desk printed is valid once at the hub's check-in.
 */
async function expectEverythingSoldOnce(
  api: ReturnType<typeof hubApi>,
  quota: number,
  desks: DeskProcess[],
  webCodes: string[],
) {
  const availability = await api.availability(quota);
  expect(availability).toMatchObject({ paid_orders: QUOTA_SIZE, blocking_vouchers: 0, available_number: 0 });

  const orders = await api.orders();
  const byCode = new Map(orders.map((o) => [o.code, o]));
  expect(byCode.size).toBe(orders.length);
  const hubSecrets = orders.flatMap((o) => o.positions.map((p) => p.secret));
  expect(hubSecrets).toHaveLength(QUOTA_SIZE);
  expect(new Set(hubSecrets).size).toBe(QUOTA_SIZE);

  const deskSales = desks.flatMap((d) => d.sales());
  expect(deskSales.filter((s) => s.state !== 'done')).toEqual([]);
  for (const sale of deskSales) {
    expect(
      byCode
        .get(sale.code)
        ?.positions.map((p) => p.secret)
        .sort(),
    ).toEqual([...sale.secrets].sort());
  }
  const deskCodes = new Set(deskSales.map((s) => s.code));
  const webAtHub = orders.filter((o) => !deskCodes.has(o.code)).map((o) => o.code);
  expect(webAtHub.sort()).toEqual([...webCodes].sort());
  expect(deskSales.flatMap((s) => s.secrets).length + webCodes.length).toBe(QUOTA_SIZE);

  const list = await api.checkinList();
  const deskSecrets = deskSales.flatMap((s) => s.secrets);
  const results = [];
  for (const secret of deskSecrets) results.push(await api.redeem(list, secret));
  expect(results.filter((r) => r !== 'ok')).toEqual([]);
  expect(await api.redeem(list, deskSecrets[0]!)).toBe('already_redeemed');
  return { deskSales, orders };
}

describe('desks and a hub as real processes', () => {
  it('three desks (one cut off for the whole sale) and a web shop sell a quota of 100 exactly once', async () => {
    const { db, hub, link, api, desk, shop } = await scenario();

    // The desk that will be cut off has its own link to the hub; it takes its allotment, then the link goes.
    const cable = new Relay(hub.port);
    await cable.open();
    const cutOff = desk('desk-c', () => cable.url, 15, 0);
    cutOff.start();
    await until('the cut-off desk to hold places', () => cutOff.events.some((e) => (e.held ?? 0) > 0));
    await cable.cut();

    const desks = [desk('desk-a', () => link.url, 10, 5), desk('desk-b', () => link.url, 10, 5)];
    for (const d of desks) d.start();
    const online = () => desks.every((d) => d.finished);
    const web = shop(20, online);
    const { codes, quotaRefusals } = await web;
    await until('the online desks to finish', online);

    // Offline all along, the cut-off desk sold its whole allotment and could upload none of it.
    await until(
      'the cut-off desk to sell its allotment',
      () => cutOff.events.filter((e) => e.secret).length === 15,
    );
    expect(cutOff.running).toBe(true);
    expect(cutOff.events.some((e) => e.uploading)).toBe(true);
    // Its places are still blocked at the hub (all but an upload the hub took as the link went, if any).
    expect(cutOff.sales().filter((sale) => sale.state !== 'done')).toHaveLength(15);
    const blocked = await api.availability(db.quota);
    expect(blocked.available_number).toBe(0);
    expect(blocked.paid_orders + blocked.blocking_vouchers).toBe(QUOTA_SIZE);
    expect(blocked.blocking_vouchers).toBeGreaterThanOrEqual(14);

    // Its link comes back while it is waiting out its backoff: it uploads at once and finishes.
    await sleep(1500);
    const back = Date.now();
    await cable.restore();
    await until('the cut-off desk to upload and finish', () => cutOff.finished, 20_000);
    const uploadSeconds = (Date.now() - back) / 1000;

    const { deskSales } = await expectEverythingSoldOnce(api, db.quota, [...desks, cutOff], codes);
    expect(cutOff.sales()).toHaveLength(15);
    console.log(
      `cut-off desk: 15 sales uploaded ${uploadSeconds.toFixed(1)} s after its link came back; ` +
        `desks sold ${deskSales.length}, web shop ${codes.length} (refused for quota ${quotaRefusals} times)`,
    );
    await hub.stop();
  }, 120_000);

  it('survives SIGKILLs of desks and of the hub during uploads: no upload lost or doubled', async () => {
    const { db, hub, link, api, desk, shop } = await scenario();
    const desks = ['desk-a', 'desk-b', 'desk-c'].map((name) => desk(name, () => link.url, 5, 250));
    let uploading: DeskProcess | undefined;
    let wake: (() => void) | undefined;
    for (const d of desks) {
      d.onEvent((e) => {
        if (!e.uploading) return;
        uploading = d;
        wake?.();
      });
      d.start();
    }
    const finished = () => desks.every((d) => d.finished);
    const web = shop(250, finished);
    /** Resolves with the next desk that starts an upload, or undefined after `ms`. */
    const nextUpload = (ms: number) =>
      new Promise<DeskProcess | undefined>((resolve) => {
        uploading = undefined;
        const timer = setTimeout(() => resolve(undefined), ms);
        wake = () => {
          clearTimeout(timer);
          wake = undefined;
          resolve(uploading);
        };
      });

    // Every fifth kill is the hub's; the others hit the desk that has just started an upload.
    const kills = { hub: 0, desks: 0 };
    for (let round = 0; round < 22 && !finished(); round++) {
      const target = await nextUpload(10_000);
      if (!target) continue;
      await sleep(Math.random() * 15);
      if (round % 5 === 4) {
        await hub.kill();
        kills.hub += 1;
        await hub.start();
        link.target = hub.port;
      } else if (target.running) {
        await target.kill();
        kills.desks += 1;
        target.start();
      }
    }
    wake = undefined;
    const progress = setInterval(() => {
      if (process.env.DESK_TRACE)
        process.stderr.write(
          `PROGRESS ${JSON.stringify(desks.map((d) => [d.running, d.exitCode, d.events.at(-1)]))}\n`,
        );
    }, 5000);
    await until('every desk to finish', finished, 90_000).finally(() => clearInterval(progress));
    const { codes } = await web;

    expect(kills.hub + kills.desks).toBeGreaterThanOrEqual(20);
    expect(kills.hub).toBeGreaterThanOrEqual(4);
    const { deskSales, orders } = await expectEverythingSoldOnce(api, db.quota, desks, codes);
    const resent = desks.flatMap((d) => d.sales()).length;
    console.log(
      `SIGKILLs: ${kills.desks} of desks, ${kills.hub} of the hub; hub orders ${orders.length}, ` +
        `positions ${orders.reduce((n, o) => n + o.positions.length, 0)}; desk sales ${resent} ` +
        `(${deskSales.flatMap((s) => s.secrets).length} tickets), web orders ${codes.length}`,
    );
    await hub.stop();
  }, 180_000);
});
