import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api, onEventDesk, page, readDeskDb, reloadDesk, rpc, screenshot, sellByKeyboard } from './desk';

/**
 * What a busy cashier does to the desk without meaning to: a form sent twice (Enter pressed twice, a
 * double click), checked in the database afterwards: every cash movement and refund once.
 */
let entry = 0;
onEventDesk(
  { name: 'Busy Night', slug: 'busy-night', item: 'Entry', price: '25.00', size: 100 },
  async (seeded) => {
    entry = seeded.itemId;
  },
);

/** An order placed through the REST API, as a web shop would, waiting for payment or for approval. */
async function placed(requireApproval: boolean): Promise<string> {
  const order = (await api('POST', 'events/busy-night/orders/', {
    email: 'guest@example.org',
    require_approval: requireApproval,
    positions: [{ item: entry }],
  })) as { code: string };
  return order.code;
}

/** Sends the form holding `field` twice in a row, as Enter pressed twice before the first answer does. */
async function submitTwice(field: string): Promise<void> {
  await page.locator(field).evaluate((input) => {
    const form = (input as HTMLInputElement).form!;
    form.requestSubmit();
    form.requestSubmit();
  });
}

const count = (sql: string, ...params: unknown[]) =>
  readDeskDb((db) => (db.prepare(sql).get(...params) as { n: number }).n);

/** A new sale on the Sales screen with one Entry in its cart, keys to the screen. */
async function oneEntryInCart() {
  await page.keyboard.press('Alt+1');
  await page.locator('[data-testid="tile"]', { hasText: 'Entry' }).waitFor();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('1');
  await page.locator('.lines .line').waitFor();
}

/** An order placed for approval, and its row in the approval queue (Alt+3). */
async function waitingForApproval() {
  const code = await placed(true);
  await reloadDesk(page);
  await page.keyboard.press('Alt+3');
  return { code, row: page.locator('[data-testid="approval"]', { hasText: code }) };
}

describe('a form sent twice acts once', () => {
  it('cash put into the drawer is recorded once', async () => {
    const before = count('SELECT COUNT(*) AS n FROM cash_movements');
    await page.keyboard.press('Alt+9');
    await page.fill('input[aria-label="Amount"]', '20');
    await page.fill('input[aria-label="Reason"]', 'coins for change');
    await submitTwice('input[aria-label="Reason"]');
    await page.locator('.notice', { hasText: 'Recorded.' }).waitFor();
    await page.waitForTimeout(300);
    expect(count('SELECT COUNT(*) AS n FROM cash_movements')).toBe(before + 1);
    await expect.poll(() => page.inputValue('input[aria-label="Reason"]')).toBe('');
  });

  it('a refund is recorded once', async () => {
    await page.keyboard.press('Alt+1');
    await page.locator('[data-testid="tile"]', { hasText: 'Entry' }).waitFor();
    const code = await sellByKeyboard(page);
    await page.keyboard.press('Alt+4');
    await page.fill('input[aria-label="Order code"]', code);
    await page.keyboard.press('Enter');
    await page.locator('.refund-form').waitFor();
    await page.fill('input[aria-label="or this amount"]', '5');
    await submitTwice('input[aria-label="or this amount"]');
    // Money leaves the drawer: asked once, with the keeping choice focused.
    const question = page.locator('[role="alertdialog"]', { hasText: 'Refund EUR 5.00 of order' });
    await question.waitFor();
    expect(await page.locator('[role="alertdialog"]').count()).toBe(1);
    await question.locator('[data-choice="refund"]').click();
    await page.locator('[data-testid="refundable"]', { hasText: '20.00' }).waitFor();
    await page.waitForTimeout(300);
    const refunds = readDeskDb((db) =>
      db
        .prepare('SELECT r.amount FROM order_refunds r JOIN orders o ON o.id = r.order_id WHERE o.code = ?')
        .all(code),
    );
    expect(refunds).toEqual([{ amount: '5.00' }]);
  });
});

describe('a button clicked twice acts once, without a refusal after its success', () => {
  it('Approve in the approval queue', async () => {
    const { code, row } = await waitingForApproval();
    await row.locator('button', { hasText: 'Approve' }).dblclick();
    await row.waitFor({ state: 'detached' });
    await page.waitForTimeout(300);
    expect(await page.locator('.notice.error').count()).toBe(0);
    const order = readDeskDb((db) => db.prepare('SELECT status FROM orders WHERE code = ?').get(code));
    expect(order).toEqual({ status: 'n' });
  });

  it('Mark paid on an order', async () => {
    const code = await placed(false);
    await page.keyboard.press('Alt+2');
    await page.fill('input[aria-label="Order code, name, email or scanned ticket"]', code);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="order-detail"]', { hasText: code }).waitFor();
    await page.locator('[data-action="mark_paid"]').dblclick();
    await page.locator('[data-testid="order-detail"] li', { hasText: 'Cash' }).waitFor();
    await page.waitForTimeout(300);
    expect(await page.locator('.notice.error').count()).toBe(0);
    const payments = readDeskDb((db) =>
      db
        .prepare(
          "SELECT p.amount FROM order_payments p JOIN orders o ON o.id = p.order_id WHERE o.code = ? AND p.state = 'confirmed'",
        )
        .all(code),
    );
    expect(payments).toEqual([{ amount: '25.00' }]);
  });
});

describe('keys pressed while a sale completes', () => {
  it('a ticket key pressed during Ctrl+Enter starts the next sale and reserves nothing unseen', async () => {
    await oneEntryInCart();
    // Ctrl+Enter, then at once the next customer's ticket, before the sale's answer.
    await page.evaluate(() => {
      const press = (init: KeyboardEventInit) =>
        window.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, ...init }));
      press({ key: 'Enter', ctrlKey: true });
      press({ key: '1' });
    });
    await page.locator('.lines .line').waitFor();
    await page.waitForTimeout(400);
    expect(await page.locator('[data-testid="sale-done"]').count()).toBe(0);
    const reserved = count('SELECT COUNT(*) AS n FROM cart_positions');
    expect(reserved).toBe(await page.locator('.lines .line').count());
    await page.keyboard.press('F2');
    await page.locator('.lines .line').waitFor({ state: 'detached' });
    expect(count('SELECT COUNT(*) AS n FROM cart_positions')).toBe(0);
  });
});

describe('F2 pressed while a sale completes', () => {
  it('leaves the done sale on screen, with its order and change', async () => {
    await oneEntryInCart();
    await page.fill('input[aria-label="Amount given"]', '30');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const before = count('SELECT COUNT(*) AS n FROM orders');
    await page.evaluate(() => {
      const press = (init: KeyboardEventInit) =>
        window.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, ...init }));
      press({ key: 'Enter', ctrlKey: true });
      press({ key: 'F2' });
    });
    await page.locator('[data-testid="sale-done"]', { hasText: 'Change due: EUR 5.00' }).waitFor();
    await page.waitForTimeout(400);
    expect(await page.locator('[data-testid="sale-done"]').count()).toBe(1);
    expect(count('SELECT COUNT(*) AS n FROM orders')).toBe(before + 1);
    await page.keyboard.press('F2');
    await page.locator('[data-testid="sale-done"]').waitFor({ state: 'detached' });
  });
});

describe('a scanner that sends Enter twice', () => {
  it('checks the ticket in once and shows it valid, not already used', async () => {
    await api('POST', 'events/busy-night/checkinlists/', { name: 'Door', all_products: true });
    await page.keyboard.press('Alt+1');
    await page.locator('[data-testid="tile"]', { hasText: 'Entry' }).waitFor();
    const code = await sellByKeyboard(page);
    const secret = (await rpc(page, 'orders.get', { code })).positions[0]!.secret;
    await page.keyboard.press('Alt+8');
    await page.locator('[data-testid="checkin-counts"]').waitFor();
    await page.fill('[data-testid="scan-input"]', secret);
    await submitTwice('[data-testid="scan-input"]');
    await page.locator('[data-testid="scan-result"]').waitFor();
    await page.waitForTimeout(400);
    expect(await page.getAttribute('[data-testid="scan-result"]', 'data-status')).toBe('ok');
    const checkins = count(
      'SELECT COUNT(*) AS n FROM checkins c JOIN order_positions p ON p.id = c.position_id WHERE p.secret = ? AND c.successful = 1',
      secret,
    );
    expect(checkins).toBe(1);
    expect(await page.inputValue('[data-testid="scan-input"]')).toBe('');
  });
});

describe('the server restarted while the desk stayed open', () => {
  it('sells on without a reload, though the page holds the last start’s token', async () => {
    // The page as a restart leaves it: loaded from the server's last start, with that start's token.
    await page.route(
      (url) => url.pathname === '/',
      async (route) => {
        const res = await route.fetch();
        const body = (await res.text()).replace(
          /name="guichet-session" content="[^"]+"/,
          'name="guichet-session" content="0ld"',
        );
        await route.fulfill({ response: res, body });
      },
      { times: 1 },
    );
    await reloadDesk(page);
    await page.keyboard.press('Alt+1');
    await page.locator('[data-testid="tile"]', { hasText: 'Entry' }).waitFor();
    const before = count('SELECT COUNT(*) AS n FROM orders');
    const code = await sellByKeyboard(page);
    expect(count('SELECT COUNT(*) AS n FROM orders')).toBe(before + 1);
    expect(code).toMatch(/^\w+$/);
    expect(await page.locator('.notice.error').count()).toBe(0);
  });
});

describe('Deny asks first', () => {
  it('Escape keeps the order waiting; Deny in the question cancels it', async () => {
    const { code, row } = await waitingForApproval();
    await row.locator('button', { hasText: 'Deny' }).click();
    const question = page.locator('[role="alertdialog"]', { hasText: `Deny order ${code}?` });
    await question.waitFor();
    await page.keyboard.press('Escape');
    await question.waitFor({ state: 'detached' });
    const state = () =>
      readDeskDb((db) => db.prepare('SELECT status, require_approval FROM orders WHERE code = ?').get(code));
    expect(state()).toEqual({ status: 'n', require_approval: 1 });
    await row.locator('button', { hasText: 'Deny' }).click();
    await question.locator('[data-choice="deny"]').click();
    await row.waitFor({ state: 'detached' });
    expect(state()).toMatchObject({ status: 'c' });
  });
});

describe('the till report on screen', () => {
  it('names the payment method in words, under its column title', async () => {
    await page.keyboard.press('Alt+1');
    await page.locator('[data-testid="tile"]', { hasText: 'Entry' }).waitFor();
    await sellByKeyboard(page);
    await page.keyboard.press('Alt+9');
    const figures = page.locator('[data-testid="shift-figures"]');
    const title = figures.locator('th', { hasText: 'Payment method' });
    await title.waitFor();
    const method = figures.locator('tbody tr td:first-child', { hasText: /^Cash$/ });
    await method.waitFor();
    const x = async (l: Locator) => (await l.boundingBox())!.x;
    expect(Math.abs((await x(method)) - (await x(title)))).toBeLessThanOrEqual(2);
  });
});

describe('closing the shift', () => {
  it('Enter pressed twice in a count field asks, and the second Enter keeps the shift open', async () => {
    await page.keyboard.press('Alt+9');
    const field = page.locator('input[data-denomination]').first();
    await field.fill('3');
    await field.press('Enter');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(400);
    const open = () => count("SELECT COUNT(*) AS n FROM shifts WHERE state = 'open'");
    expect(open()).toBe(1);
    await field.press('Enter');
    const question = page.locator('[role="alertdialog"]', { hasText: 'Close the shift at' });
    await question.waitFor();
    await page.keyboard.press('Escape');
    await question.waitFor({ state: 'detached' });
    expect(open()).toBe(1);
    await field.fill('');
  });
});

describe('long names and big prices at 1366×768', () => {
  it('stay inside their tile and their order', async () => {
    const name = 'Backstage-VIP-Meet-and-Greet-All-Weekend-Premium-Package with Supercalifragilistic extras';
    const item = (await api('POST', 'events/busy-night/items/', {
      name: { en: name },
      default_price: '99999999999.99',
      admission: true,
    })) as { id: number };
    await api('POST', 'events/busy-night/quotas/', {
      name: 'VIP',
      size: 5,
      items: [item.id],
      variations: [],
    });
    const order = (await api('POST', 'events/busy-night/orders/', {
      email: 'a.very.long.address.for.the.layout@an-extremely-long-domain-name.example.org',
      positions: [
        { item: item.id, attendee_name: 'Maximiliane-Friederike von Hohenzollern-Sigmaringen-Wittelsbach' },
      ],
    })) as { code: string };
    await reloadDesk(page);
    await page.keyboard.press('Alt+1');
    const tile = page.locator('[data-testid="tile"]', { hasText: 'Backstage' });
    await tile.waitFor();
    const inside = async (outer: Locator, inner: Locator) => {
      const o = (await outer.boundingBox())!;
      for (const box of await inner.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right)))
        expect(box).toBeLessThanOrEqual(o.x + o.width + 1);
    };
    await inside(tile, tile.locator('span'));

    await page.keyboard.press('Alt+2');
    await page.fill('input[aria-label="Order code, name, email or scanned ticket"]', order.code);
    await page.keyboard.press('Enter');
    const detail = page.locator('[data-testid="order-detail"]', { hasText: order.code });
    await detail.waitFor();
    await inside(detail.locator('.section').first(), detail.locator('.section').first().locator('td'));
    await screenshot(page, 'order-long-names');
  });
});

describe('a refusal far down a long screen', () => {
  it('shows in the window, not at the top of the scrolled-away page', async () => {
    await page.keyboard.press('Alt+7');
    const create = page.locator('button', { hasText: 'Create token' });
    await create.scrollIntoViewIfNeeded();
    await page.locator('main').evaluate((main) => main.scrollBy(0, 10_000));
    await create.click();
    const refusal = page.locator('.notice.error', { hasText: 'This field may not be blank.' });
    await refusal.waitFor();
    const box = (await refusal.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(page.viewportSize()!.height);
    await refusal.click();
  });
});

describe('the login at 1366×768', () => {
  it('stands in the middle of the window, with its refusal above it and its keys across', async () => {
    await page.keyboard.press('Alt+L');
    const box = page.locator('.login-box');
    await box.waitFor();
    const width = page.viewportSize()!.width;
    const centred = async () => {
      const b = (await box.boundingBox())!;
      return Math.abs(b.x - (width - b.x - b.width)) <= 2;
    };
    expect(await centred()).toBe(true);
    expect((await page.locator('.login .keybar').boundingBox())!.width).toBeGreaterThan(width * 0.9);

    await page.locator('.cashier', { hasText: 'Desk manager' }).click();
    await page.keyboard.type('0000');
    await page.keyboard.press('Enter');
    const refusal = page.locator('.notice.error', { hasText: 'That PIN is not right.' });
    await refusal.waitFor();
    const notice = (await refusal.boundingBox())!;
    expect(notice.height).toBeLessThan(80);
    expect(notice.y + notice.height).toBeLessThanOrEqual((await box.boundingBox())!.y);
    expect(await centred()).toBe(true);
    await screenshot(page, 'login-refused');

    await page.keyboard.type('123456789');
    await page.keyboard.press('Enter');
    await page.locator('.notice.error', { hasText: /^A PIN has 4 to 8 digits\.$/ }).waitFor();

    await page.keyboard.type('4321');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="till-who"]', { hasText: 'Desk manager' }).waitFor();
  });
});
