import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** Reads a PDF back the way a person would: its text (poppler's pdftotext), page by page. */
export function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-pdf-'));
  try {
    writeFileSync(join(dir, 't.pdf'), pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 't.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfPageCount(pdf: Buffer): number {
  return pdfText(pdf).split('\f').length - 1;
}

/** Rasterises one page (poppler's pdftoppm) and decodes the QR code on it. */
export function decodeQrOnPage(pdf: Buffer, page = 1, dpi = 150): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-pdf-'));
  try {
    writeFileSync(join(dir, 't.pdf'), pdf);
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      String(dpi),
      '-f',
      String(page),
      '-l',
      String(page),
      '-singlefile',
      join(dir, 't.pdf'),
      join(dir, 'page'),
    ]);
    const png = PNG.sync.read(readFileSync(join(dir, 'page.png')));
    const code = jsQR(
      new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
      png.width,
      png.height,
    );
    return code ? code.data : null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
