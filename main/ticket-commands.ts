import { readFileSync, writeFileSync } from 'node:fs';
import { findEventBySlug } from './engine/catalog';
import { Engine } from './engine/engine';
import { ensureDefaultOrganizer } from './engine/organizers';
import {
  startTicketExport,
  defaultLayout,
  PAPER_NAMES,
  parseTicketLayout,
  type PaperName,
  type TicketLayout,
  renderTicketsPdf,
  sampleTicket,
} from './engine/tickets';
import { pdfPageToPng } from './printing/rasterize';
import type { Out } from './cli';

type Values = Record<string, string | boolean | undefined>;

function paperOption(values: Values, io: Out): PaperName | undefined | null {
  const paper = values.paper;
  if (paper === undefined) return undefined;
  if (typeof paper === 'string' && (PAPER_NAMES as string[]).includes(paper)) return paper as PaperName;
  io.err(`Unknown paper "${String(paper)}": use one of ${PAPER_NAMES.join(', ')}.`);
  return null;
}

/** Rasterises the first page of a PDF next to it (`ticket.pdf` -> `ticket.png`). */
export async function pdfToPng(pdfPath: string, dpi = 150): Promise<string> {
  const pngPath = `${pdfPath.replace(/\.pdf$/i, '')}.png`;
  writeFileSync(pngPath, await pdfPageToPng(readFileSync(pdfPath), 0, dpi));
  return pngPath;
}

/** `guichet ticket-preview`: a layout rendered with sample data, to check it without a sale. */
export async function runTicketPreview(values: Values, io: Out): Promise<number> {
  if (typeof values.out !== 'string') {
    io.err('ticket-preview needs --out <file.pdf>.');
    return 2;
  }
  const paper = paperOption(values, io);
  if (paper === null) return 2;
  const source = typeof values.layout === 'string' ? values.layout : 'default';
  let layout: TicketLayout;
  if (source === 'default') layout = defaultLayout(paper ?? 'a4');
  else {
    try {
      layout = parseTicketLayout(JSON.parse(readFileSync(source, 'utf8')));
    } catch (e) {
      io.err(`Cannot use layout ${source}: ${(e as Error).message}`);
      return 2;
    }
    if (paper) layout = { ...layout, paper };
  }
  const pdf = await renderTicketsPdf([sampleTicket()], () => layout, { title: `Preview: ${layout.name}` });
  writeFileSync(values.out, pdf);
  io.out(`Preview of "${layout.name}" written to ${values.out}.`);
  if (values.png) {
    try {
      io.out(`PNG written to ${await pdfToPng(values.out)}.`);
    } catch (e) {
      io.err(`Cannot write the PNG: ${(e as Error).message}`);
      return 1;
    }
  }
  return 0;
}

/** A progress line: rewritten in place on a terminal, one line per tenth elsewhere. */
function progressLine(io: Out): (done: number, total: number) => void {
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  return (done, total) => {
    const percent = total === 0 ? 100 : Math.floor((done * 100) / total);
    const text = `Rendering tickets: ${done}/${total} (${percent} %)`;
    if (tty) process.stderr.write(`\r${text}${done === total ? '\n' : ''}`);
    else if (Math.floor(percent / 10) !== lastTenth) {
      lastTenth = Math.floor(percent / 10);
      io.err(text);
    }
  };
}

/** `guichet tickets export`: every paid ticket of an event (or of listed orders) into one PDF. */
export async function runTicketsCommand(sub: string | undefined, values: Values & { db: string }, io: Out) {
  if (sub !== 'export') {
    io.err('Usage: guichet tickets export --db <file> --event <slug> --out <file.pdf> [--orders A1B2C,...]');
    return 2;
  }
  if (typeof values.event !== 'string' || typeof values.out !== 'string') {
    io.err('tickets export needs --event <slug> and --out <file.pdf>.');
    return 2;
  }
  const paper = paperOption(values, io);
  if (paper === null) return 2;
  const engine = Engine.open(values.db);
  let eventId: number;
  try {
    const organizerId = engine.command((ctx) => ensureDefaultOrganizer(ctx), 'cli').id;
    const event = findEventBySlug(engine.db, organizerId, values.event);
    if (!event) {
      io.err(`No event "${values.event}".`);
      return 1;
    }
    eventId = event.id;
  } finally {
    engine.close();
  }
  const orderCodes =
    typeof values.orders === 'string'
      ? values.orders
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean)
      : undefined;
  const subeventId = values.subevent === undefined ? undefined : Number(values.subevent);
  if (subeventId !== undefined && !Number.isInteger(subeventId)) {
    io.err('--subevent takes the id of a date.');
    return 2;
  }
  const job = startTicketExport(values.db, {
    selection: { eventId, orderCodes, subeventId },
    outPath: values.out,
    paper,
  });
  const show = progressLine(io);
  job.events.on('progress', ({ done, total }) => show(done, total));
  const stop = () => job.cancel();
  process.once('SIGINT', stop);
  try {
    const result = await job.done;
    if (result.canceled) {
      io.err(`Canceled after ${result.count} of ${result.total} tickets; no file written.`);
      return 130;
    }
    io.out(`${result.count} tickets written to ${result.outPath}.`);
    return 0;
  } finally {
    process.off('SIGINT', stop);
  }
}
