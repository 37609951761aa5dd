// Ticket rendering benchmark: N tickets into one streamed PDF, tickets per second and peak memory.
// Runs alone with `node bin/run-ts.mjs bench/tickets.ts [--quick]`; `npm run bench` calls ticketFigures.
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { EXPORT_HEAP_LIMIT_MB } from '../main/engine/tickets/bulk';
import { defaultLayout } from '../main/engine/tickets/layout';
import { writeTicketsPdf } from '../main/engine/tickets/render';
import { sampleTicket, type TicketData } from '../main/engine/tickets/ticket-data';
import { fmt, type Figure } from './measure';

const NAMES = [
  'Zoë Ødegård',
  'Łukasz Wiśniewski',
  '王芳',
  'José Álvarez',
  'Amélie Dupont',
  'Søren Kierkegaard',
];

function* tickets(count: number): Generator<TicketData> {
  for (let i = 0; i < count; i++) {
    yield sampleTicket({
      id: i + 1,
      positionid: (i % 4) + 1,
      secret: `bench${i.toString(36).padStart(8, '0')}secretpart${(i * 7919).toString(36)}`,
      attendeeName: `${NAMES[i % NAMES.length]} ${i + 1}`,
      price: (20 + (i % 13)).toFixed(2),
    });
  }
}

export interface TicketRun {
  count: number;
  seconds: number;
  ticketsPerSecond: number;
  /** Peak resident memory of the process that rendered (a fresh process per run). */
  peakRssBytes: number;
  fileBytes: number;
}

/** Renders `count` sample tickets into one streamed PDF in this process. */
export async function renderBulk(count: number, paper: 'a4' | '80mm' = 'a4'): Promise<TicketRun> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-bench-tickets-'));
  const path = join(dir, 'tickets.pdf');
  const layout = defaultLayout(paper);
  const start = performance.now();
  try {
    await writeTicketsPdf(tickets(count), createWriteStream(path), { layoutFor: () => layout });
    const seconds = (performance.now() - start) / 1000;
    return {
      count,
      seconds,
      ticketsPerSecond: count / seconds,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      fileBytes: statSync(path).size,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One run in a fresh process, so its peak memory is its own and not the runs before it. */
function renderInChild(count: number): TicketRun {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const output = execFileSync(
    process.execPath,
    [
      // The same heap limit as the export worker, so the figure is the export's.
      `--max-old-space-size=${EXPORT_HEAP_LIMIT_MB}`,
      join(root, 'bin', 'run-ts.mjs'),
      fileURLToPath(import.meta.url),
      '--child',
      String(count),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(output.trim().split('\n').at(-1)!) as TicketRun;
}

const MB = 2 ** 20;

/**
 * The figures for `npm run bench`: 1,000 tickets (200 when quick) in one PDF, and three times as many, to
 * show that peak memory does not grow with the number of tickets. Each run is a fresh process.
 */
export async function ticketFigures(quick = false): Promise<Figure[]> {
  const count = quick ? 200 : 1000;
  // The headline run, then three times as many tickets: a streamed export's peak stays where it was.
  const large = renderInChild(count);
  const larger = renderInChild(count * 3);
  const growth = larger.peakRssBytes - large.peakRssBytes;
  const flat = growth < 32 * MB;
  return [
    {
      name: 'tickets_per_second',
      value: large.ticketsPerSecond,
      unit: 'tickets/s',
      summary: `${count} A4 tickets in one PDF: ${fmt(large.ticketsPerSecond)} tickets/s (${fmt(large.seconds, 2)} s, ${fmt(large.fileBytes / MB)} MB file)`,
      details: { ...large },
    },
    {
      name: 'tickets_peak_memory',
      value: large.peakRssBytes / MB,
      unit: 'MB',
      summary: `peak memory (RSS): ${fmt(large.peakRssBytes / MB, 0)} MB for ${large.count} tickets, ${fmt(larger.peakRssBytes / MB, 0)} MB for ${larger.count}`,
      target: {
        description: 'peak memory does not grow with the number of tickets (< 32 MB more for 3x the tickets)',
        met: flat,
      },
      details: { large, larger, growthBytes: growth },
    },
  ];
}

const childAt = process.argv.indexOf('--child');
if (childAt > 0) {
  process.stdout.write(JSON.stringify(await renderBulk(Number(process.argv[childAt + 1]))) + '\n');
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const figure of await ticketFigures(process.argv.includes('--quick'))) {
    process.stdout.write(
      `${figure.summary}${figure.target ? (figure.target.met ? '  [ok]' : '  [MISSED]') : ''}\n`,
    );
  }
}
