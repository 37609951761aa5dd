import type { EngineContext } from '../engine/context';
import {
  createCategory,
  createEvent,
  createItem,
  createQuestion,
  createQuota,
  createTaxRule,
  eventCount,
  findEventBySlug,
  optionRecordsOfQuestion,
  patchEventSettings,
  variationsInOrder,
} from '../engine/catalog';
import { money } from '../engine/money';
import { createCheckinList } from '../engine/checkin';
import { createOrder, markOrderCanceled, markOrderExpired } from '../engine/orders';
import { readOrderCreate } from '../api/schemas/order-create';
import { ensureDefaultOrganizer } from '../engine/organizers';
import { createCashier, listCashiers } from '../engine/cashiers';

export interface SeedResult {
  eventSlug: string;
  orders: number;
}

const FIRST_NAMES = [
  'Anna',
  'Ben',
  'Chloé',
  'David',
  'Elif',
  'Femi',
  'Greta',
  'Hugo',
  'Ines',
  'Jonas',
  'Kenji',
  'Lena',
];
const LAST_NAMES = [
  'Meyer',
  'Dubois',
  'Rossi',
  'Novak',
  'Okafor',
  'Svensson',
  'García',
  'Yilmaz',
  'Tanaka',
  'Schmidt',
];

/** A small deterministic generator, so every demo database looks the same. */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** The demo's till staff; the login screen shows their PINs while the demo event is the only event. */
export const DEMO_CASHIERS = [
  { name: 'Anna', role: 'cashier', pin: '1234' },
  { name: 'Max', role: 'manager', pin: '9999' },
] as const;

/**
 * The demo event a first start shows: a summer festival two months ahead with day tickets, a weekend pass,
 * a T-shirt in three sizes, quotas, a question, a check-in list, and about twenty orders in every state,
 * placed through the same order command the API uses.
 */
export function seedDemo(ctx: EngineContext): SeedResult {
  if (listCashiers(ctx.db).length === 0)
    for (const c of DEMO_CASHIERS) createCashier(ctx, { name: c.name, role: c.role, pin: c.pin });
  return seedDemoEvent(ctx);
}

/** The demo event with its orders alone, without the till staff (it needs only the catalog and orders). */
export function seedDemoEvent(ctx: EngineContext): SeedResult {
  const organizer = ensureDefaultOrganizer(ctx);
  let slug = 'demo';
  for (let n = 2; findEventBySlug(ctx.db, organizer.id, slug); n++) {
    slug = `demo-${n}`;
  }
  const now = ctx.now;
  const day = 24 * 3600 * 1000;
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 60, 16, 0, 0));
  const end = new Date(start.getTime() + 2 * day + 6 * 3600 * 1000);

  const event = createEvent(ctx, organizer.id, {
    name: { en: 'Summer Open Air', de: 'Sommer Open Air' },
    slug,
    currency: 'EUR',
    dateFrom: start,
    dateTo: end,
    location: { en: 'Festival grounds, Riverside Park' },
    timezone: 'Europe/Berlin',
    plugins: [
      'pretix.plugins.banktransfer',
      'pretix.plugins.ticketoutputpdf',
      'pretix.plugins.checkinlists',
      'pretix.plugins.sendmail',
      'pretix.plugins.statistics',
    ],
  });
  const eventId = event.id;
  patchEventSettings(ctx, eventId, { locales: ['en', 'de'], ticketoutput_pdf__enabled: true });

  const vat = createTaxRule(ctx, eventId, { name: { en: 'VAT', de: 'MwSt.' }, rate: money('19.00') });
  const tickets = createCategory(ctx, eventId, { name: { en: 'Tickets' }, position: 0 });
  const merch = createCategory(ctx, eventId, { name: { en: 'Merchandise' }, position: 1 });
  const item = (
    name: Record<string, string>,
    price: string,
    category: number,
    admission: boolean,
    position: number,
  ) =>
    createItem(ctx, eventId, {
      name,
      defaultPrice: money(price),
      category,
      taxRule: vat,
      admission,
      position,
      salesChannels: ['web', 'pretixpos'],
    });
  const dayTicket = item({ en: 'Day ticket', de: 'Tagesticket' }, '35.00', tickets, true, 0);
  const weekend = item({ en: 'Weekend pass', de: 'Wochenendpass' }, '89.00', tickets, true, 1);
  const shirt = createItem(ctx, eventId, {
    name: { en: 'Festival T-shirt', de: 'Festival-T-Shirt' },
    defaultPrice: money('20.00'),
    category: merch,
    taxRule: vat,
    admission: false,
    position: 2,
    variations: ['S', 'M', 'L'].map((size) => ({ value: { en: size } })),
  });
  const sizes = variationsInOrder(ctx.db, shirt).map((v) => v.id);

  createQuota(ctx, eventId, { name: 'Festival capacity', size: 500, items: [dayTicket, weekend] });
  createQuota(ctx, eventId, { name: 'Weekend passes', size: 150, items: [weekend] });
  createQuota(ctx, eventId, { name: 'T-shirts', size: 60, items: [shirt], variations: sizes });

  const question = createQuestion(ctx, eventId, {
    question: { en: 'Food preference', de: 'Essenswunsch' },
    type: 'C',
    required: false,
    identifier: 'DIET',
    items: [dayTicket, weekend],
    options: ['No preference', 'Vegetarian', 'Vegan'].map((answer, i) => ({
      answer: { en: answer },
      identifier: `DIET-${i + 1}`,
    })),
  });
  const options = optionRecordsOfQuestion(ctx.db, question).map((o) => o.id);
  createCheckinList(ctx, { eventId, data: { name: 'Main entrance', allProducts: true } });

  const random = sequence(20260601);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  // The demo orders' states in the order they are placed: mostly paid, some pending, canceled or expired.
  // prettier-ignore
  const plan: ('p' | 'n' | 'c' | 'e')[] = [
    'p', 'p', 'p', 'n', 'p', 'c', 'p', 'n', 'p', 'e',
    'p', 'p', 'n', 'p', 'c', 'p', 'n', 'p', 'p', 'e',
  ];
  let count = 0;
  for (const [index, state] of plan.entries()) {
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const email =
      `${first}.${last}`
        .toLowerCase()
        .normalize('NFD')
        .replace(/[^a-z.]/g, '') + '@example.org';
    const attendees = 1 + Math.floor(random() * 3);
    const positions: Record<string, unknown>[] = [];
    for (let a = 0; a < attendees; a++) {
      positions.push({
        item: random() < 0.35 ? weekend : dayTicket,
        attendee_name_parts: { given_name: a === 0 ? first : pick(FIRST_NAMES), family_name: last },
        answers: [{ question, answer: 'choice', options: [pick(options)] }],
      });
    }
    if (random() < 0.4) positions.push({ item: shirt, variation: pick(sizes) });
    const { orderId } = createOrder(ctx, {
      eventId,
      request: readOrderCreate(ctx, eventId, {
        email,
        locale: random() < 0.3 ? 'de' : 'en',
        sales_channel: index % 3 === 0 ? 'pretixpos' : 'web',
        status: state === 'p' ? 'p' : 'n',
        payment_provider: state === 'p' ? (index % 3 === 0 ? 'boxoffice' : 'banktransfer') : 'banktransfer',
        positions,
      }),
    });
    count++;
    if (state === 'c') markOrderCanceled(ctx, { orderId });
    if (state === 'e') markOrderExpired(ctx, { orderId });
  }
  return { eventSlug: slug, orders: count };
}

export function seedDemoIfEmpty(ctx: EngineContext): SeedResult | undefined {
  const count = eventCount(ctx.db);
  return count === 0 ? seedDemo(ctx) : undefined;
}
