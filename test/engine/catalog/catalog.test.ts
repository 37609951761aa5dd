import { describe, expect, it } from 'vitest';
import { deleteEvent } from '../../../main/engine/catalog/events';
import { buildName, withScheme } from '../../../main/engine/catalog/names';
import { deleteItem, deleteVariation } from '../../../main/engine/catalog/items';
import { deleteQuota } from '../../../main/engine/catalog/quotas';
import { eventSettings } from '../../../main/engine/catalog/settings';
import { holdOrderInQuotas } from '../../../main/engine/quotas/counters';
import {
  createEvent,
  patchEventSettings,
  updateEvent,
  createCategory,
  createItem,
  createQuestion,
  createQuota,
  createTaxRule,
  createVariation,
  updateItem,
  updateQuestion,
  updateQuota,
  showEvent,
} from '../../fixtures/catalog-wire';

const setup = (fields: Record<string, unknown> = {}) => showEvent({ name: { en: 'Show' }, ...fields });

/** Places a pending order of one position straight in SQL and counts it in the quotas, as order creation does. */
function placeOrder(t: ReturnType<typeof setup>, itemId: number, variationId: number | null = null): number {
  const { engine, organizerId, eventId } = t;
  return engine.command((ctx) => {
    const id = Number(
      ctx.db
        .prepare(
          `INSERT INTO orders (organizer_id, event_id, code, status, secret, datetime, expires, total, last_modified)
           VALUES (?, ?, ?, 'n', 's', '2026-01-01T00:00:00Z', '2030-01-01T00:00:00Z', '10.00', '2026-01-01T00:00:00Z')`,
        )
        .run(organizerId, eventId, `C${Math.random().toString(36).slice(2, 7)}`).lastInsertRowid,
    );
    ctx.db
      .prepare(
        `INSERT INTO order_positions (order_id, organizer_id, positionid, item_id, variation_id, price, secret, web_secret, pseudonymization_id)
         VALUES (?, ?, 1, ?, ?, '10.00', ?, 'w', ?)`,
      )
      .run(id, organizerId, itemId, variationId, `sec${id}`, `P${id}`);
    holdOrderInQuotas(ctx, id);
    return id;
  });
}

describe('events', () => {
  it('gives a new event pretix new-event settings and refuses bad slugs', () => {
    const t = setup();
    expect(eventSettings(t.engine.db, t.eventId).name_scheme).toBe('given_family');
    for (const [slug, message] of [
      ['show', 'This slug has already been used for a different event.'],
      ['a b', 'The slug may only contain letters, numbers, dots and dashes.'],
    ]) {
      const body = { name: 'X', slug, date_from: '2030-01-01T10:00:00Z' };
      expect(t.refused((ctx) => createEvent(ctx, t.organizerId, body))).toEqual({
        status: 400,
        body: { slug: [message] },
      });
    }
    const live = t.refused((ctx) =>
      createEvent(ctx, t.organizerId, {
        name: 'X',
        slug: 'live',
        live: true,
        date_from: '2030-01-01T10:00:00Z',
      }),
    ) as { body: Record<string, string[]> };
    expect(live.body.live?.[0]).toMatch(/cannot be created as 'live'/);
  });

  it('refuses to end before it starts, to change its slug or switch to a series', () => {
    const t = setup();
    const run = (body: unknown) => t.refused((ctx) => updateEvent(ctx, t.eventId, body));
    expect(run({ date_to: '2029-01-01T00:00:00Z' })).toMatchObject({
      body: { date_to: [expect.stringMatching(/later than its start/)] },
    });
    expect(run({ slug: 'other' })).toMatchObject({ body: { slug: ['The event slug cannot be changed.'] } });
    expect(run({ has_subevents: true })).toMatchObject({ status: 400 });
  });

  it('can be deleted only while it has no orders', () => {
    const t = setup();
    const item = t.engine.command((ctx) =>
      createItem(ctx, t.eventId, { name: 'Ticket', default_price: '10' }),
    );
    placeOrder(t, item);
    expect(t.refused((ctx) => deleteEvent(ctx, t.eventId))).toMatchObject({
      status: 403,
    });
    const other = t.engine.command((ctx) =>
      createEvent(ctx, t.organizerId, { name: 'Y', slug: 'empty', date_from: '2030-01-01T10:00:00Z' }),
    );
    t.engine.command((ctx) => createItem(ctx, other.id, { name: 'Ticket' }));
    t.engine.command((ctx) => deleteEvent(ctx, other.id));
    expect(t.engine.db.prepare('SELECT COUNT(*) AS n FROM items WHERE event_id = ?').get(other.id)).toEqual({
      n: 0,
    });
  });
});

describe('settings', () => {
  it('stores known settings, ignores unknown keys, refuses bad values without storing anything', () => {
    const t = setup();
    t.engine.command((ctx) =>
      patchEventSettings(ctx, t.eventId, { name_scheme: 'full', reservation_time: 15, nonsense: 1 }),
    );
    expect(eventSettings(t.engine.db, t.eventId)).toMatchObject({
      name_scheme: 'full',
      reservation_time: 15,
    });
    expect(eventSettings(t.engine.db, t.eventId).nonsense).toBeUndefined();
    const bad = t.refused((ctx) =>
      patchEventSettings(ctx, t.eventId, { name_scheme: 'martian', locale: 'de', reservation_time: 'x' }),
    );
    expect(bad).toMatchObject({
      status: 400,
      body: { name_scheme: [expect.any(String)], reservation_time: [expect.any(String)] },
    });
    expect(eventSettings(t.engine.db, t.eventId).locale).toBe('en');
    expect(
      t.refused((ctx) =>
        patchEventSettings(ctx, t.eventId, { attendee_names_asked: false, attendee_names_required: true }),
      ),
    ).toMatchObject({ body: { attendee_names_required: [expect.stringMatching(/do not ask/)] } });
    // null resets to pretix's global default.
    t.engine.command((ctx) => patchEventSettings(ctx, t.eventId, { reservation_time: null }));
    expect(eventSettings(t.engine.db, t.eventId).reservation_time).toBe(30);
  });

  it('keeps the time zone on the event row', () => {
    const t = setup();
    t.engine.command((ctx) => patchEventSettings(ctx, t.eventId, { timezone: 'Europe/Berlin' }));
    expect(t.engine.db.prepare('SELECT timezone FROM events WHERE id = ?').get(t.eventId)).toEqual({
      timezone: 'Europe/Berlin',
    });
  });
});

describe('names', () => {
  it('builds names as pretix does, from the scheme the parts were entered under', () => {
    expect(buildName({ _scheme: 'given_family', given_name: 'Ada', family_name: 'Lovelace' })).toBe(
      'Ada Lovelace',
    );
    expect(buildName({ _scheme: 'family_comma_given', given_name: 'Ada', family_name: 'Lovelace' })).toBe(
      'Lovelace, Ada',
    );
    expect(buildName({ _scheme: 'family_nospace_given', given_name: '太郎', family_name: '山田' })).toBe(
      '山田太郎',
    );
    expect(
      buildName({
        _scheme: 'salutation_title_given_family_degree',
        salutation: 'Mr',
        title: 'Dr',
        given_name: 'A',
        family_name: 'B',
        degree: 'PhD',
      }),
    ).toBe('Dr A B, PhD');
    expect(buildName({ _legacy: 'Old Name' })).toBe('Old Name');
    expect(buildName({ full_name: 'Peter' }, 'full')).toBe('Peter');
    expect(buildName({})).toBeNull();
    expect(withScheme({ given_name: 'A' }, 'given_family')).toEqual({
      given_name: 'A',
      _scheme: 'given_family',
    });
    expect(withScheme({ full_name: 'A', _scheme: 'full' }, 'given_family')).toEqual({
      full_name: 'A',
      _scheme: 'full',
    });
  });
});

describe('items', () => {
  it('creates variations, add-ons and bundles at creation and validates them', () => {
    const t = setup();
    const cat = t.engine.command((ctx) => createCategory(ctx, t.eventId, { name: 'Extras', is_addon: true }));
    const shirt = t.engine.command((ctx) =>
      createItem(ctx, t.eventId, {
        name: 'Shirt',
        default_price: '5',
        variations: [{ value: 'S' }, { value: 'M', default_price: '6' }],
      }),
    );
    const vars = t.engine.db
      .prepare('SELECT id FROM item_variations WHERE item_id = ? ORDER BY id')
      .all(shirt) as { id: number }[];
    expect(vars).toHaveLength(2);
    const ticket = t.engine.command((ctx) =>
      createItem(ctx, t.eventId, {
        name: 'Ticket',
        default_price: '23',
        addons: [{ addon_category: cat, min_count: 0, max_count: 2 }],
        bundles: [
          { bundled_item: shirt, bundled_variation: vars[0]!.id, count: 1, designated_price: '1.50' },
        ],
      }),
    );
    expect(t.engine.db.prepare('SELECT default_price FROM items WHERE id = ?').get(ticket)).toEqual({
      default_price: '23.00',
    });
    expect(
      t.refused((ctx) =>
        createItem(ctx, t.eventId, {
          name: 'X',
          addons: [{ addon_category: cat, min_count: 3, max_count: 1 }],
        }),
      ),
    ).toEqual({
      status: 400,
      body: { addons: ['The maximum count needs to be greater than the minimum count.'] },
    });
    expect(
      t.refused((ctx) => createItem(ctx, t.eventId, { name: 'X', bundles: [{ bundled_item: shirt }] })),
    ).toMatchObject({
      status: 400,
      body: { bundles: [expect.stringMatching(/variation/)] },
    });
    expect(
      t.refused((ctx) => createItem(ctx, t.eventId, { name: 'X', variations: [{ value: 'A' }, {}] })),
    ).toEqual({
      status: 400,
      body: { variations: [{}, { value: ['This field is required.'] }] },
    });
    expect(
      t.refused((ctx) => createItem(ctx, t.eventId, { name: 'X', min_per_order: 5, max_per_order: 2 })),
    ).toMatchObject({
      body: { non_field_errors: [expect.stringMatching(/maximum number per order/)] },
    });
    expect(t.refused((ctx) => updateItem(ctx, t.eventId, ticket, { variations: [] }))).toMatchObject({
      status: 400,
    });
    // A validation failure changes nothing.
    expect(t.engine.db.prepare('SELECT COUNT(*) AS n FROM items').get()).toEqual({ n: 2 });
  });

  it('refuses a tax rule or category of another event', () => {
    const t = setup();
    const other = t.engine.command((ctx) =>
      createEvent(ctx, t.organizerId, { name: 'O', slug: 'other', date_from: '2030-01-01T10:00:00Z' }),
    );
    const foreignRule = t.engine.command((ctx) =>
      createTaxRule(ctx, other.id, { name: 'VAT', rate: '19.00' }),
    );
    expect(
      t.refused((ctx) => createItem(ctx, t.eventId, { name: 'X', tax_rule: foreignRule })),
    ).toMatchObject({
      status: 400,
      body: { tax_rule: [expect.any(String)] },
    });
  });

  it('cannot delete an ordered item or the last variation', () => {
    const t = setup();
    const shirt = t.engine.command((ctx) =>
      createItem(ctx, t.eventId, { name: 'Shirt', variations: [{ value: 'S' }] }),
    );
    const v = (
      t.engine.db.prepare('SELECT id FROM item_variations WHERE item_id = ?').get(shirt) as { id: number }
    ).id;
    expect(t.refused((ctx) => deleteVariation(ctx, t.eventId, shirt, v))).toMatchObject({
      status: 403,
    });
    const plain = t.engine.command((ctx) => createItem(ctx, t.eventId, { name: 'Plain' }));
    expect(t.refused((ctx) => createVariation(ctx, t.eventId, plain, { value: 'A' }))).toMatchObject({
      status: 403,
    });
    placeOrder(t, plain);
    expect(t.refused((ctx) => deleteItem(ctx, t.eventId, plain))).toMatchObject({
      status: 403,
    });
  });
});

describe('quotas', () => {
  it('requires a variation of every listed item that has variations', () => {
    const t = setup();
    const shirt = t.engine.command((ctx) =>
      createItem(ctx, t.eventId, { name: 'Shirt', variations: [{ value: 'S' }, { value: 'M' }] }),
    );
    const ticket = t.engine.command((ctx) => createItem(ctx, t.eventId, { name: 'Ticket' }));
    expect(t.refused((ctx) => createQuota(ctx, t.eventId, { name: 'Q', size: 5, items: [shirt] }))).toEqual({
      status: 400,
      body: {
        non_field_errors: ['One or more items has variations but none of these are in the variations list.'],
      },
    });
    const v = (
      t.engine.db.prepare('SELECT id FROM item_variations WHERE item_id = ?').get(shirt) as { id: number }
    ).id;
    expect(
      t.refused((ctx) =>
        createQuota(ctx, t.eventId, { name: 'Q', size: 5, items: [ticket], variations: [v] }),
      ),
    ).toEqual({
      status: 400,
      body: { non_field_errors: ['All variations must belong to an item contained in the items list.'] },
    });
    const q = t.engine.command((ctx) =>
      createQuota(ctx, t.eventId, { name: 'Q', size: null, items: [shirt, ticket], variations: [v] }),
    );
    expect(t.engine.db.prepare('SELECT size FROM quotas WHERE id = ?').get(q)).toEqual({ size: null });
  });

  it('needs a sub-event in a series and refuses one otherwise', () => {
    const t = setup();
    const item = t.engine.command((ctx) => createItem(ctx, t.eventId, { name: 'Ticket' }));
    const series = t.engine.command((ctx) =>
      createEvent(ctx, t.organizerId, {
        name: 'S',
        slug: 'series',
        has_subevents: true,
        date_from: '2030-01-01T10:00:00Z',
      }),
    );
    const sItem = t.engine.command((ctx) => createItem(ctx, series.id, { name: 'Ticket' }));
    expect(t.refused((ctx) => createQuota(ctx, series.id, { name: 'Q', size: 1, items: [sItem] }))).toEqual({
      status: 400,
      body: { non_field_errors: ['Subevent cannot be null for event series.'] },
    });
    expect(
      t.refused((ctx) => createQuota(ctx, t.eventId, { name: 'Q', size: 1, items: [item], subevent: 1 })),
    ).toMatchObject({
      status: 400,
    });
  });

  it('recounts what orders hold when its members change', () => {
    const t = setup();
    const a = t.engine.command((ctx) => createItem(ctx, t.eventId, { name: 'A' }));
    const b = t.engine.command((ctx) => createItem(ctx, t.eventId, { name: 'B' }));
    const q = t.engine.command((ctx) => createQuota(ctx, t.eventId, { name: 'Q', size: 10, items: [a] }));
    placeOrder(t, a);
    placeOrder(t, b);
    placeOrder(t, b);
    const counts = () =>
      t.engine.db.prepare('SELECT pending_count, paid_count FROM quotas WHERE id = ?').get(q);
    expect(counts()).toEqual({ pending_count: 1, paid_count: 0 });
    t.engine.command((ctx) => updateQuota(ctx, t.eventId, q, { items: [a, b] }));
    expect(counts()).toEqual({ pending_count: 3, paid_count: 0 });
    t.engine.command((ctx) => updateQuota(ctx, t.eventId, q, { items: [b] }));
    expect(counts()).toEqual({ pending_count: 2, paid_count: 0 });
    // A new quota over ordered items starts with their count.
    const q2 = t.engine.command((ctx) => createQuota(ctx, t.eventId, { name: 'Q2', size: 10, items: [a] }));
    expect(t.engine.db.prepare('SELECT pending_count FROM quotas WHERE id = ?').get(q2)).toEqual({
      pending_count: 1,
    });
    t.engine.command((ctx) => deleteQuota(ctx, t.eventId, q2));
    expect(t.engine.db.prepare('SELECT COUNT(*) AS n FROM quotas').get()).toEqual({ n: 1 });
  });
});

describe('questions', () => {
  it('generates identifiers for questions and options and refuses duplicates', () => {
    const t = setup();
    const item = t.engine.command((ctx) => createItem(ctx, t.eventId, { name: 'Ticket' }));
    const q = t.engine.command((ctx) =>
      createQuestion(ctx, t.eventId, {
        question: 'Size?',
        type: 'C',
        items: [item],
        identifier: null,
        options: [{ answer: 'S', identifier: null }, { answer: 'M' }],
      }),
    );
    const row = t.engine.db.prepare('SELECT identifier FROM questions WHERE id = ?').get(q) as {
      identifier: string;
    };
    expect(row.identifier).toMatch(/^[A-Z3789]{8}$/);
    const options = t.engine.db
      .prepare('SELECT identifier FROM question_options WHERE question_id = ?')
      .all(q) as { identifier: string }[];
    expect(options).toHaveLength(2);
    expect(new Set(options.map((o) => o.identifier)).size).toBe(2);
    t.engine.command((ctx) =>
      createQuestion(ctx, t.eventId, { question: 'Age', type: 'N', identifier: 'AGE' }),
    );
    expect(
      t.refused((ctx) => createQuestion(ctx, t.eventId, { question: 'Age', type: 'N', identifier: 'age' })),
    ).toEqual({
      status: 400,
      body: { identifier: ['This identifier is already used for a different question.'] },
    });
    expect(t.refused((ctx) => createQuestion(ctx, t.eventId, { question: 'X', type: 'Q' }))).toEqual({
      status: 400,
      body: { type: ['"Q" is not a valid choice.'] },
    });
    expect(t.refused((ctx) => updateQuestion(ctx, t.eventId, q, { dependency_question: q }))).toEqual({
      status: 400,
      body: { dependency_question: ['A question cannot depend on itself.'] },
    });
  });
});
