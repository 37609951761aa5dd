#!/usr/bin/env node
// Refreshes docs/screenshots/: runs the end-to-end specs with their screenshots written there.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'docs', 'screenshots');
mkdirSync(target, { recursive: true });
const run = spawnSync(process.execPath, [join(root, 'scripts', 'e2e.mjs')], {
  stdio: 'inherit',
  env: { ...process.env, GUICHET_SCREENSHOTS: target },
});
process.exit(run.status ?? 1);
