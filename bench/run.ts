// npm run bench [-- --quick]: the engine's figures, measured side by side in one run.
// Prints one summary line per figure and writes them to bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, totalmem } from 'node:os';
import { orderCreationFigures } from './figures/order-creation';
import { growthFigures } from './figures/growth';
import { apiLoadFigures } from './figures/api-load';
import { deskSaleFigures } from './figures/desk-sale';
import { firstSaleFigures } from './figures/first-sale';
import { fmt, type Figure } from './measure';

const quick = process.argv.includes('--quick');
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const started = Date.now();
const figures: Figure[] = [];
const log = (line: string) => process.stdout.write(line + '\n');

async function section(name: string, run: () => Figure[] | Promise<Figure[]>): Promise<void> {
  if (only && !only.some((part) => name.includes(part))) return;
  log(`[${name}]`);
  for (const figure of await run()) {
    figures.push(figure);
    log(`  ${figure.summary}`);
  }
}

log(
  `Guichet benchmarks${quick ? ' (quick: smaller sizes, times not meaningful)' : ''} on ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`,
);
await section('order creation', () => orderCreationFigures(quick));
await section('database growth', () => growthFigures(quick, log));
await section('REST API', () => apiLoadFigures(quick));
await section('desk sale', () => deskSaleFigures(quick, log));
await section('desk first sale after start', () => firstSaleFigures(quick, log));
const { ticketFigures } = await import('./tickets');
await section('tickets', () => ticketFigures(quick));
const { printingFigures } = await import('./printing');
await section('printing', () => printingFigures(quick));

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'latest.json'),
  JSON.stringify(
    { date: new Date().toISOString(), quick, seconds: (Date.now() - started) / 1000, figures },
    null,
    2,
  ),
);
// The two ratios the engine's order path is judged by, together, as measured in this run.
const ratios = figures.filter(
  (f) => f.name.startsWith('order_creation_') || f.name === 'api_order_creation_ratio',
);
if (ratios.length) {
  log('[ratios]');
  for (const f of ratios)
    log(`  ${f.name} ${fmt(f.value, 2)} — ${f.target?.description} — ${f.target?.met ? 'met' : 'missed'}`);
}
const missed = figures.filter((f) => f.target && !f.target.met);
log(
  `${figures.length} figures in ${((Date.now() - started) / 1000).toFixed(0)} s; targets missed: ${missed.length ? missed.map((f) => f.name).join(', ') : 'none'}`,
);
// An oversold quota is a correctness failure, whatever the mode.
if (figures.some((f) => f.name === 'oversell_under_load' && !f.target?.met)) process.exitCode = 1;
