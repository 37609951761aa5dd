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
import { EngineError } from '../errors';
import type { Money } from '../money';
import { eventSettings } from './settings';
import { insertInput, requireRow, updateInput, type ExtraFields, type I18nText } from './stored-fields';

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

const TAX_RULE_EXTRA: ExtraFields<TaxRuleInput> = ['euReverseCharge', 'homeCountry', 'code', 'default'];

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

function audit(ctx: EngineContext, eventId: number, id: number, action: string, data: object) {
  ctx.audit({
    eventId,
    objectType: 'taxrule',
    objectId: id,
    actionType: `pretix.event.taxrule.${action}`,
    data,
  });
}

export function createTaxRule(ctx: EngineContext, eventId: number, input: TaxRuleInput): number {
  // Like pretix, the event's first rule becomes its default unless the request says otherwise.
  const first = input.default === undefined && defaultTaxRuleId(ctx.db, eventId) === null;
  const rule: TaxRuleInput = first ? { ...input, default: true } : input;
  const id = insertInput(ctx.db, 'tax_rules', rule, TAX_RULE_EXTRA, { event_id: eventId });
  if (rule.default === true) unmarkOtherDefaultTaxRules(ctx.db, eventId, id);
  audit(ctx, eventId, id, 'added', input);
  return id;
}

export function updateTaxRule(
  ctx: EngineContext,
  eventId: number,
  id: number,
  input: Partial<TaxRuleInput>,
): void {
  requireRow(ctx.db, 'tax_rules', eventId, id);
  updateInput(ctx.db, 'tax_rules', id, input, TAX_RULE_EXTRA);
  if (input.default === true) unmarkOtherDefaultTaxRules(ctx.db, eventId, id);
  audit(ctx, eventId, id, 'changed', input);
}

export function deleteTaxRule(ctx: EngineContext, eventId: number, id: number): void {
  requireRow(ctx.db, 'tax_rules', eventId, id);
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
  audit(ctx, eventId, id, 'deleted', {});
}
