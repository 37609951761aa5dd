import PDFDocument from 'pdfkit';
import { registerTicketFonts, ticketFonts } from '../tickets/fonts';

/**
 * Receipts and X/Z reports are slips: a column of titled sections, label–amount rows and small tables.
 * The same slip renders on an 80 mm roll (one page as long as the content) or on A4 pages.
 */
export type SlipPaper = 'a4' | '80mm';

export type SlipRow =
  | { kind: 'title'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'text'; text: string; bold?: boolean; small?: boolean }
  | { kind: 'pair'; label: string; value: string; bold?: boolean }
  | { kind: 'table'; columns: { title: string; align?: 'left' | 'right'; width: number }[]; rows: string[][] }
  | { kind: 'rule' }
  | { kind: 'space' };

const MM = 72 / 25.4;

interface Geometry {
  width: number;
  margin: number;
  size: { title: number; heading: number; text: number; small: number };
}

const GEOMETRY: Record<SlipPaper, Geometry> = {
  '80mm': { width: 80 * MM, margin: 4 * MM, size: { title: 11, heading: 8.5, text: 7.5, small: 6 } },
  a4: { width: 210 * MM, margin: 20 * MM, size: { title: 18, heading: 12, text: 10, small: 8 } },
};

const A4_HEIGHT = 297 * MM;

type Doc = PDFKit.PDFDocument;

function lineHeight(size: number): number {
  return size * 1.35;
}

/** Draws the rows from the top of the current page; returns the y where the content ends. */
function drawRows(
  doc: Doc,
  rows: SlipRow[],
  g: Geometry,
  pageBreak: (y: number, need: number) => number,
): number {
  const inner = g.width - 2 * g.margin;
  let y = g.margin;
  const text = (
    s: string,
    x: number,
    yy: number,
    width: number,
    align: 'left' | 'right' | 'center',
    size: number,
    bold = false,
  ) => {
    doc
      .font(bold ? 'latin-bold' : 'latin')
      .fontSize(size)
      .text(s, x, yy, { width, align, lineBreak: true });
  };
  for (const row of rows) {
    switch (row.kind) {
      case 'title': {
        y = pageBreak(y, lineHeight(g.size.title) * 2);
        doc.font('latin-bold').fontSize(g.size.title);
        const h = doc.heightOfString(row.text, { width: inner, align: 'center' });
        text(row.text, g.margin, y, inner, 'center', g.size.title, true);
        y += h + 2;
        break;
      }
      case 'heading': {
        y = pageBreak(y + 4, lineHeight(g.size.heading) * 2);
        text(row.text, g.margin, y, inner, 'left', g.size.heading, true);
        y += lineHeight(g.size.heading);
        break;
      }
      case 'text': {
        const size = row.small ? g.size.small : g.size.text;
        doc.font(row.bold ? 'latin-bold' : 'latin').fontSize(size);
        const h = doc.heightOfString(row.text, { width: inner });
        y = pageBreak(y, h);
        text(row.text, g.margin, y, inner, 'left', size, row.bold);
        y += h;
        break;
      }
      case 'pair': {
        const size = g.size.text;
        y = pageBreak(y, lineHeight(size));
        text(row.label, g.margin, y, inner * 0.65, 'left', size, row.bold);
        text(row.value, g.margin + inner * 0.55, y, inner * 0.45, 'right', size, row.bold);
        y += lineHeight(size);
        break;
      }
      case 'table': {
        const size = g.size.text;
        const total = row.columns.reduce((s, c) => s + c.width, 0);
        const widths = row.columns.map((c) => (c.width / total) * inner);
        const drawLine = (cells: string[], bold: boolean) => {
          doc.font(bold ? 'latin-bold' : 'latin').fontSize(size);
          const h = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i]! - 2 })));
          y = pageBreak(y, h);
          let x = g.margin;
          cells.forEach((c, i) => {
            text(c, x, y, widths[i]! - 2, row.columns[i]!.align ?? 'left', size, bold);
            x += widths[i]!;
          });
          y += h + 1;
        };
        drawLine(
          row.columns.map((c) => c.title),
          true,
        );
        for (const cells of row.rows) drawLine(cells, false);
        break;
      }
      case 'rule': {
        y = pageBreak(y + 2, 4);
        doc
          .moveTo(g.margin, y)
          .lineTo(g.width - g.margin, y)
          .lineWidth(0.5)
          .strokeColor('#000')
          .stroke();
        y += 4;
        break;
      }
      case 'space':
        y += lineHeight(g.size.text) / 2;
        break;
    }
  }
  return y + g.margin;
}

function newDoc(title: string): Doc {
  const doc = new PDFDocument({
    autoFirstPage: false,
    compress: true,
    info: { Title: title, Producer: 'Guichet', Creator: 'Guichet' },
    // No Helvetica, as for tickets: every text of a slip names its font. pdfkit's types know only names.
    font: null as unknown as string,
  });
  const fonts = ticketFonts();
  registerTicketFonts(doc, [fonts.regular[0]!, fonts.bold[0]!]);
  return doc;
}

function collect(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

/** Renders a slip as a PDF: on 80 mm one page exactly as long as the content; on A4 as many pages as needed. */
export async function renderSlipPdf(title: string, rows: SlipRow[], paper: SlipPaper): Promise<Buffer> {
  const g = GEOMETRY[paper];
  if (paper === '80mm') {
    // Measure on a scratch document, then draw on a page of that length.
    const scratch = newDoc(title);
    scratch.addPage({ size: [g.width, 14400], margin: 0 });
    const height = drawRows(scratch, rows, g, (y) => y);
    scratch.end();
    const doc = newDoc(title);
    const done = collect(doc);
    doc.addPage({ size: [g.width, Math.ceil(height)], margin: 0 });
    drawRows(doc, rows, g, (y) => y);
    doc.end();
    return done;
  }
  const doc = newDoc(title);
  const done = collect(doc);
  doc.addPage({ size: 'A4', margin: 0 });
  drawRows(doc, rows, g, (y, need) => {
    if (y + need <= A4_HEIGHT - g.margin) return y;
    doc.addPage({ size: 'A4', margin: 0 });
    return g.margin;
  });
  doc.end();
  return done;
}
