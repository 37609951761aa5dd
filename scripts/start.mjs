#!/usr/bin/env node
// `npm start`: build the desk and open it in Electron, whose main process starts the engine on this Node.
// Where Electron cannot start (no binary, no display), say why in one line and serve the same desk to a
// browser instead (`npm run serve`). Where the engine cannot load better-sqlite3, say why and how to fix it.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
register();
const { ensureRenderer } = await import('../main/rpc/build.ts');
const { buildElectron } = await import('../main/rpc/build-electron.ts');
const { bindingProblem, electronStartBlocker, runtimeOf, ENGINE_NODE_VARIABLE } =
  await import('../main/electron/runtime.ts');
const { findElectronBinary, runElectron } = await import('../main/electron/launcher.ts');

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

// In development the engine runs on this Node (so does the browser mode): its better-sqlite3 must load here.
const problem = await bindingProblem(async () => {
  const { default: Database } = await import('better-sqlite3');
  new Database(':memory:').close();
}, runtimeOf(process.versions));
if (problem) {
  console.error(problem);
  process.exit(1);
}

await ensureRenderer(root, (line) => console.log(line));
let electronPackage = null;
try {
  electronPackage = createRequire(import.meta.url).resolve('electron/package.json');
} catch {
  // Not installed: the blocker below says so.
}
const binary = findElectronBinary(electronPackage, process.env);
const blocker = electronStartBlocker({ binary, platform: process.platform, env: process.env });
if (blocker) {
  serveInstead(blocker);
} else {
  await buildElectron(root);
  const run = await runElectron({
    command: binary,
    args: [root],
    env: { ...process.env, [ENGINE_NODE_VARIABLE]: process.execPath },
    forward: (line) => process.stderr.write(`${line}\n`),
    onStarted: (kill) => {
      for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => kill(signal));
    },
  });
  if (run.kind === 'ran') process.exit(run.code);
  else if (run.kind === 'handed-over') process.exit(0);
  else if (run.engine) {
    console.error(run.line);
    process.exit(1);
  } else serveInstead(run.line);
}
