import { defaultTaxRuleId } from '../catalog/tax-rules';
import type { EventSettings } from '../catalog/settings';
import type { ReadableDB } from '../db/handles';
import { addonIncludedInPrice, findTaxRuleRate } from '../db/queries/orders/place';
import { Decimal, roundMoney, ZERO } from '../money';
import { getListedPrice } from '../pricing/listed-price';
import { computeTax, type TaxRuleLike } from '../pricing/tax';
import { voucherPrice } from '../vouchers/sale-rules';
import type { OrderFeeRequest, OrderPositionRequest } from './order-request';

/** A position with its price, tax and the voucher budget it uses. */
export interface PricedLine {
  parsed: OrderPositionRequest;
  price: Decimal;
  tax: Decimal;
  rate: Decimal;
  ruleId: number | null;
  voucherBudgetUse: Decimal | null;
}

export interface PricedFee {
  feeType: string;
  value: Decimal;
  description: string;
  internalType: string;
  ruleId: number | null;
  tax: Decimal;
  rate: Decimal;
}

export interface PricedOrder {
  lines: PricedLine[];
  feeLines: PricedFee[];
  total: Decimal;
}

/** Tax rules read once per order. */
class TaxRules {
  private readonly rules = new Map<number, TaxRuleLike>();
  constructor(private readonly db: ReadableDB) {}
  get(id: number | null): TaxRuleLike | null {
    if (id === null) return null;
    if (!this.rules.has(id)) {
      const row = findTaxRuleRate(this.db, id);
      if (!row) return null;
      this.rules.set(id, row);
    }
    return this.rules.get(id)!;
  }
}

/** The price step of order creation: every position's price and tax, then the fees, then the total. */
export function priceOrder(
  db: ReadableDB,
  event: { id: number; currency: string },
  settings: EventSettings,
  positions: OrderPositionRequest[],
  fees: OrderFeeRequest[],
): PricedOrder {
  const taxRules = new TaxRules(db);
  const lines = priceLines(db, event.currency, taxRules, positions);
  const positionsTotal = lines.reduce((sum, l) => sum.plus(l.price), new Decimal(0));
  // A payment fee sent without a tax rule is taxed by the event's default rule (pretix's
  // OrderFee._calculate_tax with `tax_rule_payment` = `default`); an order without fees needs none.
  const defaultFeeRule =
    fees.length === 0 || settings.tax_rule_payment === 'none' ? null : defaultTaxRuleId(db, event.id);
  const feeLines: PricedFee[] = [];
  for (const f of fees) {
    feeLines.push(
      ...priceFee(f, positionsTotal, lines, { currency: event.currency, taxRules, defaultFeeRule }),
    );
  }
  const total = feeLines.reduce((sum, f) => sum.plus(f.value), positionsTotal);
  return { lines, feeLines, total };
}

function priceLines(
  db: ReadableDB,
  currency: string,
  taxRules: TaxRules,
  positions: OrderPositionRequest[],
): PricedLine[] {
  const byPositionId = new Map<number, OrderPositionRequest>();
  for (const p of positions) if (p.positionid !== null) byPositionId.set(p.positionid, p);
  return positions.map((p) => {
    const parent = p.addonTo !== null ? byPositionId.get(p.addonTo) : undefined;
    const includedInParent = parent ? isIncludedForFree(db, p, parent) : false;
    const listed = includedInParent
      ? ZERO
      : getListedPrice(db, p.item, p.variation?.id ?? null, p.subeventId);
    const rule = taxRules.get(p.item.tax_rule_id);
    let gross: Decimal;
    let priceAfterVoucher: Decimal;
    if (p.price === null) {
      priceAfterVoucher = p.voucher ? voucherPrice(p.voucher, listed, currency) : listed;
      gross = computeTax(rule, priceAfterVoucher, currency, 'auto').gross;
    } else {
      gross = p.price;
      priceAfterVoucher = p.voucher
        ? Decimal.max(p.price, voucherPrice(p.voucher, listed, currency))
        : listed;
    }
    const taxed = computeTax(rule, gross, currency, 'gross');
    return {
      parsed: p,
      price: gross,
      tax: taxed.tax,
      rate: taxed.rate,
      ruleId: rule?.id ?? null,
      voucherBudgetUse: p.voucher ? Decimal.max(listed.minus(priceAfterVoucher), 0) : null,
    };
  });
}

/** pretix's `is_included_for_free`: an add-on whose category is marked "price included" for the parent, or a parent voucher including all add-ons. */
function isIncludedForFree(db: ReadableDB, p: OrderPositionRequest, parent: OrderPositionRequest): boolean {
  if (parent.voucher?.all_addons_included) return true;
  if (p.item.category_id === null) return false;
  return addonIncludedInPrice(db, parent.item.id, p.item.category_id);
}

/**
 * One requested fee as stored: a percentage of the positions' total when asked, and split over the
 * positions' tax rules in proportion to their net amounts (lowest rate first) when asked.
 */
function priceFee(
  f: OrderFeeRequest,
  positionsTotal: Decimal,
  lines: PricedLine[],
  {
    currency,
    taxRules,
    defaultFeeRule,
  }: { currency: string; taxRules: TaxRules; defaultFeeRule: number | null },
): PricedFee[] {
  const taxedFee = (value: Decimal, ruleId: number | null): PricedFee => {
    const effectiveRule = ruleId === null && f.feeType === 'payment' ? defaultFeeRule : ruleId;
    const rule = taxRules.get(effectiveRule);
    const taxed = computeTax(rule, value, currency, 'gross');
    return {
      feeType: f.feeType,
      value,
      description: f.description,
      internalType: f.internalType,
      ruleId: rule?.id ?? null,
      tax: taxed.tax,
      rate: taxed.rate,
    };
  };
  let value = f.value;
  if (f.asPercentage) value = roundMoney(positionsTotal.times(value.dividedBy(100)), currency);
  if (!f.splitTaxes) return [taxedFee(value, f.taxRuleId)];
  const netByRule = new Map<number | null, Decimal>();
  for (const l of lines)
    netByRule.set(l.ruleId, (netByRule.get(l.ruleId) ?? ZERO).plus(l.price.minus(l.tax)));
  const bases = [...netByRule.entries()].sort(
    (a, b) => Number(taxRules.get(a[0])?.rate ?? 0) - Number(taxRules.get(b[0])?.rate ?? 0),
  );
  const sumBase = bases.reduce((s, [, v]) => s.plus(v), new Decimal(0));
  if (sumBase.isZero()) return [taxedFee(value, null)];
  const parts = bases.map(([ruleId, base]) => ({
    ruleId,
    value: roundMoney(value.times(base).dividedBy(sumBase), currency),
  }));
  const sumParts = parts.reduce((s, p) => s.plus(p.value), new Decimal(0));
  if (sumParts.greaterThan(value)) parts[0]!.value = parts[0]!.value.plus(value.minus(sumParts));
  else if (sumParts.lessThan(value))
    parts[parts.length - 1]!.value = parts[parts.length - 1]!.value.plus(value.minus(sumParts));
  return parts.map((part) => taxedFee(part.value, part.ruleId));
}
