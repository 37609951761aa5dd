import { describe, expect, it } from 'vitest';
import { onDesk, page, rpc, screenshot } from './desk';

onDesk();

async function tileOf(name: string) {
  return page.locator('[data-testid="tile"]', { hasText: name });
}

describe('selling at the desk', () => {
  it('sets up an event, an item and a quota in Setup, and the tile appears in Sales', async () => {
    await page.keyboard.press('Alt+6');
    await page.fill('form[aria-label="new-event"] [name="name"]', 'Spring Gala');
    await page.fill('form[aria-label="new-event"] [name="slug"]', 'spring-gala');
    await page.fill('form[aria-label="new-event"] [name="date_from"]', '2030-05-01T19:30');
    await page.press('form[aria-label="new-event"] [name="slug"]', 'Enter');
    await page.waitForSelector('form[aria-label="new-item"]');
    await page.fill('form[aria-label="new-item"] [name="name"]', 'Standing');
    await page.fill('form[aria-label="new-item"] [name="price"]', '12.50');
    await page.press('form[aria-label="new-item"] [name="price"]', 'Enter');
    await page.waitForSelector('td:has-text("Standing")');
    await page.fill('form[aria-label="new-quota"] [name="name"]', 'Hall');
    await page.fill('form[aria-label="new-quota"] [name="size"]', '3');
    await page.check('form[aria-label="new-quota"] input[name="items"]');
    await page.press('form[aria-label="new-quota"] [name="size"]', 'Enter');
    await page.waitForSelector('[data-testid="quota"]:has-text("Hall")');
    await screenshot(page, 'setup-event');
    await page.keyboard.press('Alt+1');
    await page.selectOption('.topbar select', { label: 'Spring Gala' });
    const tile = await tileOf('Standing');
    await tile.waitFor();
    expect(await tile.getAttribute('data-availability')).toBe('ok');
    expect(await tile.textContent()).toContain('12.50');
    expect(await tile.textContent()).toContain('3 left');
  });

  it('quick-sells one anonymous cash ticket in one key press, with its ticket PDF', async () => {
    await page.keyboard.press('Alt+7');
    await page.selectOption('[data-testid="quick-sell-item"]', { label: 'Standing' });
    await page.waitForSelector('.notice.ok');
    await page.keyboard.press('Alt+1');
    await (await tileOf('Standing')).waitFor();
    await page.locator('body').click({ position: { x: 600, y: 400 } });
    await page.keyboard.press('F9');
    const done = page.locator('[data-testid="sale-done"]');
    await done.waitFor();
    const code = /Order (\w+) paid/.exec((await done.textContent()) ?? '')?.[1];
    expect(code).toBeTruthy();
    await page.locator('[data-testid="ticket-pdf"]').waitFor();
    const order = await rpc(page, 'orders.get', { code: code! });
    expect(order.status).toBe('p');
    expect(order.positions).toHaveLength(1);
    expect(order.positions[0]!.attendeeName).toBeNull();
    expect(order.payments[0]).toMatchObject({ provider: 'boxoffice', state: 'confirmed', amount: '12.50' });
    await screenshot(page, 'quick-sell');
  });

  it('shows the tile as sold out when the quota is gone, and refuses a further sale', async () => {
    // One press, one sale: each waits for the one before to be answered.
    for (let i = 0; i < 2; i++) {
      const before = await page.locator('[data-testid="sale-done"] .done-title').textContent();
      await page.keyboard.press('F9');
      await page.waitForFunction(
        (text) => document.querySelector('[data-testid="sale-done"] .done-title')?.textContent !== text,
        before,
      );
    }
    const tile = await tileOf('Standing');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="tile"]')?.getAttribute('data-availability') === 'sold_out',
    );
    expect(await tile.textContent()).toContain('Sold out');
    expect(await tile.isDisabled()).toBe(true);
    await page.keyboard.press('F9');
    await page.locator('.notice.error').waitFor();
    await screenshot(page, 'sold-out');
  });
});
