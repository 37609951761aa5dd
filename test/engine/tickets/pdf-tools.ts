import jsQR from 'jsqr';
import type { TextItem } from 'pdfjs-dist/types/src/display/api';
import { countPdfPages, openPdf, rasterizePdfPage } from '../../../main/printing/rasterize';

/**
 * Reads a PDF back the way a person would: its text, page by page (pdfjs-dist). Like poppler's pdftotext:
 * lines end in "\n", every page ends in "\f".
 */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  const doc = await openPdf(pdf);
  try {
    let text = '';
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      for (const item of content.items) {
        if (!('str' in item)) continue;
        const run = item as TextItem;
        text += run.str + (run.hasEOL ? '\n' : '');
      }
      if (!text.endsWith('\n')) text += '\n';
      text += '\f';
      page.cleanup();
    }
    return text;
  } finally {
    await doc.destroy();
  }
}

export const pdfPageCount = countPdfPages;

/** Rasterises one page (1-based, as printed) and decodes the QR code on it. */
export async function decodeQrOnPage(pdf: Uint8Array, page = 1, dpi = 150): Promise<string | null> {
  const { width, height, data } = await rasterizePdfPage(pdf, page - 1, dpi);
  const code = jsQR(data, width, height);
  return code ? code.data : null;
}
