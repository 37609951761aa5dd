import { describe, expect, it } from 'vitest';
import { createTaxRule, updateTaxRule } from '../../../main/engine/catalog';
import { money } from '../../../main/engine/money';
import { refusalOf } from '../../helpers';
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
