import { z } from 'zod';
import type { JsonValue } from '../json';

/**
 * A ticket layout is data: a paper and a list of positioned elements. Positions and sizes are in
 * millimetres from the top-left corner of the page; font sizes are in points. Text may hold placeholders
 * such as `{event_name}` (see placeholders.ts).
 */

export const PAPER_SIZES = {
  a4: { width: 210, height: 297, label: 'A4' },
  letter: { width: 215.9, height: 279.4, label: 'US Letter' },
  /** One ticket cut from an 80 mm receipt roll. */
  '80mm': { width: 80, height: 150, label: '80 mm receipt roll' },
  /** Fanfold thermal ticket stock, 2 x 5.5 in, printed landscape. */
  'thermal-2x5.5in': { width: 139.7, height: 50.8, label: '2 x 5.5 in thermal ticket' },
} as const;

export type PaperName = keyof typeof PAPER_SIZES;
export const PAPER_NAMES = Object.keys(PAPER_SIZES) as PaperName[];

const mm = z.number().finite().min(-1000).max(5000);
const color = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/)
  .optional();

const textElement = z.object({
  type: z.literal('text'),
  x: mm,
  y: mm,
  width: mm.refine((v) => v > 0, 'must be positive'),
  content: z.string().max(2000),
  fontSize: z.number().min(2).max(200),
  bold: z.boolean().optional(),
  align: z.enum(['left', 'center', 'right']).optional(),
  color,
  /**
   * The box's height: text never runs below it. With `autoShrink` the font shrinks (down to a third of
   * fontSize) until the wrapped text fits the box, as pretix's text container with autoresize does;
   * without, lines that do not fit are left out.
   */
  height: mm.refine((v) => v > 0, 'must be positive').optional(),
  /** Shrink the font, down to a third of fontSize, until the text fits on one line (or in its box). */
  autoShrink: z.boolean().optional(),
});

const qrElement = z.object({
  type: z.literal('qrcode'),
  x: mm,
  y: mm,
  size: mm.refine((v) => v > 0, 'must be positive'),
});

const imageElement = z.object({
  type: z.literal('image'),
  x: mm,
  y: mm,
  width: mm.refine((v) => v > 0, 'must be positive'),
  height: mm.refine((v) => v > 0, 'must be positive'),
  /** `logo` is the event's logo given to the renderer; otherwise a `data:image/png;base64,...` URL. */
  source: z.string().max(5_000_000),
});

const rectElement = z.object({
  type: z.literal('rect'),
  x: mm,
  y: mm,
  width: mm,
  height: mm,
  stroke: color,
  fill: color,
  lineWidth: z.number().min(0).max(20).optional(),
  radius: z.number().min(0).max(50).optional(),
});

const lineElement = z.object({
  type: z.literal('line'),
  x1: mm,
  y1: mm,
  x2: mm,
  y2: mm,
  color,
  lineWidth: z.number().min(0).max(20).optional(),
  dash: z.number().min(0).max(50).optional(),
});

export const layoutElementSchema = z.discriminatedUnion('type', [
  textElement,
  qrElement,
  imageElement,
  rectElement,
  lineElement,
]);

export const ticketLayoutSchema = z.object({
  name: z.string().min(1).max(200),
  paper: z.union([
    z.enum(PAPER_NAMES as [PaperName, ...PaperName[]]),
    z.object({ width: mm.refine((v) => v > 0), height: mm.refine((v) => v > 0) }),
  ]),
  elements: z.array(layoutElementSchema).max(500),
});

export type LayoutElement = z.infer<typeof layoutElementSchema>;
export type TextElement = z.infer<typeof textElement>;
export type TicketLayout = z.infer<typeof ticketLayoutSchema>;

/** Parses a layout from untrusted JSON (a file, a stored row); the error names the first bad field. */
export function parseTicketLayout(value: JsonValue): TicketLayout {
  const result = ticketLayoutSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new Error(`Invalid ticket layout at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/** Page size in millimetres. */
export function paperSize(layout: TicketLayout): { width: number; height: number } {
  if (typeof layout.paper === 'string') {
    const { width, height } = PAPER_SIZES[layout.paper];
    return { width, height };
  }
  return layout.paper;
}

/**
 * The built-in layout in the spirit of pretix's default ticket: event and product on the left, the QR
 * code of the ticket secret on the right, order details under a rule. Narrow stock stacks everything.
 */
export function defaultLayout(paper: PaperName = 'a4'): TicketLayout {
  if (paper === '80mm') return receiptLayout();
  if (paper === 'thermal-2x5.5in') return thermalLayout();
  const { width } = PAPER_SIZES[paper];
  const left = 15;
  const qrSize = 50;
  const qrX = width - 15 - qrSize;
  const textWidth = qrX - left - 8;
  return {
    name: `Default (${PAPER_SIZES[paper].label})`,
    paper,
    elements: [
      {
        type: 'rect',
        x: 10,
        y: 10,
        width: width - 20,
        height: 120,
        stroke: '#999999',
        lineWidth: 0.5,
        radius: 3,
      },
      {
        type: 'text',
        x: left,
        y: 17,
        width: textWidth,
        content: '{organizer}',
        fontSize: 9,
        color: '#555555',
      },
      { type: 'text', x: left, y: 24, width: textWidth, content: '{event_name}', fontSize: 20, bold: true },
      { type: 'text', x: left, y: 38, width: textWidth, content: '{event_date}', fontSize: 11 },
      { type: 'text', x: left, y: 45, width: textWidth, content: '{event_location}', fontSize: 11 },
      { type: 'text', x: left, y: 58, width: textWidth, content: '{itemvar}', fontSize: 14, bold: true },
      { type: 'text', x: left, y: 66, width: textWidth, content: '{price}', fontSize: 12 },
      {
        type: 'text',
        x: left,
        y: 78,
        width: textWidth,
        content: '{attendee_name}',
        fontSize: 16,
        autoShrink: true,
      },
      { type: 'text', x: left, y: 87, width: textWidth, content: '{seat}', fontSize: 11 },
      { type: 'qrcode', x: qrX, y: 20, size: qrSize },
      {
        type: 'text',
        x: qrX,
        y: 20 + qrSize + 2,
        width: qrSize,
        content: '{order}-{positionid}',
        fontSize: 10,
        align: 'center',
      },
      { type: 'line', x1: 15, y1: 105, x2: width - 15, y2: 105, color: '#bbbbbb', lineWidth: 0.5, dash: 2 },
      {
        type: 'text',
        x: left,
        y: 110,
        width: width - 30,
        content: 'Order {order} · {order_date} · {addons}',
        fontSize: 9,
        color: '#555555',
      },
      {
        type: 'text',
        x: left,
        y: 118,
        width: width - 30,
        content: 'Admission from {event_admission}. Please bring this ticket printed or on your phone.',
        fontSize: 8,
        color: '#777777',
      },
    ],
  };
}

/** The text boxes of one column of a built-in layout, each made from its `y` and `height` in mm. */
function textColumn(column: Partial<TextElement> & { x: number; width: number }) {
  return (
    y: number,
    height: number,
    content: string,
    fontSize: number,
    extra: Partial<TextElement> = {},
  ): LayoutElement => ({ type: 'text', ...column, y, height, content, fontSize, autoShrink: true, ...extra });
}

/** A centred text box of the 80 mm layout. */
const receiptText = textColumn({ x: 5, width: 70, align: 'center' });

/**
 * 80 mm roll: every text has its own box, one under the other, so a two-day date range, a long event,
 * product or attendee name shrinks or wraps inside its box and never runs into the next line.
 */
function receiptLayout(): TicketLayout {
  const w = 80;
  const qrSize = 46;
  return {
    name: 'Default (80 mm receipt roll)',
    paper: '80mm',
    elements: [
      receiptText(5, 4, '{organizer}', 7),
      receiptText(9.5, 12, '{event_name}', 13, { bold: true }),
      receiptText(22, 7, '{event_date}', 8),
      receiptText(29.5, 6, '{event_location}', 8),
      { type: 'qrcode', x: (w - qrSize) / 2, y: 36, size: qrSize },
      receiptText(84, 6, '{itemvar}', 10, { bold: true }),
      receiptText(90.5, 6, '{attendee_name}', 11),
      receiptText(97, 4.5, '{seat}', 8),
      receiptText(102, 5, '{price}', 10),
      receiptText(107, 4.5, '{print_marks}', 9, { bold: true }),
      { type: 'line', x1: 5, y1: 112, x2: w - 5, y2: 112, lineWidth: 0.5, dash: 1.5 },
      receiptText(114, 4.5, '{order}-{positionid} · {order_date}', 8),
      receiptText(119, 8, '{addons}', 7),
    ],
  };
}

/** A text box of the thermal ticket's left column (88 mm wide). */
const thermalText = textColumn({ x: 5, width: 88 });

/** 2 x 5.5 in thermal stock, landscape: texts in boxes on the left, the QR code right of a dashed rule. */
function thermalLayout(): TicketLayout {
  const qrSize = 38;
  return {
    name: 'Default (2 x 5.5 in thermal ticket)',
    paper: 'thermal-2x5.5in',
    elements: [
      thermalText(3, 7, '{event_name}', 12, { bold: true }),
      thermalText(10.5, 4, '{event_date}', 8),
      thermalText(15, 4, '{event_location}', 8),
      thermalText(20.5, 5, '{itemvar} · {price}', 9, { bold: true }),
      thermalText(26, 6, '{attendee_name}', 10),
      thermalText(32.5, 4, '{seat}', 8),
      thermalText(37, 4.5, '{print_marks}', 9, { bold: true }),
      thermalText(43, 4, '{order}-{positionid}', 8),
      { type: 'line', x1: 96, y1: 3, x2: 96, y2: 48, lineWidth: 0.5, dash: 1.5 },
      { type: 'qrcode', x: 99, y: 6, size: qrSize },
    ],
  };
}
