import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import type { RpcInput, RpcMethod, RpcOutput } from '../../shared/contract';
import { readyTill, type ServedDesk } from './desk-pool';

const SCREENSHOTS = process.env.GUICHET_SCREENSHOTS ?? 'test-results/e2e';

/** Where the spec file's own served desk listens, and its database file (set by `onDesk`). */
export let DESK_URL = '';
export let DESK_DB = '';

/** The browser scripts/e2e.mjs found (scripts/browser.mjs): its executable and the flags it starts with. */
interface BrowserChoice {
  executablePath: string;
  args: string[];
}

function browserChoice(): BrowserChoice {
  const choice = process.env.GUICHET_E2E_BROWSER;
  if (!choice) throw new Error('Run the end-to-end tests with `node scripts/e2e.mjs`.');
  return JSON.parse(choice) as BrowserChoice;
}

export async function launch(): Promise<Browser> {
  const { executablePath, args } = browserChoice();
  return chromium.launch({ executablePath, args, headless: true });
}

/**
 * The desk has loaded after a page load or reload: its session is in (who is signed in, or the login),
 * which the desk asks for last, after its events, tiles and the open sale. Keys pressed earlier can be
 * lost or undone by the loading.
 */
export async function deskReady(page: Page): Promise<void> {
  await page.locator('[data-testid="till-who"], [data-testid="login"]').first().waitFor();
}

/** Reloads the desk page and waits until it is ready for keys (deskReady). */
export async function reloadDesk(page: Page): Promise<void> {
  await page.reload();
  await deskReady(page);
}

/**
 * A desk page at 1366x768, loaded and past its first data, ready to sell: the test manager signed in
 * and a shift open (as the served desk starts; again after a test signed someone else in or closed it).
 */
export async function openDesk(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(DESK_URL);
  await deskReady(page);
  if (await readyTill((m, i) => rpc(page, m, i))) await reloadDesk(page);
  return page;
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

/** The spec's browser, its desk page and the REST API of its server, set before its tests by `onDesk`. */
export let browser: Browser;
export let page: Page;
export let api: RestApi;

/**
 * The desk a spec file's tests share: its own served desk on a fresh database (desk-pool.ts), a browser
 * on a desk page ready to sell (openDesk) and the REST API, opened before the tests, then `prepare`
 * (the spec's catalog); browser and server stopped after them.
 */
export function onDesk(prepare: () => Promise<void> = async () => {}): void {
  const pool = inject('deskPool');
  let served: ServedDesk | undefined;
  beforeAll(async () => {
    browserChoice();
    const res = await fetch(new URL('take', pool), { method: 'POST' });
    if (!res.ok) throw new Error(`No served desk: ${await res.text()}`);
    served = (await res.json()) as ServedDesk;
    DESK_URL = served.url;
    DESK_DB = served.db;
    browser = await launch();
    page = await openDesk(browser);
    api = await restApi(page);
    await prepare();
  });
  afterAll(async () => {
    await browser?.close();
    if (served) await fetch(new URL(`give-back/${served.id}`, pool), { method: 'POST' });
  });
}

/** Reads the desk's database as a manager checking it afterwards would (read-only, closed after `read`). */
export function readDeskDb<T>(read: (db: Database.Database) => T): T {
  const db = new Database(DESK_DB, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/**
 * An event on sale as the specs set it up: on 1 September 2030 at 19:00 UTC, one admission product
 * (`item` at `price`) in one quota of `size` places (named `quota`, else "Hall").
 */
export interface EventOnSale {
  name: string;
  slug: string;
  item: string;
  price: string;
  size: number;
  quota?: string;
}

export interface SeededEvent {
  event: { slug: string };
  itemId: number;
}

/**
 * Sets up an event on sale through the REST API, as a script would. Returns the event as the API
 * answered its creation, and the product's id.
 */
export async function seedEvent(api: RestApi, event: EventOnSale): Promise<SeededEvent> {
  const created = (await api('POST', 'events/', {
    name: { en: event.name },
    slug: event.slug,
    currency: 'EUR',
    date_from: '2030-09-01T19:00:00Z',
  })) as { slug: string };
  const item = (await api('POST', `events/${event.slug}/items/`, {
    name: { en: event.item },
    default_price: event.price,
    admission: true,
  })) as { id: number };
  await api('POST', `events/${event.slug}/quotas/`, {
    name: event.quota ?? 'Hall',
    size: event.size,
    items: [item.id],
    variations: [],
  });
  return { event: created, itemId: item.id };
}

/**
 * The desk of a spec that sells one event (onDesk): the event set up through the REST API (seedEvent),
 * then `prepare` (the rest of the spec's catalog, given the event), then the desk reloaded on that event
 * with its product's tile on screen.
 */
export function onEventDesk(
  event: EventOnSale,
  prepare: (seeded: SeededEvent) => Promise<void> = async () => {},
): void {
  onDesk(async () => {
    await prepare(await seedEvent(api, event));
    await showEvent(page, event.name, event.item);
  });
}

/** Reloads the desk so it reads the new catalog, and shows that event's tiles, the one named `tile` among them. */
export async function showEvent(page: Page, eventName: string, tile: string): Promise<void> {
  await reloadDesk(page);
  await page.selectOption('.topbar select', { label: eventName });
  await page.locator('[data-testid="tile"]', { hasText: tile }).waitFor();
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
