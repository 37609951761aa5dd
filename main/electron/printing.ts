import { BrowserWindow } from 'electron';
import { pathToFileURL } from 'node:url';

export interface ElectronPrintOptions {
  /** true: straight to the printer (the named one, else the system default); false: the system dialog. */
  silent: boolean;
  /** Printer name as the system knows it; empty for the default printer. */
  deviceName?: string;
  copies?: number;
}

/** Prints a PDF file with Electron: it is loaded in a hidden window's PDF viewer and printed from there. */
export async function printPdfFile(pdfPath: string, options: ElectronPrintOptions): Promise<void> {
  const window = new BrowserWindow({ show: false, webPreferences: { plugins: true } });
  try {
    await window.loadURL(pathToFileURL(pdfPath).href);
    await new Promise<void>((resolve, reject) => {
      window.webContents.print(
        {
          silent: options.silent,
          deviceName: options.deviceName || undefined,
          copies: options.copies ?? 1,
          printBackground: true,
        },
        (success, failureReason) =>
          success ? resolve() : reject(new Error(failureReason || 'Printing failed.')),
      );
    });
  } finally {
    window.destroy();
  }
}

/** The printers the system offers, for the desk's printer setting. */
export async function listPrinters(): Promise<{ name: string; displayName: string }[]> {
  const window = new BrowserWindow({ show: false });
  try {
    const printers = await window.webContents.getPrintersAsync();
    return printers.map((p) => ({ name: p.name, displayName: p.displayName }));
  } finally {
    window.destroy();
  }
}
