export { denominationsOf, type DenominationCount } from './denominations';
export {
  closeShift,
  listShifts,
  moveCash,
  openShift,
  openShiftOf,
  reportFigures,
  requireOpenShift,
  shiftById,
  shiftFigures,
  shiftOrFail,
  type CashMovement,
  type Shift,
  type ShiftFigures,
} from './shifts';
export {
  deskTimeZone,
  guardDeskRename,
  receiptRef,
  shiftView,
  tillContext,
  tillSession,
  type DemoPin,
  type ReceiptRef,
  type ShiftView,
  type TillSession,
} from './till-session';
