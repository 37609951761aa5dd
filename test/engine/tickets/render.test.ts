import { describe, expect, it } from 'vitest';
import { defaultLayout, parseTicketLayout, type TicketLayout } from '../../../main/engine/tickets/layout';
import { renderTicketsPdf } from '../../../main/engine/tickets/render';
import { fillPlaceholders, sampleTicket } from '../../../main/engine/tickets/ticket-data';
import { splitIntoRuns, ticketFonts } from '../../../main/engine/tickets/fonts';
import { decodeQrOnPage, pdfPageCount, pdfText } from './pdf-tools';

describe('ticket rendering', () => {
  it('prints event, attendee, order code and price, one page per ticket', async () => {
    const tickets = [
      sampleTicket({ attendeeName: 'Zoë Ødegård', price: '23.00', positionid: 1 }),
      sampleTicket({
        attendeeName: 'Łukasz Wiśniewski',
        price: '17.50',
        positionid: 2,
        secret: 'othersecret123',
      }),
    ];
    const pdf = await renderTicketsPdf(tickets, () => defaultLayout('a4'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    const pages = text.split('\f');
    expect(await pdfPageCount(pdf)).toBe(2);
    expect(pages[0]).toContain('Spring Gala Concert');
    expect(pages[0]).toContain('Zoë Ødegård');
    expect(pages[0]).toContain('ABC12');
    expect(pages[0]).toContain('23.00');
    expect(pages[1]).toContain('Łukasz Wiśniewski');
    expect(pages[1]).toContain('17.50');
    expect(pages[1]).not.toContain('Zoë');
  });

  it('prints Chinese names with the fallback font', async () => {
    for (const paper of ['a4', '80mm', 'thermal-2x5.5in', 'letter'] as const) {
      const pdf = await renderTicketsPdf([sampleTicket({ attendeeName: '王芳' })], () =>
        defaultLayout(paper),
      );
      expect(await pdfText(pdf)).toContain('王芳');
    }
  });

  it('embeds in each document only the glyphs it prints, whatever documents came before', async () => {
    // The parsed fonts are shared by every document of the process; their subsets must not be.
    // Only the creation date, the file ID derived from it and the random subset tags may differ.
    const comparable = (pdf: Buffer) =>
      pdf
        .toString('latin1')
        .replace(/\(D:\d{14}Z\)/g, '(D:date)')
        .replace(/\/ID \[<[0-9a-f]+> <[0-9a-f]+>\]/, '/ID')
        .replace(/\/[A-Z]{6}\+/g, '/TAG+');
    const latin = () => renderTicketsPdf([sampleTicket({ attendeeName: 'Zoë' })], () => defaultLayout('a4'));
    const first = await latin();
    const other = await renderTicketsPdf(
      [sampleTicket({ attendeeName: '王芳 Łukasz Wiśniewski ЖЯЮ ΩΨ 0123456789 @#%&' })],
      () => defaultLayout('80mm'),
    );
    const again = await latin();
    expect(comparable(again)).toBe(comparable(first));
    expect(await pdfText(other)).toContain('王芳');
    // Noto Sans is 600 KB a weight: a ticket carries subsets of a few KB.
    expect(first.length).toBeLessThan(40_000);
  });

  it('replaces characters no font has, and drops invisible ones', () => {
    const runs = splitIntoRuns('A\u200b𓀀B王', ticketFonts().regular);
    expect(runs.map((r) => [r.font.name, r.text])).toEqual([
      ['latin', 'A?B'],
      ['cjk', '王'],
    ]);
  });

  it('encodes exactly the position secret in the QR code, on A4 and on an 80 mm roll', async () => {
    const secret = 'h8kz5yq3r2d7wmf9tcx4npe6ubjvs2a';
    for (const paper of ['a4', '80mm'] as const) {
      const pdf = await renderTicketsPdf([sampleTicket({ secret })], () => defaultLayout(paper));
      expect(await decodeQrOnPage(pdf)).toBe(secret);
    }
  });

  it('fills placeholders, answers to questions, and prints nothing for unknown ones', () => {
    const ticket = sampleTicket({
      variation: null,
      seat: null,
      answers: [{ question: 'Meal?', identifier: 'MEAL', answer: 'Vegetarian' }],
    });
    expect(fillPlaceholders('{itemvar} / {question_MEAL} / {nope}{seat}', ticket)).toBe(
      'Standard Ticket / Vegetarian /',
    );
    expect(fillPlaceholders('{order}-{positionid} · {seat} · {price}', ticket)).toBe('ABC12-1 · €23.00');
  });

  it('renders a custom layout with an image, shapes and long text', async () => {
    const png1x1 =
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const layout: TicketLayout = parseTicketLayout({
      name: 'Custom',
      paper: { width: 100, height: 60 },
      elements: [
        { type: 'image', x: 2, y: 2, width: 10, height: 10, source: png1x1 },
        { type: 'image', x: 2, y: 2, width: 10, height: 10, source: 'logo' },
        { type: 'rect', x: 1, y: 1, width: 98, height: 58, stroke: '#000000', fill: '#eeeeee' },
        { type: 'line', x1: 0, y1: 30, x2: 100, y2: 30 },
        {
          type: 'text',
          x: 15,
          y: 2,
          width: 30,
          content: '{event_name} {event_name} {event_name}',
          fontSize: 10,
        },
        { type: 'text', x: 15, y: 40, width: 80, content: 'Code {order}', fontSize: 10, align: 'right' },
      ],
    });
    const pdf = await renderTicketsPdf([sampleTicket()], () => layout);
    const text = await pdfText(pdf);
    expect(text.match(/Spring/g)).toHaveLength(3);
    expect(text).toContain('Code ABC12');
  });

  it('refuses a malformed layout with the field at fault', () => {
    expect(() =>
      parseTicketLayout({ name: 'x', paper: 'a4', elements: [{ type: 'qrcode', x: 1, y: 1 }] }),
    ).toThrow(/elements\.0\.size/);
    expect(() => parseTicketLayout({ name: 'x', paper: 'a5', elements: [] })).toThrow(/paper/);
  });
});
