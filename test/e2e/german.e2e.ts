import { describe, expect, it } from 'vitest';
import { screenshot, sellByKeyboard, showEvent, onDesk, page, api } from './desk';

let code = '';

onDesk(async () => {
  await api('POST', 'events/', {
    name: { en: 'Summer Concert', de: 'Sommerkonzert' },
    slug: 'sommer',
    currency: 'EUR',
    date_from: '2030-07-10T19:00:00Z',
  });
  const rule = (await api('POST', 'events/sommer/taxrules/', { name: { en: 'Reduced' }, rate: '7.00' })) as {
    id: number;
  };
  const item = (await api('POST', 'events/sommer/items/', {
    name: { en: 'Lawn', de: 'Wiese' },
    default_price: '30.00',
    tax_rule: rule.id,
    admission: true,
  })) as { id: number };
  await api('POST', 'events/sommer/quotas/', { name: 'Park', size: 10, items: [item.id], variations: [] });
  await api('POST', 'events/sommer/questions/', {
    question: { en: 'Diet', de: 'Ernährung' },
    type: 'N',
    required: false,
    items: [item.id],
  });
  await showEvent(page, 'Summer Concert', 'Lawn');
  code = await sellByKeyboard(page);
  await page.keyboard.press('Enter');
});

/** Switches the desk's language in Settings and goes back to Sales, which names the event and its tile so. */
async function sellIn(locale: 'de' | 'en', names: { event: string; tile: string }) {
  await page.keyboard.press('Alt+7');
  await page.selectOption('[data-testid="language"]', locale);
  await page.keyboard.press('Alt+1');
  await page.locator('[data-testid="tile"]', { hasText: names.tile }).waitFor();
  // The tiles can come in before the events' names in the new language: wait for the names.
  await expect.poll(() => page.locator('.topbar select option:checked').textContent()).toBe(names.event);
}

describe('the desk in German', () => {
  it('names events and items in German, and in English again without a reload', async () => {
    await sellIn('de', { event: 'Sommerkonzert', tile: 'Wiese' });
    expect(await page.locator('.keybar').textContent()).toContain('Strg+Enter');
    await sellIn('en', { event: 'Summer Concert', tile: 'Lawn' });
  });

  it('shows states, log entries, question types, rates and refusals in German', async () => {
    await page.keyboard.press('Alt+7');
    await page.selectOption('[data-testid="language"]', 'de');
    await page.keyboard.press('Alt+2');
    await page.fill('input.search', code);
    await page.locator('[data-testid="order-hit"]', { hasText: code }).click();
    const detail = page.locator('[data-testid="order-detail"]');
    await detail.waitFor();
    const text = (await detail.textContent()) ?? '';
    expect(text).toContain('bestätigt');
    expect(text).toContain('Bestellung aufgegeben');
    expect(text).toContain('Bar');
    expect(text).not.toMatch(/pretix\.event|confirmed|boxoffice/);

    await page.keyboard.press('Alt+6');
    await page.locator('.event-tabs button', { hasText: 'Sommerkonzert' }).click();
    await page.locator('[data-testid="setup-question"]', { hasText: 'Ernährung' }).waitFor();
    expect(await page.locator('[data-testid="setup-question"]').textContent()).toContain('(Zahl)');
    expect(await page.locator('.section', { hasText: 'Steuerregeln' }).textContent()).toContain('7,00 %');
    expect(await page.locator('form[aria-label="new-question"] [name="type"]').textContent()).toContain(
      'Mehrfachauswahl',
    );

    await page.fill('form[aria-label="new-item"] [name="name"]', 'Loge');
    await page.fill('form[aria-label="new-item"] [name="price"]', 'viel');
    await page.press('form[aria-label="new-item"] [name="price"]', 'Enter');
    const error = page.locator('.notice.error');
    await error.waitFor();
    expect(await error.textContent()).toBe('Preis: Bitte eine gültige Zahl eingeben.');
    await screenshot(page, 'german-setup');
  });
});
