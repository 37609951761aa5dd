#!/usr/bin/env node
// Runs pretix's conformance scenarios (../shared/conformance) against `guichet serve` on a fresh database.
// Passes when every failing scenario is one listed, with its reason, under "Known conformance failures" in
// docs/api.md. Usage: node scripts/conformance.mjs [--filter TEXT] [--verbose]
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const suite = process.env.CONFORMANCE_DIR ?? resolve(root, '..', 'shared', 'conformance');
const extra = process.argv.slice(2);

if (!existsSync(join(suite, 'run.mjs'))) {
  console.log(`conformance: no suite at ${suite} (set CONFORMANCE_DIR); skipped`);
  process.exit(0);
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

function knownFailures() {
  const text = readFileSync(join(root, 'docs', 'api.md'), 'utf8');
  const start = text.indexOf('## Known conformance failures');
  if (start < 0) return new Set();
  const section = text.slice(start).split(/\n## /)[0];
  return new Set([...section.matchAll(/`([\w-]+\/[\w.-]+\.json)`/g)].map((m) => m[1]));
}

const dir = mkdtempSync(join(tmpdir(), 'guichet-conformance-'));
const db = join(dir, 'conformance.sqlite');
const cli = join(root, 'bin', 'guichet.mjs');
let server;
let exitCode = 1;
try {
  const token = execFileSync(
    process.execPath,
    [cli, 'token', 'create', '--db', db, '--name', 'conformance'],
    {
      encoding: 'utf8',
    },
  ).trim();
  const port = await freePort();
  server = spawn(process.execPath, [cli, 'serve', '--db', db, '--port', String(port), '--no-demo'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error('server did not start within 30 s')), 30_000);
    server.once('exit', (code) => rej(new Error(`server exited with ${code}`)));
    server.stdout.on('data', (chunk) => {
      if (String(chunk).includes('http://')) {
        clearTimeout(timer);
        res();
      }
    });
  });
  const report = join(dir, 'report.json');
  const run = spawn(
    process.execPath,
    [
      join(suite, 'run.mjs'),
      '--base',
      `http://127.0.0.1:${port}`,
      '--token',
      token,
      '--report',
      report,
      ...extra,
      join(suite, 'scenarios'),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: join(suite, 'scenarios') },
  );
  let output = '';
  run.stdout.on('data', (c) => (output += c));
  await new Promise((res) => run.once('exit', res));
  // Reprint the runner's lines except its closing tally, which is restated below against the known list.
  for (const line of output.split('\n'))
    if (line && !/^\d+ passed, \d+ failed$/.test(line)) console.log(line);
  if (!existsSync(report)) throw new Error('the conformance runner wrote no report');
  const { passed, failed, results } = JSON.parse(readFileSync(report, 'utf8'));
  const known = knownFailures();
  const failing = results.filter((r) => !r.ok).map((r) => r.file.replace(/^.*scenarios\//, ''));
  const unexpected = failing.filter((f) => !known.has(f));
  const fixed = [...known].filter((f) => results.some((r) => r.ok && r.file.endsWith(f)));
  const total = passed + failed;
  console.log(`conformance: ${passed} of ${total} scenarios pass (${((100 * passed) / total).toFixed(1)} %)`);
  if (fixed.length)
    console.log(`conformance: listed as failing in docs/api.md but passing now: ${fixed.join(', ')}`);
  if (unexpected.length) {
    console.log(`conformance: ${unexpected.length} failing scenarios are not explained in docs/api.md:`);
    for (const f of unexpected) console.log(`  ${f}`);
  } else {
    console.log('conformance: every failing scenario is explained in docs/api.md');
    exitCode = 0;
  }
} catch (e) {
  console.error(`conformance: ${e.message}`);
} finally {
  server?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
