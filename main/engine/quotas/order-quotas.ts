import type { ReadableDB } from '../db/handles';
import type { FieldErrors } from '../errors';
import {
  isDisabledForSubevent,
  notAssignedToQuotaMessage,
  notAvailableOnDateMessage,
  type SaleItem,
} from '../sales/product-checks';
import { voucherBypassesQuota, type SaleVoucher } from '../vouchers/sale-rules';
import { notEnoughQuotaMessage, quotasForProduct, type QuotaLedger } from './availability';

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
  eventId: number,
  ledger: QuotaLedger,
  claims: QuotaClaim[],
  errors: FieldErrors[],
): void {
  for (const [i, claim] of claims.entries()) {
    if (voucherBypassesQuota(claim.voucher)) continue;
    if (isDisabledForSubevent(db, claim.subeventId, claim.item.id, claim.variationId)) {
      errors[i]!.item = [notAvailableOnDateMessage(claim.item)];
    }
    const quotas = quotasForProduct(db, eventId, claim.item.id, claim.variationId, claim.subeventId);
    if (quotas.length === 0) {
      errors[i]!.item = [notAssignedToQuotaMessage(claim.item)];
      continue;
    }
    for (const q of quotas) {
      if (!ledger.take(q)) errors[i]!.item = [notEnoughQuotaMessage(q.name)];
    }
  }
}
