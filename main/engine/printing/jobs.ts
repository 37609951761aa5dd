import type { Database } from 'better-sqlite3';
import type { EngineContext } from '../context';
import { EngineError, notFound, refused } from '../errors';
import { orderTicketPositionIds } from '../tickets/loader';
import { printerForRole, printerRow, type PrinterRole } from './printers';

export type PrintJobState = 'queued' | 'printing' | 'done' | 'failed' | 'canceled';
export type PrintJobKind = 'tickets' | 'pdf' | 'test';

/** One row of `print_jobs` (without the document, which only the printing reads). */
export interface PrintJobRow {
  id: number;
  idempotency_key: string;
  printer_id: number;
  kind: PrintJobKind;
  title: string;
  order_id: number | null;
  position_ids: string | null;
  reprint: number;
  state: PrintJobState;
  reason: string | null;
  pages_total: number | null;
  pages_done: number;
  page_in_flight: number | null;
  attempts: number;
  created: string;
  updated: string;
  finished: string | null;
}

const JOB_COLUMNS = `id, idempotency_key, printer_id, kind, title, order_id, position_ids, reprint, state, reason,
  pages_total, pages_done, page_in_flight, attempts, created, updated, finished`;

export function printJobRow(db: Database, id: number): PrintJobRow {
  const row = db.prepare(`SELECT ${JOB_COLUMNS} FROM print_jobs WHERE id = ?`).get(id) as
    PrintJobRow | undefined;
  if (!row) throw notFound('This print job does not exist.');
  return row;
}

export function jobPositionIds(job: PrintJobRow): number[] {
  return job.position_ids ? (JSON.parse(job.position_ids) as number[]) : [];
}

export function jobDocument(db: Database, id: number): Buffer | null {
  const row = db.prepare('SELECT document FROM print_jobs WHERE id = ?').get(id) as
    { document: Buffer | null } | undefined;
  return row?.document ?? null;
}

/** Jobs the desk lists: every unfinished one, and the latest finished ones. */
export function listPrintJobs(db: Database, options: { finishedLimit?: number } = {}): PrintJobRow[] {
  const open = db
    .prepare(
      `SELECT ${JOB_COLUMNS} FROM print_jobs WHERE state IN ('queued', 'printing', 'failed') ORDER BY id`,
    )
    .all() as PrintJobRow[];
  const finished = db
    .prepare(
      `SELECT ${JOB_COLUMNS} FROM print_jobs WHERE state IN ('done', 'canceled') ORDER BY id DESC LIMIT ?`,
    )
    .all(options.finishedLimit ?? 20) as PrintJobRow[];
  return [...open, ...finished];
}

export function orderPrintJobs(db: Database, orderId: number): PrintJobRow[] {
  return db
    .prepare(`SELECT ${JOB_COLUMNS} FROM print_jobs WHERE order_id = ? ORDER BY id`)
    .all(orderId) as PrintJobRow[];
}

/** The next job a printer works on: the oldest unfinished one, unless one waits for the desk to decide. */
export function nextJobFor(db: Database, printerId: number): PrintJobRow | null {
  return (
    (db
      .prepare(
        `SELECT ${JOB_COLUMNS} FROM print_jobs WHERE printer_id = ? AND state IN ('queued', 'printing')
         ORDER BY id LIMIT 1`,
      )
      .get(printerId) as PrintJobRow | undefined) ?? null
  );
}

/** Printers with work to do. */
export function printersWithWork(db: Database): number[] {
  return (
    db
      .prepare(
        `SELECT DISTINCT j.printer_id AS id FROM print_jobs j JOIN printers p ON p.id = j.printer_id
         WHERE j.state IN ('queued', 'printing') AND p.removed IS NULL AND p.enabled = 1`,
      )
      .all() as { id: number }[]
  ).map((r) => r.id);
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
export function enqueuePrintJob(ctx: EngineContext, job: NewPrintJob): PrintJobRow {
  const existing = ctx.db.prepare('SELECT id FROM print_jobs WHERE idempotency_key = ?').get(job.key) as
    { id: number } | undefined;
  if (existing) return printJobRow(ctx.db, existing.id);
  printerRow(ctx.db, job.printerId);
  const now = ctx.now.toISOString();
  const id = Number(
    ctx.db
      .prepare(
        `INSERT INTO print_jobs (idempotency_key, printer_id, kind, title, order_id, position_ids, reprint, document,
           state, pages_total, created, updated)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)`,
      )
      .run(
        job.key,
        job.printerId,
        job.kind,
        job.title,
        job.orderId ?? null,
        job.positionIds ? JSON.stringify(job.positionIds) : null,
        job.reprint ? 1 : 0,
        job.document ?? null,
        job.pagesTotal ?? null,
        now,
        now,
      ).lastInsertRowid,
  );
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

interface OrderForPrint {
  id: number;
  code: string;
  status: 'n' | 'p' | 'e' | 'c';
  event_id: number;
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
): PrintJobRow | null {
  const printer = printerForRole(ctx.db, input.role ?? 'tickets');
  if (!printer) return null;
  const order = ctx.db
    .prepare('SELECT id, code, status, event_id FROM orders WHERE id = ?')
    .get(input.orderId) as OrderForPrint | undefined;
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
): PrintJobRow | null {
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

function touch(ctx: EngineContext, id: number, set: string, ...values: unknown[]): void {
  ctx.db
    .prepare(`UPDATE print_jobs SET ${set}, updated = ? WHERE id = ?`)
    .run(...values, ctx.now.toISOString(), id);
}

/** Engine command: the job's pages are known (rendered). */
export function setJobPages(ctx: EngineContext, id: number, pagesTotal: number): void {
  touch(ctx, id, 'pages_total = ?', pagesTotal);
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
  touch(
    ctx,
    id,
    "state = 'printing', page_in_flight = ?, reason = NULL, attempts = attempts + ?",
    page,
    job.state === 'queued' ? 1 : 0,
  );
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
): PrintJobRow {
  const job = printJobRow(ctx.db, id);
  const done = Math.max(job.pages_done, page + 1);
  const finished = job.pages_total !== null && done >= job.pages_total;
  touch(
    ctx,
    id,
    `pages_done = ?, page_in_flight = NULL, state = ?, finished = ?`,
    done,
    finished ? 'done' : 'printing',
    finished ? ctx.now.toISOString() : null,
  );
  if (job.kind === 'tickets' && job.order_id !== null) {
    const positionId = jobPositionIds(job)[page];
    const position = ctx.db
      .prepare('SELECT positionid FROM order_positions WHERE id = ?')
      .get(positionId ?? -1) as { positionid: number } | undefined;
    ctx.audit({
      objectType: 'order',
      objectId: job.order_id,
      actionType: 'pretix.event.order.print',
      data: {
        position: positionId ?? null,
        positionid: position?.positionid ?? null,
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
  touch(ctx, id, 'page_in_flight = NULL, reason = ?', reason);
}

/** Engine command: the printer refused the job for good (illegal data, a fault); the desk decides. */
export function failJob(ctx: EngineContext, id: number, reason: string): void {
  touch(ctx, id, "state = 'failed', reason = ?", reason);
}

/**
 * Engine command at start-up: a job that was printing when the process stopped. With no page in flight
 * it simply continues; with one, nobody knows whether that page came out, so the desk is asked.
 */
export function recoverInterruptedJobs(ctx: EngineContext): number {
  const rows = ctx.db
    .prepare(`SELECT ${JOB_COLUMNS} FROM print_jobs WHERE state = 'printing'`)
    .all() as PrintJobRow[];
  for (const job of rows) {
    if (job.page_in_flight === null) touch(ctx, job.id, "state = 'queued'");
    else touch(ctx, job.id, "state = 'failed', reason = ?", uncertainPageReason(job, 'the desk stopped'));
  }
  return rows.length;
}

/** The words for a page that was sent but never confirmed. */
export function uncertainPageReason(job: PrintJobRow, cause: string): string {
  const what = job.kind === 'tickets' ? 'ticket' : 'page';
  const total = job.pages_total ?? '?';
  return (
    `Unsure whether ${what} ${(job.page_in_flight ?? 0) + 1} of ${total} printed: ${cause} before the printer ` +
    `confirmed it. Look at the printer: "It printed" continues after it, "Retry" prints it again.`
  );
}

function openJob(ctx: EngineContext, id: number, verb: string): PrintJobRow {
  const job = printJobRow(ctx.db, id);
  if (job.state === 'done')
    throw refused('job_done', `This job has already printed; there is nothing to ${verb}.`);
  if (job.state === 'canceled')
    throw refused('job_canceled', `This job was canceled; there is nothing to ${verb}.`);
  return job;
}

/** Engine command: the desk asks to try a job again, from its first unconfirmed page. */
export function retryJob(ctx: EngineContext, id: number): PrintJobRow {
  const job = openJob(ctx, id, 'retry');
  if (job.state === 'printing' && job.page_in_flight !== null) {
    throw new EngineError('job_printing', 'This job is printing right now.', { kind: 'conflict' });
  }
  touch(ctx, id, "state = 'queued', reason = NULL, page_in_flight = NULL");
  ctx.db.prepare("UPDATE printers SET state = 'ready', state_reason = NULL WHERE id = ?").run(job.printer_id);
  ctx.audit({ objectType: 'print_job', objectId: id, actionType: 'guichet.print_job.retried', data: {} });
  return printJobRow(ctx.db, id);
}

/** Engine command: the desk looked at the printer and the unconfirmed page did come out. */
export function confirmPagePrinted(ctx: EngineContext, id: number, printerName: string): PrintJobRow {
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
  if (after.state !== 'done') touch(ctx, id, "state = 'queued', reason = NULL");
  return printJobRow(ctx.db, id);
}

/** Engine command: the desk cancels a job; pages already printed stay printed. */
export function cancelJob(ctx: EngineContext, id: number): PrintJobRow {
  const job = openJob(ctx, id, 'cancel');
  if (job.state === 'printing' && job.page_in_flight !== null) {
    throw new EngineError(
      'job_printing',
      'A page of this job is on its way to the printer; cancel again once it answers.',
      { kind: 'conflict' },
    );
  }
  touch(ctx, id, "state = 'canceled', finished = ?", ctx.now.toISOString());
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
