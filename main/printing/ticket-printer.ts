import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrintSettings {
  /** `dialog`: the system print dialog; `silent`: straight to `printer` (or the default printer). */
  mode: 'dialog' | 'silent';
  printer?: string;
  copies?: number;
}

export type PrintOutcome =
  /** Sent to the printer (or the dialog was shown) by Electron. */
  | { kind: 'printed'; path: string }
  /** Browser mode: the desk opens the PDF in a new tab, where the browser's print button prints it. */
  | { kind: 'open'; path: string; pdfBase64: string };

/** Electron's printing (main/electron/printing.ts), passed in so this service also runs without Electron. */
export type ElectronPrinter = (
  pdfPath: string,
  options: { silent: boolean; deviceName?: string; copies?: number },
) => Promise<void>;

/**
 * The desk's ticket printer: writes the PDF to a temporary file and prints it with Electron where the app
 * runs in Electron; in the browser mode it hands the PDF back for the desk to open.
 */
export function createTicketPrinter(
  electronPrint: ElectronPrinter | null,
  folder = join(tmpdir(), 'guichet-tickets'),
) {
  let sequence = 0;
  return async function printTickets(
    pdf: Buffer,
    name: string,
    settings: PrintSettings,
  ): Promise<PrintOutcome> {
    await mkdir(folder, { recursive: true });
    const safeName = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80) || 'tickets';
    const path = join(folder, `${safeName}-${process.pid}-${++sequence}.pdf`);
    await writeFile(path, pdf);
    if (!electronPrint) return { kind: 'open', path, pdfBase64: pdf.toString('base64') };
    await electronPrint(path, {
      silent: settings.mode === 'silent',
      deviceName: settings.printer || undefined,
      copies: settings.copies,
    });
    return { kind: 'printed', path };
  };
}
