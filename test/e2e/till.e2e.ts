import { describe, expect, it } from 'vitest';
import { verifyTillJournal } from '../../main/engine/journal/verify';
import { pdfPageToPng } from '../../main/printing/rasterize';
import {
  readDeskDb,
  reloadDesk,
  rpc,
  saleDoneCode,
  savePng,
  screenshot,
  onEventDesk,
  page,
  api,
} from './desk';

onEventDesk(
  { name: 'Till Night', slug: 'till-night', item: 'Entry', price: '25.00', size: 100 },
  async () => {
    await rpc(page, 'cashiers.create', { name: 'Anna', role: 'cashier', pin: '1234' });
    await rpc(page, 'cashiers.create', { name: 'Max', role: 'manager', pin: '9999' });
    await rpc(page, 'cashiers.create', { name: 'Tom', role: 'cashier', pin: '3333' });
    // The shift openDesk opened for the test manager is handed over, so this day starts with none open.
    const session = await rpc(page, 'till.session', {});
    if (session.shift)
      await rpc(page, 'shift.close', { count: {}, comment: 'handover to the evening shift' });
  },
);

/** At the login: picks the cashier, types the PIN and waits for the desk or for the refusal. */
async function signInAtLogin(name: string, pin: string, outcome: 'signed in' | 'refused') {
  await page.locator('.cashier', { hasText: name }).click();
  await page.keyboard.type(pin);
  await page.keyboard.press('Enter');
  if (outcome === 'refused')
    await page.locator('.notice.error', { hasText: 'That PIN is not right.' }).waitFor();
  else await page.locator('[data-testid="till-who"]', { hasText: name }).waitFor();
}

async function authoriseAsManager() {
  const prompt = page.locator('.modal[role="dialog"]');
  await prompt.waitFor();
  await page.keyboard.type('9999');
  await page.keyboard.press('Enter');
  await prompt.waitFor({ state: 'detached' });
}

async function sell(method: 'cash' | 'card', tickets: number, given?: string): Promise<string> {
  for (let i = 0; i < tickets; i++) await page.keyboard.press('1');
  await page.waitForSelector(`.lines .line:nth-child(${tickets})`);
  await page
    .locator('.payment label', { hasText: method === 'cash' ? 'Cash' : 'Card' })
    .locator('input')
    .check();
  if (given) await page.fill('input[aria-label="Amount given"]', given);
  await page.keyboard.press('Control+Enter');
  const code = await saleDoneCode(page);
  await page.locator('[data-testid="receipt-pdf"]').waitFor();
  await page.locator('button', { hasText: 'Next sale' }).click();
  await page.locator('[data-testid="sale-done"]').waitFor({ state: 'detached' });
  return code;
}

describe('a day at the till', () => {
  it('logs in with a PIN, opens with a float, sells, refunds with a manager PIN, cashes out, prints X, closes 0.50 short', async () => {
    // Switch cashier: back to the login; a wrong PIN is refused and nobody is signed in.
    await page.locator('[data-testid="till-who"]', { hasText: 'Desk manager' }).waitFor();
    await page.keyboard.press('Alt+L');
    await page.locator('[data-testid="login"]').waitFor();
    await signInAtLogin('Anna', '0000', 'refused');
    await signInAtLogin('Anna', '1234', 'signed in');

    // Selling before the shift is open is refused at the desk.
    await page.keyboard.press('Alt+1');
    await page.locator('[data-testid="no-shift"]').waitFor();

    await page.keyboard.press('Alt+9');
    await page.fill('input[aria-label="Opening float (counted)"]', '100.00');
    await page.keyboard.press('Enter');
    await page.locator('.section h2', { hasText: 'Shift opened' }).waitFor();
    expect(await page.locator('[data-testid="expected-cash"]').textContent()).toBe('EUR 100.00');

    await page.keyboard.press('Alt+1');
    await page.selectOption('.topbar select', { label: 'Till Night' });
    await page.locator('[data-testid="tile"]', { hasText: 'Entry' }).waitFor();
    await page.locator('.topbar select').blur();
    const cashOrder = await sell('cash', 2, '60');
    await sell('card', 1);

    // Refund one ticket of the cash sale: the cashier needs the manager's PIN.
    await page.keyboard.press('Alt+4');
    await page.fill('input[aria-label="Order code"]', cashOrder);
    await page.keyboard.press('Enter');
    await page.locator('.refund-form').waitFor();
    await page.locator('.refund-form fieldset label').first().locator('input').check();
    await page.selectOption('select[aria-label="Refund by"]', 'cash');
    await page.locator('.refund-form button[type="submit"]').click();
    await page.locator('[role="alertdialog"] [data-choice="refund"]').click();
    await authoriseAsManager();
    await page.locator('[data-testid="order-detail"] li', { hasText: 'R1' }).waitFor();

    // Cash out 20.00 to the bank, authorised by the manager, once the Shift screen shows the drawer after the
    // refund (the screen asks for it on arrival; an answer coming after the cash out would show it undone).
    await page.keyboard.press('Alt+9');
    await expect.poll(() => page.locator('[data-testid="expected-cash"]').textContent()).toBe('EUR 125.00');
    await page.selectOption('select[aria-label="Cash in / cash out"]', 'out');
    await page.fill('input[aria-label="Amount"]', '20.00');
    await page.fill('input[aria-label="Reason"]', 'bank drop');
    await page.locator('button', { hasText: 'Record' }).click();
    await authoriseAsManager();
    // 100.00 float + 50.00 cash sale − 25.00 cash refund − 20.00 cash out
    await expect.poll(() => page.locator('[data-testid="expected-cash"]').textContent()).toBe('EUR 105.00');
    await screenshot(page, 'shift-screen');

    // The X report: printed from the Shift screen, and read back as a picture.
    const session = await rpc(page, 'till.session', {});
    const shiftId = session.shift!.id;
    await page.locator(`[data-testid="report-${shiftId}-a4"]`).click();
    const x = await rpc(page, 'shift.report', { id: shiftId, paper: '80mm' });
    expect(x.title).toBe('X report');
    savePng('shift-x-report', await pdfPageToPng(Buffer.from(x.pdf, 'base64'), 0, 150));

    // Close with the drawer counted by denomination: 104.50, i.e. 0.50 short.
    for (const [denomination, count] of <[string, string][]>[
      ['100', '1'],
      ['2', '2'],
      ['0.50', '1'],
    ])
      await page.fill(`input[data-denomination="${denomination}"]`, count);
    expect(await page.locator('[data-testid="close-difference"]').textContent()).toBe('-EUR 0.50');
    await page.locator('[data-testid="close-shift"]').click();
    await page.locator('[role="alertdialog"] [data-choice="close"]').click();
    await page
      .locator('.notice.error', { hasText: 'The drawer is short by 0.50; say why in a comment.' })
      .waitFor();
    await page.fill(
      'input[aria-label="Comment (required when the drawer differs)"]',
      'coin rolled under the till',
    );
    await page.locator('[data-testid="close-shift"]').click();
    await page.locator('[role="alertdialog"] [data-choice="close"]').click();
    const closed = page.locator('.section h2', { hasText: /Shift closed: Z report \d+/ });
    await closed.waitFor();
    const zNumber = Number(/Z report (\d+)/.exec((await closed.textContent()) ?? '')?.[1]);

    // The Z report is in the day's list with its difference and comment.
    const row = page.locator(`[data-testid="z-${zNumber}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('-EUR 0.50');
    expect(await row.textContent()).toContain('coin rolled under the till');
    const z = await rpc(page, 'shift.report', { id: shiftId, paper: 'a4' });
    expect(z.title).toBe(`Z report ${zNumber}`);
    savePng('shift-z-report', await pdfPageToPng(Buffer.from(z.pdf, 'base64'), 0, 100));

    // Selling after the close is refused until the next shift opens.
    await page.keyboard.press('Alt+1');
    await page.locator('[data-testid="no-shift"]').waitFor();

    // In the database: the closing as counted, every sale with its receipt, the journal intact.
    readDeskDb((db) => {
      const shift = db.prepare('SELECT * FROM shifts WHERE id = ?').get(shiftId) as Record<string, unknown>;
      expect(shift).toMatchObject({
        state: 'closed',
        opening_float: '100.00',
        expected_cash: '105.00',
        counted_cash: '104.50',
        difference: '-0.50',
        comment: 'coin rolled under the till',
        z_number: zNumber,
      });
      const receipts = db
        .prepare('SELECT kind, payment_method, total FROM receipts WHERE shift_id = ? ORDER BY number')
        .all(shiftId);
      expect(receipts).toEqual([
        { kind: 'sale', payment_method: 'cash', total: '50.00' },
        { kind: 'sale', payment_method: 'card', total: '25.00' },
        { kind: 'refund', payment_method: 'cash', total: '25.00' },
      ]);
      const auths = db
        .prepare(
          `SELECT a.action, m.name AS manager, c.name AS cashier FROM authorisations a
           JOIN cashiers m ON m.id = a.manager_id JOIN cashiers c ON c.id = a.cashier_id WHERE a.shift_id = ?`,
        )
        .all(shiftId);
      expect(auths).toEqual([
        { action: 'refund', manager: 'Max', cashier: 'Anna' },
        { action: 'cash_out', manager: 'Max', cashier: 'Anna' },
      ]);
      expect(verifyTillJournal(db)).toMatchObject({ ok: true, unjournaled: [] });
    });
  });

  it('shows the closed shift on the Dashboard', async () => {
    await page.keyboard.press('Alt+5');
    const picker = page.locator('select[aria-label="Closed shift"]');
    await picker.waitFor();
    await picker.selectOption({ index: 1 });
    await expect
      .poll(() => page.locator('[data-testid="difference"]').first().textContent())
      .toBe('-EUR 0.50');
  });

  it('changes a PIN and deactivates a cashier from the Shift screen, with a manager’s PIN asked in German', async () => {
    // Anna, a cashier, is signed in: every change to the staff needs a manager's PIN.
    await page.locator('[data-testid="till-who"]', { hasText: 'Anna' }).waitFor();
    await rpc(page, 'settings.update', { locale: 'de' });
    await reloadDesk(page);
    await page.locator('[data-testid="till-who"]', { hasText: 'Anna' }).waitFor();
    await page.keyboard.press('Alt+9');
    const staff = page.locator('[data-testid="staff"]');
    const tom = staff.locator('tr', { hasText: 'Tom' });
    // Asked first; keeping him (Escape) changes nothing.
    await tom.locator('button', { hasText: 'Deaktivieren' }).click();
    const dialog = page.locator('.dialog[role="alertdialog"]');
    await dialog.locator('h2', { hasText: 'Tom deaktivieren?' }).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await tom.locator('button', { hasText: 'Deaktivieren' }).click();
    await dialog.locator('[data-choice="deactivate"]').click();
    const reason = page.locator('[data-testid="manager-reason"]');
    expect(await reason.textContent()).toBe(
      'Für das Deaktivieren eines Kassierers ist die PIN eines Managers nötig.',
    );
    await screenshot(page, 'staff-manager-pin-german');
    await authoriseAsManager();
    await page.locator('.notice', { hasText: 'Tom ist deaktiviert.' }).waitFor();
    await tom.waitFor({ state: 'detached' });
    await rpc(page, 'settings.update', { locale: 'en' });
    await reloadDesk(page);
    await page.locator('[data-testid="till-who"]', { hasText: 'Anna' }).waitFor();

    // A new PIN for Anna, authorised by Max; the old one no longer signs her in.
    await page.keyboard.press('Alt+9');
    await staff.locator('tr', { hasText: 'Anna' }).locator('button', { hasText: 'Change PIN' }).click();
    await page.fill('input[aria-label="New PIN of Anna"]', '8642');
    await page.keyboard.press('Enter');
    expect(await reason.textContent()).toBe('A manager’s PIN is needed for changing a PIN.');
    await authoriseAsManager();
    await page.locator('.notice', { hasText: 'New PIN for Anna saved.' }).waitFor();
    await page.keyboard.press('Alt+L');
    await page.locator('[data-testid="login"]').waitFor();
    expect((await page.locator('.cashier').allTextContents()).join(' ')).not.toContain('Tom');
    await signInAtLogin('Anna', '1234', 'refused');
    await signInAtLogin('Anna', '8642', 'signed in');

    readDeskDb((db) => {
      expect(db.prepare("SELECT active FROM cashiers WHERE name = 'Tom'").get()).toEqual({ active: 0 });
      const auths = db
        .prepare(
          `SELECT a.action, m.name AS manager, c.name AS cashier FROM authorisations a
           JOIN cashiers m ON m.id = a.manager_id JOIN cashiers c ON c.id = a.cashier_id
           WHERE a.action IN ('deactivate_cashier', 'change_pin') ORDER BY a.id`,
        )
        .all();
      expect(auths).toEqual([
        { action: 'deactivate_cashier', manager: 'Max', cashier: 'Anna' },
        { action: 'change_pin', manager: 'Max', cashier: 'Anna' },
      ]);
    });
  });

  it('lists the day’s Z reports by the date and the clock of the event’s time zone, not UTC’s', async () => {
    const events = await rpc(page, 'events.list', {});
    const first = events.reduce((a, b) => (a.id < b.id ? a : b));
    const settings = `events/${first.slug}/settings/`;
    const before = ((await api('GET', settings)) as { timezone: string }).timezone;
    // A zone whose date is not UTC's right now, with its midnight at least an hour away (the shifts of
    // this spec closed minutes ago): −12 h until 11:00 UTC, +14 h from then on.
    const zone = new Date().getUTCHours() < 11 ? 'Etc/GMT+12' : 'Pacific/Kiritimati';
    const dateIn = (timeZone: string) =>
      new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }).format(new Date());
    expect(dateIn(zone)).not.toBe(dateIn('UTC'));
    await api('PATCH', settings, { timezone: zone });
    try {
      await reloadDesk(page);
      await page.keyboard.press('Alt+9');
      const date = page.locator('input[aria-label="Date"]');
      await expect.poll(() => date.inputValue()).toBe(dateIn(zone));
      // Today's shifts, closed minutes ago, are on the event's today, with the event's clock time.
      const rows = page.locator('[data-testid^="z-"]');
      await rows.first().waitFor();
      const { closed } = (await rpc(page, 'shift.list', { desk: null, date: dateIn(zone) }))[0]!;
      const time = new Intl.DateTimeFormat('en-GB', {
        timeZone: zone,
        hour: '2-digit',
        minute: '2-digit',
      }).format(new Date(closed!));
      expect(await rows.first().textContent()).toContain(time);
      // On UTC's date, which is another day there, none of them.
      await date.fill(dateIn('UTC'));
      await page.locator('.hint', { hasText: 'No closed shift' }).waitFor();
      expect(await rows.count()).toBe(0);
    } finally {
      await api('PATCH', settings, { timezone: before });
    }
  });
});
