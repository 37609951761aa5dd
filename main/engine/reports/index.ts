export { receiptPdf, receiptRows, shiftReportPdf, shiftReportRows } from './documents';
export type { SlipPaper, SlipRow } from './slip';
