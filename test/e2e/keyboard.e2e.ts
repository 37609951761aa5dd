import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, openDesk, restApi, screenshot } from './desk';

let browser: Browser;
let page: Page;
let api: Awaited<ReturnType<typeof restApi>>;

beforeAll(async () => {
  browser = await launch();
  page = await openDesk(browser);
  api = await restApi(page);
  // The catalog comes in through the pretix REST API of the same server, as a script would set it up.
  await api('POST', 'events/', {
    name: { en: 'Jazz Night' },
    slug: 'jazz',
    currency: 'EUR',
    date_from: '2030-06-01T19:00:00Z',
  });
  const item = (await api('POST', 'events/jazz/items/', {
    name: { en: 'Seat' },
    default_price: '25.00',
    admission: true,
  })) as { id: number };
  await api('POST', 'events/jazz/quotas/', { name: 'Club', size: 3, items: [item.id], variations: [] });
  await api('PATCH', 'events/jazz/settings/', { reservation_time: 1 });
  await page.reload();
  await page.waitForSelector('nav .nav-item');
  await page.selectOption('.topbar select', { label: 'Jazz Night' });
  await page.locator('[data-testid="tile"]', { hasText: 'Seat' }).waitFor();
});
afterAll(async () => {
  await browser?.close();
});

const seatTile = () => page.locator('[data-testid="tile"]', { hasText: 'Seat' });

describe('a sale by keyboard', () => {
  it('sells two tickets with attendee names by keyboard only and finds them in Orders', async () => {
    await page.locator('.topbar select').blur();
    await page.keyboard.press('1');
    await page.keyboard.press('1');
    await page.waitForSelector('.lines .line:nth-child(2)');
    await page.locator('[data-testid="countdown"]', { hasText: 'Reserved for' }).waitFor();
    await expect.poll(() => seatTile().textContent()).toContain('Only 1 left');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Nina Simone');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Miles Davis');
    await page.keyboard.press('Tab'); // email stays empty: walk-in sale
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('60');
    await expect.poll(() => page.locator('.payment .change').textContent()).toContain('10.00');
    await screenshot(page, 'keyboard-sale-cart');
    await page.keyboard.press('Control+Enter');
    const done = page.locator('[data-testid="sale-done"]');
    await done.waitFor();
    const code = /Order (\w+) paid/.exec((await done.textContent()) ?? '')?.[1];
    expect(code).toBeTruthy();
    expect(await done.textContent()).toContain('10.00');
    await screenshot(page, 'keyboard-sale-done');

    await page.keyboard.press('Alt+2');
    await page.keyboard.type('Miles');
    await page.locator('[data-testid="order-hit"]', { hasText: code! }).waitFor();
    await page.keyboard.press('Enter');
    const detail = page.locator('[data-testid="order-detail"]');
    await detail.waitFor();
    expect(await detail.textContent()).toContain('Nina Simone');
    expect(await detail.textContent()).toContain('Miles Davis');
    expect(await detail.textContent()).toContain('paid');
    await screenshot(page, 'keyboard-sale-order');
  });

  it('frees the tile again when a reservation expires', async () => {
    await page.keyboard.press('Alt+1');
    await page.keyboard.press('Enter'); // next sale
    await seatTile().waitFor();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="tile"]')?.getAttribute('data-availability') === 'low',
    );
    await page.keyboard.press('1');
    await page.locator('[data-testid="countdown"]', { hasText: 'Reserved for' }).waitFor();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="tile"]')?.getAttribute('data-availability') === 'sold_out',
    );
    await screenshot(page, 'reservation-held');
    // The event holds carts for one minute.
    await page.locator('[data-testid="countdown"]', { hasText: 'expired' }).waitFor({ timeout: 75_000 });
    await page.waitForFunction(
      () => document.querySelector('[data-testid="tile"]')?.getAttribute('data-availability') === 'low',
      undefined,
      { timeout: 15_000 },
    );
    await screenshot(page, 'reservation-expired');
  }, 120_000);
});
