import { createCanvas } from '@napi-rs/canvas';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A 1-bit picture as printers take it: one byte per pixel (1 = black) in rows, top to bottom. Kept
 * unpacked so protocols can pack bits in their own order (FGL by columns of 8 rows, ESC/POS by rows).
 */
export interface Bitmap {
  width: number;
  height: number;
  /** width * height bytes, 1 for a black dot. */
  dots: Uint8Array;
}

export function blankBitmap(width: number, height: number): Bitmap {
  return { width, height, dots: new Uint8Array(width * height) };
}

/** Luminance at or below which a pixel prints black; mid-grey keeps QR modules crisp at 200 dpi. */
export const BLACK_THRESHOLD = 127;

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;
const require = createRequire(import.meta.url);

function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs;
}

function standardFontsUrl(): string {
  const root = dirname(require.resolve('pdfjs-dist/package.json'));
  return pathToFileURL(join(root, 'standard_fonts') + '/').href;
}

async function openPdf(pdf: Uint8Array) {
  const { getDocument } = await loadPdfJs();
  return getDocument({
    data: new Uint8Array(pdf),
    standardFontDataUrl: standardFontsUrl(),
    disableFontFace: true,
    useSystemFonts: false,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
}

export async function countPdfPages(pdf: Uint8Array): Promise<number> {
  const doc = await openPdf(pdf);
  try {
    return doc.numPages;
  } finally {
    await doc.destroy();
  }
}

export interface RasterOptions {
  dpi: number;
  /** A page wider than this many dots is scaled down to it (the print head's width), keeping proportions. */
  maxWidthDots?: number;
  threshold?: number;
  /** Skip the pages before this one (0-based): a job resumed after its acknowledged pages. */
  firstPage?: number;
}

/**
 * Rasterises the pages of a PDF at `dpi` into 1-bit bitmaps, one at a time, with pdf.js drawing on a
 * Skia canvas (@napi-rs/canvas), in-process: no system tools. A page prints black where its luminance
 * is at or below the threshold.
 */
export async function* rasterizePages(
  pdf: Uint8Array,
  options: RasterOptions,
): AsyncGenerator<{ bitmap: Bitmap; index: number; count: number }> {
  const doc = await openPdf(pdf);
  const threshold = options.threshold ?? BLACK_THRESHOLD;
  try {
    for (let n = (options.firstPage ?? 0) + 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      let scale = options.dpi / 72;
      const natural = page.getViewport({ scale });
      if (options.maxWidthDots && natural.width > options.maxWidthDots) {
        scale *= options.maxWidthDots / natural.width;
      }
      const viewport = page.getViewport({ scale });
      const width = Math.floor(viewport.width);
      const height = Math.floor(viewport.height);
      const canvas = createCanvas(width, height);
      const context = canvas.getContext('2d');
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, width, height);
      await page.render({
        canvas: canvas as unknown as HTMLCanvasElement,
        canvasContext: context as unknown as CanvasRenderingContext2D,
        viewport,
      }).promise;
      const rgba = context.getImageData(0, 0, width, height).data;
      const dots = new Uint8Array(width * height);
      for (let i = 0, p = 0; p < dots.length; i += 4, p++) {
        // ITU-R BT.601 luminance; the canvas was filled white, so every pixel is opaque.
        const luminance = (rgba[i]! * 299 + rgba[i + 1]! * 587 + rgba[i + 2]! * 114) / 1000;
        dots[p] = luminance <= threshold ? 1 : 0;
      }
      page.cleanup();
      yield { bitmap: { width, height, dots }, index: n - 1, count: doc.numPages };
    }
  } finally {
    await doc.destroy();
  }
}

/** Every page of a PDF as bitmaps (previews, tests). */
export async function rasterizePdf(pdf: Uint8Array, options: RasterOptions): Promise<Bitmap[]> {
  const pages: Bitmap[] = [];
  for await (const { bitmap } of rasterizePages(pdf, options)) pages.push(bitmap);
  return pages;
}
