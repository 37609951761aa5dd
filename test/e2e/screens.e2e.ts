import { describe, expect, it } from 'vitest';
import { SCREENS } from '../../renderer/src/store';
import { browser, deskReady, onDesk, openDesk, rpc, screenshot } from './desk';

onDesk();

describe('the desk', () => {
  it('reaches every screen by keyboard (Alt+1 … Alt+9) and shows its keys', async () => {
    const page = await openDesk(browser);
    for (const [i, screen] of SCREENS.entries()) {
      await page.keyboard.press(`Alt+${i + 1}`);
      await page.waitForSelector(`.nav-item.active[data-screen="${screen}"]`);
      await page.waitForSelector(`.screen.${screen}`);
      await page.waitForTimeout(150);
      await screenshot(page, `screen-${screen}`);
    }
    await page.close();
  });

  it('switches the UI to German and keeps it after a reload', async () => {
    const page = await openDesk(browser);
    await page.keyboard.press('Alt+7');
    await page.selectOption('[data-testid="language"]', 'de');
    await page.waitForSelector('.nav-item[data-screen="sales"] >> text=Verkauf');
    expect(await page.textContent('.nav-item[data-screen="settings"]')).toContain('Einstellungen');
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    await page.reload();
    await deskReady(page);
    await page.waitForSelector('.nav-item[data-screen="orders"] >> text=Bestellungen');
    await screenshot(page, 'german');
    // Back to English for the next test's page.
    await rpc(page, 'settings.update', { locale: 'en' });
    await page.close();
  });

  it('creates an API token shown once and revokes it', async () => {
    const page = await openDesk(browser);
    await page.keyboard.press('Alt+7');
    await page.fill('input[aria-label="Name"]', 'door scanner');
    await page.keyboard.press('Enter');
    const token = await page.textContent('[data-testid="new-token"]');
    expect(token?.length).toBeGreaterThan(20);
    const res = await fetch(new URL('api/v1/organizers/', page.url()), {
      headers: { Authorization: `Token ${token}` },
    });
    expect(res.status).toBe(200);
    await page.click('tr:has-text("door scanner") button');
    await page.waitForSelector('tr.canceled:has-text("door scanner")');
    const after = await fetch(new URL('api/v1/organizers/', page.url()), {
      headers: { Authorization: `Token ${token}` },
    });
    expect(after.status).toBe(401);
    await screenshot(page, 'token');
    await page.close();
  });
});
