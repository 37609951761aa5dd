import { describe, expect, it } from 'vitest';
import type { EventSetup, RpcInput } from '../../shared/contract';
import { fixtureItem } from '../fixtures/catalog';
import { deskResult, setupDesk } from '../support/desk-rpc';

type TaxRuleRow = { id: number; event_id: number; name: string; rate: string };

/** A new 19 % VAT rule of the event, as the Setup screen sends it. */
const vat = (eventId: number) =>
  ({
    kind: 'tax_rule',
    eventId,
    parentId: null,
    fields: { name: { en: 'VAT' }, rate: '19' },
  }) satisfies RpcInput<'setup.create'>;

describe('Setup sends a tax rule as typed fields', () => {
  it('creates and changes a rule from its name and rate, stored as the REST API stores it', async () => {
    const { rpc, eventId, rows } = setupDesk();
    const { id } = await deskResult(rpc, 'setup.create', vat(eventId));
    await deskResult(rpc, 'setup.update', {
      kind: 'tax_rule',
      eventId,
      parentId: null,
      id,
      fields: { rate: '7.5' },
    });
    expect(rows<TaxRuleRow>('SELECT id, event_id, name, rate FROM tax_rules')).toEqual([
      { id, event_id: eventId, name: '{"en":"VAT"}', rate: '7.50' },
    ]);
    await deskResult(rpc, 'setup.delete', { kind: 'tax_rule', eventId, parentId: null, id });
    expect(rows('SELECT id FROM tax_rules')).toEqual([]);
  });

  it('refuses a rate outside 0–100 %, a rate that is no number and a blank name, in plain words, saving nothing', async () => {
    const { rpc, eventId, count } = setupDesk();
    const attempt = (fields: unknown) =>
      rpc.call('setup.create', { kind: 'tax_rule', eventId, parentId: null, fields });
    expect(await attempt({ name: { en: 'VAT' }, rate: '-19' })).toMatchObject({
      error: { status: 400, message: 'Tax rate: Ensure this value is greater than or equal to 0.00.' },
    });
    expect(await attempt({ name: { en: 'VAT' }, rate: '100.01' })).toMatchObject({
      error: { status: 400, message: 'Tax rate: Ensure this value is less than or equal to 100.00.' },
    });
    expect(await attempt({ name: { en: 'VAT' }, rate: 'nineteen' })).toMatchObject({
      error: { status: 400, message: 'Tax rate: A valid number is required.' },
    });
    expect(await attempt({ name: { en: 'VAT' }, rate: 19 })).toMatchObject({
      error: { status: 400, message: 'Tax rate: A valid number is required.' },
    });
    expect(await attempt({ name: { en: 'VAT' }, rate: '7.555' })).toMatchObject({
      error: { status: 400, message: 'Tax rate: Ensure that there are no more than 2 decimal places.' },
    });
    expect(await attempt({ name: { en: '  ' }, rate: '19' })).toMatchObject({
      error: { status: 400, message: 'Name: This field may not be blank.' },
    });
    expect(await attempt({ name: 'VAT', rate: '19' })).toMatchObject({ error: { status: 400 } });
    // What is not a field of the desk's tax rule is left out, as elsewhere at the desk.
    expect(await attempt({ name: { en: 'VAT' }, rate: '19', price_includes_tax: 'nope' })).toMatchObject({
      result: {},
    });
    expect(count('tax_rules')).toBe(1);
  });

  it('refuses a change to a rate above 100 % and leaves the rule as it was', async () => {
    const { rpc, eventId, rows } = setupDesk();
    const { id } = await deskResult(rpc, 'setup.create', vat(eventId));
    const reply = await rpc.call('setup.update', {
      ...vat(eventId),
      id,
      fields: { name: { en: 'Luxury' }, rate: '150' },
    });
    expect(reply).toMatchObject({ error: { status: 400, code: 'invalid' } });
    expect(rows<TaxRuleRow>('SELECT name, rate FROM tax_rules')).toEqual([
      { name: '{"en":"VAT"}', rate: '19.00' },
    ]);
  });

  it("does not change or delete another event's rule, nor one of an event that does not exist", async () => {
    const { rpc, eventId, otherEventId, rows } = setupDesk();
    const { id } = await deskResult(rpc, 'setup.create', vat(otherEventId));
    const change = await rpc.call('setup.update', { ...vat(eventId), id, fields: { rate: '0' } });
    expect(change).toMatchObject({ error: { status: 404 } });
    const remove = await rpc.call('setup.delete', { kind: 'tax_rule', eventId, parentId: null, id });
    expect(remove).toMatchObject({ error: { status: 404 } });
    const nowhere = await rpc.call('setup.create', vat(999));
    expect(nowhere).toMatchObject({ error: { status: 404 } });
    expect(rows<TaxRuleRow>('SELECT event_id, rate FROM tax_rules')).toEqual([
      { event_id: otherEventId, rate: '19.00' },
    ]);
  });
});

type QuestionRow = { id: number; event_id: number; question: string; type: string; required: number };

/** A required "Meal" choice question of the event's product, with two answers, as the Setup screen sends it. */
const meal = (eventId: number, itemId: number) =>
  ({
    kind: 'question',
    eventId,
    parentId: null,
    fields: {
      question: { en: 'Meal' },
      type: 'C',
      required: true,
      items: [itemId],
      options: [{ answer: { en: 'Fish' } }, { answer: { en: 'Veggie' } }],
    },
  }) satisfies RpcInput<'setup.create'>;

describe('Setup sends questions and their choices as typed fields', () => {
  it('creates a question with its choices for its products, changes it and adds, renames and deletes a choice', async () => {
    const { rpc, eventId, itemId, rows } = setupDesk();
    const { id } = await deskResult(rpc, 'setup.create', meal(eventId, itemId));
    const options = () =>
      rows<{ answer: string }>(
        'SELECT answer FROM question_options WHERE question_id = ? ORDER BY position',
        id,
      ).map((o) => o.answer);
    expect(rows<QuestionRow>('SELECT id, event_id, question, type, required FROM questions')).toEqual([
      { id, event_id: eventId, question: '{"en":"Meal"}', type: 'C', required: 1 },
    ]);
    expect(rows('SELECT item_id FROM question_items WHERE question_id = ?', id)).toEqual([
      { item_id: itemId },
    ]);
    expect(options()).toEqual(['{"en":"Fish"}', '{"en":"Veggie"}']);

    await deskResult(rpc, 'setup.update', {
      kind: 'question',
      eventId,
      parentId: null,
      id,
      fields: { question: { en: 'Dinner' }, required: false, items: [] },
    });
    expect(rows<QuestionRow>('SELECT question, required FROM questions')).toEqual([
      { question: '{"en":"Dinner"}', required: 0 },
    ]);
    expect(rows('SELECT item_id FROM question_items')).toEqual([]);

    const option = { kind: 'question_option', eventId, parentId: id } as const;
    const added = await deskResult(rpc, 'setup.create', { ...option, fields: { answer: { en: 'Meat' } } });
    await deskResult(rpc, 'setup.update', { ...option, id: added.id, fields: { answer: { en: 'Beef' } } });
    expect(options()).toEqual(['{"en":"Fish"}', '{"en":"Veggie"}', '{"en":"Beef"}']);
    await deskResult(rpc, 'setup.delete', { ...option, id: added.id });
    expect(options()).toEqual(['{"en":"Fish"}', '{"en":"Veggie"}']);
  });

  it("refuses another event's product, an unknown kind of question and nonsense, saving nothing", async () => {
    const { engine, rpc, eventId, itemId, otherEventId, count } = setupDesk();
    const foreignItem = fixtureItem(engine, otherEventId, { name: 'Elsewhere' });
    const attempt = (fields: Record<string, unknown>) =>
      rpc.call('setup.create', {
        ...meal(eventId, itemId),
        fields: { ...meal(eventId, itemId).fields, ...fields },
      });
    expect(await attempt({ items: [itemId, foreignItem] })).toMatchObject({
      error: { status: 400, message: `Products: Invalid pk "${foreignItem}" - object does not exist.` },
    });
    expect(await attempt({ type: 'X' })).toMatchObject({
      error: { status: 400, message: 'Type: Choose a kind of question.' },
    });
    expect(await attempt({ required: 'yes' })).toMatchObject({ error: { status: 400 } });
    expect(await attempt({ items: 'all' })).toMatchObject({ error: { status: 400 } });
    expect(await attempt({ question: { en: '' } })).toMatchObject({
      error: { status: 400, message: 'Question: This field may not be blank.' },
    });
    expect(count('questions')).toBe(0);
    expect(count('question_options')).toBe(0);
  });

  it("changes no question or choice of another event's question", async () => {
    const { engine, rpc, eventId, itemId, otherEventId, rows } = setupDesk();
    const foreignItem = fixtureItem(engine, otherEventId, { name: 'Elsewhere' });
    const { id } = await deskResult(rpc, 'setup.create', meal(otherEventId, foreignItem));
    const change = await rpc.call('setup.update', {
      kind: 'question',
      eventId,
      parentId: null,
      id,
      fields: { question: { en: 'Taken over' } },
    });
    expect(change).toMatchObject({ error: { status: 404 } });
    const choice = await rpc.call('setup.create', {
      kind: 'question_option',
      eventId,
      parentId: id,
      fields: { answer: { en: 'Sneaked in' } },
    });
    expect(choice).toMatchObject({ error: { status: 404 } });
    const own = await deskResult(rpc, 'setup.create', meal(eventId, itemId));
    const foreignItemOnOwn = await rpc.call('setup.update', {
      kind: 'question',
      eventId,
      parentId: null,
      id: own.id,
      fields: { items: [foreignItem] },
    });
    expect(foreignItemOnOwn).toMatchObject({ error: { status: 400 } });
    expect(rows('SELECT question FROM questions WHERE id = ?', id)).toEqual([{ question: '{"en":"Meal"}' }]);
    expect(rows('SELECT item_id FROM question_items WHERE question_id = ?', own.id)).toEqual([
      { item_id: itemId },
    ]);
    expect(rows('SELECT COUNT(*) AS n FROM question_options')).toEqual([{ n: 4 }]);
  });
});

/** A new event "Tour" as the Setup screen sends it, with `fields` changed. */
const newEvent = (fields: Partial<EventSetup> = {}) =>
  ({
    kind: 'event',
    eventId: null,
    parentId: null,
    fields: {
      name: { en: 'Tour' },
      slug: 'tour',
      currency: 'EUR',
      dateFrom: '2030-07-01T18:00:00.000Z',
      hasSubevents: false,
      ...fields,
    },
  }) satisfies RpcInput<'setup.create'>;

type SubeventRow = { id: number; event_id: number; name: string; date_from: string; active: number };

describe('Setup sends the dates of a series as typed fields', () => {
  /** A desk with the series "Tour" (no date yet) beside the event on sale. */
  async function seriesDesk() {
    const desk = setupDesk();
    const series = await deskResult(desk.rpc, 'setup.create', newEvent({ slug: 'tour', hasSubevents: true }));
    const date = (dateFrom: string, eventId = series.id) =>
      ({
        kind: 'subevent',
        eventId,
        parentId: null,
        fields: { name: { en: 'Tour' }, dateFrom, active: true },
      }) satisfies RpcInput<'setup.create'>;
    return { ...desk, seriesId: series.id, date };
  }

  it('adds a date, moves it and deletes it', async () => {
    const { rpc, rows, seriesId, date } = await seriesDesk();
    const { id } = await deskResult(rpc, 'setup.create', date('2030-07-01T18:00:00.000Z'));
    expect(rows<SubeventRow>('SELECT id, event_id, name, date_from, active FROM subevents')).toEqual([
      { id, event_id: seriesId, name: '{"en":"Tour"}', date_from: '2030-07-01T18:00:00.000Z', active: 1 },
    ]);
    await deskResult(rpc, 'setup.update', {
      ...date('2030-07-02T19:30:00+02:00'),
      id,
    });
    expect(rows('SELECT date_from FROM subevents')).toEqual([{ date_from: '2030-07-02T17:30:00.000Z' }]);
    await deskResult(rpc, 'setup.delete', { kind: 'subevent', eventId: seriesId, parentId: null, id });
    expect(rows('SELECT id FROM subevents')).toEqual([]);
  });

  it('refuses a date that is no time, a date of an event that is no series, and a date of another event', async () => {
    const { rpc, eventId, count, date } = await seriesDesk();
    expect(await rpc.call('setup.create', date('tomorrow'))).toMatchObject({
      error: { status: 400, message: 'Begin: Enter a date and time.' },
    });
    expect(await rpc.call('setup.create', date('2030-07-01T18:00:00'))).toMatchObject({
      error: { status: 400 },
    });
    expect(await rpc.call('setup.create', date('2030-07-01T18:00:00.000Z', eventId))).toMatchObject({
      error: { status: 400, message: 'Subevents can only be created for event series.' },
    });
    const { id } = await deskResult(rpc, 'setup.create', date('2030-07-01T18:00:00.000Z'));
    const elsewhere = await rpc.call('setup.update', { ...date('2031-01-01T18:00:00.000Z', eventId), id });
    expect(elsewhere).toMatchObject({ error: { status: 404 } });
    expect(count('subevents')).toBe(1);
  });
});

type EventRowSeen = {
  slug: string;
  name: string;
  currency: string;
  date_from: string;
  has_subevents: number;
};

describe('Setup sends events as typed fields', () => {
  it('creates an event of the organizer and changes its name, currency and start', async () => {
    const { rpc, eventId, organizerId, rows } = setupDesk();
    const { id } = await deskResult(rpc, 'setup.create', newEvent());
    const seen = () =>
      rows<EventRowSeen & { organizer_id: number }>(
        'SELECT organizer_id, slug, name, currency, date_from, has_subevents FROM events WHERE id = ?',
        id,
      );
    expect(seen()).toEqual([
      {
        organizer_id: organizerId,
        slug: 'tour',
        name: '{"en":"Tour"}',
        currency: 'EUR',
        date_from: '2030-07-01T18:00:00.000Z',
        has_subevents: 0,
      },
    ]);
    await deskResult(rpc, 'setup.update', {
      kind: 'event',
      eventId,
      parentId: null,
      id,
      fields: { name: { en: 'Tour 2030' }, currency: 'CHF', dateFrom: '2030-08-01T20:00:00+02:00' },
    });
    expect(seen()).toMatchObject([
      { name: '{"en":"Tour 2030"}', currency: 'CHF', date_from: '2030-08-01T18:00:00.000Z' },
    ]);
  });

  it('refuses a short name used before, badly formed or kept by pretix, an unknown currency and no start', async () => {
    const { rpc, count } = setupDesk();
    const events = count('events');
    const attempt = (fields: Partial<EventSetup>) => rpc.call('setup.create', newEvent(fields));
    expect(await attempt({ slug: 'jazz' })).toMatchObject({
      error: { status: 400, message: 'Short name: This slug has already been used for a different event.' },
    });
    expect(await attempt({ slug: 'a b' })).toMatchObject({
      error: {
        status: 400,
        message: 'Short name: The slug may only contain letters, numbers, dots and dashes.',
      },
    });
    expect(await attempt({ slug: 'api' })).toMatchObject({ error: { status: 400 } });
    expect(await attempt({ slug: '' })).toMatchObject({
      error: { status: 400, message: 'Short name: This field may not be blank.' },
    });
    expect(await attempt({ currency: 'XYZ' })).toMatchObject({
      error: { status: 400, message: 'Currency: "XYZ" is not a valid choice.' },
    });
    expect(await attempt({ dateFrom: '' })).toMatchObject({
      error: { status: 400, message: 'Begin: Enter a date and time.' },
    });
    expect(count('events')).toBe(events);
  });

  it('keeps the short name and whether the event is a series', async () => {
    const { rpc, eventId, rows } = setupDesk();
    const change = (fields: Partial<EventSetup>) =>
      rpc.call('setup.update', { kind: 'event', eventId, parentId: null, id: eventId, fields });
    expect(await change({ slug: 'blues' })).toMatchObject({
      error: { status: 400, message: 'Short name: The event slug cannot be changed.' },
    });
    expect(await change({ hasSubevents: true, currency: 'nope' })).toMatchObject({ error: { status: 400 } });
    expect(rows('SELECT slug, has_subevents, currency FROM events WHERE id = ?', eventId)).toEqual([
      { slug: 'jazz', has_subevents: 0, currency: 'EUR' },
    ]);
  });
});
