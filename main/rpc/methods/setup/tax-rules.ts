import { z } from 'zod';
import { createTaxRule, deleteTaxRule, updateTaxRule, type TaxRuleInput } from '../../../engine/catalog';
import type { TaxRuleSetup } from '../../../../shared/contract';
import { converted, decimalText, given, i18nText, money, type SetupKindCommands } from './setup-kind';

const taxRule = z.object({ name: i18nText, rate: decimalText });

function taxRuleInput({ name, rate }: Partial<TaxRuleSetup>): Partial<TaxRuleInput> {
  return given({ name, rate: converted(rate, money) });
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
