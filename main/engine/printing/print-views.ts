import type { ReadableDB } from '../db/handles';
import {
  printerAndOrderNames,
  type Printer,
  type PrintJob,
  type PrintJobState,
} from '../db/queries/printing';
import type { PrinterInput } from './printers';

/** A printer as the desk's Printing screen shows it. */
export interface PrinterView extends PrinterInput {
  id: number;
  /** `held`: out of paper, jammed or unreachable; `stateReason` says so in words. */
  state: 'ready' | 'held';
  stateReason: string | null;
}

/** A print job as the desk shows it. */
export interface PrintJobView {
  id: number;
  printerId: number;
  printerName: string;
  title: string;
  orderCode: string | null;
  state: PrintJobState;
  /** Why it waits or failed, in words. */
  reason: string | null;
  pagesDone: number;
  pagesTotal: number | null;
  /** A page was sent but never confirmed: the desk says whether it came out. */
  unconfirmedPage: number | null;
  reprint: boolean;
  created: string;
}

export function printerView(row: Printer): PrinterView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    connection: row.connection,
    address: row.address,
    protocol: row.protocol,
    dpi: row.dpi,
    paper: row.paper,
    printWidthMm: row.print_width_mm,
    enabled: row.enabled === 1,
    state: row.state,
    stateReason: row.state_reason,
  };
}

export function printJobView(db: ReadableDB, row: PrintJob): PrintJobView {
  const names = printerAndOrderNames(db, row.printer_id, row.order_id);
  return {
    id: row.id,
    printerId: row.printer_id,
    printerName: names?.name ?? '',
    title: row.title,
    orderCode: names?.code ?? null,
    state: row.state,
    reason: row.reason,
    pagesDone: row.pages_done,
    pagesTotal: row.pages_total,
    unconfirmedPage: row.state === 'failed' ? row.page_in_flight : null,
    reprint: row.reprint === 1,
    created: row.created,
  };
}
