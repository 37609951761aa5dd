import type { ReadableDB } from '../db/handles';
import type { FieldErrors } from '../errors';
import {
  isDisabledForSubevent,
  notAssignedToQuotaMessage,
  notAvailableOnDateMessage,
  type SaleItem,
} from '../sales/product-checks';
import { voucherBypassesQuota, type SaleVoucher } from '../vouchers/sale-rules';
import {
  notEnoughQuotaMessage,
  quotasForProduct,
  type QuotaCounters,
  type QuotaLedger,
} from './availability';

/**
 * The quotas each product of one order draws from, read once per product: the quota check and the
 * counters the stored order goes into ask for the same lists.
 */
export class ProductQuotas {
  private readonly lists = new Map<string, QuotaCounters[]>();

  constructor(
    private readonly db: ReadableDB,
    private readonly eventId: number,
  ) {}

  of(itemId: number, variationId: number | null, subeventId: number | null): QuotaCounters[] {
    const key = `${itemId}/${variationId}/${subeventId}`;
    let quotas = this.lists.get(key);
    if (!quotas) {
      quotas = quotasForProduct(this.db, this.eventId, itemId, variationId, subeventId);
      this.lists.set(key, quotas);
    }
    return quotas;
  }
}

/** A position of an order being placed, as far as quotas are concerned. */
export interface QuotaClaim {
  item: SaleItem;
  variationId: number | null;
  subeventId: number | null;
  voucher: SaleVoucher | null;
}

/**
 * pretix's quota check of order creation: every position not covered by a quota-bypassing voucher takes
 * one unit of each of its product's quotas from the ledger (in the command's transaction, so the writes
 * that follow are guarded by it). Problems go into `errors` (one object per position) under `item`.
 */
export function takeOrderQuotas(
  db: ReadableDB,
  productQuotas: ProductQuotas,
  ledger: QuotaLedger,
  claims: QuotaClaim[],
  errors: FieldErrors[],
): void {
  for (const [i, claim] of claims.entries()) {
    if (voucherBypassesQuota(claim.voucher)) continue;
    if (isDisabledForSubevent(db, claim.subeventId, claim.item.id, claim.variationId)) {
      errors[i]!.item = [notAvailableOnDateMessage(claim.item)];
    }
    const quotas = productQuotas.of(claim.item.id, claim.variationId, claim.subeventId);
    if (quotas.length === 0) {
      errors[i]!.item = [notAssignedToQuotaMessage(claim.item)];
      continue;
    }
    for (const q of quotas) {
      if (!ledger.take(q)) errors[i]!.item = [notEnoughQuotaMessage(q.name)];
    }
  }
}
