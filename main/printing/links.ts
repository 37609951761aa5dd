import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { DEFAULT_TCP_PORT } from '../engine/printing';

/**
 * A byte connection to a printer: raw TCP (port 9100, how network Boca and Epson printers listen) or a
 * device file (the USB printer class on Linux, `/dev/usb/lp0`). Status bytes are read where the printer
 * can send them.
 */
export interface PrinterLink {
  /** False where the printer cannot answer (a device file): a page counts as printed once written. */
  readonly answers: boolean;
  write(bytes: Buffer): Promise<void>;
  /** The next status byte, or null when none came within `timeoutMs`. */
  readByte(timeoutMs: number): Promise<number | null>;
  /** Drops status bytes left over from earlier prints (pretixPRINT does this before each job). */
  discardPending(): void;
  close(): void;
}

/** A printer that cannot be reached at all: nothing was sent. */
export class PrinterUnreachable extends Error {}

/** The connection broke while a page was on its way. */
export class PrinterLinkLost extends Error {}

export function parseTcpAddress(address: string): { host: string; port: number } {
  const match = /^([^\s:]+|\[[0-9a-fA-F:.]+\])(?::(\d{1,5}))?$/.exec(address.trim());
  if (!match) throw new PrinterUnreachable(`"${address}" is not a host or host:port`);
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port: match[2] ? Number(match[2]) : DEFAULT_TCP_PORT };
}

class TcpLink implements PrinterLink {
  readonly answers = true;
  private received: number[] = [];
  private wake: (() => void) | null = null;
  private closedBy: Error | null = null;

  constructor(private socket: Socket) {
    socket.on('data', (data: Buffer) => {
      for (const byte of data) this.received.push(byte);
      this.wake?.();
    });
    socket.on('close', () => {
      this.closedBy ??= new PrinterLinkLost('the printer closed the connection');
      this.wake?.();
    });
    socket.on('error', (e) => {
      this.closedBy = new PrinterLinkLost(`the connection broke (${e.message})`);
      this.wake?.();
    });
  }

  write(bytes: Buffer): Promise<void> {
    if (this.closedBy) return Promise.reject(this.closedBy);
    return new Promise((resolve, reject) =>
      this.socket.write(bytes, (e) =>
        e ? reject(new PrinterLinkLost(`sending failed (${e.message})`)) : resolve(),
      ),
    );
  }

  async readByte(timeoutMs: number): Promise<number | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const byte = this.received.shift();
      if (byte !== undefined) return byte;
      if (this.closedBy) throw this.closedBy;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = null;
          resolve();
        };
      });
    }
  }

  discardPending(): void {
    this.received.length = 0;
  }

  close(): void {
    this.socket.destroy();
  }
}

export function openTcpLink(address: string, timeoutMs = 5000): Promise<PrinterLink> {
  const { host, port } = parseTcpAddress(address);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new PrinterUnreachable(`no answer from ${host}:${port}`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(new TcpLink(socket));
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const why =
        e.code === 'ECONNREFUSED'
          ? 'connection refused'
          : e.code === 'EHOSTUNREACH'
            ? 'host unreachable'
            : e.message;
      reject(new PrinterUnreachable(`cannot reach ${host}:${port} (${why})`));
    });
  });
}

class DeviceLink implements PrinterLink {
  readonly answers = false;
  constructor(private file: Awaited<ReturnType<typeof open>>) {}
  async write(bytes: Buffer): Promise<void> {
    try {
      await this.file.write(bytes);
    } catch (e) {
      throw new PrinterLinkLost(`writing to the device failed (${(e as Error).message})`);
    }
  }
  async readByte(): Promise<number | null> {
    return null;
  }
  discardPending(): void {}
  close(): void {
    void this.file.close().catch(() => undefined);
  }
}

export async function openDeviceLink(path: string): Promise<PrinterLink> {
  try {
    return new DeviceLink(await open(path, 'a'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such device: is the printer plugged in and on?'
        : code === 'EACCES'
          ? 'no permission to write to it'
          : (e as Error).message;
    throw new PrinterUnreachable(`cannot open ${path} (${why})`);
  }
}

/**
 * Sends a document to a system printer with CUPS's `lp` (Linux, macOS): a PDF as it is, raw printer
 * bytes with `-o raw`. Resolves when CUPS has accepted the job.
 */
export function printWithLp(
  printerName: string,
  document: Buffer,
  options: { raw: boolean; title: string; command?: string },
): Promise<void> {
  const args = [
    ...(printerName ? ['-d', printerName] : []),
    '-t',
    options.title,
    ...(options.raw ? ['-o', 'raw'] : []),
    '-',
  ];
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(options.command ?? 'lp', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    } catch (e) {
      reject(new PrinterUnreachable(`cannot run lp (${(e as Error).message})`));
      return;
    }
    let errors = '';
    child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        new PrinterUnreachable(
          e.code === 'ENOENT' ? 'lp (CUPS) is not installed on this computer' : e.message,
        ),
      ),
    );
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new PrinterUnreachable(errors.trim().split('\n')[0] || `lp stopped with code ${code}`)),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(document);
  });
}
