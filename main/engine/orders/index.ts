/** The orders room's public surface: its commands and read models. */
export {
  actionsFor,
  approvalQueue,
  deskOrderIdByCode,
  lastPaidAmount,
  orderDetail,
  productName,
  refundedTotal,
  renameAttendee,
  searchOrders,
  soldLines,
  type ApprovalEntry,
  type OrderAction,
  type OrderDetail,
  type OrderHit,
} from './desk-orders';
