// Writes docs/images/ticket-thermal-2x5.5in.png and ticket-80mm.png: the stock layouts rendered from
// their PDF at 203 dpi (a thermal printer's resolution), with the demo's kind of two-day event.
// Run: node bin/run-ts.mjs scripts/printing-previews.ts
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultLayout } from '../main/engine/tickets/layout';
import { renderTicketsPdf } from '../main/engine/tickets/render';
import { sampleTicket } from '../main/engine/tickets/ticket-data';
import { pdfPageToPng } from '../main/printing/rasterize';

const images = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'images');
const base = sampleTicket({
  item: 'Weekend pass',
  variation: 'Camping',
  seat: null,
  addons: ['Festival T-shirt'],
});
const ticket = {
  ...base,
  organizer: 'Guichet Demo Box Office',
  event: {
    ...base.event,
    name: 'Summer Open Air',
    dateFrom: '2030-06-01T14:00:00.000Z',
    dateTo: '2030-06-03T20:00:00.000Z',
    location: 'Festival grounds, Riverside Park',
  },
  position: { ...base.position, attendeeName: 'Maximiliane Wilhelmina von Hohenzollern-Sigmaringen' },
  marks: ['REPRINT'],
};
for (const paper of ['thermal-2x5.5in', '80mm'] as const) {
  const pdf = await renderTicketsPdf([ticket], () => defaultLayout(paper));
  const path = join(images, `ticket-${paper}.png`);
  writeFileSync(path, await pdfPageToPng(pdf, 0, 203));
  console.log(`wrote ${path}`);
}
