import { describe, expect, it } from 'vitest';
import { eventIdOf, rpc, screenshot, onEventDesk, page, api } from './desk';

let secret = '';
let orderCode = '';

onEventDesk(
  { name: 'Night Concert', slug: 'concert', item: 'Seat', price: '25.00', size: 50 },
  async ({ itemId }) => {
    await api('POST', 'events/concert/checkinlists/', { name: 'Main door', all_products: true });
    const eventId = await eventIdOf(page, 'concert');
    // A paid ticket sold the way the desk sells: a cart, then a cash sale.
    const cartId = `desk-${Date.now().toString(16)}c0ffee@api`;
    await rpc(page, 'cart.add', {
      cartId,
      eventId,
      subeventId: null,
      itemId,
      variationId: null,
      count: 1,
    });
    const sale = await rpc(page, 'sale.complete', {
      cartId,
      eventId,
      subeventId: null,
      email: null,
      payment: { method: 'cash', given: '25.00' },
      positions: [{ itemId, variationId: null, attendeeName: 'Clara Schumann', answers: [] }],
    });
    orderCode = sale.orderCode;
    secret = (await rpc(page, 'orders.get', { code: orderCode })).positions[0]!.secret;
  },
);

async function scan(code: string) {
  await page.fill('[data-testid="scan-input"]', code);
  await page.press('[data-testid="scan-input"]', 'Enter');
}

describe('check-in at the desk', () => {
  it('scans a paid ticket as valid, then as already used, and an unknown code as unknown', async () => {
    await page.keyboard.press('Alt+8');
    await page.waitForSelector('.screen.checkin');
    await page.selectOption('.checkin .topbar select >> nth=0', { label: 'Night Concert' });
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLSelectElement>('[data-testid="checkin-list"]')?.selectedOptions[0]
          ?.textContent === 'Main door',
    );
    await page.waitForSelector('[data-testid="checkin-counts"] >> text=0 of 1 checked in');
    // The scan field has the focus: a scanner types the secret and Enter.
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'scan-input');
    await page.keyboard.type(secret);
    await page.keyboard.press('Enter');
    const result = page.locator('[data-testid="scan-result"]');
    await page.waitForSelector('[data-testid="scan-result"][data-status="ok"]');
    expect(await result.textContent()).toContain('Clara Schumann');
    expect(await result.getAttribute('class')).toContain('ok');
    await page.waitForSelector('[data-testid="checkin-counts"] >> text=1 of 1 checked in');

    await scan(secret);
    await page.waitForSelector('[data-testid="scan-result"][data-reason="already_redeemed"]');
    expect(await result.textContent()).toContain('Already checked in');
    expect(await result.textContent()).toContain('Checked in at');
    expect(await result.getAttribute('class')).toContain('warn');

    await scan('not-a-ticket-0000');
    await page.waitForSelector('[data-testid="scan-result"][data-reason="invalid"]');
    expect(await result.textContent()).toContain('Unknown ticket');
    expect(await result.getAttribute('class')).toContain('bad');
  });

  it('finds a ticket by name or order code and redeems it by keyboard', async () => {
    await page.keyboard.press('F2');
    await page.keyboard.type(orderCode);
    await page.locator('[data-testid="checkin-hit"]', { hasText: 'Clara Schumann' }).waitFor();
    await page.fill('[data-testid="checkin-search"]', 'clara');
    await page.locator('[data-testid="checkin-hit"]', { hasText: orderCode }).waitFor();
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="scan-result"][data-reason="already_redeemed"]');
    await page.keyboard.press('Escape');
    await scan(secret);
    await page.waitForSelector('[data-testid="scan-result"][data-reason="already_redeemed"]');
    await page.waitForTimeout(150);
    await screenshot(page, 'checkin');
  });

  it('adds a scanner device in Settings with its pairing QR code, and revokes it', async () => {
    await page.keyboard.press('Alt+7');
    await page.fill('form[aria-label="new-device"] input', 'Main entrance');
    await page.press('form[aria-label="new-device"] input', 'Enter');
    const pairing = page.locator('[data-testid="pairing"]');
    await pairing.waitFor();
    const url = (await page.textContent('[data-testid="pairing-url"]')) ?? '';
    expect(url).toMatch(/^http:\/\/[\d.]+:\d+$/);
    const qr = (await pairing.locator('img').getAttribute('src')) ?? '';
    expect(decodeURIComponent(qr)).toContain('<svg');
    const device = page.locator('[data-testid="device"]', { hasText: 'Main entrance' });
    await device.waitFor();
    await pairing.scrollIntoViewIfNeeded();
    await screenshot(page, 'devices');
    await device.locator('button').click();
    await page.waitForSelector('tr.canceled[data-testid="device"]:has-text("Main entrance")');
    const listed = await rpc(page, 'devices.list', {});
    expect(listed.find((d) => d.name === 'Main entrance')?.revoked).toBe(true);
  });
});
