import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import {
  deleteTaxRuleRow,
  eventHasOtherTaxRules,
  markedDefaultTaxRuleId,
  taxRuleIdInEvent,
  taxRuleReferenced,
  unmarkOtherDefaultTaxRules,
} from '../db/queries/catalog/tax-rules';
import { EngineError, fieldError } from '../errors';
import type { Money } from '../money';
import { eventSettings } from './settings';
import { addResource, changeResource, deleteResource } from './stored-fields';
import type { CatalogResource, I18nText } from './stored-fields';

/** A tax rule (pretix's TaxRule): its rate between 0 and 100 %. */
export interface TaxRuleInput {
  name: I18nText;
  internalName?: string | null;
  rate: Money;
  priceIncludesTax?: boolean;
  keepGrossIfRateChanges?: boolean;
  euReverseCharge?: boolean;
  homeCountry?: string | null;
  code?: string | null;
  /** The event's default rule (fees are taxed by it); marking one unmarks the others. */
  default?: boolean;
}

const TAX_RULE: CatalogResource<TaxRuleInput> = {
  table: 'tax_rules',
  extra: ['euReverseCharge', 'homeCountry', 'code', 'default'],
  objectType: 'taxrule',
  action: 'pretix.event.taxrule',
};

/**
 * The event's default tax rule (pretix's `Event.cached_default_tax_rule`): the rule marked `default`, else
 * the older `tax_rate_default` setting when it names a rule of this event; null when there is none.
 * Payment fees (`tax_rule_payment` = `default`) and cancellation fees (`tax_rule_cancellation` = `default`)
 * are taxed by it.
 */
export function defaultTaxRuleId(db: ReadableDB, eventId: number): number | null {
  const marked = markedDefaultTaxRuleId(db, eventId);
  if (marked !== undefined) return marked;
  const legacy = eventSettings(db, eventId).tax_rate_default;
  if (legacy === null || legacy === undefined) return null;
  return taxRuleIdInEvent(db, Number(legacy), eventId) ?? null;
}

/**
 * pretix's TaxRule.rate lies between 0.00 and 100.00 %: the refusal of a rate outside, in pretix's words,
 * else undefined. The REST door asks it while reading a body, so it reports with the body's other errors.
 */
export function taxRateProblem(rate: Money): string | undefined {
  if (rate.lessThan(0)) return 'Ensure this value is greater than or equal to 0.00.';
  if (rate.greaterThan(100)) return 'Ensure this value is less than or equal to 100.00.';
  return undefined;
}

function checkRate(rate: Money | undefined): void {
  const refusal = rate === undefined ? undefined : taxRateProblem(rate);
  if (refusal !== undefined) throw fieldError('rate', refusal);
}

export function createTaxRule(ctx: EngineContext, eventId: number, input: TaxRuleInput): number {
  checkRate(input.rate);
  // Like pretix, the event's first rule becomes its default unless the request says otherwise.
  const first = input.default === undefined && defaultTaxRuleId(ctx.db, eventId) === null;
  const id = addResource(ctx, TAX_RULE, eventId, first ? { ...input, default: true } : input);
  if (first || input.default === true) unmarkOtherDefaultTaxRules(ctx.db, eventId, id);
  return id;
}

export function updateTaxRule(
  ctx: EngineContext,
  eventId: number,
  id: number,
  input: Partial<TaxRuleInput>,
): void {
  checkRate(input.rate);
  changeResource(ctx, TAX_RULE, eventId, id, input);
  if (input.default === true) unmarkOtherDefaultTaxRules(ctx.db, eventId, id);
}

export function deleteTaxRule(ctx: EngineContext, eventId: number, id: number): void {
  deleteResource(ctx, TAX_RULE, eventId, id, () => {
    const used =
      taxRuleReferenced(ctx.db, id) ||
      // The default rule stays while the event has other rules (fees fall back on it).
      (defaultTaxRuleId(ctx.db, eventId) === id && eventHasOtherTaxRules(ctx.db, eventId, id));
    if (used)
      // pretix: PermissionDenied, 403 with the message as `detail`.
      throw new EngineError('taxrule_in_use', 'This tax rule can not be deleted as it is currently in use.', {
        kind: 'forbidden',
      });
    deleteTaxRuleRow(ctx.db, id);
  });
}
