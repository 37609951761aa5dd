import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { main } from '../../../main/cli';
import { Engine } from '../../../main/engine/engine';
import { ensureDefaultOrganizer } from '../../../main/engine/organizers/organizers';
import { placeOrder, ticketEvent } from './fixtures';
import { decodeQrOnPage, pdfPageCount, pdfText } from './pdf-tools';
import { tempDirs } from '../../fixtures/temp-dirs';

const tempDir = tempDirs('cli-tickets');

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('guichet ticket-preview and tickets export', () => {
  it('previews the default layout on 80 mm paper as PDF and PNG', async () => {
    const dir = tempDir();
    const { io, out } = capture();
    const code = await main(
      ['ticket-preview', '--layout', 'default', '--paper', '80mm', '--out', join(dir, 'p.pdf'), '--png'],
      io,
    );
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('80 mm');
    const pdf = readFileSync(join(dir, 'p.pdf'));
    expect(await pdfText(pdf)).toContain('Spring Gala Concert');
    expect(await decodeQrOnPage(pdf)).toBe('k24fiuwvu8kxz3y1ny7ypv6pcqfrfqn');
    const pngFile = readFileSync(join(dir, 'p.png'));
    expect(pngFile.subarray(1, 4).toString()).toBe('PNG');
    const png = PNG.sync.read(pngFile);
    // 80 mm at 150 dpi, and the same QR code as the PDF.
    expect(png.width).toBe(Math.floor((80 / 25.4) * 150));
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(
      'k24fiuwvu8kxz3y1ny7ypv6pcqfrfqn',
    );
  });

  it('previews a layout file and names what is wrong with a bad one', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'l.json'),
      JSON.stringify({
        name: 'Wristband',
        paper: { width: 250, height: 25 },
        elements: [{ type: 'text', x: 5, y: 5, width: 200, content: 'BAND {attendee_name}', fontSize: 14 }],
      }),
    );
    const ok = capture();
    expect(
      await main(['ticket-preview', '--layout', join(dir, 'l.json'), '--out', join(dir, 'l.pdf')], ok.io),
    ).toBe(0);
    expect(await pdfText(readFileSync(join(dir, 'l.pdf')))).toContain('BAND Zoë Ødegård');
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({ name: 'x', paper: 'a4', elements: [{ type: 'blob' }] }),
    );
    const bad = capture();
    expect(
      await main(['ticket-preview', '--layout', join(dir, 'bad.json'), '--out', join(dir, 'b.pdf')], bad.io),
    ).toBe(2);
    expect(bad.err.join('\n')).toMatch(/elements\.0/);
    expect(existsSync(join(dir, 'b.pdf'))).toBe(false);
    const paper = capture();
    expect(await main(['ticket-preview', '--paper', 'a3', '--out', join(dir, 'c.pdf')], paper.io)).toBe(2);
  });

  it("exports an event's paid tickets with a progress line", async () => {
    const dir = tempDir();
    const db = join(dir, 'box.sqlite');
    const engine = Engine.open(db);
    const organizerId = engine.command((ctx) => ensureDefaultOrganizer(ctx)).id;
    const { eventId, ticket } = ticketEvent(engine, organizerId);
    const slug = (engine.db.prepare('SELECT slug FROM events WHERE id = ?').get(eventId) as { slug: string })
      .slug;
    const codes = [1, 2, 3].map(
      (i) => placeOrder(engine, eventId, [{ item: ticket, price: '23.00', name: `Guest ${i}` }]).code,
    );
    engine.close();
    const { io, out, err } = capture();
    const code = await main(
      ['tickets', 'export', '--db', db, '--event', slug, '--out', join(dir, 'all.pdf')],
      io,
    );
    expect(code).toBe(0);
    expect(out).toEqual([`3 tickets written to ${join(dir, 'all.pdf')}.`]);
    expect(err.at(-1)).toBe('Rendering tickets: 3/3 (100 %)');
    const pdf = readFileSync(join(dir, 'all.pdf'));
    expect(await pdfPageCount(pdf)).toBe(3);
    for (const c of codes) expect(await pdfText(pdf)).toContain(c);
    const unknown = capture();
    expect(
      await main(
        ['tickets', 'export', '--db', db, '--event', 'nope', '--out', join(dir, 'x.pdf')],
        unknown.io,
      ),
    ).toBe(1);
  });
});
