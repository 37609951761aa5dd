import { afterAll, describe, expect, it } from 'vitest';
import { FakePrinter } from '../support/fake-printer';
import { onEventDesk, page, readDeskDb, screenshot, sellByKeyboard } from './desk';

let printer: FakePrinter;

onEventDesk(
  { name: 'Printing Night', slug: 'printing', item: 'Entry', price: '10.00', size: 50 },
  async () => {
    printer = await FakePrinter.start({ protocol: 'fgl' });
    page.on('dialog', (dialog) => void dialog.accept());
  },
);

afterAll(async () => {
  await printer?.close();
});

function secretsOf(codes: string[]): string[] {
  return readDeskDb((db) =>
    codes.flatMap((code) =>
      (
        db
          .prepare(
            `SELECT op.secret FROM order_positions op JOIN orders o ON o.id = op.order_id
             WHERE o.code = ? ORDER BY op.positionid`,
          )
          .all(code) as { secret: string }[]
      ).map((r) => r.secret),
    ),
  );
}

async function sell(count: number): Promise<string> {
  await page.keyboard.press('Alt+1');
  await page.selectOption('.topbar select', { label: 'Printing Night' });
  await page.locator('[data-testid="tile"]', { hasText: 'Entry' }).waitFor();
  const code = await sellByKeyboard(page, count);
  await page
    .locator('[data-testid="sale-printing"]', { hasText: 'Tickets sent to Box office Boca.' })
    .waitFor();
  await page.keyboard.press('Enter'); // next sale
  return code;
}

describe('printing at the desk', () => {
  it('sets up a Boca on the network in Settings', async () => {
    await page.keyboard.press('Alt+7');
    await page.getByRole('button', { name: 'Add printer' }).click();
    const form = page.locator('[data-testid="printer-form"]');
    await form.getByLabel('Name').fill('Box office Boca');
    await form.getByLabel('Address').fill(printer.address);
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-testid="printer"]', { hasText: 'Box office Boca' }).waitFor();
    expect(await page.locator('[data-testid="printer"]').textContent()).toContain('ready');
    await screenshot(page, 'printing-settings');
  });

  it('waits while the printer is out of paper, says so, and prints every ticket once when paper is loaded', async () => {
    printer.outOfPaper = true;
    const first = await sell(3);
    const banner = page.locator('[data-testid="printer-banner"]');
    await banner.waitFor();
    expect(await banner.textContent()).toContain(
      'Box office Boca: out of paper. Waiting jobs print when it answers again.',
    );
    // A second sale while the printer waits: it queues behind the first.
    const second = await sell(2);
    await page.keyboard.press('Alt+7');
    await expect
      .poll(() => page.locator('[data-testid="printer"]').textContent())
      .toContain('Box office Boca: out of paper');
    expect(await page.locator('[data-testid="print-job"][data-state="queued"]').count()).toBeGreaterThan(0);
    await screenshot(page, 'printing-out-of-paper');
    expect(printer.pages).toHaveLength(0);

    printer.loadPaper();
    await printer.waitForPages(5);
    await banner.waitFor({ state: 'detached' });
    await expect
      .poll(() => page.locator('[data-testid="print-job"][data-state="done"]').count())
      .toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-testid="printer"]').textContent()).toContain('ready');
    // Each ticket exactly once, in order of sale; nothing more comes.
    await new Promise((r) => setTimeout(r, 1000));
    expect(printer.secrets).toEqual(secretsOf([first, second]));
    await screenshot(page, 'printing-recovered');
  });
});
