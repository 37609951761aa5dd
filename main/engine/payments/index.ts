// Payments and refunds of orders, as pretix's order payment and refund endpoints handle them.
export {
  cancelPayment,
  confirmPayment,
  createPayment,
  refundPayment,
  PAYMENT_STATES,
  type Outcome,
  type PaymentInput,
} from './payments';
export {
  cancelRefund,
  createRefund,
  processRefund,
  refundDone,
  REFUND_SOURCES,
  REFUND_STATES,
  type RefundInput,
} from './refunds';
export {
  paymentsOfOrder,
  refundsOfOrder,
  type PaymentRecord,
  type RefundRecord,
} from '../db/queries/payments';
