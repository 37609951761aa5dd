import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../main/engine/engine';
import { sellAtDesk } from '../../main/sync/desk-sale';
import { stopAll } from '../sync/processes';
import { queueUploadTheHubRefuses, startServedHub, type ServedHub } from '../sync/served-hub';
import { DESK_DB, onDesk, page, readDeskDb, reloadDesk, rpc, screenshot } from './desk';

let hub: ServedHub;

/** The desk's own database, read as a manager checking it afterwards would. */
function query<T>(sql: string, ...params: unknown[]): T[] {
  return readDeskDb((db) => db.prepare(sql).all(...params) as T[]);
}

/** Work done on the desk's database from outside the page (a sale from the allotment, a bad upload). */
function onDeskEngine<T>(work: (engine: Engine) => T): T {
  const engine = Engine.open(DESK_DB);
  try {
    return work(engine);
  } finally {
    engine.close();
  }
}

onDesk(async () => {
  hub = await startServedHub();
});
afterAll(async () => {
  await hub?.stop();
  stopAll();
});

const panel = () => page.locator('[data-testid="sync-status"]');
const notice = () => page.locator('.notice').last();
const form = () => page.locator('[data-testid="sync-connect"]');
const dialog = () => page.locator('[role="alertdialog"]');

async function fillConnect(fields: { url: string; token: string; organizer?: string; event: string }) {
  await form().locator('select[name="kind"]').selectOption('token');
  await form().locator('input[name="url"]').fill(fields.url);
  await form().locator('input[name="token"]').fill(fields.token);
  await form()
    .locator('input[name="organizer"]')
    .fill(fields.organizer ?? 'box-office');
  await form().locator('input[name="event"]').fill(fields.event);
}

const quotaRow = () => panel().locator('[data-testid="sync-quota"]', { hasText: 'Main hall' });
const heldOnDesk = () =>
  query<{ held: number; sold: number; size: number }>('SELECT held, sold, size FROM sync_allotments')[0];

describe('a manager connects the desk to a hub from its settings', () => {
  it('answers nonsense, a silent server and a wrong token in plain words, and keeps no connection', async () => {
    await page.keyboard.press('Alt+7');
    await form().waitFor();
    await fillConnect({ url: 'htp:/nonsense here', token: hub.token, event: 'gala' });
    await form().locator('button[type="submit"]').click();
    await expect.poll(() => notice().textContent()).toContain('is not a server address');

    await fillConnect({ url: 'http://127.0.0.1:9/', token: hub.token, event: 'gala' });
    await page.keyboard.press('Enter');
    await expect
      .poll(() => notice().textContent())
      .toBe(
        'Nothing answers at http://127.0.0.1:9/. Check the address and that this computer is on the network.',
      );

    await fillConnect({ url: hub.url, token: 'not-the-token', event: 'gala' });
    await page.keyboard.press('Enter');
    await expect.poll(() => notice().textContent()).toContain('does not accept this API token');
    expect(query('SELECT * FROM sync_connection')).toEqual([]);
  });

  it('connects once though Connect is pressed twice, then names the event and its quota', async () => {
    await fillConnect({ url: hub.url, token: hub.token, event: 'gala' });
    const button = form().locator('button[type="submit"]');
    await button.dblclick();
    await page.keyboard.press('Enter').catch(() => undefined);
    await expect
      .poll(() => panel().locator('[data-testid="sync-server"]').textContent())
      .toBe(`Server: ${hub.url}/ · event “Fixture Event” of box-office`);
    expect(query('SELECT base_url, event, auth_scheme FROM sync_connection')).toEqual([
      { base_url: `${hub.url}/`, event: 'gala', auth_scheme: 'Token' },
    ]);
    expect(query("SELECT COUNT(*) AS n FROM audit_log WHERE action_type = 'guichet.sync.connected'")).toEqual(
      [{ n: 1 }],
    );
    // The served desk's own loop copies the hub's lists: the quota shows by its name and event.
    await expect.poll(() => quotaRow().count()).toBe(1);
    expect((await quotaRow().locator('td').allTextContents()).slice(0, 6)).toEqual([
      'Main hall',
      'Fixture Event',
      '0',
      '0',
      '0',
      '0',
    ]);
    await expect
      .poll(() => panel().locator('[data-testid="sync-link"]').textContent())
      .toMatch(/^Connected: the server answered /);
  });

  it('holds the size a manager sets, even when the page reloads mid-request, and refuses nonsense sizes', async () => {
    const size = quotaRow().locator('input[type="number"]');
    await size.fill('20');
    await size.press('Enter');
    await expect.poll(() => quotaRow().locator('td').nth(2).textContent()).toBe('20');
    expect(await hub.available()).toBe(80);

    await size.fill('-3');
    await size.press('Enter');
    expect(await quotaRow().textContent()).toContain('Enter a whole number of places, 0 or more.');
    expect(heldOnDesk()).toMatchObject({ held: 20, size: 20 });

    // Reloaded while the desk talks to the hub: the request still completes, desk and hub agree.
    await size.fill('12');
    await size.press('Enter');
    await reloadDesk(page);
    await page.keyboard.press('Alt+7');
    await expect.poll(() => heldOnDesk()).toMatchObject({ held: 12, size: 12 });
    await expect.poll(() => hub.available()).toBe(88);
    await expect.poll(() => quotaRow().locator('td').nth(2).textContent()).toBe('12');
    await panel().scrollIntoViewIfNeeded();
    await screenshot(page, 'sync-connected');
  });

  it('uploads a desk sale by itself, and a manager drops an upload the hub refused after confirming', async () => {
    const sale = onDeskEngine((engine) =>
      sellAtDesk(engine, { lines: [{ item: hub.item, count: 2 }], paymentType: 'cash' }),
    );
    onDeskEngine((engine) => queueUploadTheHubRefuses(engine, 'E2EBAD'));
    await expect
      .poll(async () => (await hub.api('GET', `events/gala/orders/${sale.code}/`)).status)
      .toBe(200);
    const row = panel().locator('[data-testid="sync-refused-row"]');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('987654');

    // Enter keeps it; Drop after reading what it means drops it.
    await row.locator('[data-action="drop"]').click();
    expect(await dialog().textContent()).toContain('The sale stays at this desk');
    await page.keyboard.press('Enter');
    await dialog().waitFor({ state: 'detached' });
    expect(query("SELECT state FROM sync_outbox WHERE order_code = 'E2EBAD'")).toEqual([
      { state: 'refused' },
    ]);
    await row.locator('[data-action="drop"]').click();
    await dialog().locator('[data-choice="drop"]').click();
    await expect.poll(() => panel().locator('[data-testid="sync-dropped-row"]').count()).toBe(1);
    expect(await row.count()).toBe(0);
    expect(query("SELECT state FROM sync_outbox WHERE order_code = 'E2EBAD'")).toEqual([
      { state: 'dropped' },
    ]);
    expect(query("SELECT actor FROM audit_log WHERE action_type = 'guichet.sync.upload.dropped'")).toEqual([
      { actor: 'Desk manager at Box office 1' },
    ]);
    expect((await hub.api('GET', 'events/gala/orders/E2EBAD/')).status).toBe(404);
  });

  it('gives back unsold places and disconnects, each after a confirmation', async () => {
    await expect.poll(() => heldOnDesk()).toMatchObject({ sold: 2 });
    await quotaRow().getByRole('button', { name: 'Give back unsold places' }).click();
    expect(await dialog().textContent()).toContain('Give back the unsold places of Main hall?');
    await dialog().locator('[data-choice="give"]').click();
    await expect.poll(() => heldOnDesk()).toMatchObject({ held: 2, sold: 2, size: 0 });
    await expect.poll(() => hub.available()).toBe(98);

    await panel().locator('[data-testid="sync-disconnect"]').click();
    expect(await dialog().textContent()).toContain(`Disconnect this desk from ${hub.url}/?`);
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    expect(query('SELECT disconnected FROM sync_connection')).toEqual([{ disconnected: null }]);
    await panel().locator('[data-testid="sync-disconnect"]').click();
    await dialog().locator('[data-choice="disconnect"]').click();
    await expect
      .poll(() => panel().locator('[data-testid="sync-link"]').textContent())
      .toBe('Not connected to a server');
    expect((await rpc(page, 'sync.status', {})).server).toBeNull();
  });
});
