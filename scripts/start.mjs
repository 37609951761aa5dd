#!/usr/bin/env node
// `npm start`: build the desk, open it in Electron; where no Electron binary can be had, say so in one
// line and serve the same desk to a browser instead (`npm run serve`).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
register();
const { ensureRenderer } = await import('../main/rpc/build.ts');
const { buildElectron } = await import('../main/rpc/build-electron.ts');

// Finds the binary the electron package installed, without its on-demand download (which needs a network).
function electronBinary() {
  try {
    const pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const pathFile = join(pkgDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const relative = readFileSync(pathFile, 'utf8').trim();
    const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkgDir, 'dist');
    const binary = join(dist, relative);
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function serveInstead(reason) {
  console.log(`${reason}; serving the desk for a browser instead (npm run serve).`);
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'guichet.mjs'), 'serve', ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
}

await ensureRenderer(root, (line) => console.log(line));
const binary = electronBinary();
if (!binary) {
  serveInstead('No Electron binary is installed here');
} else {
  await buildElectron(root);
  const child = spawn(binary, [root], { stdio: 'inherit' });
  let started = false;
  const timer = setTimeout(() => (started = true), 3000);
  child.on('error', (e) => {
    clearTimeout(timer);
    serveInstead(`Electron could not start (${e.message})`);
  });
  child.on('exit', (code, signal) => {
    clearTimeout(timer);
    if (!started && code !== 0) serveInstead(`Electron exited at start (${signal ?? `code ${code}`})`);
    else process.exit(code ?? 0);
  });
}
