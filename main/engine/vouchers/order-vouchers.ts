import type { ReadableDB } from '../db/handles';
import { voucherBudgetUses } from '../db/queries/orders/place';
import type { FieldErrors } from '../errors';
import { Decimal, moneyText, ZERO } from '../money';
import { getListedPrice } from '../pricing/listed-price';
import {
  checkVoucherForOrder,
  ORDER_VOUCHER_MESSAGES,
  voucherPrice,
  voucherUsesLeft,
  type SaleVoucher,
} from './sale-rules';

/** A position of an order being placed, as far as its voucher is concerned. */
export interface VoucherClaim {
  voucher: SaleVoucher | null;
  itemId: number;
  variationId: number | null;
  subeventId: number | null;
  isAddon: boolean;
  /** The price asked for, or null for the voucher's price; a budget may raise the voucher's price. */
  price: Decimal | null;
}

export interface OrderVoucherScope {
  db: ReadableDB;
  now: Date;
  currency: string;
  /** The carts the order consumes: their voucher holds are the order's own. */
  consumedCartIds: string[];
  /**
   * Redemptions already counted per voucher (negative for what consumed carts held), updated as the
   * positions claim their vouchers.
   */
  usage: Map<number, number>;
}

/**
 * pretix's voucher checks of order creation, position by position: the voucher fits the product, date and
 * time, has uses left for every position claiming it, and its budget covers the discounts. Problems go
 * into `errors` (one object per position) under `voucher`; a budget too small for a voucher-priced position
 * raises that position's price to what the budget allows.
 */
export function checkOrderVouchers(
  scope: OrderVoucherScope,
  claims: VoucherClaim[],
  errors: FieldErrors[],
): void {
  const budgets = new VoucherBudgets(scope.db);
  for (const [i, claim] of claims.entries()) {
    const v = claim.voucher;
    if (!v) continue;
    const problem = checkVoucherForOrder(
      scope.db,
      v,
      {
        itemId: claim.itemId,
        variationId: claim.variationId,
        subeventId: claim.subeventId,
        isAddon: claim.isAddon,
      },
      scope.now,
    );
    if (problem) {
      errors[i]!.voucher = [problem];
      continue;
    }
    const used = (scope.usage.get(v.id) ?? 0) + 1;
    scope.usage.set(v.id, used);
    if (used > 0 && voucherUsesLeft(scope.db, v, scope.now, scope.consumedCartIds) < used) {
      errors[i]!.voucher = [ORDER_VOUCHER_MESSAGES.usedUp];
    }
    if (v.budget !== null) {
      const budgetProblem = budgets.spend(v, claim, scope.currency);
      if (budgetProblem) errors[i]!.voucher = [budgetProblem];
    }
  }
}

/** What is left of each voucher's budget while one order's positions spend it. */
class VoucherBudgets {
  private readonly left = new Map<number, Decimal>();

  constructor(private readonly db: ReadableDB) {}

  private leftOf(v: SaleVoucher): Decimal {
    let left = this.left.get(v.id);
    if (left === undefined) {
      left = voucherBudgetUses(this.db, v.id).reduce((sum, used) => sum.minus(used), new Decimal(v.budget!));
      this.left.set(v.id, left);
    }
    return left;
  }

  /**
   * Spends the discount of one position. A discount beyond the budget is pretix's error when the price
   * was given or nothing is left; otherwise the position pays the difference.
   */
  spend(v: SaleVoucher, claim: VoucherClaim, currency: string): string | undefined {
    const listed = getListedPrice(this.db, claim.itemId, claim.variationId, claim.subeventId);
    const price = claim.price ?? voucherPrice(v, listed, currency);
    const left = this.leftOf(v);
    const discount = Decimal.max(listed.minus(price), 0);
    if (!discount.greaterThan(left)) {
      this.left.set(v.id, left.minus(discount));
      return undefined;
    }
    this.left.set(v.id, ZERO);
    if (left.isZero() || claim.price !== null) {
      return ORDER_VOUCHER_MESSAGES.budget(moneyText(left), moneyText(discount));
    }
    claim.price = price.plus(discount.minus(left));
    return undefined;
  }
}
