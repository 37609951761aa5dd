import type { PaperName } from '../../tickets/layout';
import type { ReadableDB, WritableDB } from '../handles';
import type { OrderPositionRow, OrderRow, PrinterRow, PrintJobRow } from '../rows';
import { readAll, readColumn, readOne } from './statements';

export type PrinterRole = 'tickets' | 'receipts' | 'reports';
export type PrinterConnection = 'system' | 'tcp' | 'device';
export type PrinterProtocol = 'pdf' | 'fgl' | 'escpos';
export type PrintJobState = 'queued' | 'printing' | 'done' | 'failed' | 'canceled';
export type PrintJobKind = 'tickets' | 'pdf' | 'test';

/** A stored printer, its kinds and state one of those the desk knows. */
export type Printer = Omit<PrinterRow, 'role' | 'connection' | 'protocol' | 'paper' | 'state'> & {
  role: PrinterRole;
  connection: PrinterConnection;
  protocol: PrinterProtocol;
  paper: PaperName;
  state: 'ready' | 'held';
};

/** A stored print job without its document, which only the printing reads. */
export type PrintJob = Omit<PrintJobRow, 'document' | 'kind' | 'state'> & {
  kind: PrintJobKind;
  state: PrintJobState;
};

/** The columns a printer's settings write, in the order the statements below bind them. */
export type PrinterSettingsColumns = Pick<
  PrinterRow,
  'name' | 'role' | 'connection' | 'address' | 'protocol' | 'dpi' | 'paper' | 'print_width_mm' | 'enabled'
>;

function settingsValues(row: PrinterSettingsColumns): (string | number)[] {
  return [
    row.name,
    row.role,
    row.connection,
    row.address,
    row.protocol,
    row.dpi,
    row.paper,
    row.print_width_mm,
    row.enabled,
  ];
}

export const activePrinters = readAll<[], Printer>(
  'SELECT * FROM printers WHERE removed IS NULL ORDER BY id',
);

export const findActivePrinter = readOne<[id: number], Printer>(
  'SELECT * FROM printers WHERE id = ? AND removed IS NULL',
);

/** The first enabled printer with the role. */
export const firstEnabledPrinterWithRole = readOne<[role: string], Printer>(
  'SELECT * FROM printers WHERE role = ? AND enabled = 1 AND removed IS NULL ORDER BY id LIMIT 1',
);

export function activePrinterNamed(db: ReadableDB, name: string, exceptId: number | null): boolean {
  return Boolean(
    db
      .prepare('SELECT 1 FROM printers WHERE name = ? AND id IS NOT ? AND removed IS NULL')
      .get(name, exceptId),
  );
}

export function insertPrinter(db: WritableDB, row: PrinterSettingsColumns, created: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO printers (name, role, connection, address, protocol, dpi, paper, print_width_mm, enabled, created)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...settingsValues(row), created).lastInsertRowid,
  );
}

/** Writes a printer's settings; changed settings make it ready again. */
export function updatePrinterSettings(db: WritableDB, id: number, row: PrinterSettingsColumns): void {
  db.prepare(
    `UPDATE printers SET name = ?, role = ?, connection = ?, address = ?, protocol = ?, dpi = ?, paper = ?,
           print_width_mm = ?, enabled = ?, state = 'ready', state_reason = NULL, state_since = NULL WHERE id = ?`,
  ).run(...settingsValues(row), id);
}

/** Whether a page of one of the printer's jobs is on its way to it. */
export function printerHasPageInFlight(db: ReadableDB, printerId: number): boolean {
  return Boolean(
    db
      .prepare(
        "SELECT 1 FROM print_jobs WHERE printer_id = ? AND state = 'printing' AND page_in_flight IS NOT NULL",
      )
      .get(printerId),
  );
}

export function cancelUnfinishedJobsOfPrinter(db: WritableDB, printerId: number, at: string): void {
  db.prepare(
    "UPDATE print_jobs SET state = 'canceled', reason = 'The printer was removed.', updated = ?, finished = ? WHERE printer_id = ? AND state IN ('queued', 'printing', 'failed')",
  ).run(at, at, printerId);
}

/** Marks a printer removed; the row stays, so finished jobs still name their printer. */
export function markPrinterRemoved(db: WritableDB, id: number, at: string): void {
  db.prepare(
    "UPDATE printers SET enabled = 0, state = 'ready', state_reason = NULL, removed = ? WHERE id = ?",
  ).run(at, id);
}

export function markPrinterHeld(db: WritableDB, id: number, reason: string, since: string): void {
  db.prepare("UPDATE printers SET state = 'held', state_reason = ?, state_since = ? WHERE id = ?").run(
    reason,
    since,
    id,
  );
}

export function markPrinterReady(db: WritableDB, id: number, since: string): void {
  db.prepare("UPDATE printers SET state = 'ready', state_reason = NULL, state_since = ? WHERE id = ?").run(
    since,
    id,
  );
}

/** Makes a printer ready again without touching since when its state was noted (a job retried). */
export function clearPrinterHold(db: WritableDB, id: number): void {
  db.prepare("UPDATE printers SET state = 'ready', state_reason = NULL WHERE id = ?").run(id);
}

const JOB_COLUMNS = `id, idempotency_key, printer_id, kind, title, order_id, position_ids, reprint, state, reason,
  pages_total, pages_done, page_in_flight, attempts, created, updated, finished`;

export const findPrintJob = readOne<[id: number], PrintJob>(
  `SELECT ${JOB_COLUMNS} FROM print_jobs WHERE id = ?`,
);

export function printJobDocument(db: ReadableDB, id: number): Buffer | null {
  return (
    db
      .prepare<[number], Pick<PrintJobRow, 'document'>>('SELECT document FROM print_jobs WHERE id = ?')
      .get(id)?.document ?? null
  );
}

export const unfinishedPrintJobs = readAll<[], PrintJob>(
  `SELECT ${JOB_COLUMNS} FROM print_jobs WHERE state IN ('queued', 'printing', 'failed') ORDER BY id`,
);

/** The latest finished jobs, newest first. */
export const latestFinishedPrintJobs = readAll<[limit: number], PrintJob>(
  `SELECT ${JOB_COLUMNS} FROM print_jobs WHERE state IN ('done', 'canceled') ORDER BY id DESC LIMIT ?`,
);

export const printJobsOfOrder = readAll<[orderId: number], PrintJob>(
  `SELECT ${JOB_COLUMNS} FROM print_jobs WHERE order_id = ? ORDER BY id`,
);

/** The oldest queued or printing job of a printer. */
export const oldestActivePrintJob = readOne<
  [printerId: number],
  PrintJob
>(`SELECT ${JOB_COLUMNS} FROM print_jobs WHERE printer_id = ? AND state IN ('queued', 'printing')
         ORDER BY id LIMIT 1`);

/** Enabled printers, not removed, with a queued or printing job. */
export const printerIdsWithWork = readColumn<[], number>(
  `SELECT DISTINCT j.printer_id AS id FROM print_jobs j JOIN printers p ON p.id = j.printer_id WHERE j.state IN ('queued', 'printing') AND p.removed IS NULL AND p.enabled = 1`,
);

export const printingJobs = readAll<[], PrintJob>(
  `SELECT ${JOB_COLUMNS} FROM print_jobs WHERE state = 'printing'`,
);

export function printJobIdByKey(db: ReadableDB, key: string): number | undefined {
  return db
    .prepare<[string], Pick<PrintJobRow, 'id'>>('SELECT id FROM print_jobs WHERE idempotency_key = ?')
    .get(key)?.id;
}

/** What a new job is stored with; the queue's own columns start empty. */
export type NewPrintJobColumns = Omit<
  PrintJobRow,
  'id' | 'state' | 'reason' | 'pages_done' | 'page_in_flight' | 'attempts' | 'updated' | 'finished'
>;

/** Stores a queued job; `updated` starts as `created`. */
export function insertPrintJob(db: WritableDB, row: NewPrintJobColumns): number {
  return Number(
    db
      .prepare(
        `INSERT INTO print_jobs (idempotency_key, printer_id, kind, title, order_id, position_ids, reprint, document,
           state, pages_total, created, updated)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)`,
      )
      .run(
        row.idempotency_key,
        row.printer_id,
        row.kind,
        row.title,
        row.order_id,
        row.position_ids,
        row.reprint,
        row.document,
        row.pages_total,
        row.created,
        row.created,
      ).lastInsertRowid,
  );
}

/** Sets columns of a job and notes when; `set` is one of the fixed clauses below. */
function touchJob(db: WritableDB, id: number, updated: string, set: string, ...values: unknown[]): void {
  db.prepare(`UPDATE print_jobs SET ${set}, updated = ? WHERE id = ?`).run(...values, updated, id);
}

const PAGE_IN_FLIGHT = "state = 'printing', page_in_flight = ?, reason = NULL, attempts = attempts + ?";
const PAGES_DONE = `pages_done = ?, page_in_flight = NULL, state = ?, finished = ?`;

export function setPrintJobPages(db: WritableDB, id: number, pagesTotal: number, updated: string): void {
  touchJob(db, id, updated, 'pages_total = ?', pagesTotal);
}

/** A page is on its way: the job prints; the first page of a queued job counts an attempt. */
export function markPageInFlight(
  db: WritableDB,
  id: number,
  page: number,
  newAttempt: boolean,
  updated: string,
): void {
  touchJob(db, id, updated, PAGE_IN_FLIGHT, page, newAttempt ? 1 : 0);
}

export function markPagesDone(
  db: WritableDB,
  id: number,
  pagesDone: number,
  state: PrintJobState,
  finished: string | null,
  updated: string,
): void {
  touchJob(db, id, updated, PAGES_DONE, pagesDone, state, finished);
}

export function markPageNotPrinted(db: WritableDB, id: number, reason: string, updated: string): void {
  touchJob(db, id, updated, 'page_in_flight = NULL, reason = ?', reason);
}

export function markPrintJobFailed(db: WritableDB, id: number, reason: string, updated: string): void {
  touchJob(db, id, updated, "state = 'failed', reason = ?", reason);
}

/** Back in the queue, keeping its reason and page in flight. */
export function markPrintJobQueued(db: WritableDB, id: number, updated: string): void {
  touchJob(db, id, updated, "state = 'queued'");
}

/** Back in the queue with no reason, keeping its page in flight. */
export function requeuePrintJob(db: WritableDB, id: number, updated: string): void {
  touchJob(db, id, updated, "state = 'queued', reason = NULL");
}

/** Back in the queue from its first unconfirmed page. */
export function restartPrintJob(db: WritableDB, id: number, updated: string): void {
  touchJob(db, id, updated, "state = 'queued', reason = NULL, page_in_flight = NULL");
}

export function markPrintJobCanceled(db: WritableDB, id: number, at: string): void {
  touchJob(db, id, at, "state = 'canceled', finished = ?", at);
}

/** The printer's name and the order's code a print job is shown with. */
export function printerAndOrderNames(
  db: ReadableDB,
  printerId: number,
  orderId: number | null,
): { name: string; code: string | null } | undefined {
  return db
    .prepare<[number | null, number], { name: string; code: string | null }>(
      'SELECT p.name, o.code FROM printers p LEFT JOIN orders o ON o.id = ? WHERE p.id = ?',
    )
    .get(orderId, printerId);
}

/** What printing needs of an order: its code for the job's title, its status for the marks. */
export const orderToPrint = readOne<[orderId: number], Pick<OrderRow, 'id' | 'code' | 'status' | 'event_id'>>(
  'SELECT id, code, status, event_id FROM orders WHERE id = ?',
);

/** A position's number within its order, for the print log. */
export function positionNumber(db: ReadableDB, positionId: number): number | undefined {
  return db
    .prepare<[number], Pick<OrderPositionRow, 'positionid'>>(
      'SELECT positionid FROM order_positions WHERE id = ?',
    )
    .get(positionId)?.positionid;
}
