#!/usr/bin/env node
// End-to-end tests: the Playwright specs in test/e2e/, in the Chromium that scripts/browser.mjs finds.
// Each spec file takes a `guichet serve` of its own on a fresh database (test/e2e/desk-pool.ts).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
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

const screenshots = process.env.GUICHET_SCREENSHOTS ?? join(root, 'test-results', 'e2e');
mkdirSync(screenshots, { recursive: true });

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
      GUICHET_SCREENSHOTS: screenshots,
      GUICHET_E2E_BROWSER: JSON.stringify({ executablePath: browser.executablePath, args: browser.args }),
    },
  },
);
process.exit(await new Promise((resolve) => vitest.on('exit', (c) => resolve(c ?? 1))));
