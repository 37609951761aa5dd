export {
  issueRefundReceipt,
  issueSaleReceipt,
  receiptById,
  receiptsOfOrder,
  receiptsOfShift,
  type Receipt,
  type ReceiptContent,
  type TillMethod,
} from './receipts';
