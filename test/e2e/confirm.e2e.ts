import { describe, expect, it } from 'vitest';
import { eventIdOf, rpc, sellByKeyboard, onEventDesk, page } from './desk';

let eventId = 0;

onEventDesk(
  { name: 'Brass Band', slug: 'brass', item: 'Bench', price: '25.00', size: 40, quota: 'Park' },
  async ({ event }) => {
    expect(event.slug).toBe('brass');
    eventId = await eventIdOf(page, 'brass');
  },
);

async function sellOne(): Promise<string> {
  await page.keyboard.press('Alt+1');
  const code = await sellByKeyboard(page);
  await page.keyboard.press('Enter'); // next sale
  return code;
}

const dialog = () => page.locator('[role="alertdialog"]');

/** Cancels the open order with the dialog's `choice`; the order, canceled, as the desk reads it after. */
async function cancelOpenOrder(code: string, choice: 'refund' | 'cancel') {
  await page.click('[data-action="cancel"]');
  await page.click(`[data-choice="${choice}"]`);
  await page.locator('.notice.ok', { hasText: `Order ${code} canceled` }).waitFor();
  const order = await rpc(page, 'orders.get', { code });
  expect(order.status).toBe('c');
  return order;
}

describe('destructive actions ask first and say what follows', () => {
  it('Cancel order on a paid order asks, offers the refund, and Escape keeps the order', async () => {
    const code = await sellOne();
    await page.keyboard.press('Alt+2');
    await page.keyboard.type(code);
    await page.locator('[data-testid="order-hit"]', { hasText: code }).waitFor();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="order-detail"]', { hasText: code }).waitFor();

    await page.click('[data-action="cancel"]');
    await dialog().waitFor();
    const text = (await dialog().textContent()) ?? '';
    expect(text).toContain(`Cancel order ${code}?`);
    expect(text).toContain('paid (EUR 25.00)');
    expect(text).toContain('Cancel and refund EUR 25.00');
    // A stray Enter lands on "Keep the order".
    await page.keyboard.press('Enter');
    await dialog().waitFor({ state: 'detached' });
    expect((await rpc(page, 'orders.get', { code })).status).toBe('p');

    await page.click('[data-action="cancel"]');
    await dialog().waitFor();
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    expect((await rpc(page, 'orders.get', { code })).status).toBe('p');

    const order = await cancelOpenOrder(code, 'refund');
    expect(order.refunds).toHaveLength(1);
    expect(order.refunds[0]).toMatchObject({ amount: '25.00', state: 'done' });
    // The order list says so too.
    await page
      .locator('[data-testid="order-hit"]', { hasText: code })
      .locator('.status', { hasText: 'canceled' })
      .waitFor();
  });

  it('Cancel without refund on a paid order keeps the money on record', async () => {
    const code = await sellOne();
    await page.keyboard.press('Alt+2');
    await page.fill('input.search', code);
    await page.locator('[data-testid="order-hit"]', { hasText: code }).click();
    await page.locator('[data-testid="order-detail"]', { hasText: code }).waitFor();
    const order = await cancelOpenOrder(code, 'cancel');
    expect(order.refunds).toHaveLength(0);
  });

  it("Setup's × on a quota with sales says how many are sold and what becomes unsellable", async () => {
    await sellOne();
    await page.keyboard.press('Alt+6');
    await page.locator('.event-tabs button', { hasText: 'Brass Band' }).click();
    const quota = page.locator('[data-testid="quota"]', { hasText: 'Park' });
    await quota.waitFor();
    await page.click('[aria-label="Delete Park"]');
    await dialog().waitFor();
    const text = (await dialog().textContent()) ?? '';
    expect(text).toMatch(/\d+ ticket\(s\) sold/);
    expect(text).toContain('Not sellable afterwards (no other quota): Bench');
    await page.click('[role="alertdialog"] button:has-text("Keep")');
    await dialog().waitFor({ state: 'detached' });
    let view = await rpc(page, 'setup.event', { eventId });
    expect(view.quotas.map((q) => q.name)).toContain('Park');

    await page.click('[aria-label="Delete Park"]');
    await page.click('[data-choice="delete"]');
    await quota.waitFor({ state: 'detached' });
    view = await rpc(page, 'setup.event', { eventId });
    expect(view.quotas.map((q) => q.name)).not.toContain('Park');
  });
});
