import { describe, expect, it } from 'vitest';
import { rpc, onEventDesk, page, readDeskDb } from './desk';

onEventDesk({ name: 'Older Event', slug: 'older', item: 'Old seat', price: '9.00', size: 5 });

/** The error notice that starts with `where` (a notice shown before may still be up). */
const notice = async (where: string) => {
  const shown = page.locator('.notice.error', { hasText: where });
  await shown.waitFor();
  return shown.textContent();
};

describe('Setup of a series, typed as a cashier types', () => {
  it('refuses a new event without its start in words, then creates the series and adds a date', async () => {
    await page.keyboard.press('Alt+6');
    await page.fill('form[aria-label="new-event"] [name="name"]', 'Summer Tour');
    await page.fill('form[aria-label="new-event"] [name="slug"]', 'summer');
    await page.check('form[aria-label="new-event"] [name="has_subevents"]');
    await page.press('form[aria-label="new-event"] [name="slug"]', 'Enter');
    expect(await notice('Begin')).toBe('Begin: Enter a date and time.');
    expect(
      readDeskDb((db) => db.prepare("SELECT COUNT(*) AS n FROM events WHERE slug = 'summer'").get()),
    ).toEqual({ n: 0 });

    await page.fill('form[aria-label="new-event"] [name="date_from"]', '2030-07-01T20:00');
    await page.press('form[aria-label="new-event"] [name="slug"]', 'Enter');
    await page.locator('.event-tabs button.active', { hasText: 'Summer Tour' }).waitFor();
    const eventId = Number(await page.getAttribute('[data-testid="setup-event"]', 'data-event-id'));

    await page.fill('form[aria-label="new-date"] [name="date_from"]', '2030-07-02T20:00');
    await page.press('form[aria-label="new-date"] [name="date_from"]', 'Enter');
    await expect.poll(async () => (await rpc(page, 'setup.event', { eventId })).subevents.length).toBe(1);
    expect(
      readDeskDb((db) => db.prepare('SELECT name, active FROM subevents WHERE event_id = ?').all(eventId)),
    ).toEqual([{ name: '{"en":"Summer Tour"}', active: 1 }]);
  });

  it('refuses a tax rate above 100 % in words and saves nothing', async () => {
    await page.fill('form[aria-label="new-tax-rule"] [name="name"]', 'Luxury');
    await page.fill('form[aria-label="new-tax-rule"] [name="rate"]', '150');
    await page.press('form[aria-label="new-tax-rule"] [name="rate"]', 'Enter');
    expect(await notice('Tax rate')).toBe('Tax rate: Ensure this value is less than or equal to 100.00.');
    expect(
      readDeskDb((db) => db.prepare("SELECT COUNT(*) AS n FROM tax_rules WHERE name LIKE '%Luxury%'").get()),
    ).toEqual({
      n: 0,
    });
  });
});
