import { z } from 'zod';
import { createTaxRule, deleteTaxRule, updateTaxRule, type TaxRuleInput } from '../../../engine/catalog';
import type { TaxRuleSetup } from '../../../../shared/contract';
import { decimalText, i18nText, money, type SetupKindCommands } from './setup-kind';

const taxRule = z.object({ name: i18nText, rate: decimalText });

function taxRuleInput(fields: Partial<TaxRuleSetup>): Partial<TaxRuleInput> {
  return {
    ...(fields.name !== undefined ? { name: fields.name } : {}),
    ...(fields.rate !== undefined ? { rate: money(fields.rate) } : {}),
  };
}

/** A tax rule: its name and rate; the catalog holds the rate between 0 and 100 %. */
export const taxRuleSetup: SetupKindCommands<'tax_rule'> = {
  fields: taxRule,
  changes: taxRule.partial(),
  create: (ctx, { eventId }, fields) =>
    createTaxRule(ctx, eventId, { name: fields.name, rate: money(fields.rate) }),
  update: (ctx, { eventId }, id, fields) => updateTaxRule(ctx, eventId, id, taxRuleInput(fields)),
  remove: (ctx, { eventId }, id) => deleteTaxRule(ctx, eventId, id),
};
