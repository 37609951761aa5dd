import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { performance } from 'node:perf_hooks';
import { PassThrough, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { registerTicketFonts, splitIntoRuns, ticketFonts, type TextRun, type TicketFont } from './fonts';
import { defaultLayout, paperSize, type LayoutElement, type TextElement, type TicketLayout } from './layout';
import { fillPlaceholders, sampleTicket, type TicketData } from './ticket-data';

/** Line spacing as a multiple of the font size. */
const LINE_HEIGHT = 1.25;

/** PDF points per millimetre. */
const MM = 72 / 25.4;

export interface RenderAssets {
  /** The event's logo (PNG or JPEG), printed by `image` elements whose source is `logo`. */
  logo?: Buffer | null;
}

export type LayoutResolver = (ticket: TicketData) => TicketLayout;

export interface StreamOptions {
  layoutFor: LayoutResolver;
  assets?: RenderAssets;
  title?: string;
  /** Called after each ticket with the number rendered so far. */
  onProgress?: (done: number) => void;
  /** Polled between tickets; when it answers true the export stops and reports `canceled`. */
  isCanceled?: () => boolean;
  /**
   * Keep pdfkit's shaping of each distinct word for the whole document, so a word measured for line
   * breaking is not shaped again when drawn. It grows with the distinct words (names and secrets are all
   * distinct), so only for documents that are held in memory anyway.
   */
  shapingCache?: boolean;
}

type Doc = PDFKit.PDFDocument;

function newDocument(title: string, shapingCache: boolean): Doc {
  const doc = new PDFDocument({
    autoFirstPage: false,
    compress: true,
    fontLayoutCache: shapingCache,
    // No Helvetica: pdfkit would read its metrics for every document, and every text here names its font.
    // pdfkit skips the default font when this is null; its types know only font names.
    font: null as unknown as string,
    info: { Title: title, Producer: 'Guichet', Creator: 'Guichet' },
  });
  const fonts = ticketFonts();
  registerTicketFonts(doc, [...fonts.regular, ...fonts.bold]);
  return doc;
}

/** Draws one ticket on a new page of `doc`. */
export function addTicketPage(
  doc: Doc,
  layout: TicketLayout,
  ticket: TicketData,
  assets: RenderAssets = {},
): void {
  const { width, height } = paperSize(layout);
  doc.addPage({ size: [width * MM, height * MM], margin: 0 });
  for (const element of layout.elements) drawElement(doc, element, ticket, assets);
  const marks = ticket.marks ?? [];
  if (
    marks.length > 0 &&
    !layout.elements.some((e) => e.type === 'text' && e.content.includes('{print_marks}'))
  ) {
    drawMarksBand(doc, marks.join(' · '), width * MM);
  }
}

/** A layout without a `{print_marks}` box still shows REPRINT or NOT PAID: white on a black band on top. */
function drawMarksBand(doc: Doc, text: string, pageWidth: number): void {
  const height = 4.5 * MM;
  doc.save();
  doc.rect(0, 0, pageWidth, height).fill('#000000');
  doc.fillColor('#ffffff').font(ticketFonts().bold[0]!.name).fontSize(9);
  const width = doc.widthOfString(text);
  doc.text(text, Math.max(0, (pageWidth - width) / 2), 1 * MM, { lineBreak: false });
  doc.restore();
}

function drawElement(doc: Doc, el: LayoutElement, ticket: TicketData, assets: RenderAssets): void {
  switch (el.type) {
    case 'text':
      drawText(doc, el, fillPlaceholders(el.content, ticket));
      return;
    case 'qrcode':
      drawQrCode(doc, ticket.position.secret, el.x * MM, el.y * MM, el.size * MM);
      return;
    case 'image': {
      const src = el.source === 'logo' ? logoDataUrl(assets.logo) : el.source;
      if (!src || !src.startsWith('data:image/')) return;
      try {
        doc.image(src, el.x * MM, el.y * MM, {
          fit: [el.width * MM, el.height * MM],
          align: 'center',
          valign: 'center',
        });
      } catch {
        // An unreadable image leaves its box empty rather than losing the ticket.
      }
      return;
    }
    case 'rect': {
      doc.save();
      doc.lineWidth((el.lineWidth ?? 0.5) * MM * 0.5);
      if (el.radius) doc.roundedRect(el.x * MM, el.y * MM, el.width * MM, el.height * MM, el.radius * MM);
      else doc.rect(el.x * MM, el.y * MM, el.width * MM, el.height * MM);
      if (el.fill && el.stroke) doc.fillAndStroke(el.fill, el.stroke);
      else if (el.fill) doc.fill(el.fill);
      else doc.stroke(el.stroke ?? '#000000');
      doc.restore();
      return;
    }
    case 'line': {
      doc.save();
      doc.lineWidth((el.lineWidth ?? 0.5) * MM * 0.5);
      if (el.dash) doc.dash(el.dash * MM, { space: el.dash * MM });
      doc
        .moveTo(el.x1 * MM, el.y1 * MM)
        .lineTo(el.x2 * MM, el.y2 * MM)
        .stroke(el.color ?? '#000000');
      doc.restore();
      return;
    }
  }
}

const logoUrls = new WeakMap<Buffer, string>();

/** pdfkit caches images by their string source, so a logo is embedded once per document. */
function logoDataUrl(logo: Buffer | null | undefined): string | undefined {
  if (!logo) return undefined;
  let url = logoUrls.get(logo);
  if (!url) {
    const isPng = logo.subarray(0, 4).toString('hex') === '89504e47';
    url = `data:image/${isPng ? 'png' : 'jpeg'};base64,${logo.toString('base64')}`;
    logoUrls.set(logo, url);
  }
  return url;
}

/** A piece of a line: text in one font, measured. */
interface Piece {
  font: TicketFont;
  text: string;
  width: number;
}

function measure(doc: Doc, run: TextRun, size: number): number {
  return doc.font(run.font.name).fontSize(size).widthOfString(run.text);
}

/**
 * Breaks runs into words (and single characters of scripts written without spaces), so a line can wrap
 * anywhere a word ends, whatever font each part is set in.
 */
function words(runs: TextRun[]): TextRun[] {
  const out: TextRun[] = [];
  for (const run of runs) {
    for (const token of run.text.match(
      /\s+|[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+/g,
    ) ?? []) {
      out.push({ font: run.font, text: token });
    }
  }
  return out;
}

function layoutLines(doc: Doc, runs: TextRun[], size: number, maxWidth: number): Piece[][] {
  const lines: Piece[][] = [[]];
  let lineWidth = 0;
  for (const word of words(runs)) {
    const width = measure(doc, word, size);
    const isSpace = /^\s+$/.test(word.text);
    const line = lines[lines.length - 1]!;
    if (lineWidth + width > maxWidth && line.length > 0 && !isSpace) {
      while (line.length > 0 && /^\s+$/.test(line[line.length - 1]!.text)) line.pop();
      lines.push([{ ...word, width }]);
      lineWidth = width;
      continue;
    }
    if (isSpace && line.length === 0) continue;
    const last = line[line.length - 1];
    if (last && last.font === word.font) {
      last.text += word.text;
      last.width += width;
    } else line.push({ ...word, width });
    lineWidth += width;
  }
  return lines.filter((l) => l.length > 0);
}

function drawText(doc: Doc, el: TextElement, text: string): void {
  if (text === '') return;
  const fonts = el.bold ? ticketFonts().bold : ticketFonts().regular;
  const runs = splitIntoRuns(text, fonts);
  const maxWidth = el.width * MM;
  const boxHeight = el.height === undefined ? null : el.height * MM;
  let size = el.fontSize;
  if (el.autoShrink) {
    const minSize = el.fontSize / 3;
    if (boxHeight !== null) {
      // In a box: shrink until the wrapped lines fit its height and no word is wider than it.
      const fits = (s: number) => {
        const lines = layoutLines(doc, runs, s, maxWidth);
        const widest = Math.max(0, ...lines.map((l) => l.reduce((sum, p) => sum + p.width, 0)));
        return lines.length * s * LINE_HEIGHT <= boxHeight + 0.01 && widest <= maxWidth + 0.01;
      };
      while (size > minSize && !fits(size)) size = Math.max(minSize, size * 0.92);
    } else {
      // One line: shrink until it fits, then let it wrap if even a third of the size is too wide.
      const total = (s: number) => runs.reduce((sum, r) => sum + measure(doc, r, s), 0);
      while (size > minSize && total(size) > maxWidth) size = Math.max(minSize, size * 0.92);
    }
  }
  const lineHeight = size * LINE_HEIGHT;
  let lines = layoutLines(doc, runs, size, maxWidth);
  // Never below the box: the lines that do not fit are left out.
  if (boxHeight !== null) lines = lines.slice(0, Math.max(1, Math.floor((boxHeight + 0.01) / lineHeight)));
  if (lines.length === 0) return;
  doc.save();
  doc.fillColor(el.color ?? '#000000');
  lines.forEach((line, index) => {
    const lineWidth = line.reduce((sum, p) => sum + p.width, 0);
    let x = el.x * MM;
    if (el.align === 'center') x += (maxWidth - lineWidth) / 2;
    else if (el.align === 'right') x += maxWidth - lineWidth;
    const y = el.y * MM + index * lineHeight;
    for (const piece of line) {
      doc.font(piece.font.name).fontSize(size).text(piece.text, x, y, { lineBreak: false });
      x += piece.width;
    }
  });
  doc.restore();
}

/** The QR code of the ticket secret as vector squares, with a two-module quiet zone inside `size`. */
function drawQrCode(doc: Doc, secret: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(secret, { errorCorrectionLevel: 'M' });
  const count = qr.modules.size;
  const quiet = 2;
  const unit = size / (count + 2 * quiet);
  doc.save();
  doc.rect(x, y, size, size).fill('#ffffff');
  for (let row = 0; row < count; row++) {
    let col = 0;
    while (col < count) {
      if (!qr.modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < count && qr.modules.get(row, col)) col++;
      // Runs of dark modules become one rectangle; the slight overlap avoids hairline gaps when rasterised.
      doc.rect(
        x + (quiet + start) * unit,
        y + (quiet + row) * unit,
        (col - start) * unit + 0.01,
        unit + 0.01,
      );
    }
  }
  doc.fill('#000000');
  doc.restore();
}

/**
 * Renders tickets into one PDF written to `out` as it goes: each page is flushed when the next begins
 * and the writer waits while the destination is behind, so memory stays flat however many tickets there
 * are. Yields to the event loop between tickets, so a cancel request is seen promptly.
 */
export async function writeTicketsPdf(
  tickets: Iterable<TicketData> | AsyncIterable<TicketData>,
  out: Writable,
  options: StreamOptions,
): Promise<{ count: number; canceled: boolean }> {
  const doc = newDocument(options.title ?? 'Tickets', options.shapingCache ?? false);
  doc.pipe(out);
  const done = finished(out);
  // A canceled or failed export destroys `out`; its premature close is expected then.
  const closed = done.catch(() => undefined);
  let count = 0;
  let canceled = false;
  try {
    for await (const ticket of tickets) {
      if (options.isCanceled?.()) {
        canceled = true;
        break;
      }
      addTicketPage(doc, options.layoutFor(ticket), ticket, options.assets);
      count++;
      options.onProgress?.(count);
      // Let the pipe move finished pages to the destination before rendering more.
      while (doc.readableLength > 1 << 20) await new Promise((resolve) => setTimeout(resolve, 2));
      if (count % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    if (count === 0 && !canceled) {
      doc.addPage({ size: 'A4', margin: 50 });
      doc.font('latin').fontSize(14).text('No tickets.');
    }
  } catch (e) {
    doc.unpipe(out);
    out.destroy();
    await closed;
    throw e;
  }
  if (canceled) {
    doc.unpipe(out);
    out.destroy();
    await closed;
    return { count, canceled };
  }
  doc.end();
  await done;
  return { count, canceled };
}

/** Renders tickets into one PDF in memory (a download, a print job of one order). */
export async function renderTicketsPdf(
  tickets: Iterable<TicketData>,
  layoutFor: LayoutResolver,
  options: { assets?: RenderAssets; title?: string } = {},
): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  await writeTicketsPdf(tickets, sink, { layoutFor, ...options, shapingCache: true });
  return Buffer.concat(chunks);
}

let prepared: Promise<void> | undefined;
let preparation: 'not started' | 'under way' | 'done' = 'not started';

/** Where the background preparation of ticket rendering stands (`prepareTicketRendering`). */
export function ticketRenderingPreparation(): typeof preparation {
  return preparation;
}

/** How long the event loop must have been (nearly) free before the next step of the preparation. */
const QUIET_MS = 50;
/** A process that is never that free (a profiler counts as busy) goes on after this many tries. */
const QUIET_TRIES = 40;

/** Resolves once the process has served nothing for a moment, so a step does not delay a request. */
async function whenQuiet(): Promise<void> {
  for (let tries = 0; tries < QUIET_TRIES; tries++) {
    const before = performance.eventLoopUtilization();
    // Unref'd: a server that closes meanwhile is not kept waiting for a preparation it no longer needs.
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS).unref());
    if (performance.eventLoopUtilization(before).utilization < 0.1) return;
  }
}

/** A document of `text` in `font`, ended into nothing: pdfkit reads the tables it embeds from. */
async function embedOnce(font: TicketFont, text: string): Promise<void> {
  const doc = newDocument('', false);
  doc.addPage({ size: 'A6', margin: 0 });
  doc.font(font.name).fontSize(10).text(text, 0, 0, { lineBreak: false });
  const sink = new PassThrough().resume();
  doc.pipe(sink);
  doc.end();
  await finished(sink);
}

/**
 * Readies ticket rendering in the background right after start, so the first sale does not pay for it
 * (~250 ms of CPU): fontkit reads a font's shaping and glyph tables the first time text is shaped and
 * embedded, and the date formats and QR encoder have their own first use. In steps of well under 100 ms,
 * each when the process has been idle for a moment; a sale meanwhile simply renders its own tickets with
 * the same fonts. Settles once and never with an error (a sale reports its own).
 */
export function prepareTicketRendering(): Promise<void> {
  prepared ??= (async () => {
    preparation = 'under way';
    try {
      await whenQuiet();
      const fonts = ticketFonts();
      const sample = sampleTicket();
      const layout = defaultLayout();
      const words = `${sample.event.name} ${sample.event.location} ${sample.position.attendeeName} 0123456789 €`;
      for (const font of [fonts.regular[0]!, fonts.bold[0]!]) {
        await whenQuiet();
        font.face.layout(words);
        await whenQuiet();
        await embedOnce(font, words);
      }
      await whenQuiet();
      for (const element of layout.elements)
        if (element.type === 'text') fillPlaceholders(element.content, sample);
      QRCode.create(sample.position.secret, { errorCorrectionLevel: 'M' });
      await whenQuiet();
      await renderTicketsPdf([sample], () => layout);
    } catch {
      // Nothing is lost: the first sale's own rendering does the same work and reports what fails.
    }
    preparation = 'done';
  })();
  return prepared;
}
