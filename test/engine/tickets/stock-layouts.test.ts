import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { defaultLayout, paperSize, type TicketLayout } from '../../../main/engine/tickets/layout';
import { renderTicketsPdf } from '../../../main/engine/tickets/render';
import { sampleTicket, type TicketData } from '../../../main/engine/tickets/ticket-data';

const MM = 72 / 25.4;

/** The demo's kind of event: two days and a bit, long names everywhere. */
function longTicket(): TicketData {
  const t = sampleTicket({
    item: 'Weekend pass with camping and early entry',
    variation: 'Premium camping zone',
    attendeeName: 'Maximiliane Wilhelmina von Hohenzollern-Sigmaringen',
    seat: null,
  });
  return {
    ...t,
    event: {
      ...t.event,
      name: 'Summer Open Air Festival of Music, Dance and Street Theatre',
      dateFrom: '2030-06-01T14:00:00.000Z',
      dateTo: '2030-06-03T20:00:00.000Z',
      location: 'Festival grounds, Riverside Park, Northern Meadow, 12 Riverside Drive',
    },
    marks: ['REPRINT', 'NOT PAID'],
  };
}

interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

function textBoxes(layout: TicketLayout): { content: string; box: Box }[] {
  return layout.elements.flatMap((e) =>
    e.type === 'text' && e.height !== undefined
      ? [{ content: e.content, box: { top: e.y, bottom: e.y + e.height, left: e.x, right: e.x + e.width } }]
      : [],
  );
}

const overlap = (a: Box, b: Box) =>
  a.top < b.bottom && b.top < a.bottom && a.left < b.right && b.left < a.right;

/** Each drawn text with its baseline and size in millimetres from the page's top-left corner. */
async function drawnTexts(pdf: Buffer, pageHeightMm: number) {
  const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  const content = await (await doc.getPage(1)).getTextContent();
  await doc.destroy();
  return content.items.flatMap((item) =>
    'str' in item && item.str.trim()
      ? [
          {
            text: item.str,
            baseline: pageHeightMm - item.transform[5]! / MM,
            size: Math.abs(item.transform[3]!) / MM,
            left: item.transform[4]! / MM,
            right: (item.transform[4]! + item.width) / MM,
          },
        ]
      : [],
  );
}

describe.each(['80mm', 'thermal-2x5.5in'] as const)('the %s stock layout', (paper) => {
  const layout = defaultLayout(paper);
  const page = paperSize(layout);

  it('gives every text its own box, inside the page, apart from the others and the QR code', () => {
    const boxes = textBoxes(layout);
    expect(boxes.length).toBe(layout.elements.filter((e) => e.type === 'text').length);
    const qr = layout.elements.find((e) => e.type === 'qrcode')!;
    const qrBox = { top: qr.y, bottom: qr.y + qr.size, left: qr.x, right: qr.x + qr.size };
    boxes.forEach((a, i) => {
      expect(a.box.bottom).toBeLessThanOrEqual(page.height);
      expect(a.box.right).toBeLessThanOrEqual(page.width);
      expect(overlap(a.box, qrBox)).toBe(false);
      boxes
        .slice(i + 1)
        .forEach((b) => expect(overlap(a.box, b.box), `${a.content} / ${b.content}`).toBe(false));
    });
  });

  it('keeps a two-day date range, long names and the print marks inside their boxes', async () => {
    const pdf = await renderTicketsPdf([longTicket()], () => layout);
    const drawn = await drawnTexts(pdf, page.height);
    const boxes = textBoxes(layout);
    const expectInside = (placeholder: string, fragment: string) => {
      const { box } = boxes.find((b) => b.content.startsWith(placeholder))!;
      const pieces = drawn.filter((d) => d.text.includes(fragment));
      expect(pieces.length, `${placeholder} drawn`).toBeGreaterThan(0);
      for (const p of pieces) {
        // The glyphs' ascent sits above the baseline, the descent (a quarter of the size) below it.
        expect(p.baseline - p.size * 0.75, `${placeholder} top`).toBeGreaterThanOrEqual(box.top - 0.3);
        expect(p.baseline + p.size * 0.25, `${placeholder} bottom`).toBeLessThanOrEqual(box.bottom + 0.3);
        expect(p.left).toBeGreaterThanOrEqual(box.left - 0.3);
        expect(p.right).toBeLessThanOrEqual(box.right + 0.3);
      }
    };
    expectInside('{event_name}', 'Summer');
    expectInside('{event_date}', 'June');
    expectInside('{event_location}', 'Riverside');
    expectInside('{attendee_name}', 'Maximiliane');
    expectInside('{print_marks}', 'REPRINT');
  });
});
