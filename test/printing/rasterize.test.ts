import PDFDocument from 'pdfkit';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { encodePng, rasterizePdfPage } from '../../main/printing/rasterize';

/** A two-page PDF: page 1 is 72 × 144 pt with a black 36 × 36 pt square at its top left; page 2 is blank. */
function squarePdf(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: [72, 144], margin: 0 });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.rect(0, 0, 36, 36).fill('#000000');
    doc.addPage({ size: [144, 72], margin: 0 });
    doc.end();
  });
}

function pixel(page: { width: number; data: Uint8ClampedArray }, x: number, y: number): number[] {
  const at = (y * page.width + x) * 4;
  return Array.from(page.data.subarray(at, at + 4));
}

describe('rasterising a PDF page', () => {
  it('draws a page at the given dpi, on white, with what is drawn where it is', async () => {
    const pdf = await squarePdf();
    const page = await rasterizePdfPage(pdf, 0, 203);
    expect(page).toMatchObject({ width: 203, height: 406 });
    expect(page.data).toHaveLength(203 * 406 * 4);
    expect(pixel(page, 10, 10)).toEqual([0, 0, 0, 255]);
    expect(pixel(page, 90, 90)).toEqual([0, 0, 0, 255]);
    expect(pixel(page, 110, 10)).toEqual([255, 255, 255, 255]);
    expect(pixel(page, 10, 300)).toEqual([255, 255, 255, 255]);
    const second = await rasterizePdfPage(pdf, 1, 72);
    expect(second).toMatchObject({ width: 144, height: 72 });
    expect(pixel(second, 0, 0)).toEqual([255, 255, 255, 255]);
  });

  it('refuses a page the PDF does not have, or a nonsense resolution', async () => {
    const pdf = await squarePdf();
    await expect(rasterizePdfPage(pdf, 2, 150)).rejects.toThrow('has 2 page(s)');
    await expect(rasterizePdfPage(pdf, -1, 150)).rejects.toThrow(RangeError);
    await expect(rasterizePdfPage(pdf, 0, 0)).rejects.toThrow(RangeError);
  });

  it("leaves the caller's bytes intact, so the same PDF can be drawn twice", async () => {
    const pdf = await squarePdf();
    const copy = Buffer.from(pdf);
    await rasterizePdfPage(pdf, 0, 50);
    expect(pdf.equals(copy)).toBe(true);
    expect((await rasterizePdfPage(pdf, 0, 50)).width).toBe(50);
  });

  it('encodes the pixels as a PNG that reads back the same', async () => {
    const page = await rasterizePdfPage(await squarePdf(), 0, 100);
    const png = PNG.sync.read(encodePng(page));
    expect([png.width, png.height]).toEqual([page.width, page.height]);
    expect(Buffer.from(png.data).equals(Buffer.from(page.data))).toBe(true);
  });
});
