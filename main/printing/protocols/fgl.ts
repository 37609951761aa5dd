import type { Bitmap } from '../rasterize';

/**
 * FGL (Boca Systems' Friendly Ghost Language) raster output, as pretixPRINT sends it: the ticket path,
 * then the picture in bands of 8 dot rows, each band cut into pieces of 100 columns sent as
 * `<RCrow,col><G100>` followed by 100 bytes (one byte per column, its 8 rows with the top row in the
 * most significant bit) and a newline. Blank pieces are skipped. `<q>` ends a ticket when more follow in
 * the same job, `<z>` ends the last one (print and cut).
 */
export const FGL_PIECE_WIDTH = 100;

export function fglTicket(bitmap: Bitmap, options: { last: boolean; path?: 1 | 2 }): Buffer {
  const { width, height, dots } = bitmap;
  const chunks: Buffer[] = [Buffer.from(`<P${options.path ?? 1}>`, 'latin1')];
  for (let top = 0; top < height; top += 8) {
    for (let left = 0; left < width; left += FGL_PIECE_WIDTH) {
      const piece = Buffer.alloc(FGL_PIECE_WIDTH);
      let inked = false;
      const right = Math.min(left + FGL_PIECE_WIDTH, width);
      for (let x = left; x < right; x++) {
        let column = 0;
        for (let j = 0; j < 8 && top + j < height; j++) {
          if (dots[(top + j) * width + x]) column |= 1 << (7 - j);
        }
        if (column) inked = true;
        piece[x - left] = column;
      }
      if (!inked) continue;
      chunks.push(Buffer.from(`<RC${top},${left}><G${FGL_PIECE_WIDTH}>`, 'latin1'), piece, NEWLINE);
    }
  }
  chunks.push(Buffer.from(options.last ? '<z>\n' : '<q>\n', 'latin1'));
  return Buffer.concat(chunks);
}

const NEWLINE = Buffer.from('\n', 'latin1');

/** What one status byte from a Boca printer means for the ticket just sent. */
export type FglStatus =
  /** The ticket is printed (or the byte is harmless news that ends the wait, as pretixPRINT treats it). */
  | { kind: 'ack' }
  /** Flow control or nothing to report: keep waiting for the answer. */
  | { kind: 'wait' }
  /** The ticket did not print; `problem` groups reasons the desk handles alike. */
  | { kind: 'error'; problem: 'paper' | 'jam' | 'fault'; reason: string };

const ERRORS: Record<number, { problem: 'paper' | 'jam' | 'fault'; reason: string }> = {
  2: { problem: 'fault', reason: 'reject bin error' },
  3: { problem: 'jam', reason: 'paper jam (path 1)' },
  4: { problem: 'jam', reason: 'paper jam (path 2)' },
  7: { problem: 'fault', reason: 'wrong file identifier during update' },
  8: { problem: 'fault', reason: 'invalid checksum' },
  10: { problem: 'paper', reason: 'out of paper (path 1)' },
  11: { problem: 'paper', reason: 'out of paper (path 2)' },
  14: { problem: 'jam', reason: 'escrow jam' },
  16: { problem: 'paper', reason: 'out of paper' },
  20: { problem: 'fault', reason: 'bad flash memory' },
  21: { problem: 'fault', reason: 'illegal print command' },
  23: { problem: 'fault', reason: 'ribbon out' },
  24: { problem: 'jam', reason: 'paper jam' },
  25: { problem: 'fault', reason: 'illegal data' },
  26: { problem: 'fault', reason: 'power-up problem' },
  28: { problem: 'fault', reason: 'downloading error' },
  29: { problem: 'jam', reason: 'cutter jam' },
  30: { problem: 'jam', reason: 'stuck ticket' },
  31: { problem: 'jam', reason: 'cutter jam (path 2)' },
};

/** Acknowledgements and notices that end the wait for a ticket (pretixPRINT's `break@wait` codes). */
const ENDS_WAIT = new Set([1, 5, 6, 9, 12, 13, 15, 18, 22]);

/** Reads one status byte as pretixPRINT does (FGL.kt): 6 is the ticket acknowledgement. */
export function fglStatus(byte: number): FglStatus {
  if (byte === 0 || byte === 17 || byte === 19) return { kind: 'wait' };
  if (ENDS_WAIT.has(byte)) return { kind: 'ack' };
  const error = ERRORS[byte];
  if (error) return { kind: 'error', ...error };
  return { kind: 'error', problem: 'fault', reason: `unknown status ${byte}` };
}

/** Boca's notices that paper was loaded again: a ticket that failed for paper may be sent again. */
export const FGL_PAPER_LOADED = new Set([12, 13]);

/** pretixPRINT gives up on a ticket when no status byte came for this long. */
export const FGL_RESPONSE_TIMEOUT_MS = 15_000;
