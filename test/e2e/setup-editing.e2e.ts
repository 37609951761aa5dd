import { describe, expect, it } from 'vitest';
import { rpc, screenshot, onEventDesk, page, readDeskDb } from './desk';

let eventId = 0;

// Another event exists first, so a new one must not show its data.
onEventDesk({ name: 'Older Event', slug: 'older', item: 'Old seat', price: '9.00', size: 5 });

const view = () => rpc(page, 'setup.event', { eventId });

describe('Setup edits what it creates', () => {
  it('shows the new event, not the one before, right after adding it', async () => {
    await page.keyboard.press('Alt+6');
    await page.locator('.event-tabs button', { hasText: 'Older Event' }).click();
    await page.locator('[data-testid="setup-item"]', { hasText: 'Old seat' }).waitFor();
    await page.fill('form[aria-label="new-event"] [name="name"]', 'Ledger Night');
    await page.fill('form[aria-label="new-event"] [name="slug"]', 'ledger');
    await page.fill('form[aria-label="new-event"] [name="date_from"]', '2030-07-01T20:00');
    await page.press('form[aria-label="new-event"] [name="slug"]', 'Enter');
    await page.locator('.event-tabs button.active', { hasText: 'Ledger Night' }).waitFor();
    await page.locator('[data-testid="setup-event"] form[aria-label="edit-event"]').waitFor();
    expect(await page.inputValue('form[aria-label="edit-event"] [name="name"]')).toBe('Ledger Night');
    expect(await page.locator('[data-testid="setup-item"]').count()).toBe(0);
    expect(await page.locator('[data-testid="quota"]').count()).toBe(0);
    eventId = Number(await page.getAttribute('[data-testid="setup-event"]', 'data-event-id'));
    expect((await view()).name).toBe('Ledger Night');
  });

  it('edits the event', async () => {
    await page.fill('form[aria-label="edit-event"] [name="name"]', 'Ledger Nights');
    await page.press('form[aria-label="edit-event"] [name="name"]', 'Enter');
    await page.locator('.event-tabs button.active', { hasText: 'Ledger Nights' }).waitFor();
    expect((await view()).name).toBe('Ledger Nights');
  });

  it('creates an item with variations, adds one more, and edits the item', async () => {
    await page.fill('form[aria-label="new-item"] [name="name"]', 'Seat');
    await page.fill('form[aria-label="new-item"] [name="price"]', '20');
    await page.fill('form[aria-label="new-item"] [name="variations"]', 'Adult, Child');
    await page.press('form[aria-label="new-item"] [name="name"]', 'Enter');
    await page.locator('[data-testid="setup-item"]', { hasText: 'Adult, Child' }).waitFor();
    await page.selectOption('form[aria-label="new-variation"] [name="item"]', { label: 'Seat' });
    await page.fill('form[aria-label="new-variation"] [name="value"]', 'Senior');
    await page.fill('form[aria-label="new-variation"] [name="price"]', '15');
    await page.press('form[aria-label="new-variation"] [name="value"]', 'Enter');
    await page.locator('[data-testid="setup-item"]', { hasText: 'Senior' }).waitFor();
    expect((await view()).items[0]!.variations.map((v) => v.value)).toEqual(['Adult', 'Child', 'Senior']);

    await page.click('[aria-label="Edit Seat"]');
    const edit = page.locator('form[aria-label^="edit-item-"]');
    await edit.locator('[name="name"]').fill('Stalls seat');
    await edit.locator('[name="price"]').fill('22.50');
    await edit.locator('[name="require_approval"]').check();
    await edit.locator('[name="price"]').press('Enter');
    await page.locator('[data-testid="setup-item"]', { hasText: 'Stalls seat' }).waitFor();
    expect((await view()).items[0]).toMatchObject({
      name: 'Stalls seat',
      price: '22.50',
      requireApproval: true,
    });
  });

  it('sets an item inactive and active again', async () => {
    await page.uncheck('[aria-label="On sale Stalls seat"]');
    await page.locator('[data-testid="setup-item"].inactive', { hasText: 'Stalls seat' }).waitFor();
    expect((await view()).items[0]!.active).toBe(false);
    await page.check('[aria-label="On sale Stalls seat"]');
    await page.locator('[data-testid="setup-item"]:not(.inactive)', { hasText: 'Stalls seat' }).waitFor();
    expect((await view()).items[0]!.active).toBe(true);
  });

  it('adds an item to an existing quota, and keeps a size typed and left with Tab', async () => {
    await page.fill('form[aria-label="new-quota"] [name="name"]', 'Main floor');
    await page.fill('form[aria-label="new-quota"] [name="size"]', '100');
    await page.check('form[aria-label="new-quota"] input[name="items"]');
    await page.press('form[aria-label="new-quota"] [name="size"]', 'Enter');
    await page.locator('[data-testid="quota"]', { hasText: 'Main floor' }).waitFor();
    await page.fill('form[aria-label="new-item"] [name="name"]', 'Balcony');
    await page.fill('form[aria-label="new-item"] [name="price"]', '30');
    await page.press('form[aria-label="new-item"] [name="name"]', 'Enter');
    await page.locator('[data-testid="setup-item"]', { hasText: 'Balcony' }).waitFor();

    await page.check('[aria-label="Balcony in Main floor"]');
    await expect.poll(async () => (await view()).quotas[0]!.items.length).toBe(2);

    await page.fill('[aria-label="Size (empty: unlimited) Main floor"]', '40');
    await page.keyboard.press('Tab');
    await expect.poll(async () => (await view()).quotas[0]!.size).toBe(40);
    expect(await page.inputValue('[aria-label="Size (empty: unlimited) Main floor"]')).toBe('40');
  });

  it('refuses a size typed as nonsense in words and keeps the quota as it was', async () => {
    await page.fill('[aria-label="Size (empty: unlimited) Main floor"]', 'lots');
    await page.keyboard.press('Tab');
    await page.locator('.notice.error').waitFor();
    expect(await page.locator('.notice.error').textContent()).toMatch(/^Size: /);
    expect((await view()).quotas[0]!.size).toBe(40);
    expect(readDeskDb((db) => db.prepare("SELECT size FROM quotas WHERE name = 'Main floor'").all())).toEqual(
      [{ size: 40 }],
    );
  });

  it('edits a question, its choices, a tax rule and a check-in list', async () => {
    await page.fill('form[aria-label="new-question"] [name="question"]', 'Colour');
    await page.selectOption('form[aria-label="new-question"] [name="type"]', { label: 'Choice' });
    await page.fill('form[aria-label="new-question"] [name="options"]', 'Red, Blue');
    await page.check('form[aria-label="new-question"] input[name="items"] >> nth=0');
    await page.press('form[aria-label="new-question"] [name="question"]', 'Enter');
    await page.locator('[data-testid="setup-question"]', { hasText: 'Red, Blue' }).waitFor();

    await page.click('[aria-label="Edit Colour"]');
    const edit = page.locator('form[aria-label^="edit-question-"]');
    await edit.locator('[name="question"]').fill('Favourite colour');
    await edit.locator('[name="required"]').check();
    await edit.locator('[name="options"]').fill('Green');
    await edit.locator('[name="question"]').press('Enter');
    await page.locator('[data-testid="setup-question"]', { hasText: 'Red, Blue, Green' }).waitFor();
    const question = (await view()).questions[0]!;
    expect(question).toMatchObject({ question: 'Favourite colour', required: true, type: 'C' });
    expect(question.options.map((o) => o.answer)).toEqual(['Red', 'Blue', 'Green']);

    await page.fill('form[aria-label="new-tax-rule"] [name="name"]', 'Reduced');
    await page.fill('form[aria-label="new-tax-rule"] [name="rate"]', '7');
    await page.press('form[aria-label="new-tax-rule"] [name="rate"]', 'Enter');
    await page.locator('li', { hasText: 'Reduced 7.00 %' }).waitFor();
    await page.click('[aria-label="Edit Reduced"]');
    await page.fill('form[aria-label^="edit-tax-rule-"] [name="rate"]', '10');
    await page.press('form[aria-label^="edit-tax-rule-"] [name="rate"]', 'Enter');
    await page.locator('li', { hasText: 'Reduced 10.00 %' }).waitFor();

    await page.fill('form[aria-label="new-checkin-list"] [name="name"]', 'Door');
    await page.press('form[aria-label="new-checkin-list"] [name="name"]', 'Enter');
    await page.click('[aria-label="Edit Door"]');
    await page.fill('form[aria-label^="edit-checkin-list-"] [name="name"]', 'Front door');
    await page.press('form[aria-label^="edit-checkin-list-"] [name="name"]', 'Enter');
    await page.locator('li', { hasText: 'Front door' }).waitFor();
    expect((await view()).checkinLists.map((l) => l.name)).toEqual(['Front door']);
    await screenshot(page, 'setup-editing');
  });
});
