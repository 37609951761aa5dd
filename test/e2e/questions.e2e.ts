import { describe, expect, it } from 'vitest';
import { rpc, onEventDesk, page, api } from './desk';

/** Every question type pretix's catalog allows, on one item; the required ones block a sale unanswered. */
const QUESTIONS = [
  { type: 'C', question: 'Meal', required: true, options: ['Vegetarian', 'Meat'] },
  { type: 'M', question: 'Workshops', required: false, options: ['Morning', 'Afternoon'] },
  { type: 'B', question: 'Accept rules', required: true },
  { type: 'N', question: 'Age', required: false },
  { type: 'S', question: 'Company', required: false },
  { type: 'T', question: 'Notes', required: false },
  { type: 'D', question: 'Birthday', required: false },
  { type: 'H', question: 'Arrival time', required: false },
  { type: 'W', question: 'Pickup', required: false },
  { type: 'CC', question: 'Country', required: false },
  { type: 'TEL', question: 'Phone', required: false },
  { type: 'EMAIL', question: 'Work email', required: false },
  { type: 'F', question: 'Student ID scan', required: true },
];

const CONFERENCE = { name: 'Conference Day', slug: 'confday', item: 'Day ticket', price: '35.00', size: 50 };

onEventDesk(CONFERENCE, async ({ itemId }) => {
  for (const [i, q] of QUESTIONS.entries()) {
    await api('POST', 'events/confday/questions/', {
      question: { en: q.question },
      type: q.type,
      required: q.required,
      position: i,
      items: [itemId],
      ...(q.options ? { options: q.options.map((o) => ({ answer: { en: o } })) } : {}),
    });
  }
});

describe('questions at the desk', () => {
  it('answers every question type, the choice one included, and sells the ticket', async () => {
    await page.locator('.topbar select').blur();
    await page.keyboard.press('1');
    const line = page.locator('.lines .line').first();
    await line.waitFor();
    const field = (name: string) => line.locator(`[aria-label="${name} 1"]`);

    // Nothing chosen for the required questions: refused in a sentence naming the question.
    await page.keyboard.press('Control+Enter');
    const error = page.locator('.notice.error');
    await error.waitFor();
    const refusal = (await error.textContent()) ?? '';
    expect(refusal).toContain('Ticket 1');
    expect(refusal).toContain('Meal');
    expect(refusal).not.toMatch(/positions|answers:|\bquestion \d/);

    await field('Meal').selectOption({ label: 'Vegetarian' });
    await line.locator('[aria-label="Workshops 1"]').getByLabel('Afternoon').check();
    await field('Accept rules').check();
    await field('Age').fill('42');
    await field('Company').fill('ACME');
    await field('Notes').fill('Window seat\nplease');
    await field('Birthday').fill('1990-04-05');
    await field('Arrival time').fill('09:30');
    await field('Pickup').fill('2030-09-01T08:15');
    await field('Country').selectOption('DE');
    await field('Phone').fill('+49 30 1234567');
    await field('Work email').fill('ada@example.org');
    expect(await line.textContent()).toContain('Student ID scan');

    await page.keyboard.press('Control+Enter');
    const done = page.locator('[data-testid="sale-done"]');
    await done.waitFor();
    const code = /Order (\w+) paid/.exec((await done.textContent()) ?? '')?.[1];
    expect(code).toBeTruthy();
    // The earlier refusal is gone with the success.
    expect(await page.locator('.notice.error').count()).toBe(0);

    const order = await rpc(page, 'orders.get', { code: code! });
    const answers = Object.fromEntries(order.positions[0]!.answers.map((a) => [a.question, a.answer]));
    expect(answers).toMatchObject({
      Meal: 'Vegetarian',
      Workshops: 'Afternoon',
      'Accept rules': 'True',
      Age: '42',
      Company: 'ACME',
      Notes: 'Window seat\nplease',
      Birthday: '1990-04-05',
      'Arrival time': '09:30:00',
      Country: 'DE',
      Phone: '+49 30 1234567',
      'Work email': 'ada@example.org',
    });
    expect(answers.Pickup).toMatch(/^2030-09-01 \d\d:15:00\+00:00$/);
    expect(answers['Student ID scan']).toBeUndefined();
  });

  it('refuses an unticked required yes/no question by its name', async () => {
    await page.keyboard.press('Enter'); // next sale
    await page.keyboard.press('1');
    const line = page.locator('.lines .line').first();
    await line.waitFor();
    await line.locator('[aria-label="Meal 1"]').selectOption({ label: 'Meat' });
    await page.keyboard.press('Control+Enter');
    const error = page.locator('.notice.error');
    await error.waitFor();
    expect(await error.textContent()).toContain('Accept rules');
    await line.locator('[aria-label="Accept rules 1"]').check();
    await page.keyboard.press('Control+Enter');
    await page.locator('[data-testid="sale-done"]').waitFor();
  });
});
