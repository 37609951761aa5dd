import { describe, expect, it } from 'vitest';
import { eventIdOf, reloadDesk, rpc, screenshot, onEventDesk, page, api } from './desk';

let eventId = 0;
let itemId = 0;

onEventDesk(
  { name: 'Workshop', slug: 'workshop', item: 'Place', price: '30.00', size: 20 },
  async (seeded) => {
    itemId = seeded.itemId;
    eventId = await eventIdOf(page, 'workshop');
  },
);

describe('back office at the desk', () => {
  it('approves one order and denies another from the approval queue', async () => {
    const place = (email: string) =>
      api('POST', 'events/workshop/orders/', {
        email,
        require_approval: true,
        positions: [{ item: itemId, attendee_name: email.split('@')[0] }],
      }) as Promise<{ code: string }>;
    const first = await place('first@example.org');
    const second = await place('second@example.org');
    await reloadDesk(page);
    await page.keyboard.press('Alt+3');
    await page.locator('[data-testid="approval"]', { hasText: second.code }).waitFor();
    const badge = Number(await page.textContent('[data-testid="approvals-count"]'));
    expect(badge).toBeGreaterThanOrEqual(2);
    const codes = await page.locator('[data-testid="approval"] strong').allTextContents();
    expect(codes.indexOf(first.code)).toBeLessThan(codes.indexOf(second.code));
    await screenshot(page, 'approvals-queue');

    const firstRow = page.locator('[data-testid="approval"]', { hasText: first.code });
    await firstRow.locator('input').fill('Regular customer');
    await firstRow.locator('button', { hasText: 'Approve' }).click();
    await page.locator('[data-testid="approval"]', { hasText: first.code }).waitFor({ state: 'detached' });
    const secondRow = page.locator('[data-testid="approval"]', { hasText: second.code });
    await secondRow.locator('input').fill('Fully booked');
    await secondRow.locator('button', { hasText: 'Deny' }).click();
    await page.locator('[role="alertdialog"] [data-choice="deny"]').click();
    await page.locator('[data-testid="approval"]', { hasText: second.code }).waitFor({ state: 'detached' });

    expect((await rpc(page, 'orders.get', { code: first.code })).status).toBe('n');
    expect((await rpc(page, 'orders.get', { code: first.code })).requireApproval).toBe(false);
    expect((await rpc(page, 'orders.get', { code: second.code })).status).toBe('c');
    await screenshot(page, 'approvals-done');
  });

  it('refunds half of an order: one of two positions, in cash', async () => {
    const sale = await rpc(page, 'sale.complete', {
      cartId: 'desk-0123456789abcdef@api',
      eventId,
      subeventId: null,
      positions: [
        { itemId, variationId: null, attendeeName: 'Grace Hopper', answers: [] },
        { itemId, variationId: null, attendeeName: 'Ada Lovelace', answers: [] },
      ],
      email: null,
      payment: { method: 'cash', given: '60' },
    });
    await page.keyboard.press('Alt+4');
    await page.fill('input[aria-label="Order code"]', sale.orderCode);
    await page.keyboard.press('Enter');
    await page.locator('.refund-form').waitFor();
    await page.locator('.refund-form label', { hasText: 'Ada Lovelace' }).locator('input').check();
    await page.selectOption('.refund-form select >> nth=0', { index: 1 });
    await page.locator('.refund-form button[type="submit"]').click();
    await page.locator('[role="alertdialog"] [data-choice="refund"]').click();
    await page.locator('[data-testid="order-detail"] li', { hasText: 'R1' }).waitFor();
    const order = await rpc(page, 'orders.get', { code: sale.orderCode });
    expect(order.status).toBe('p');
    expect(order.refunds).toMatchObject([{ amount: '30.00', state: 'done' }]);
    expect(order.positions.find((p) => p.attendeeName === 'Ada Lovelace')!.canceled).toBe(true);
    expect(order.positions.find((p) => p.attendeeName === 'Grace Hopper')!.canceled).toBe(false);
    await screenshot(page, 'refund-half');
  });
});
