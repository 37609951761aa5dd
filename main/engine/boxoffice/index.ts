/** The box office room's public surface: its commands and read models. */
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
