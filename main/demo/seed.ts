import type { EngineContext } from '../engine/context';
import { createOrder } from '../engine/orders/create';
import { ensureDefaultOrganizer } from '../engine/organizers/organizers';
import { holdOrderInQuotas, releaseOrderFromQuotas } from '../engine/quotas/counters';

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

function insert(ctx: EngineContext, sql: string, ...params: unknown[]): number {
  return Number(ctx.db.prepare(sql).run(...params).lastInsertRowid);
}

function i18n(en: string, de?: string): string {
  return JSON.stringify(de ? { en, de } : { en });
}

/**
 * The demo event a first start shows: a summer festival two months ahead with day tickets, a weekend pass,
 * a T-shirt in three sizes, quotas, a question, a check-in list, and about twenty orders in every state,
 * placed through the same order command the API uses.
 */
export function seedDemo(ctx: EngineContext): SeedResult {
  const organizer = ensureDefaultOrganizer(ctx);
  let slug = 'demo';
  for (
    let n = 2;
    ctx.db.prepare('SELECT 1 FROM events WHERE organizer_id = ? AND slug = ?').get(organizer.id, slug);
    n++
  ) {
    slug = `demo-${n}`;
  }
  const now = ctx.now;
  const day = 24 * 3600 * 1000;
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 60, 16, 0, 0));
  const end = new Date(start.getTime() + 2 * day + 6 * 3600 * 1000);
  const nowIso = now.toISOString();

  const eventId = insert(
    ctx,
    `INSERT INTO events (organizer_id, slug, name, currency, date_from, date_to, location, timezone, live, settings, created)
     VALUES (?, ?, ?, 'EUR', ?, ?, ?, 'Europe/Berlin', 1, ?, ?)`,
    organizer.id,
    slug,
    i18n('Summer Open Air', 'Sommer Open Air'),
    start.toISOString(),
    end.toISOString(),
    i18n('Festival grounds, Riverside Park'),
    JSON.stringify({ name_scheme: 'given_family', timezone: 'Europe/Berlin', locales: ['en', 'de'] }),
    nowIso,
  );
  ctx.audit({
    organizerId: organizer.id,
    eventId,
    objectType: 'event',
    objectId: eventId,
    actionType: 'pretix.event.added',
  });

  const vat = insert(
    ctx,
    "INSERT INTO tax_rules (event_id, name, rate, price_includes_tax) VALUES (?, ?, '19.00', 1)",
    eventId,
    i18n('VAT', 'MwSt.'),
  );
  const tickets = insert(
    ctx,
    'INSERT INTO categories (event_id, name, position) VALUES (?, ?, 0)',
    eventId,
    i18n('Tickets'),
  );
  const merch = insert(
    ctx,
    'INSERT INTO categories (event_id, name, position) VALUES (?, ?, 1)',
    eventId,
    i18n('Merchandise'),
  );
  const item = (name: string, price: string, category: number, admission: boolean, position: number) =>
    insert(
      ctx,
      `INSERT INTO items (event_id, category_id, name, default_price, tax_rule_id, admission, position, sales_channels)
       VALUES (?, ?, ?, ?, ?, ?, ?, '["web","pretixpos"]')`,
      eventId,
      category,
      name,
      price,
      vat,
      admission ? 1 : 0,
      position,
    );
  const dayTicket = item(i18n('Day ticket', 'Tagesticket'), '35.00', tickets, true, 0);
  const weekend = item(i18n('Weekend pass', 'Wochenendpass'), '89.00', tickets, true, 1);
  const shirt = item(i18n('Festival T-shirt', 'Festival-T-Shirt'), '20.00', merch, false, 2);
  const sizes = ['S', 'M', 'L'].map((size, i) =>
    insert(
      ctx,
      'INSERT INTO item_variations (item_id, value, position) VALUES (?, ?, ?)',
      shirt,
      i18n(size),
      i,
    ),
  );

  const quota = (name: string, size: number, items: number[], variations: number[] = []) => {
    const id = insert(ctx, 'INSERT INTO quotas (event_id, name, size) VALUES (?, ?, ?)', eventId, name, size);
    for (const i of items)
      ctx.db.prepare('INSERT INTO quota_items (quota_id, item_id) VALUES (?, ?)').run(id, i);
    for (const v of variations)
      ctx.db.prepare('INSERT INTO quota_variations (quota_id, variation_id) VALUES (?, ?)').run(id, v);
    return id;
  };
  quota('Festival capacity', 500, [dayTicket, weekend]);
  quota('Weekend passes', 150, [weekend]);
  quota('T-shirts', 60, [shirt], sizes);

  const question = insert(
    ctx,
    `INSERT INTO questions (event_id, question, type, required, position, identifier)
     VALUES (?, ?, 'C', 0, 0, 'DIET')`,
    eventId,
    i18n('Food preference', 'Essenswunsch'),
  );
  for (const i of [dayTicket, weekend]) {
    ctx.db.prepare('INSERT INTO question_items (question_id, item_id) VALUES (?, ?)').run(question, i);
  }
  const options = ['No preference', 'Vegetarian', 'Vegan'].map((answer, i) =>
    insert(
      ctx,
      'INSERT INTO question_options (question_id, identifier, answer, position) VALUES (?, ?, ?, ?)',
      question,
      `DIET-${i + 1}`,
      i18n(answer),
      i,
    ),
  );
  insert(
    ctx,
    'INSERT INTO checkin_lists (event_id, name, all_products, include_pending) VALUES (?, ?, 1, 0)',
    eventId,
    'Main entrance',
  );

  const random = sequence(20260601);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const plan: ('p' | 'n' | 'c' | 'e')[] = [
    'p',
    'p',
    'p',
    'n',
    'p',
    'c',
    'p',
    'n',
    'p',
    'e',
    'p',
    'p',
    'n',
    'p',
    'c',
    'p',
    'n',
    'p',
    'p',
    'e',
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
      body: {
        email,
        locale: random() < 0.3 ? 'de' : 'en',
        sales_channel: index % 3 === 0 ? 'pretixpos' : 'web',
        status: state === 'p' ? 'p' : 'n',
        payment_provider: state === 'p' ? (index % 3 === 0 ? 'boxoffice' : 'banktransfer') : 'banktransfer',
        positions,
      },
    });
    count++;
    if (state === 'c' || state === 'e') {
      // Canceled and expired orders hold no quota: leave the counters, change the status, count again.
      releaseOrderFromQuotas(ctx, orderId);
      ctx.db
        .prepare('UPDATE orders SET status = ?, cancellation_date = ?, last_modified = ? WHERE id = ?')
        .run(state, state === 'c' ? nowIso : null, nowIso, orderId);
      if (state === 'c') {
        ctx.db
          .prepare("UPDATE order_payments SET state = 'canceled' WHERE order_id = ? AND state = 'created'")
          .run(orderId);
      }
      holdOrderInQuotas(ctx, orderId);
      ctx.audit({
        organizerId: organizer.id,
        eventId,
        objectType: 'order',
        objectId: orderId,
        actionType: state === 'c' ? 'pretix.event.order.canceled' : 'pretix.event.order.expired',
        data: state === 'c' ? { cancellation_fee: null, comment: null } : {},
      });
    }
  }
  return { eventSlug: slug, orders: count };
}

export function seedDemoIfEmpty(ctx: EngineContext): SeedResult | undefined {
  const count = (ctx.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  return count === 0 ? seedDemo(ctx) : undefined;
}
