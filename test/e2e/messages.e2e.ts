import { describe, expect, it } from 'vitest';
import { onEventDesk, page } from './desk';

/** What a cashier must never read in a message: field paths and code names. */
const TECHNICAL = /positions[:.[]|answers:|attendeeName|default_price|^item:|^given:|^amount:|\.\d+\.[a-z]/;

onEventDesk({ name: 'Poetry Slam', slug: 'slam', item: 'Entry', price: '25.00', size: 20 });

const errors = () => page.locator('.notice.error');
const oks = () => page.locator('.notice.ok');

describe('each action clears the message of the one before', () => {
  it('Sales: a short cash payment is refused in a sentence, and gone once the sale completes', async () => {
    await page.locator('.topbar select').blur();
    await page.keyboard.press('1');
    await page.locator('.lines .line').first().waitFor();
    await page.fill('[aria-label="Amount given"]', '5');
    await page.keyboard.press('Control+Enter');
    await errors().waitFor();
    const text = (await errors().textContent()) ?? '';
    expect(text).toContain('Amount given');
    expect(text).not.toMatch(TECHNICAL);
    await page.fill('[aria-label="Amount given"]', '30');
    await page.keyboard.press('Control+Enter');
    await page.locator('[data-testid="sale-done"]').waitFor();
    expect(await errors().count()).toBe(0);
  });

  it('Refunds: a refund with nothing chosen is refused, and the refusal goes with the next refund', async () => {
    const code = /Order (\w+) paid/.exec(
      (await page.locator('[data-testid="sale-done"]').textContent()) ?? '',
    )?.[1];
    expect(code).toBeTruthy();
    await page.keyboard.press('Alt+4');
    await page.fill('[aria-label="Order code"]', code!);
    await page.press('[aria-label="Order code"]', 'Enter');
    await page.locator('.refund-form').waitFor();
    await page.click('.refund-form button[type="submit"]');
    await errors().waitFor();
    expect(await errors().textContent()).not.toMatch(TECHNICAL);
    await page.fill('.refund-form [aria-label="or this amount"]', '5');
    await page.click('.refund-form button[type="submit"]');
    await page.locator('[role="alertdialog"] [data-choice="refund"]').click();
    await page.locator('[data-testid="order-detail"]', { hasText: 'R1' }).waitFor();
    expect(await errors().count()).toBe(0);
  });

  it('Setup: a bad price is refused without field names, and only "Saved" shows after the fix', async () => {
    await page.keyboard.press('Alt+6');
    await page.locator('.setup button', { hasText: 'Poetry Slam' }).click();
    const form = 'form[aria-label="new-item"]';
    await page.waitForSelector(form);
    await page.fill(`${form} [name="name"]`, 'Late entry');
    await page.fill(`${form} [name="price"]`, 'lots');
    await page.press(`${form} [name="price"]`, 'Enter');
    await errors().waitFor();
    const text = (await errors().textContent()) ?? '';
    expect(text).toMatch(/^Price: /);
    expect(text).not.toMatch(TECHNICAL);
    await page.fill(`${form} [name="price"]`, '30');
    await page.press(`${form} [name="price"]`, 'Enter');
    await oks().waitFor();
    expect(await errors().count()).toBe(0);
  });
});
