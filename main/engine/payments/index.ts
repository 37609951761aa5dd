// Payments and refunds of orders, as pretix's order payment and refund endpoints handle them.
export { cancelPayment, confirmPayment, createPayment, refundPayment, type Outcome } from './payments';
export { cancelRefund, createRefund, processRefund, refundDone } from './refunds';
export {
  paymentsOfOrder,
  refundsOfOrder,
  type PaymentRecord,
  type RefundRecord,
} from '../db/queries/payments';
