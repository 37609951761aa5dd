import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { RpcInput, RpcMethod, RpcOutput } from '../../shared/contract';

export const DESK_URL = process.env.GUICHET_E2E_URL ?? '';
const SCREENSHOTS = process.env.GUICHET_SCREENSHOTS ?? 'test-results/e2e';

/** The browser scripts/e2e.mjs found (scripts/browser.mjs): its executable and the flags it starts with. */
interface BrowserChoice {
  executablePath: string;
  args: string[];
}

export async function launch(): Promise<Browser> {
  const choice = process.env.GUICHET_E2E_BROWSER;
  if (!DESK_URL || !choice) throw new Error('Run the end-to-end tests with `node scripts/e2e.mjs`.');
  const { executablePath, args } = JSON.parse(choice) as BrowserChoice;
  return chromium.launch({ executablePath, args, headless: true });
}

/** The manager the end-to-end tests sell as, created on the fresh database's first start. */
export const E2E_MANAGER = { name: 'Desk manager', pin: '4321' };

/**
 * A desk page at 1366x768, loaded and past its first data, ready to sell: the test manager signed in
 * and a shift open (`till: false` leaves the login and the shift as they are).
 */
export async function openDesk(browser: Browser, options: { till?: boolean } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(DESK_URL);
  await page.waitForSelector('nav .nav-item, [data-testid="login"]');
  if (options.till !== false && (await readyTill(page))) {
    await page.reload();
    await page.waitForSelector('nav .nav-item');
  }
  return page;
}

/** Signs the test manager in and opens a shift where needed; true when anything changed. */
export async function readyTill(page: Page): Promise<boolean> {
  let session = await rpc(page, 'till.session', {});
  const before = JSON.stringify([session.cashier?.id, session.shift?.id]);
  if (session.cashiers.length === 0) session = await rpc(page, 'till.firstManager', E2E_MANAGER);
  const manager = session.cashiers.find((c) => c.name === E2E_MANAGER.name);
  if (!manager) throw new Error('The end-to-end manager is missing.');
  if (session.cashier?.id !== manager.id)
    session = await rpc(page, 'till.signIn', { cashierId: manager.id, pin: E2E_MANAGER.pin });
  if (!session.shift)
    session = await rpc(page, 'shift.open', { openingFloat: '0', currency: session.currency });
  return JSON.stringify([session.cashier?.id, session.shift?.id]) !== before;
}

/** A PNG made elsewhere (a PDF rendered to pixels) saved next to the screenshots. */
export function savePng(name: string, png: Buffer): void {
  writeFileSync(join(SCREENSHOTS, `${name}.png`), png);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** Calls a desk method the way the page does (same origin, this start's session token). */
export async function rpc<M extends RpcMethod>(
  page: Page,
  method: M,
  input: RpcInput<M>,
): Promise<RpcOutput<M>> {
  const reply = await page.evaluate(
    async ([m, i]) => {
      const token = document.querySelector('meta[name="guichet-session"]')?.getAttribute('content') ?? '';
      const res = await fetch(`/rpc/${m}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'x-guichet-session': token },
        body: JSON.stringify(i),
      });
      return (await res.json()) as unknown;
    },
    [method, input] as const,
  );
  if (reply && typeof reply === 'object' && 'result' in reply)
    return (reply as { result: RpcOutput<M> }).result;
  throw new Error(`${method} failed: ${JSON.stringify(reply)}`);
}

/**
 * Moves time forward by `ms` for the server (its engine clock, `serve --test-clock`) and for the page
 * (Playwright's clock, installed here on first use), so a deadline passes without waiting for it.
 */
export async function passTime(page: Page, ms: number): Promise<void> {
  const res = await fetch(new URL('test/clock', DESK_URL), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ advanceMs: ms }),
  });
  if (!res.ok) throw new Error(`The server's clock did not move: ${res.status} ${await res.text()}`);
  await page.clock.fastForward(ms);
}

/** The pretix REST API of the same server, with a token created through the desk's settings. */
export async function restApi(page: Page) {
  const { token } = await rpc(page, 'tokens.create', { name: `e2e-${Date.now()}`, scope: 'all' });
  return async (method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(new URL(`api/v1/organizers/box-office/${path}`, DESK_URL), {
      method,
      headers: { Authorization: `Token ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? (JSON.parse(text) as unknown) : null;
  };
}

export type RestApi = Awaited<ReturnType<typeof restApi>>;

/** A browser on a desk page ready to sell (see openDesk) and the REST API of the same server. */
export async function startDesk(): Promise<{ browser: Browser; page: Page; api: RestApi }> {
  const browser = await launch();
  const page = await openDesk(browser);
  return { browser, page, api: await restApi(page) };
}

/** The spec's desk page and the REST API of its server, set before the spec's tests by `onDesk`. */
export let page: Page;
export let api: RestApi;

/**
 * The desk a spec's tests share (each spec runs in a process of its own): a browser on a desk page
 * ready to sell (startDesk) and the REST API, opened before the tests, then `prepare` (the spec's
 * catalog), and the browser closed after them.
 */
export function onDesk(prepare: () => Promise<void> = async () => {}): void {
  let browser: Browser | undefined;
  beforeAll(async () => {
    ({ browser, page, api } = await startDesk());
    await prepare();
  });
  afterAll(async () => {
    await browser?.close();
  });
}

/**
 * An event on sale, set up through the REST API as a script would: one product (admission unless said
 * otherwise) in one quota. Returns the event as the API answered its creation, and the product's id.
 */
export async function seedEvent(
  api: RestApi,
  event: {
    name: string | Record<string, string>;
    slug: string;
    dateFrom: string;
    item: { name: string | Record<string, string>; price: string } & Record<string, unknown>;
    quota: { name: string; size: number };
  },
): Promise<{ event: { slug: string }; itemId: number }> {
  const text = (value: string | Record<string, string>) =>
    typeof value === 'string' ? { en: value } : value;
  const created = (await api('POST', 'events/', {
    name: text(event.name),
    slug: event.slug,
    currency: 'EUR',
    date_from: event.dateFrom,
  })) as { slug: string };
  const { name, price, ...extra } = event.item;
  const item = (await api('POST', `events/${event.slug}/items/`, {
    name: text(name),
    default_price: price,
    admission: true,
    ...extra,
  })) as { id: number };
  await api('POST', `events/${event.slug}/quotas/`, {
    name: event.quota.name,
    size: event.quota.size,
    items: [item.id],
    variations: [],
  });
  return { event: created, itemId: item.id };
}

/** Reloads the desk so it reads the new catalog and, with `eventName`, shows that event's tiles. */
export async function showEvent(page: Page, eventName?: string, tile?: string): Promise<void> {
  await page.reload();
  await page.waitForSelector('nav .nav-item');
  if (eventName) await page.selectOption('.topbar select', { label: eventName });
  if (tile) await page.locator('[data-testid="tile"]', { hasText: tile }).waitFor();
}

/** The database id of the event with this slug, as the desk lists it. */
export async function eventIdOf(page: Page, slug: string): Promise<number> {
  return (await rpc(page, 'events.list', {})).find((e) => e.slug === slug)!.id;
}

/** Waits for the sale's done screen and returns the order code it names ("Order ABC12 paid"). */
export async function saleDoneCode(page: Page): Promise<string> {
  const done = page.locator('[data-testid="sale-done"]');
  await done.waitFor();
  const code = /Order (\w+) paid/.exec((await done.textContent()) ?? '')?.[1];
  expect(code).toBeTruthy();
  return code!;
}

/** Adds `count` of the first tile's product with the key `1`, completes the sale with Ctrl+Enter, returns its code. */
export async function sellByKeyboard(page: Page, count = 1): Promise<string> {
  await page.locator('.topbar select').blur();
  for (let i = 0; i < count; i++) await page.keyboard.press('1');
  await page.waitForSelector(`.lines .line:nth-child(${count})`);
  await page.keyboard.press('Control+Enter');
  return saleDoneCode(page);
}
