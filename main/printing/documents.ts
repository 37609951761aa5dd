import type { Database } from 'better-sqlite3';
import { jobDocument, jobPositionIds, printJobOrder, printMarks, type PrintJob } from '../engine/printing';

export { printMarks };
import type { Printer } from '../engine/printing';
import {
  defaultLayout,
  paperSize,
  type TicketLayout,
  layoutResolver,
  loadTickets,
  renderTicketsPdf,
  sampleTicket,
  type TicketData,
} from '../engine/tickets';
import { escposPage } from './protocols/escpos';
import { fglTicket } from './protocols/fgl';
import { rasterizePages } from './rasterize';

export { countPdfPages } from './rasterize';

function sameSize(a: TicketLayout, paper: Printer['paper']): boolean {
  const size = paperSize(a);
  const wanted = paperSize(defaultLayout(paper));
  return Math.abs(size.width - wanted.width) < 0.5 && Math.abs(size.height - wanted.height) < 0.5;
}

/**
 * The PDF of a job: an order's tickets on the printer's stock (the event's or product's layout where it
 * fits the stock, else the built-in layout for it), a stored receipt or report, or a test page.
 */
export async function jobPdf(db: Database, job: PrintJob, printer: Printer): Promise<Buffer> {
  if (job.kind === 'pdf') {
    const document = jobDocument(db, job.id);
    if (!document) throw new Error('The job has no document.');
    return document;
  }
  let tickets: TicketData[];
  let resolve: (t: TicketData) => TicketLayout;
  if (job.kind === 'test') {
    tickets = [
      {
        ...sampleTicket({ attendeeName: printer.name }),
        marks: ['TEST PRINT'],
      },
    ];
    resolve = () => defaultLayout(printer.paper);
  } else {
    const order = printJobOrder(db, job);
    if (!order) throw new Error('The order of this job is gone.');
    const marks = printMarks(order, job.reprint === 1);
    tickets = loadTickets(db, jobPositionIds(job)).map((t) => ({ ...t, marks }));
    const fromEvent = layoutResolver(db, order.event_id, printer.paper);
    const fallback = defaultLayout(printer.paper);
    resolve = (t) => {
      const layout = fromEvent(t);
      return sameSize(layout, printer.paper) ? layout : fallback;
    };
  }
  return renderTicketsPdf(tickets, resolve, { title: job.title });
}

/** The printer's bytes for each page of a PDF, rasterised at its resolution, produced one page at a time. */
export async function* printerPages(pdf: Buffer, printer: Printer, firstPage = 0): AsyncGenerator<Buffer> {
  const maxWidthDots = Math.floor((printer.print_width_mm / 25.4) * printer.dpi);
  for await (const { bitmap, index, count } of rasterizePages(pdf, {
    dpi: printer.dpi,
    maxWidthDots,
    firstPage,
  })) {
    if (printer.protocol === 'fgl') yield fglTicket(bitmap, { last: index === count - 1 });
    else yield escposPage(bitmap);
  }
}
