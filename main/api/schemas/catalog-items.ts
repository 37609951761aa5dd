import type { CategoryInput, TaxRuleInput } from '../../engine/catalog';
import { catalogField as field, readBody } from './catalog-fields';
import { drf } from './drf';

/**
 * Bodies of pretix's tax rule, category, item, variation, add-on and bundle endpoints
 * (api/serializers/item.py), read into the catalog room's typed inputs.
 */

const taxRuleFields = {
  name: field.i18n({ blankIsMissing: true }),
  internal_name: drf.string({ allowBlank: true, maxLength: 190 }).nullable().optional(),
  // pretix's TaxRule.rate: max_digits 10, between 0.00 and 100.00.
  rate: field.money({ digits: 10, min: '0.00', max: '100.00' }),
  price_includes_tax: drf.boolean().optional(),
  keep_gross_if_rate_changes: drf.boolean().optional(),
  eu_reverse_charge: drf.boolean().optional(),
  home_country: drf.string({ allowBlank: true }).nullable().optional(),
  code: drf.string({ allowBlank: true }).nullable().optional(),
  default: drf.boolean().optional(),
};

export function taxRuleBody(body: unknown): TaxRuleInput {
  return readBody(taxRuleFields, body);
}

export function taxRulePatch(body: unknown): Partial<TaxRuleInput> {
  return readBody(taxRuleFields, body, undefined, true);
}

const categoryFields = {
  name: field.i18n({ blankIsMissing: true }),
  internal_name: drf.string({ allowBlank: true, maxLength: 255 }).nullable().optional(),
  description: field.i18n().optional(),
  position: drf.integer({ min: 0 }).optional(),
  is_addon: drf.boolean().optional(),
};

export function categoryBody(body: unknown): CategoryInput {
  return readBody(categoryFields, body);
}

export function categoryPatch(body: unknown): Partial<CategoryInput> {
  return readBody(categoryFields, body, undefined, true);
}
