/**
 * The orders room's public surface: placing orders (pretix's API and the desk), their lifecycle, and the
 * order read models the doors render.
 */
export {
  actionsFor,
  approvalQueue,
  deskOrderIdByCode,
  lastPaidAmount,
  orderDetail,
  orderStatusOf,
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
export {
  createOrder,
  placeOrder,
  type CreateOrderInput,
  type CreateOrderResult,
  type PlaceOrderInput,
} from './create';
export type { DraftAnswer, OrderDraft, PositionDraft } from './order-draft';
export {
  CLIENT_CODE_ALPHABET,
  FEE_TYPES,
  MAX_POSITIONS_PER_ORDER,
  SALES_CHANNELS,
  orderRequestLookups,
  positionIdErrors,
  tooManyPositions,
  type Checked,
  type InvoiceAddressInput,
  type OrderFeeRequest,
  type OrderPositionRequest,
  type OrderRequest,
  type OrderRequestLookups,
} from './order-request';
export { attendeeAddress } from './order-data';
export { isCountryCode, isEmailAddress, stateError } from './addresses';
export { eventTimeZone } from './order-event';
export {
  loadOrder,
  loadOrders,
  orderIdByCode,
  answersByPosition,
  type AnswerData,
  type CheckinData,
  type FeeData,
  type InvoiceAddressData,
  type OrderData,
  type PaymentData,
  type PositionData,
  type RefundData,
} from './model';
export { orderRow } from './state';
// Every state action (`markOrderPaid`, …, `denyOrder`), their table by pretix's endpoint names, `isCalendarDate`.
export * from './transitions';
export {
  cancelPosition,
  changePositionBlock,
  regeneratePositionSecret,
  updatePosition,
  type PositionChanges,
} from './positions';
export { deleteOrder, eventLocales, regenerateOrderSecrets, updateOrder, type OrderChanges } from './update';
export {
  findOrderOfOrganizer,
  findPositionInScope,
  ordersOfPositions,
  type OrderScope,
} from '../db/queries/orders/lookups';
export * from '../db/queries/orders/lists';
