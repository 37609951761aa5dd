import {
  isShellMessage,
  type EngineMessage,
  type PrintRequestOptions,
  type ShellMessage,
} from './engine-protocol';
import type { RunningDesktopEngine } from './engine-host';
import { bindingProblem, runtimeOf } from './runtime';

/**
 * Entry of the engine process the desktop shell starts (`dist/electron/engine-process.mjs`):
 * `node engine-process.mjs --db <file>` in development, Electron with ELECTRON_RUN_AS_NODE=1 when packaged.
 * It reports `ready` (or `failed`, in one line) to the shell over the IPC channel, asks the shell to print,
 * and closes the database when told to stop or when the shell goes away.
 */

function send(message: EngineMessage): void {
  process.send?.(message);
}

function argument(name: string): string | null {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? null) : null;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Reports a start failure to the shell (waiting until the message is out) and exits. */
function fail(reason: string, code: number): Promise<never> {
  log(reason);
  return new Promise<never>(() => {
    if (!process.send) process.exit(code);
    process.send({ type: 'failed', reason } satisfies EngineMessage, () => process.exit(code));
  });
}
const dbPath = argument('--db');
const runtime = runtimeOf(process.versions);

if (!dbPath) await fail('The engine process was started without --db <file>.', 2);

// Print requests wait here for the shell's answer.
let nextPrintId = 0;
const pendingPrints = new Map<number, { resolve(): void; reject(e: Error): void }>();
const print = process.send
  ? (path: string, options: PrintRequestOptions) =>
      new Promise<void>((resolve, reject) => {
        const id = ++nextPrintId;
        pendingPrints.set(id, { resolve, reject });
        send({ type: 'print', id, path, options });
      })
  : null;

// Listening from the start, so a stop that arrives while the engine opens is not lost: it runs once
// the engine is open.
let running: RunningDesktopEngine | null = null;
let stopRequested = false;
let stopping = false;
async function stop(code: number): Promise<void> {
  stopRequested = true;
  if (stopping || !running) return;
  stopping = true;
  for (const pending of pendingPrints.values()) pending.reject(new Error('The app is closing.'));
  try {
    await running.close();
  } finally {
    process.exit(code);
  }
}

process.on('message', (raw: unknown) => {
  if (!isShellMessage(raw)) return;
  const message: ShellMessage = raw;
  if (message.type === 'stop') {
    void stop(0);
    return;
  }
  const pending = pendingPrints.get(message.id);
  if (!pending) return;
  pendingPrints.delete(message.id);
  if (message.error === null) pending.resolve();
  else pending.reject(new Error(message.error));
});
// The shell went away (it crashed or was killed): close the database rather than linger.
process.on('disconnect', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
// Ctrl+C in `npm start`'s terminal reaches the whole process group; the shell decides when the engine
// stops (after the window), so a supervised engine leaves it to the shell.
process.on('SIGINT', () => {
  if (!process.connected) void stop(0);
});

// The better-sqlite3 this runtime loads, checked first so a build for another ABI is named as such.
const problem = await bindingProblem(async () => {
  const { default: Database } = await import('better-sqlite3');
  new Database(':memory:').close();
}, runtime);
if (problem) await fail(problem, 1);
const engineModule = await import('./engine-host');

if (stopRequested) process.exit(0);
try {
  running = await engineModule.startDesktopEngine({ dbPath: dbPath!, print, log });
} catch (e) {
  await fail(`The engine could not open ${dbPath}: ${(e as Error).message}`, 1);
  throw e;
}
if (stopRequested) await stop(0);

send({
  type: 'ready',
  rpcUrl: running.rpcUrl,
  sessionToken: running.sessionToken,
  pid: process.pid,
  runtime: runtime.name,
  abi: runtime.abi,
});
