#!/usr/bin/env node
// End-to-end tests: start `guichet serve` on a free loopback port with a fresh database, run the
// Playwright specs in test/e2e/ against it in the Chromium that scripts/browser.mjs finds, stop the server.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium } from './browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let browser;
try {
  browser = await findChromium();
} catch (err) {
  console.error(`e2e: no browser: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
console.log(`e2e: browser ${browser.label}`);

const work = mkdtempSync(join(tmpdir(), 'guichet-e2e-'));
const db = join(work, 'guichet.sqlite');
const screenshots = process.env.GUICHET_SCREENSHOTS ?? join(root, 'test-results', 'e2e');
mkdirSync(screenshots, { recursive: true });

const server = spawn(
  process.execPath,
  [
    join(root, 'bin', 'guichet.mjs'),
    'serve',
    '--db',
    db,
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--no-demo',
    '--test-clock',
  ],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, GUICHET_HOME: work } },
);

const url = await new Promise((resolve, reject) => {
  let seen = '';
  const timer = setTimeout(() => reject(new Error(`server did not start:\n${seen}`)), 90_000);
  server.stdout.on('data', (chunk) => {
    seen += chunk;
    const m = /at (http:\/\/\S+)/.exec(seen);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
  server.on('exit', (code) => reject(new Error(`server exited (${code}):\n${seen}`)));
});
console.log(`e2e: desk at ${url}, database ${db}`);

const vitest = spawn(
  process.execPath,
  [
    join(root, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    '--config',
    join(root, 'test', 'e2e', 'vitest.config.ts'),
    ...process.argv.slice(2),
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      GUICHET_E2E_URL: url,
      GUICHET_E2E_DB: db,
      GUICHET_SCREENSHOTS: screenshots,
      GUICHET_E2E_BROWSER: JSON.stringify({ executablePath: browser.executablePath, args: browser.args }),
    },
  },
);
const code = await new Promise((resolve) => vitest.on('exit', (c) => resolve(c ?? 1)));
server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));
rmSync(work, { recursive: true, force: true });
process.exit(code);
