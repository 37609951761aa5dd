/**
 * How money moves at a box office: cash, card or anything else (a voucher slip, an invoice settled
 * elsewhere). Desk payments and refunds are pretix `boxoffice` payments that name it in
 * `info.payment_type`, as pretixPOS does; the database derives each row's `method` column from that.
 */
export const DESK_METHODS = ['cash', 'card', 'other'] as const;
export type DeskMethod = (typeof DESK_METHODS)[number];

/** Provider and info of a desk payment or refund by this method. */
export function deskPayment(
  method: DeskMethod,
  extra: Record<string, unknown> = {},
): { provider: 'boxoffice'; info: Record<string, unknown> } {
  return { provider: 'boxoffice', info: { payment_type: method, ...extra } };
}
