import { describe, expect, it } from 'vitest';
import { rpc, screenshot, showEvent, onDesk, page, api } from './desk';

let firstSale = '';
const LONG = 'Festival-pass-with-backstage-access-and-a-name-nobody-shortened'.repeat(2);

onDesk(async () => {
  await api('POST', 'events/', {
    name: { en: 'Layout Fest' },
    slug: 'layout',
    currency: 'EUR',
    date_from: '2030-08-01T18:00:00Z',
  });
  const item = async (name: string, price: string) =>
    (await api('POST', 'events/layout/items/', {
      name: { en: name },
      default_price: price,
      admission: true,
    })) as {
      id: number;
    };
  const long = await item(LONG, '99.00');
  const seat = await item('Seat', '20.00');
  await api('POST', 'events/layout/quotas/', {
    name: 'All',
    size: 100,
    items: [long.id, seat.id],
    variations: [],
  });
  await api('POST', 'events/layout/questions/', {
    question: { en: 'Company' },
    type: 'S',
    required: false,
    items: [seat.id, long.id],
  });
  await showEvent(page, 'Layout Fest', 'Seat');
});

describe('the desk at 1366×768', () => {
  it('keeps Complete on screen with many cart lines, and long names inside the layout', async () => {
    await page.locator('.topbar select').blur();
    for (const key of ['1', '2', '2', '1', '2', '2']) {
      const before = await page.locator('.lines .line').count();
      await page.keyboard.press(key);
      await expect.poll(() => page.locator('.lines .line').count()).toBe(before + 1);
    }
    const complete = page.locator('.cart button.primary');
    const box = await complete.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y + box!.height).toBeLessThanOrEqual(768);
    expect(box!.y).toBeGreaterThanOrEqual(0);
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      tilesOverflow: Array.from(document.querySelectorAll('[data-testid="tile"]')).filter(
        (t) => t.scrollWidth > t.clientWidth + 1,
      ).length,
      cartOverflow: (() => {
        const cart = document.querySelector('.cart')!;
        return cart.scrollWidth > cart.clientWidth + 1;
      })(),
    }));
    expect(widths).toEqual({ page: 1366, tilesOverflow: 0, cartOverflow: false });
    await screenshot(page, 'sale-many-lines');
    await complete.click();
    const done = page.locator('[data-testid="sale-done"]');
    await done.waitFor();
    firstSale = /Order (\w+) paid/.exec((await done.textContent()) ?? '')![1]!;
    await page.keyboard.press('Enter');
  });

  it('opens a scanned order code with the scanner’s one Enter', async () => {
    const order = (await api('POST', 'events/layout/orders/', {
      email: 'scan@example.org',
      locale: 'en',
      sales_channel: 'web',
      positions: [
        { item: (await rpc(page, 'sales.tiles', { eventId: await eventId(), subeventId: null }))[1]!.itemId },
      ],
    })) as { code: string };
    await page.keyboard.press('Alt+2');
    // Hits of an earlier search are on screen when the scan comes in.
    await page.fill('input.search', firstSale);
    await page.locator('[data-testid="order-hit"]', { hasText: firstSale }).waitFor();
    await page.locator('input.search').selectText();
    // A busy desk: the search answers after the scanner's Enter.
    await page.route('**/rpc/orders.search', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await route.continue();
    });
    // A scanner types the whole code and Enter at once, faster than the search answers.
    await page.keyboard.insertText(order.code);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="order-detail"]', { hasText: order.code }).waitFor({ timeout: 5000 });
    await page.unroute('**/rpc/orders.search');
  });

  it('confirms mark paid, extend, name change and reprint', async () => {
    const code = (await page.locator('[data-testid="order-detail"] .order-head h2').textContent())!.split(
      ' ',
    )[0]!;
    await page.fill('[aria-label="Expires"]', '2030-07-30');
    await page.click('[data-action="extend"]');
    await page.locator('.notice.ok', { hasText: `Order ${code} now expires on 2030-07-30` }).waitFor();
    await page.click('[data-action="mark_paid"]');
    await page.locator('.notice.ok', { hasText: `Order ${code} marked paid` }).waitFor();
    await page
      .locator('[data-testid="order-hit"]', { hasText: code })
      .locator('.status', { hasText: 'paid' })
      .waitFor();
    await page.click('[data-action="change_name"]');
    await page.fill('[aria-label="Change name"]', 'Grace Hopper');
    await page.press('[aria-label="Change name"]', 'Enter');
    await page.locator('.notice.ok', { hasText: 'Name changed to Grace Hopper' }).waitFor();
    await page.click('[data-action="reprint"]');
    await page.locator('.notice.ok', { hasText: `Tickets of ${code} sent to print` }).waitFor();
  });
});

async function eventId(): Promise<number> {
  const events = await rpc(page, 'events.list', {});
  return events.find((e) => e.slug === 'layout')!.id;
}
