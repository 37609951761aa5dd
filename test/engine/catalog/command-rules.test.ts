import { describe, expect, it } from 'vitest';
import {
  createQuestion,
  createQuestionOption,
  createTaxRule,
  updateQuestion,
  updateTaxRule,
} from '../../../main/engine/catalog';
import { money } from '../../../main/engine/money';
import { refusalOf } from '../../helpers';
import * as wire from '../../fixtures/catalog-wire';
import { showEvent } from '../../fixtures/catalog-wire';

/**
 * The catalog's rules hold for typed inputs from any door, not only for the REST door's bodies: these call
 * the room's commands as the desk does.
 */
describe('tax rules', () => {
  it('holds a rate between 0 and 100 %, on creation and on change, and saves nothing refused', () => {
    const t = showEvent();
    const command = (run: Parameters<typeof t.engine.command>[0]) => refusalOf(() => t.engine.command(run));
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
    const t = showEvent();
    const command = (run: Parameters<typeof t.engine.command>[0]) => refusalOf(() => t.engine.command(run));
    const other = t.engine.command((ctx) =>
      wire.createEvent(ctx, t.organizerId, {
        name: 'Other',
        slug: 'other',
        date_from: '2030-01-01T10:00:00Z',
      }),
    );
    const foreignItem = t.engine.command((ctx) => wire.createItem(ctx, other.id, { name: 'Elsewhere' }));
    const foreignQuestion = t.engine.command((ctx) =>
      createQuestion(ctx, other.id, { question: { en: 'Member?' }, type: 'B' }),
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
