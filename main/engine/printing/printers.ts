import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import {
  activePrinterNamed,
  activePrinters,
  cancelUnfinishedJobsOfPrinter,
  findActivePrinter,
  firstEnabledPrinterWithRole,
  insertPrinter,
  markPrinterHeld,
  markPrinterReady,
  markPrinterRemoved,
  printerHasPageInFlight,
  updatePrinterSettings,
  type Printer,
  type PrinterConnection,
  type PrinterProtocol,
  type PrinterRole,
} from '../db/queries/printing';
import { EngineError, notFound } from '../errors';
import { PAPER_NAMES, type PaperName } from '../tickets/layout';

export type { Printer, PrinterConnection, PrinterProtocol, PrinterRole } from '../db/queries/printing';

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

export function listPrinterRows(db: ReadableDB): Printer[] {
  return activePrinters(db);
}

export function printerRow(db: ReadableDB, id: number): Printer {
  const row = findActivePrinter(db, id);
  if (!row) throw notFound('This printer does not exist (any more).');
  return row;
}

/** The printer that prints this kind of document: the first enabled one with the role. */
export function printerForRole(db: ReadableDB, role: PrinterRole): Printer | null {
  return firstEnabledPrinterWithRole(db, role) ?? null;
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

/** Engine command: adds a printer, or changes one when `id` is given. */
export function savePrinter(ctx: EngineContext, input: PrinterInput, id: number | null): Printer {
  checkPrinter(input);
  if (activePrinterNamed(ctx.db, input.name.trim(), id))
    throw invalid(`There is already a printer named "${input.name}".`);
  const settings = {
    name: input.name.trim(),
    role: input.role,
    connection: input.connection,
    address: input.address.trim(),
    protocol: input.protocol,
    dpi: input.dpi,
    paper: input.paper,
    print_width_mm: input.printWidthMm,
    enabled: input.enabled ? 1 : 0,
  };
  let printerId: number;
  if (id === null) {
    printerId = insertPrinter(ctx.db, settings, ctx.now.toISOString());
  } else {
    printerRow(ctx.db, id);
    updatePrinterSettings(ctx.db, id, settings);
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
  const active = printerHasPageInFlight(ctx.db, id);
  if (active) {
    throw new EngineError(
      'printer_busy',
      `${printer.name} is printing right now; wait for it or cancel its job.`,
      {
        kind: 'conflict',
      },
    );
  }
  cancelUnfinishedJobsOfPrinter(ctx.db, id, ctx.now.toISOString());
  // The row stays, so finished jobs still name their printer.
  markPrinterRemoved(ctx.db, id, ctx.now.toISOString());
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
  markPrinterHeld(ctx.db, id, reason, ctx.now.toISOString());
  ctx.audit({ objectType: 'printer', objectId: id, actionType: 'guichet.printer.held', data: { reason } });
}

/** Engine command: the printer answers again. */
export function releasePrinter(ctx: EngineContext, id: number): void {
  const row = printerRow(ctx.db, id);
  if (row.state === 'ready') return;
  markPrinterReady(ctx.db, id, ctx.now.toISOString());
  ctx.audit({ objectType: 'printer', objectId: id, actionType: 'guichet.printer.ready', data: {} });
}
