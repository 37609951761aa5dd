// Draws PDFs to pixels without any system program: pdfjs-dist parses and draws them, onto the @napi-rs/canvas
// that pdfjs itself loads (`doc.canvasFactory`), so the canvas always matches the version pdfjs expects.
// Used by raster printers (a ticket at the printer's dpi, as 1-bit bitmaps), by
// `guichet ticket-preview --png` (RGBA pixels, PNG) and by tests that read QR codes back.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/types/src/display/api';
import { PNG } from 'pngjs';

/** One page as pixels: `data` holds width × height RGBA quadruplets, row by row from the top left. */
export interface RasterPage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

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

/** The part of pdfjs's canvas factory used here (pdfjs types it as a bare Object). */
interface CanvasAndContext {
  canvas: unknown;
  context: {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  };
}
interface CanvasFactory {
  create(width: number, height: number): CanvasAndContext;
  destroy(canvasAndContext: CanvasAndContext): void;
}

// pdfjs-dist's data folders (fonts it does not find embedded, CJK character maps, its wasm decoders), as
// folder paths with a trailing slash: its Node readers hand them to fs as they are (no file: URLs).
const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const dataFolder = (name: string) => `${join(pdfjsRoot, name)}/`;

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

/** Opens a PDF with pdfjs (its Node build, loaded on first use). Call `destroy()` on the result when done. */
export async function openPdf(pdf: Uint8Array): Promise<PDFDocumentProxy> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  const { getDocument } = await pdfjs;
  // pdfjs takes ownership of (and detaches) the buffer it is given: hand it a copy.
  return getDocument({
    data: new Uint8Array(pdf),
    standardFontDataUrl: dataFolder('standard_fonts'),
    cMapUrl: dataFolder('cmaps'),
    cMapPacked: true,
    wasmUrl: dataFolder('wasm'),
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

/** Draws a page at `scale` (pixels per point) on white; the size is rounded down to whole pixels. */
async function drawPage(doc: PDFDocumentProxy, page: PDFPageProxy, scale: number): Promise<RasterPage> {
  const viewport = page.getViewport({ scale });
  const width = Math.max(1, Math.floor(viewport.width));
  const height = Math.max(1, Math.floor(viewport.height));
  const factory = doc.canvasFactory as CanvasFactory;
  const target = factory.create(width, height);
  try {
    await page.render({
      canvas: target.canvas as HTMLCanvasElement,
      canvasContext: target.context as unknown as CanvasRenderingContext2D,
      viewport,
      background: '#ffffff',
    }).promise;
    const { data } = target.context.getImageData(0, 0, width, height);
    return { width, height, data: new Uint8ClampedArray(data) };
  } finally {
    factory.destroy(target);
  }
}

function checkDpi(dpi: number): void {
  if (!(dpi > 0 && dpi <= 2400)) throw new RangeError(`Cannot render at ${dpi} dpi.`);
}

/** Draws one page (0-based) of an open document at `dpi` dots per inch, on white. */
export async function rasterizeOpenPage(
  doc: PDFDocumentProxy,
  pageIndex: number,
  dpi: number,
): Promise<RasterPage> {
  if (!Number.isInteger(pageIndex) || pageIndex < 0 || pageIndex >= doc.numPages)
    throw new RangeError(`The PDF has ${doc.numPages} page(s); there is no page index ${pageIndex}.`);
  checkDpi(dpi);
  const page = await doc.getPage(pageIndex + 1);
  try {
    return await drawPage(doc, page, dpi / 72);
  } finally {
    page.cleanup();
  }
}

/**
 * One page of a PDF as RGBA pixels at `dpi` dots per inch (a page of W points becomes W × dpi / 72 pixels
 * wide, rounded down). `pageIndex` counts from 0. Throws a RangeError for a page the PDF does not have.
 */
export async function rasterizePdfPage(pdf: Uint8Array, pageIndex: number, dpi: number): Promise<RasterPage> {
  const doc = await openPdf(pdf);
  try {
    return await rasterizeOpenPage(doc, pageIndex, dpi);
  } finally {
    await doc.destroy();
  }
}

/** Encodes pixels as a PNG file (RGBA, 8 bits per channel). */
export function encodePng(page: RasterPage): Buffer {
  const png = new PNG({ width: page.width, height: page.height });
  Buffer.from(page.data.buffer, page.data.byteOffset, page.data.byteLength).copy(png.data);
  return PNG.sync.write(png);
}

/** One page of a PDF as a PNG file at `dpi`. */
export async function pdfPageToPng(pdf: Uint8Array, pageIndex: number, dpi: number): Promise<Buffer> {
  return encodePng(await rasterizePdfPage(pdf, pageIndex, dpi));
}

/** Black where a pixel's luminance (ITU-R BT.601) is at or below the threshold. Pixels are opaque (drawn on white). */
export function toBitmap(page: RasterPage, threshold = BLACK_THRESHOLD): Bitmap {
  const { width, height, data } = page;
  const dots = new Uint8Array(width * height);
  for (let i = 0, p = 0; p < dots.length; i += 4, p++) {
    const luminance = (data[i]! * 299 + data[i + 1]! * 587 + data[i + 2]! * 114) / 1000;
    dots[p] = luminance <= threshold ? 1 : 0;
  }
  return { width, height, dots };
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
 * Rasterises the pages of a PDF at `dpi` into 1-bit bitmaps, one at a time, in-process: no system tools.
 * A page prints black where its luminance is at or below the threshold.
 */
export async function* rasterizePages(
  pdf: Uint8Array,
  options: RasterOptions,
): AsyncGenerator<{ bitmap: Bitmap; index: number; count: number }> {
  checkDpi(options.dpi);
  const doc = await openPdf(pdf);
  try {
    for (let n = (options.firstPage ?? 0) + 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      try {
        let scale = options.dpi / 72;
        const natural = page.getViewport({ scale });
        if (options.maxWidthDots && natural.width > options.maxWidthDots) {
          scale *= options.maxWidthDots / natural.width;
        }
        const bitmap = toBitmap(await drawPage(doc, page, scale), options.threshold);
        yield { bitmap, index: n - 1, count: doc.numPages };
      } finally {
        page.cleanup();
      }
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
