import { performance } from 'node:perf_hooks';
import { createServer, type Server, type Socket } from 'node:net';
import jsQR from 'jsqr';
import type { Bitmap } from '../../main/printing/rasterize';
import type { PrinterSettings } from '../../shared/contract';

/**
 * A thermal printer on loopback TCP for the tests: it parses the FGL or ESC/POS byte stream it receives
 * back into bitmaps, one per ticket or receipt, and answers with the status bytes a Boca (FGL) or an
 * Epson TM (ESC/POS) would. It can run out of paper, and it can be slow to acknowledge.
 */
export interface PrintedPage {
  bitmap: Bitmap;
  /** The QR code found on the page, or null. */
  qr: string | null;
  at: number;
}

export interface FakePrinterOptions {
  protocol: 'fgl' | 'escpos';
  /** Milliseconds between a ticket's last byte and its acknowledgement (FGL) or sensor reply (ESC/POS). */
  ackDelayMs?: number;
}

const MAX_WIDTH = 4096;

/** A growing canvas of dots, cropped to what was drawn when the page ends. */
class Canvas {
  private rows: Uint8Array[] = [];
  private right = 0;

  set(x: number, y: number): void {
    if (x < 0 || y < 0 || x >= MAX_WIDTH || y > 20_000) throw new Error(`dot out of range: ${x},${y}`);
    while (this.rows.length <= y) this.rows.push(new Uint8Array(MAX_WIDTH));
    this.rows[y]![x] = 1;
    if (x + 1 > this.right) this.right = x + 1;
  }

  /** Marks the canvas at least this tall and wide (white rows of a raster band count). */
  extend(width: number, height: number): void {
    while (this.rows.length < height) this.rows.push(new Uint8Array(MAX_WIDTH));
    if (width > this.right) this.right = Math.min(width, MAX_WIDTH);
  }

  toBitmap(): Bitmap {
    const width = this.right;
    const height = this.rows.length;
    const dots = new Uint8Array(width * height);
    this.rows.forEach((row, y) => dots.set(row.subarray(0, width), y * width));
    return { width, height, dots };
  }
}

export function decodeQr(bitmap: Bitmap): string | null {
  // A white margin around the page, as the QR's quiet zone may sit on the page's edge.
  const pad = 16;
  const width = bitmap.width + 2 * pad;
  const height = bitmap.height + 2 * pad;
  const rgba = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let y = 0; y < bitmap.height; y++) {
    for (let x = 0; x < bitmap.width; x++) {
      if (!bitmap.dots[y * bitmap.width + x]) continue;
      const i = ((y + pad) * width + x + pad) * 4;
      rgba[i] = rgba[i + 1] = rgba[i + 2] = 0;
    }
  }
  return jsQR(rgba, width, height)?.data ?? null;
}

export class FakePrinter {
  readonly pages: PrintedPage[] = [];
  /** When each chunk of bytes arrived (performance.now()), for latency measurements. */
  readonly arrivals: number[] = [];
  /** Every status byte sent, in order. */
  readonly answers: number[] = [];
  outOfPaper = false;
  ackDelayMs: number;
  private server: Server;
  private sockets = new Set<Socket>();
  private waiters: (() => void)[] = [];
  private timers = new Set<NodeJS.Timeout>();
  port = 0;

  private constructor(
    readonly protocol: 'fgl' | 'escpos',
    options: FakePrinterOptions,
  ) {
    this.ackDelayMs = options.ackDelayMs ?? 0;
    this.server = createServer((socket) => this.accept(socket));
  }

  static async start(options: FakePrinterOptions): Promise<FakePrinter> {
    const printer = new FakePrinter(options.protocol, options);
    await new Promise<void>((resolve) => printer.server.listen(0, '127.0.0.1', resolve));
    const address = printer.server.address();
    printer.port = typeof address === 'object' && address ? address.port : 0;
    return printer;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get secrets(): (string | null)[] {
    return this.pages.map((p) => p.qr);
  }

  /** Paper is loaded again: a Boca says so on its open connections (status 12). */
  loadPaper(): void {
    this.outOfPaper = false;
    if (this.protocol === 'fgl') for (const socket of this.sockets) this.answer(socket, 12);
  }

  /** Resolves once at least `count` pages have printed. */
  async waitForPages(count: number, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pages.length < count) {
      if (Date.now() > deadline) {
        throw new Error(`The fake printer printed ${this.pages.length} of ${count} pages in time.`);
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(socket: Socket, byte: number): void {
    this.answers.push(byte);
    if (!socket.destroyed) socket.write(Buffer.from([byte]));
  }

  private later(fn: () => void): void {
    if (this.ackDelayMs <= 0) return fn();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, this.ackDelayMs);
    this.timers.add(timer);
  }

  private printed(canvas: Canvas): void {
    const bitmap = canvas.toBitmap();
    this.pages.push({ bitmap, qr: decodeQr(bitmap), at: Date.now() });
    for (const wake of this.waiters.splice(0)) wake();
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const parse = this.protocol === 'fgl' ? this.fglParser(socket) : this.escposParser(socket);
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => {
      this.arrivals.push(performance.now());
      pending = pending.length ? Buffer.concat([pending, data]) : data;
      const used = parse(pending);
      pending = pending.subarray(used);
    });
  }

  /** Returns a parser that consumes as many whole commands as `buffer` holds and says how many bytes. */
  private fglParser(socket: Socket): (buffer: Buffer) => number {
    let canvas = new Canvas();
    let row = 0;
    let column = 0;
    return (buffer) => {
      let at = 0;
      while (at < buffer.length) {
        const byte = buffer[at]!;
        if (byte === 0x0a || byte === 0x0d) {
          at++;
          continue;
        }
        if (byte !== 0x3c) throw new Error(`FGL: unexpected byte ${byte} outside a command`);
        const end = buffer.indexOf(0x3e, at);
        if (end < 0) return at;
        const command = buffer.toString('latin1', at + 1, end);
        let next = end + 1;
        const rc = /^RC(\d+),(\d+)$/.exec(command);
        const graphic = /^G(\d+)$/.exec(command);
        if (rc) {
          row = Number(rc[1]);
          column = Number(rc[2]);
        } else if (graphic) {
          const count = Number(graphic[1]);
          if (buffer.length < next + count) return at;
          for (let i = 0; i < count; i++) {
            const bits = buffer[next + i]!;
            for (let j = 0; j < 8; j++) if (bits & (0x80 >> j)) canvas.set(column + i, row + j);
          }
          next += count;
        } else if (command === 'q' || command === 'z') {
          const page = canvas;
          canvas = new Canvas();
          this.later(() => {
            if (this.outOfPaper) return this.answer(socket, 16);
            this.printed(page);
            this.answer(socket, 6);
          });
        } else if (!/^P[12]$/.test(command)) {
          throw new Error(`FGL: unknown command <${command}>`);
        }
        at = next;
      }
      return at;
    };
  }

  private escposParser(socket: Socket): (buffer: Buffer) => number {
    let canvas = new Canvas();
    let top = 0;
    let discard = false;
    return (buffer) => {
      let at = 0;
      while (at < buffer.length) {
        const rest = buffer.length - at;
        const b0 = buffer[at]!;
        const b1 = buffer[at + 1];
        if (b0 === 0x1b && b1 === 0x40) {
          at += 2;
          canvas = new Canvas();
          top = 0;
          discard = this.outOfPaper;
        } else if (b0 === 0x1b && b1 === 0x64) {
          if (rest < 3) return at;
          at += 3;
        } else if (b0 === 0x10 && b1 === 0x04) {
          if (rest < 3) return at;
          const n = buffer[at + 2]!;
          if (n !== 4) throw new Error(`ESC/POS: DLE EOT ${n} not simulated`);
          this.answer(socket, 0x12 | (this.outOfPaper ? 0x60 : 0));
          at += 3;
        } else if (b0 === 0x1d && b1 === 0x72) {
          if (rest < 3) return at;
          at += 3;
          const empty = this.outOfPaper;
          this.later(() => this.answer(socket, empty ? 0x0c : 0));
        } else if (b0 === 0x1d && b1 === 0x76) {
          if (rest < 8) return at;
          const bytesPerRow = buffer[at + 4]! | (buffer[at + 5]! << 8);
          const rows = buffer[at + 6]! | (buffer[at + 7]! << 8);
          const size = 8 + bytesPerRow * rows;
          if (rest < size) return at;
          for (let y = 0; y < rows; y++) {
            for (let x = 0; x < bytesPerRow * 8; x++) {
              if (buffer[at + 8 + y * bytesPerRow + (x >> 3)]! & (0x80 >> (x & 7))) canvas.set(x, top + y);
            }
          }
          canvas.extend(bytesPerRow * 8, top + rows);
          top += rows;
          at += size;
        } else if (b0 === 0x1d && b1 === 0x56) {
          if (rest < 3) return at;
          at += 3;
          if (!discard && !this.outOfPaper) this.printed(canvas);
          canvas = new Canvas();
          top = 0;
        } else if (b1 === undefined) {
          return at;
        } else {
          throw new Error(`ESC/POS: unexpected bytes ${b0} ${b1}`);
        }
      }
      return at;
    };
  }
}

/** The box office's Boca ticket printer (FGL, 203 dpi, 2 × 5.5 in tickets) at `address`. */
export function bocaPrinter(address: string, overrides: Partial<PrinterSettings> = {}): PrinterSettings {
  return {
    name: 'Box office Boca',
    role: 'tickets',
    connection: 'tcp',
    address,
    protocol: 'fgl',
    dpi: 203,
    paper: 'thermal-2x5.5in',
    printWidthMm: 139.7,
    enabled: true,
    ...overrides,
  };
}
