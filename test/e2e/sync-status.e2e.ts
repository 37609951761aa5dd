import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DESK_DB, DESK_URL, onDesk, page, readDeskDb, reloadDesk, rpc, screenshot } from './desk';

onDesk();

/**
 * The desk's sync tables as a desk connected to a hub leaves them. The "hub" is the desk's own REST API,
 * which refuses the token: the served desk's sync loop finds a server that answers, and uploads nothing.
 */
function connectDesk(): void {
  const db = new Database(DESK_DB, { fileMustExist: true });
  try {
    const now = new Date().toISOString();
    db.prepare(
      `INSERT INTO sync_connection (id, base_url, organizer, event, auth_scheme, api_token, device_id,
         connected, last_contact, unreachable_since, last_sync)
       VALUES (1, ?, 'hub-org', 'fest', 'Token', 'e2e-token', NULL, ?, ?, NULL, ?)`,
    ).run(DESK_URL, now, now, now);
    db.prepare(
      `INSERT INTO sync_allotments (quota_id, voucher_id, voucher_code, target, held, sold, uploaded)
       VALUES (41, 7, 'DESKE2E41', 20, 20, 3, 1)`,
    ).run();
    const outbox = db.prepare(
      `INSERT INTO sync_outbox (idempotency_key, kind, method, path, body, order_code, state, reason, created)
       VALUES (?, 'order', 'POST', '/api/v1/organizers/hub-org/events/fest/orders/', '{}', ?, ?, ?, ?)`,
    );
    outbox.run('e2e-sale-1', 'SYNC1', 'refused', 'The product "Day ticket" does not exist.', now);
    outbox.run('e2e-sale-2', 'SYNC2', 'pending', null, now);
  } finally {
    db.close();
  }
}

describe('the link to the server on the desk', () => {
  it('says a desk without a connection is not connected, in English and German', async () => {
    await page.keyboard.press('Alt+7');
    const link = page.locator('[data-testid="sync-link"]');
    await expect.poll(() => link.textContent()).toBe('Not connected to a server');
    await page.selectOption('[data-testid="language"]', 'de');
    await expect.poll(() => link.textContent()).toBe('Mit keinem Server verbunden');
    await page.selectOption('[data-testid="language"]', 'en');
  });

  it('shows a connected desk: last sync, outbox, places held, and retries a refused upload after confirmation', async () => {
    connectDesk();
    await reloadDesk(page);
    await page.keyboard.press('Alt+7');
    const panel = page.locator('[data-testid="sync-status"]');
    await expect
      .poll(() => panel.locator('[data-testid="sync-link"]').textContent())
      .toMatch(/^Connected: the server answered /);
    expect(await panel.locator('[data-testid="sync-outbox"]').textContent()).toBe(
      'Waiting to upload: 1 · refused by the server: 1',
    );
    expect(await panel.locator('[data-testid="sync-last"]').textContent()).not.toContain('never');
    // Quota 41: 20 places held, 3 sold, 1 uploaded, 17 free;
    // before the desk has a copy of the server's quotas, a quota is named by its number.
    const cells = await panel.locator('[data-testid="sync-allotments"] tbody td').allTextContents();
    expect(cells.slice(0, 6)).toEqual(['Quota 41', '', '20', '3', '1', '17']);
    const row = panel.locator('[data-testid="sync-refused-row"]');
    expect(await row.textContent()).toContain('The product "Day ticket" does not exist.');
    await screenshot(page, 'sync-status');

    // Keeping it waiting changes nothing: the focus is on "Keep it waiting", Enter keeps.
    await row.locator('[data-action="retry"]').click();
    const dialog = page.locator('[role="alertdialog"]');
    expect(await dialog.textContent()).toContain('Send order SYNC1 to the server again?');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect((await rpc(page, 'sync.status', {})).outbox).toEqual({ pending: 1, refused: 1 });

    // The signed-in manager retries it: it waits to upload again.
    await row.locator('[data-action="retry"]').click();
    await dialog.locator('[data-choice="retry"]').click();
    await expect
      .poll(() => panel.locator('[data-testid="sync-outbox"]').textContent())
      .toBe('Waiting to upload: 2 · refused by the server: 0');
    expect(await row.count()).toBe(0);
    expect(
      readDeskDb((db) => db.prepare("SELECT state FROM sync_outbox WHERE order_code = 'SYNC1'").get()),
    ).toEqual({ state: 'pending' });
  });
});
