/** The box office room's public surface: its commands and read models. */
export { cancelDeskOrder } from './cancel';
export { dashboardStats, type DashboardStats } from './dashboard';
export {
  completeDeskSale,
  completedSale,
  type DeskPosition,
  type DeskSaleInput,
  type DeskSalePayment,
  type DeskSaleResult,
} from './sale';
export { givenAnswers, missingAtDesk, type DeskAnswer, type MissingAtDesk } from './desk-answers';
export { DESK_METHODS, type DeskMethod } from './methods';
export { deskRefund, orderRefundable, paymentRefundable, type DeskRefundInput } from './refund';
export { takings, type Takings, type TakingsQuery } from './takings';
