import type { Database } from 'better-sqlite3';
import type { EngineContext } from '../context';
import { EngineError, notFound } from '../errors';
import { PAPER_NAMES, type PaperName } from '../tickets/layout';

export type PrinterRole = 'tickets' | 'receipts' | 'reports';
export type PrinterConnection = 'system' | 'tcp' | 'device';
export type PrinterProtocol = 'pdf' | 'fgl' | 'escpos';

/** One row of `printers`. */
export interface PrinterRow {
  id: number;
  name: string;
  role: PrinterRole;
  connection: PrinterConnection;
  address: string;
  protocol: PrinterProtocol;
  dpi: number;
  paper: PaperName;
  print_width_mm: number;
  enabled: number;
  state: 'ready' | 'held';
  state_reason: string | null;
  state_since: string | null;
  created: string;
  removed: string | null;
}

export interface PrinterInput {
  name: string;
  role: PrinterRole;
  /** `system`: a printer of the computer (CUPS `lp`); `tcp`: raw TCP, host:port; `device`: a device file. */
  connection: PrinterConnection;
  address: string;
  protocol: PrinterProtocol;
  dpi: number;
  paper: PaperName;
  printWidthMm: number;
  enabled: boolean;
}

/** Where each kind of printer is usually reached, for the settings form's defaults. */
export const DEFAULT_TCP_PORT = 9100;

export function listPrinterRows(db: Database): PrinterRow[] {
  return db.prepare('SELECT * FROM printers WHERE removed IS NULL ORDER BY id').all() as PrinterRow[];
}

export function printerRow(db: Database, id: number): PrinterRow {
  const row = db.prepare('SELECT * FROM printers WHERE id = ? AND removed IS NULL').get(id) as
    PrinterRow | undefined;
  if (!row) throw notFound('This printer does not exist (any more).');
  return row;
}

/** The printer that prints this kind of document: the first enabled one with the role. */
export function printerForRole(db: Database, role: PrinterRole): PrinterRow | null {
  return (
    (db
      .prepare(
        'SELECT * FROM printers WHERE role = ? AND enabled = 1 AND removed IS NULL ORDER BY id LIMIT 1',
      )
      .get(role) as PrinterRow | undefined) ?? null
  );
}

function invalid(message: string): EngineError {
  return new EngineError('invalid_printer', message, { kind: 'refused' });
}

/** The rules a printer's settings follow, in words the desk can show as they are. */
function checkPrinter(input: PrinterInput): void {
  if (!input.name.trim()) throw invalid('Give the printer a name.');
  if (input.protocol === 'pdf' && input.connection !== 'system') {
    throw invalid('A PDF printer is a system printer; thermal printers on the network speak FGL or ESC/POS.');
  }
  if (input.connection === 'tcp') {
    const match = /^([^\s:]+|\[[0-9a-fA-F:.]+\])(?::(\d{1,5}))?$/.exec(input.address.trim());
    const port = match?.[2] === undefined ? DEFAULT_TCP_PORT : Number(match[2]);
    if (!match || port < 1 || port > 65535) {
      throw invalid('Give the network printer as host or host:port, for example 192.168.1.50:9100.');
    }
  }
  if (input.connection === 'device' && !input.address.trim().startsWith('/')) {
    throw invalid('Give the device file as a full path, for example /dev/usb/lp0.');
  }
  if (!PAPER_NAMES.includes(input.paper)) throw invalid('Choose the paper the printer holds.');
}

function existsByName(db: Database, name: string, exceptId: number | null): boolean {
  return Boolean(
    db
      .prepare('SELECT 1 FROM printers WHERE name = ? AND id IS NOT ? AND removed IS NULL')
      .get(name.trim(), exceptId),
  );
}

/** Engine command: adds a printer, or changes one when `id` is given. */
export function savePrinter(ctx: EngineContext, input: PrinterInput, id: number | null): PrinterRow {
  checkPrinter(input);
  if (existsByName(ctx.db, input.name, id))
    throw invalid(`There is already a printer named "${input.name}".`);
  const values = [
    input.name.trim(),
    input.role,
    input.connection,
    input.address.trim(),
    input.protocol,
    input.dpi,
    input.paper,
    input.printWidthMm,
    input.enabled ? 1 : 0,
  ];
  let printerId: number;
  if (id === null) {
    printerId = Number(
      ctx.db
        .prepare(
          `INSERT INTO printers (name, role, connection, address, protocol, dpi, paper, print_width_mm, enabled, created)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(...values, ctx.now.toISOString()).lastInsertRowid,
    );
  } else {
    printerRow(ctx.db, id);
    ctx.db
      .prepare(
        `UPDATE printers SET name = ?, role = ?, connection = ?, address = ?, protocol = ?, dpi = ?, paper = ?,
           print_width_mm = ?, enabled = ?, state = 'ready', state_reason = NULL, state_since = NULL WHERE id = ?`,
      )
      .run(...values, id);
    printerId = id;
  }
  ctx.audit({
    objectType: 'printer',
    objectId: printerId,
    actionType: id === null ? 'guichet.printer.added' : 'guichet.printer.changed',
    data: { ...input },
  });
  return printerRow(ctx.db, printerId);
}

/** Engine command: removes a printer; its unfinished jobs are canceled first. */
export function deletePrinter(ctx: EngineContext, id: number): void {
  const printer = printerRow(ctx.db, id);
  const active = ctx.db
    .prepare(
      "SELECT 1 FROM print_jobs WHERE printer_id = ? AND state = 'printing' AND page_in_flight IS NOT NULL",
    )
    .get(id);
  if (active) {
    throw new EngineError(
      'printer_busy',
      `${printer.name} is printing right now; wait for it or cancel its job.`,
      {
        kind: 'conflict',
      },
    );
  }
  ctx.db
    .prepare(
      "UPDATE print_jobs SET state = 'canceled', reason = 'The printer was removed.', updated = ?, finished = ? WHERE printer_id = ? AND state IN ('queued', 'printing', 'failed')",
    )
    .run(ctx.now.toISOString(), ctx.now.toISOString(), id);
  // The row stays, so finished jobs still name their printer.
  ctx.db
    .prepare(
      "UPDATE printers SET enabled = 0, state = 'ready', state_reason = NULL, removed = ? WHERE id = ?",
    )
    .run(ctx.now.toISOString(), id);
  ctx.audit({
    objectType: 'printer',
    objectId: id,
    actionType: 'guichet.printer.removed',
    data: { name: printer.name },
  });
}

/** Engine command: the printer cannot print now (out of paper, jammed, unreachable); its jobs wait. */
export function holdPrinter(ctx: EngineContext, id: number, reason: string): void {
  const row = printerRow(ctx.db, id);
  if (row.state === 'held' && row.state_reason === reason) return;
  ctx.db
    .prepare("UPDATE printers SET state = 'held', state_reason = ?, state_since = ? WHERE id = ?")
    .run(reason, ctx.now.toISOString(), id);
  ctx.audit({ objectType: 'printer', objectId: id, actionType: 'guichet.printer.held', data: { reason } });
}

/** Engine command: the printer answers again. */
export function releasePrinter(ctx: EngineContext, id: number): void {
  const row = printerRow(ctx.db, id);
  if (row.state === 'ready') return;
  ctx.db
    .prepare("UPDATE printers SET state = 'ready', state_reason = NULL, state_since = ? WHERE id = ?")
    .run(ctx.now.toISOString(), id);
  ctx.audit({ objectType: 'printer', objectId: id, actionType: 'guichet.printer.ready', data: {} });
}
