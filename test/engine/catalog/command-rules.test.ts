import { describe, expect, it } from 'vitest';
import {
  createEvent,
  createQuestion,
  createQuestionOption,
  createSubevent,
  createTaxRule,
  updateEvent,
  updateQuestion,
  updateSubevent,
  updateTaxRule,
  type EventInput,
} from '../../../main/engine/catalog';
import { money } from '../../../main/engine/money';
import { refusalOf } from '../../helpers';
import * as wire from '../../fixtures/catalog-wire';
import { showEvent } from '../../fixtures/catalog-wire';

/**
 * The catalog's rules hold for typed inputs from any door, not only for the REST door's bodies: these call
 * the room's commands as the desk does.
 */
/**
 * The event "Show" (with `fields`), a second event with the product "Elsewhere", and `refused(command)`
 * for a command that must fail, answering as the REST door would.
 */
function showAndOther(fields: Record<string, unknown> = {}) {
  const t = showEvent(fields);
  const refused = (run: Parameters<typeof t.engine.command>[0]) => refusalOf(() => t.engine.command(run));
  const other = t.engine.command((ctx) =>
    wire.createEvent(ctx, t.organizerId, { name: 'Other', slug: 'other', date_from: '2030-01-01T10:00:00Z' }),
  );
  const foreignItem = t.engine.command((ctx) => wire.createItem(ctx, other.id, { name: 'Elsewhere' }));
  return { ...t, refused, otherId: other.id, foreignItem };
}

describe('tax rules', () => {
  it('holds a rate between 0 and 100 %, on creation and on change, and saves nothing refused', () => {
    const t = showAndOther();
    const command = t.refused;
    expect(
      command((ctx) => createTaxRule(ctx, t.eventId, { name: { en: 'VAT' }, rate: money('-0.01') })),
    ).toEqual({ status: 400, body: { rate: ['Ensure this value is greater than or equal to 0.00.'] } });
    const id = t.engine.command((ctx) =>
      createTaxRule(ctx, t.eventId, { name: { en: 'VAT' }, rate: money('100') }),
    );
    expect(command((ctx) => updateTaxRule(ctx, t.eventId, id, { rate: money('100.01') }))).toEqual({
      status: 400,
      body: { rate: ['Ensure this value is less than or equal to 100.00.'] },
    });
    expect(t.engine.db.prepare('SELECT rate FROM tax_rules').all()).toEqual([{ rate: '100.00' }]);
  });
});

describe('questions', () => {
  it("asks no question for another event's product nor depends on another event's question", () => {
    const t = showAndOther();
    const { refused: command, foreignItem } = t;
    const foreignQuestion = t.engine.command((ctx) =>
      createQuestion(ctx, t.otherId, { question: { en: 'Member?' }, type: 'B' }),
    );
    expect(
      command((ctx) =>
        createQuestion(ctx, t.eventId, {
          question: { en: 'Meal' },
          type: 'S',
          items: [foreignItem],
          dependencyQuestion: foreignQuestion,
        }),
      ),
    ).toEqual({
      status: 400,
      body: {
        items: [`Invalid pk "${foreignItem}" - object does not exist.`],
        dependency_question: [`Invalid pk "${foreignQuestion}" - object does not exist.`],
      },
    });
    const own = t.engine.command((ctx) =>
      createQuestion(ctx, t.eventId, { question: { en: 'Meal' }, type: 'C' }),
    );
    expect(command((ctx) => updateQuestion(ctx, t.eventId, own, { items: [foreignItem] }))).toMatchObject({
      status: 400,
      body: { items: [expect.any(String)] },
    });
    expect(
      command((ctx) =>
        createQuestionOption(ctx, t.eventId, own, { answer: { en: 'Fish' }, identifier: 'a b' }),
      ),
    ).toEqual({
      status: 400,
      body: {
        identifier: ['The identifier may only contain letters, numbers, dots, dashes, and underscores.'],
      },
    });
    expect(t.engine.db.prepare('SELECT COUNT(*) AS n FROM question_items').get()).toEqual({ n: 0 });
    expect(t.engine.db.prepare('SELECT COUNT(*) AS n FROM question_options').get()).toEqual({ n: 0 });
  });
});

describe('dates of a series', () => {
  it("takes no price override of another event's product, and no end before the start", () => {
    const t = showAndOther({ has_subevents: true });
    const { refused: command, foreignItem } = t;
    const date = { name: { en: 'Show' }, dateFrom: new Date('2030-01-01T10:00:00Z'), metaData: {} };
    expect(
      command((ctx) =>
        createSubevent(ctx, t.eventId, {
          ...date,
          dateTo: new Date('2029-12-31T10:00:00Z'),
          itemPriceOverrides: [{ id: foreignItem, price: money('1.00'), disabled: false }],
        }),
      ),
    ).toEqual({
      status: 400,
      body: {
        non_field_errors: ['One or more items do not belong to this event.'],
        date_to: ['The end of the event has to be later than its start.'],
      },
    });
    const id = t.engine.command((ctx) => createSubevent(ctx, t.eventId, date));
    expect(
      command((ctx) =>
        updateSubevent(ctx, t.eventId, id, {
          itemPriceOverrides: [{ id: foreignItem, price: null, disabled: true }],
        }),
      ),
    ).toMatchObject({ status: 400, body: { non_field_errors: [expect.any(String)] } });
    expect(t.engine.db.prepare('SELECT COUNT(*) AS n FROM subevent_item_prices').get()).toEqual({ n: 0 });
  });
});

describe('events', () => {
  it('refuses a typed new event with a bad short name, going live, an unknown currency and an end before its start', () => {
    const t = showAndOther();
    const gala: EventInput = {
      name: { en: 'Gala' },
      slug: 'show',
      live: true,
      currency: 'XYZ',
      plugins: ['pretix.plugins.nonsense'],
      dateFrom: new Date('2030-01-02T10:00:00Z'),
      dateTo: new Date('2030-01-01T10:00:00Z'),
    };
    expect(t.refused((ctx) => createEvent(ctx, t.organizerId, gala))).toEqual({
      status: 400,
      body: {
        slug: ['This slug has already been used for a different event.'],
        live: [
          "Events cannot be created as 'live'. Quotas and payment must be added to the event before sales can go live.",
        ],
        currency: ['"XYZ" is not a valid choice.'],
        plugins: ["Unknown plugin: 'pretix.plugins.nonsense'."],
        date_to: ['The end of the event has to be later than its start.'],
      },
    });
    expect(
      t.refused((ctx) =>
        updateEvent(ctx, t.eventId, {
          presaleStart: new Date('2030-01-01T00:00:00Z'),
          presaleEnd: new Date('2029-01-01T00:00:00Z'),
        }),
      ),
    ).toEqual({
      status: 400,
      body: { presale_end: ['The end of the presale period has to be later than its start.'] },
    });
    expect(t.engine.db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 2 });
  });
});
