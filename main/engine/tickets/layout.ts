import { z } from 'zod';

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
  /** Shrink the font, down to a third of fontSize, until the text fits on one line. */
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

/** Parses a layout from untrusted JSON; the error names the first bad field. */
export function parseTicketLayout(value: unknown): TicketLayout {
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

function receiptLayout(): TicketLayout {
  const w = 80;
  const margin = 5;
  const inner = w - 2 * margin;
  const qrSize = 46;
  return {
    name: 'Default (80 mm receipt roll)',
    paper: '80mm',
    elements: [
      { type: 'text', x: margin, y: 5, width: inner, content: '{organizer}', fontSize: 7, align: 'center' },
      {
        type: 'text',
        x: margin,
        y: 10,
        width: inner,
        content: '{event_name}',
        fontSize: 13,
        bold: true,
        align: 'center',
      },
      { type: 'text', x: margin, y: 24, width: inner, content: '{event_date}', fontSize: 8, align: 'center' },
      {
        type: 'text',
        x: margin,
        y: 29,
        width: inner,
        content: '{event_location}',
        fontSize: 8,
        align: 'center',
      },
      { type: 'qrcode', x: (w - qrSize) / 2, y: 36, size: qrSize },
      {
        type: 'text',
        x: margin,
        y: 85,
        width: inner,
        content: '{itemvar}',
        fontSize: 10,
        bold: true,
        align: 'center',
      },
      {
        type: 'text',
        x: margin,
        y: 92,
        width: inner,
        content: '{attendee_name}',
        fontSize: 11,
        align: 'center',
        autoShrink: true,
      },
      { type: 'text', x: margin, y: 99, width: inner, content: '{seat}', fontSize: 8, align: 'center' },
      { type: 'text', x: margin, y: 104, width: inner, content: '{price}', fontSize: 10, align: 'center' },
      { type: 'line', x1: margin, y1: 112, x2: w - margin, y2: 112, lineWidth: 0.5, dash: 1.5 },
      {
        type: 'text',
        x: margin,
        y: 115,
        width: inner,
        content: '{order}-{positionid} · {order_date}',
        fontSize: 8,
        align: 'center',
      },
      { type: 'text', x: margin, y: 120, width: inner, content: '{addons}', fontSize: 7, align: 'center' },
    ],
  };
}

function thermalLayout(): TicketLayout {
  const qrSize = 38;
  return {
    name: 'Default (2 x 5.5 in thermal ticket)',
    paper: 'thermal-2x5.5in',
    elements: [
      {
        type: 'text',
        x: 5,
        y: 4,
        width: 88,
        content: '{event_name}',
        fontSize: 12,
        bold: true,
        autoShrink: true,
      },
      { type: 'text', x: 5, y: 11, width: 88, content: '{event_date}', fontSize: 8 },
      { type: 'text', x: 5, y: 16, width: 88, content: '{event_location}', fontSize: 8 },
      { type: 'text', x: 5, y: 24, width: 88, content: '{itemvar} · {price}', fontSize: 9, bold: true },
      { type: 'text', x: 5, y: 30, width: 88, content: '{attendee_name}', fontSize: 10, autoShrink: true },
      { type: 'text', x: 5, y: 36, width: 88, content: '{seat}', fontSize: 8 },
      { type: 'text', x: 5, y: 43, width: 88, content: '{order}-{positionid}', fontSize: 8 },
      { type: 'line', x1: 96, y1: 3, x2: 96, y2: 48, lineWidth: 0.5, dash: 1.5 },
      { type: 'qrcode', x: 99, y: 6, size: qrSize },
    ],
  };
}
