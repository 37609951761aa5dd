import { describe, expect, it } from 'vitest';
import { passTime, saleDoneCode, screenshot, onEventDesk, page, api } from './desk';

// The catalog comes in through the pretix REST API of the same server, as a script would set it up.
onEventDesk({ name: 'Jazz Night', slug: 'jazz', item: 'Seat', price: '25.00', size: 3 }, async () => {
  await api('PATCH', 'events/jazz/settings/', { reservation_time: 1 });
  // The page's clock can be moved forward with the server's (passTime); it runs on its own until then.
  await page.clock.install();
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
    const code = await saleDoneCode(page);
    expect(await page.locator('[data-testid="sale-done"]').textContent()).toContain('10.00');
    await screenshot(page, 'keyboard-sale-done');

    await page.keyboard.press('Alt+2');
    await page.keyboard.type('Miles');
    await page.locator('[data-testid="order-hit"]', { hasText: code }).waitFor();
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
    // The event holds carts for one minute: a minute and a second later, for the server and the page.
    await passTime(page, 61_000);
    await page.locator('[data-testid="countdown"]', { hasText: 'expired' }).waitFor();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="tile"]')?.getAttribute('data-availability') === 'low',
    );
    await screenshot(page, 'reservation-expired');
  });
});
