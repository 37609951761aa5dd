import { describe, expect, it } from 'vitest';
import { escposPage, escposPaperStatus, ESCPOS_BAND_ROWS } from '../../main/printing/protocols/escpos';
import { fglStatus, fglTicket } from '../../main/printing/protocols/fgl';
import { blankBitmap, type Bitmap } from '../../main/printing/rasterize';

function checkerboard(width: number, height: number): Bitmap {
  const bitmap = blankBitmap(width, height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) bitmap.dots[y * width + x] = (x + y) % 2;
  return bitmap;
}

describe('FGL raster', () => {
  it('sends bands of 8 rows as <RCrow,col><G100> pieces, top row in the high bit, and ends with <z> or <q>', () => {
    const bitmap = blankBitmap(250, 10);
    bitmap.dots[0 * 250 + 0] = 1; // row 0, column 0 -> bit 7 of byte 0 of piece (0,0)
    bitmap.dots[7 * 250 + 0] = 1; // row 7 -> bit 0
    bitmap.dots[9 * 250 + 205] = 1; // row 9 = band 8, row 1 of it -> bit 6, piece (8,200), byte 5
    const bytes = fglTicket(bitmap, { last: true });
    const text = bytes.toString('latin1');
    expect(text.startsWith('<P1><RC0,0><G100>')).toBe(true);
    expect(bytes[17]).toBe(0b1000_0001);
    // Blank pieces (0,100), (0,200), (8,0), (8,100) are not sent.
    expect(text.match(/<RC\d+,\d+>/g)).toEqual(['<RC0,0>', '<RC8,200>']);
    const second = text.indexOf('<RC8,200><G100>') + '<RC8,200><G100>'.length;
    expect(bytes[second + 5]).toBe(0b0100_0000);
    expect(text.endsWith('<z>\n')).toBe(true);
    expect(fglTicket(bitmap, { last: false }).toString('latin1').endsWith('<q>\n')).toBe(true);
  });

  it("reads the printer's status bytes as pretixPRINT does", () => {
    expect(fglStatus(6)).toEqual({ kind: 'ack' });
    for (const b of [10, 11, 16]) expect(fglStatus(b)).toMatchObject({ kind: 'error', problem: 'paper' });
    for (const b of [3, 4, 24, 29, 30, 31])
      expect(fglStatus(b)).toMatchObject({ kind: 'error', problem: 'jam' });
    expect(fglStatus(16)).toMatchObject({ reason: 'out of paper' });
    expect(fglStatus(29)).toMatchObject({ reason: 'cutter jam' });
    expect(fglStatus(30)).toMatchObject({ reason: 'stuck ticket' });
    expect(fglStatus(19)).toEqual({ kind: 'wait' });
    expect(fglStatus(21)).toMatchObject({ kind: 'error', problem: 'fault', reason: 'illegal print command' });
    expect(fglStatus(99)).toMatchObject({ kind: 'error', reason: 'unknown status 99' });
  });
});

describe('ESC/POS raster', () => {
  it('sends GS v 0 images of at most 200 rows, leftmost dot in the high bit, then feeds and cuts', () => {
    const bitmap = checkerboard(20, 450);
    const bytes = escposPage(bitmap);
    expect([...bytes.subarray(0, 2)]).toEqual([0x1b, 0x40]);
    const bytesPerRow = 3;
    const header = (rows: number) => [0x1d, 0x76, 0x30, 0, bytesPerRow, 0, rows & 0xff, rows >> 8];
    let at = 2;
    for (const rows of [ESCPOS_BAND_ROWS, ESCPOS_BAND_ROWS, 50]) {
      expect([...bytes.subarray(at, at + 8)]).toEqual(header(rows));
      at += 8 + bytesPerRow * rows;
    }
    // Row 0 of the checkerboard: dots at odd columns -> 0b01010101; row 1 the other way round.
    expect(bytes[2 + 8]).toBe(0b0101_0101);
    expect(bytes[2 + 8 + bytesPerRow]).toBe(0b1010_1010);
    expect([...bytes.subarray(at)]).toEqual([0x1b, 0x64, 5, 0x1d, 0x56, 0x31]);
  });

  it("reads the paper sensor's answer", () => {
    expect(escposPaperStatus(0x12)).toEqual({ kind: 'ok', low: false });
    expect(escposPaperStatus(0x12 | 0x0c)).toEqual({ kind: 'ok', low: true });
    expect(escposPaperStatus(0x12 | 0x60)).toMatchObject({ kind: 'error', reason: 'out of paper' });
  });
});
