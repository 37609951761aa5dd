import type { Bitmap } from '../rasterize';

/**
 * ESC/POS raster output, as pretixPRINT's graphic ESC/POS sends it in compatibility mode: the picture
 * as `GS v 0` raster images of at most 200 dot rows each (larger ones overflow some printers' buffers),
 * rows of bytes with the leftmost dot in the most significant bit; then a feed of 5 lines and a partial
 * cut (`GS V 1`). `ESC @` first resets whatever a previous job left set.
 */
export const ESCPOS_BAND_ROWS = 200;

const ESC = 0x1b;
const GS = 0x1d;
const DLE = 0x10;
const EOT = 0x04;

export function escposPage(bitmap: Bitmap, options: { feedLines?: number } = {}): Buffer {
  const { width, height, dots } = bitmap;
  const bytesPerRow = Math.ceil(width / 8);
  const chunks: Buffer[] = [Buffer.from([ESC, 0x40])];
  for (let top = 0; top < height; top += ESCPOS_BAND_ROWS) {
    const rows = Math.min(ESCPOS_BAND_ROWS, height - top);
    const band = Buffer.alloc(8 + bytesPerRow * rows);
    band.set([GS, 0x76, 0x30, 0, bytesPerRow & 0xff, bytesPerRow >> 8, rows & 0xff, rows >> 8]);
    for (let y = 0; y < rows; y++) {
      const line = (top + y) * width;
      for (let x = 0; x < width; x++) {
        if (dots[line + x]) band[8 + y * bytesPerRow + (x >> 3)]! |= 0x80 >> (x & 7);
      }
    }
    chunks.push(band);
  }
  chunks.push(Buffer.from([ESC, 0x64, options.feedLines ?? 5, GS, 0x56, 0x31]));
  return Buffer.concat(chunks);
}

/**
 * `DLE EOT 4`, the real-time paper sensor query: answered at once, even while the printer is busy.
 * Sent before a page so an empty roll holds the job instead of losing the page.
 */
export const ESCPOS_PAPER_QUERY = Buffer.from([DLE, EOT, 4]);

/**
 * `GS r 1`, the paper sensor status sent in sequence: the printer answers it only after everything
 * before it was processed, so its answer acknowledges the page.
 */
export const ESCPOS_PAGE_DONE_QUERY = Buffer.from([GS, 0x72, 1]);

export type EscposPaper = { kind: 'ok'; low: boolean } | { kind: 'error'; problem: 'paper'; reason: string };

/** The answer to `DLE EOT 4`: bits 5 and 6 say the roll is empty, bits 2 and 3 that it runs low. */
export function escposPaperStatus(byte: number): EscposPaper {
  if (byte & 0x60) return { kind: 'error', problem: 'paper', reason: 'out of paper' };
  return { kind: 'ok', low: (byte & 0x0c) !== 0 };
}

/** The answer to `GS r 1`: bits 2 and 3 say the roll is empty, bits 0 and 1 that it runs low. */
export function escposPageDoneStatus(byte: number): EscposPaper {
  if (byte & 0x0c) return { kind: 'error', problem: 'paper', reason: 'out of paper' };
  return { kind: 'ok', low: (byte & 0x03) !== 0 };
}
