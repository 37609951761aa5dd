import { Decimal, roundMoney, type Money } from '../money';

/** The parts of a tax rule that price computation needs. */
export interface TaxRuleLike {
  id: number;
  rate: string;
  price_includes_tax: number | boolean;
}

export interface TaxedPrice {
  gross: Money;
  net: Money;
  tax: Money;
  rate: Money;
  ruleId: number | null;
}

/**
 * Splits or builds a price like pretix's `TaxRule.tax`: with base "gross" (or "auto" on a rule whose
 * prices include tax) the net is `round(gross·100/(100+rate))`; with base "net" the gross is
 * `round(net·(1+rate/100))`. The tax is always gross − net, so the rounding lands on the tax. Without a
 * rule or with rate 0 there is no tax. Rounding is half up to the currency's places (`round_decimal`).
 */
export function computeTax(
  rule: TaxRuleLike | null | undefined,
  basePrice: Decimal.Value,
  currency: string,
  baseIs: 'auto' | 'gross' | 'net' = 'auto',
): TaxedPrice {
  const base = new Decimal(basePrice);
  const rate = rule ? new Decimal(rule.rate) : new Decimal(0);
  if (!rule || rate.isZero()) {
    return { gross: base, net: base, tax: new Decimal(0), rate: new Decimal(0), ruleId: rule?.id ?? null };
  }
  const baseIsGross = baseIs === 'gross' || (baseIs === 'auto' && Boolean(rule.price_includes_tax));
  if (baseIsGross) {
    const gross = base;
    const net = roundMoney(gross.times(100).dividedBy(rate.plus(100)), currency);
    return { gross, net, tax: gross.minus(net), rate, ruleId: rule.id };
  }
  const net = base;
  const gross = roundMoney(net.times(rate.dividedBy(100).plus(1)), currency);
  return { gross, net, tax: gross.minus(net), rate, ruleId: rule.id };
}
