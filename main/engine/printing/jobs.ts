import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import {
  findPrintJob,
  insertPrintJob,
  latestFinishedPrintJobs,
  markPageInFlight,
  markPageNotPrinted,
  markPagesDone,
  markPrintJobCanceled,
  markPrintJobFailed,
  markPrintJobQueued,
  oldestActivePrintJob,
  orderToPrint,
  positionNumber,
  printerIdsWithWork,
  printingJobs,
  printJobDocument,
  printJobIdByKey,
  printJobsOfOrder,
  requeuePrintJob,
  restartPrintJob,
  setPrintJobPages,
  unfinishedPrintJobs,
  clearPrinterHold,
  type PrintJob,
  type PrintJobKind,
} from '../db/queries/printing';
import { EngineError, notFound, refused } from '../errors';
import { orderTicketPositionIds } from '../tickets/loader';
import { printerForRole, printerRow, type PrinterRole } from './printers';

export type { PrintJob, PrintJobKind, PrintJobState } from '../db/queries/printing';

export function printJobRow(db: ReadableDB, id: number): PrintJob {
  const row = findPrintJob(db, id);
  if (!row) throw notFound('This print job does not exist.');
  return row;
}

export function jobPositionIds(job: PrintJob): number[] {
  return job.position_ids ? (JSON.parse(job.position_ids) as number[]) : [];
}

export function jobDocument(db: ReadableDB, id: number): Buffer | null {
  return printJobDocument(db, id);
}

/** Jobs the desk lists: every unfinished one, and the latest finished ones. */
export function listPrintJobs(db: ReadableDB, options: { finishedLimit?: number } = {}): PrintJob[] {
  return [...unfinishedPrintJobs(db), ...latestFinishedPrintJobs(db, options.finishedLimit ?? 20)];
}

export function orderPrintJobs(db: ReadableDB, orderId: number): PrintJob[] {
  return printJobsOfOrder(db, orderId);
}

/** The next job a printer works on: the oldest unfinished one, unless one waits for the desk to decide. */
export function nextJobFor(db: ReadableDB, printerId: number): PrintJob | null {
  return oldestActivePrintJob(db, printerId) ?? null;
}

/** Printers with work to do. */
export function printersWithWork(db: ReadableDB): number[] {
  return printerIdsWithWork(db);
}

export interface NewPrintJob {
  /** One key per print: the same key twice queues one job (a retried request, a double click). */
  key: string;
  printerId: number;
  kind: PrintJobKind;
  title: string;
  orderId?: number | null;
  positionIds?: number[];
  reprint?: boolean;
  document?: Buffer | null;
  pagesTotal?: number | null;
}

/** Engine command: queues a job, or returns the job already queued under the same key. */
export function enqueuePrintJob(ctx: EngineContext, job: NewPrintJob): PrintJob {
  const existing = printJobIdByKey(ctx.db, job.key);
  if (existing !== undefined) return printJobRow(ctx.db, existing);
  printerRow(ctx.db, job.printerId);
  const id = insertPrintJob(ctx.db, {
    idempotency_key: job.key,
    printer_id: job.printerId,
    kind: job.kind,
    title: job.title,
    order_id: job.orderId ?? null,
    position_ids: job.positionIds ? JSON.stringify(job.positionIds) : null,
    reprint: job.reprint ? 1 : 0,
    document: job.document ?? null,
    pages_total: job.pagesTotal ?? null,
    created: ctx.now.toISOString(),
  });
  if (job.orderId) {
    ctx.audit({
      objectType: 'order',
      objectId: job.orderId,
      actionType: job.reprint ? 'guichet.order.reprint.queued' : 'guichet.order.print.queued',
      data: { job: id, printer: job.printerId, positions: job.positionIds ?? [] },
    });
  }
  return printJobRow(ctx.db, id);
}

/** Words on a desk print of an order that is not a plain first print of a paid order. */
export function printMarks(order: { status: string }, reprint: boolean): string[] {
  const marks: string[] = [];
  if (reprint) marks.push('REPRINT');
  if (order.status === 'n') marks.push('NOT PAID');
  return marks;
}

/** Why an order's tickets may not be printed at the desk, or null. Pending orders print marked NOT PAID. */
export function orderPrintRefusal(order: { status: string }): string | null {
  if (order.status === 'c') return 'This order is canceled: its tickets are not valid and are not printed.';
  if (order.status === 'e') return 'This order has expired: its tickets are not valid and are not printed.';
  return null;
}

/**
 * Engine command: queues an order's tickets on the tickets printer. Returns null when no tickets printer
 * is set up (the desk then prints the PDF itself) or the order has no ticket.
 */
export function queueOrderTickets(
  ctx: EngineContext,
  input: { orderId: number; key: string; reprint: boolean; role?: PrinterRole },
): PrintJob | null {
  const printer = printerForRole(ctx.db, input.role ?? 'tickets');
  if (!printer) return null;
  const order = orderToPrint(ctx.db, input.orderId);
  if (!order) throw notFound('This order does not exist.');
  const refusal = orderPrintRefusal(order);
  if (refusal) throw refused('order_not_printable', refusal);
  const positionIds = orderTicketPositionIds(ctx.db, order.id);
  if (positionIds.length === 0) return null;
  const count = positionIds.length;
  return enqueuePrintJob(ctx, {
    key: input.key,
    printerId: printer.id,
    kind: 'tickets',
    title: `${input.reprint ? 'Reprint of tickets' : 'Tickets'} ${order.code} (${count} ${count === 1 ? 'ticket' : 'tickets'})`,
    orderId: order.id,
    positionIds,
    reprint: input.reprint,
    pagesTotal: count,
  });
}

/**
 * Engine command: queues a PDF (a receipt, an X or Z report) on the printer of its role, to commit with
 * the change it documents. Returns null when no printer has the role, so the caller offers the PDF.
 */
export function queueDocument(
  ctx: EngineContext,
  input: { role: PrinterRole; key: string; title: string; pdf: Buffer; orderId?: number | null },
): PrintJob | null {
  const printer = printerForRole(ctx.db, input.role);
  if (!printer) return null;
  return enqueuePrintJob(ctx, {
    key: input.key,
    printerId: printer.id,
    kind: 'pdf',
    title: input.title,
    orderId: input.orderId ?? null,
    document: input.pdf,
  });
}

/** Engine command: the job's pages are known (rendered). */
export function setJobPages(ctx: EngineContext, id: number, pagesTotal: number): void {
  setPrintJobPages(ctx.db, id, pagesTotal, ctx.now.toISOString());
}

/**
 * Engine command: page `page` (0-based) is about to be sent. Committed before the first byte leaves, so
 * after a crash the desk knows this page may have come out.
 */
export function pageSending(ctx: EngineContext, id: number, page: number): void {
  const job = printJobRow(ctx.db, id);
  if (job.state !== 'queued' && job.state !== 'printing') {
    throw new EngineError('job_not_active', 'This job was canceled or finished meanwhile.', {
      kind: 'conflict',
    });
  }
  markPageInFlight(ctx.db, id, page, job.state === 'queued', ctx.now.toISOString());
}

/**
 * Engine command: the printer acknowledged page `page`. Writes the order's print log entry (pretix's
 * `pretix.event.order.print`) in the same transaction, and finishes the job after its last page.
 */
export function pageAcknowledged(
  ctx: EngineContext,
  id: number,
  page: number,
  printerName: string,
): PrintJob {
  const job = printJobRow(ctx.db, id);
  const done = Math.max(job.pages_done, page + 1);
  const finished = job.pages_total !== null && done >= job.pages_total;
  markPagesDone(
    ctx.db,
    id,
    done,
    finished ? 'done' : 'printing',
    finished ? ctx.now.toISOString() : null,
    ctx.now.toISOString(),
  );
  if (job.kind === 'tickets' && job.order_id !== null) {
    const positionId = jobPositionIds(job)[page];
    const positionid = positionNumber(ctx.db, positionId ?? -1);
    ctx.audit({
      objectType: 'order',
      objectId: job.order_id,
      actionType: 'pretix.event.order.print',
      data: {
        position: positionId ?? null,
        positionid: positionid ?? null,
        datetime: ctx.now.toISOString(),
        type: 'ticket',
        reprint: job.reprint === 1,
        printer: printerName,
        job: id,
      },
    });
  }
  return printJobRow(ctx.db, id);
}

/** Engine command: the printer answered that the page did not print (out of paper, jammed). */
export function pageNotPrinted(ctx: EngineContext, id: number, reason: string): void {
  markPageNotPrinted(ctx.db, id, reason, ctx.now.toISOString());
}

/** Engine command: the printer refused the job for good (illegal data, a fault); the desk decides. */
export function failJob(ctx: EngineContext, id: number, reason: string): void {
  markPrintJobFailed(ctx.db, id, reason, ctx.now.toISOString());
}

/**
 * Engine command at start-up: a job that was printing when the process stopped. With no page in flight
 * it simply continues; with one, nobody knows whether that page came out, so the desk is asked.
 */
export function recoverInterruptedJobs(ctx: EngineContext): number {
  const rows = printingJobs(ctx.db);
  const now = ctx.now.toISOString();
  for (const job of rows) {
    if (job.page_in_flight === null) markPrintJobQueued(ctx.db, job.id, now);
    else markPrintJobFailed(ctx.db, job.id, uncertainPageReason(job, 'the desk stopped'), now);
  }
  return rows.length;
}

/** The words for a page that was sent but never confirmed. */
export function uncertainPageReason(job: PrintJob, cause: string): string {
  const what = job.kind === 'tickets' ? 'ticket' : 'page';
  const total = job.pages_total ?? '?';
  return (
    `Unsure whether ${what} ${(job.page_in_flight ?? 0) + 1} of ${total} printed: ${cause} before the printer ` +
    `confirmed it. Look at the printer: "It printed" continues after it, "Retry" prints it again.`
  );
}

function openJob(ctx: EngineContext, id: number, verb: string): PrintJob {
  const job = printJobRow(ctx.db, id);
  if (job.state === 'done')
    throw refused('job_done', `This job has already printed; there is nothing to ${verb}.`);
  if (job.state === 'canceled')
    throw refused('job_canceled', `This job was canceled; there is nothing to ${verb}.`);
  return job;
}

/** Engine command: the desk asks to try a job again, from its first unconfirmed page. */
export function retryJob(ctx: EngineContext, id: number): PrintJob {
  const job = openJob(ctx, id, 'retry');
  if (job.state === 'printing' && job.page_in_flight !== null) {
    throw new EngineError('job_printing', 'This job is printing right now.', { kind: 'conflict' });
  }
  restartPrintJob(ctx.db, id, ctx.now.toISOString());
  clearPrinterHold(ctx.db, job.printer_id);
  ctx.audit({ objectType: 'print_job', objectId: id, actionType: 'guichet.print_job.retried', data: {} });
  return printJobRow(ctx.db, id);
}

/** Engine command: the desk looked at the printer and the unconfirmed page did come out. */
export function confirmPagePrinted(ctx: EngineContext, id: number, printerName: string): PrintJob {
  const job = openJob(ctx, id, 'confirm');
  if (job.state !== 'failed' || job.page_in_flight === null) {
    throw refused('nothing_unconfirmed', 'No page of this job waits for confirmation.');
  }
  ctx.audit({
    objectType: 'print_job',
    objectId: id,
    actionType: 'guichet.print_job.page_confirmed',
    data: { page: job.page_in_flight },
  });
  const after = pageAcknowledged(ctx, id, job.page_in_flight, printerName);
  if (after.state !== 'done') requeuePrintJob(ctx.db, id, ctx.now.toISOString());
  return printJobRow(ctx.db, id);
}

/** Engine command: the desk cancels a job; pages already printed stay printed. */
export function cancelJob(ctx: EngineContext, id: number): PrintJob {
  const job = openJob(ctx, id, 'cancel');
  if (job.state === 'printing' && job.page_in_flight !== null) {
    throw new EngineError(
      'job_printing',
      'A page of this job is on its way to the printer; cancel again once it answers.',
      { kind: 'conflict' },
    );
  }
  markPrintJobCanceled(ctx.db, id, ctx.now.toISOString());
  const data = { job: id, pagesPrinted: job.pages_done, pagesTotal: job.pages_total };
  if (job.order_id) {
    ctx.audit({
      objectType: 'order',
      objectId: job.order_id,
      actionType: 'guichet.order.print.canceled',
      data,
    });
  }
  ctx.audit({ objectType: 'print_job', objectId: id, actionType: 'guichet.print_job.canceled', data });
  return printJobRow(ctx.db, id);
}

/** Read model: the order a tickets job prints, with what its marks and layout depend on. */
export function printJobOrder(
  db: ReadableDB,
  job: PrintJob,
): { status: string; event_id: number } | undefined {
  return job.order_id === null ? undefined : orderToPrint(db, job.order_id);
}
