/** The printing room's public surface: its commands and read models. */
export { printerView, printJobView, type PrinterView, type PrintJobView } from './print-views';
export type { PrinterInput as PrinterSettings, PrinterRole } from './printers';
