import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { SESSION_HEADER, type RpcFailure } from '../../shared/contract';
import {
  isEngineMessage,
  type EngineMessage,
  type PrintRequestOptions,
  type ShellMessage,
} from './engine-protocol';
import type { EngineLaunch } from './runtime';

/**
 * The shell's hold on the engine process: starts it and waits for its handshake, forwards the desk's
 * calls to it over loopback HTTP, prints for it, restarts it when it dies (a crash loses nothing: every
 * sale is committed before it is answered) and stops it cleanly when the app quits.
 */

export interface EngineSupervisorOptions {
  launch: EngineLaunch;
  /** Electron's printing; without it the engine's print requests are refused. */
  printPdf?: (path: string, options: PrintRequestOptions) => Promise<void>;
  log: (line: string) => void;
  /** Pause before each restart after a crash, the last one repeating (ms). */
  restartDelaysMs?: number[];
  /** Starts in a row that fail before `ready`, after which the supervisor gives up. */
  maxFailedStarts?: number;
  /** Crashes of a running engine within a minute after which the supervisor gives up (default 5). */
  maxCrashesPerMinute?: number;
  /** How long one start may take before it counts as failed (ms). */
  startTimeoutMs?: number;
  /** How long the engine gets to close its database after `stop` before it is killed (ms). */
  stopTimeoutMs?: number;
  spawn?: typeof nodeSpawn;
  fetch?: typeof fetch;
}

export type SupervisorState =
  'idle' | 'starting' | 'running' | 'restarting' | 'failed' | 'stopping' | 'stopped';

interface Connection {
  rpcUrl: string;
  sessionToken: string;
  pid: number;
}

/** The engine process could not be started; `reason` is one line for staff. */
export class EngineStartError extends Error {
  override readonly name = 'EngineStartError';
}

function refused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return cause?.code === 'ECONNREFUSED';
}

function unavailable(message: string): RpcFailure {
  return { error: { code: 'offline', message, status: 503, body: { detail: message } } };
}

export class EngineSupervisor extends EventEmitter<{
  ready: [{ pid: number; starts: number; runtime: string; abi: string }];
  exit: [{ pid: number; code: number | null; signal: string | null; expected: boolean }];
  failed: [string];
}> {
  private child: ChildProcess | null = null;
  private connection: Connection | null = null;
  private waiters: { resolve(c: Connection): void; reject(e: Error): void }[] = [];
  private restartTimer: NodeJS.Timeout | null = null;
  private failedStarts = 0;
  private crashTimes: number[] = [];
  private starts = 0;
  private failure: string | null = null;
  private current: SupervisorState = 'idle';
  private readonly spawn: typeof nodeSpawn;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: EngineSupervisorOptions) {
    super();
    this.spawn = options.spawn ?? nodeSpawn;
    this.fetch = options.fetch ?? fetch;
  }

  get state(): SupervisorState {
    return this.current;
  }

  /** The engine process's id while one runs. */
  get pid(): number | null {
    return this.connection?.pid ?? null;
  }

  /** Starts the engine; resolves once it answers, rejects with the one-line reason when it cannot. */
  async start(): Promise<void> {
    if (this.current !== 'idle') throw new Error(`The engine is already ${this.current}.`);
    this.current = 'starting';
    const started = this.nextConnection();
    this.launch();
    await started;
  }

  /** Runs one desk method in the engine; answers are the RPC envelopes the browser mode gets. */
  async call(method: string, input: unknown): Promise<unknown> {
    const body = JSON.stringify(input ?? {});
    for (let attempt = 0; ; attempt++) {
      let connection: Connection;
      try {
        connection = this.connection ?? (await this.nextConnection());
      } catch (e) {
        return unavailable((e as Error).message);
      }
      let response: Response;
      try {
        response = await this.fetch(`${connection.rpcUrl}${encodeURIComponent(method)}`, {
          method: 'POST',
          // A connection per call: a refused one then means the call never reached the engine.
          headers: {
            'content-type': 'application/json',
            connection: 'close',
            [SESSION_HEADER]: connection.sessionToken,
          },
          body,
        });
      } catch (e) {
        // Refused: the engine is gone and the call never reached it, so it is safe to send it to the
        // restarted engine. Cut off mid-call: whether the action was committed is for the desk to check
        // (its actions carry keys, so repeating one does not do it twice).
        if (refused(e) && attempt < 2) {
          if (this.connection === connection) this.connection = null;
          continue;
        }
        return unavailable(
          'The box office engine stopped during this action and is restarting; please check and retry.',
        );
      }
      try {
        return await response.json();
      } catch {
        return unavailable(`The box office engine answered ${response.status}.`);
      }
    }
  }

  /** Asks the engine to close its database and exit; kills it if it has not after the stop timeout. */
  async stop(): Promise<void> {
    if (this.current === 'stopped') return;
    this.current = 'stopping';
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    this.rejectWaiters(new Error('The box office is closing.'));
    const child = this.child;
    this.connection = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const message: ShellMessage = { type: 'stop' };
      if (child.connected) child.send(message);
      else child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs ?? 5000);
      await exited;
      clearTimeout(timer);
    }
    this.child = null;
    this.current = 'stopped';
  }

  private nextConnection(): Promise<Connection> {
    if (this.current === 'failed') return Promise.reject(new Error(this.failure ?? 'The engine failed.'));
    if (this.current === 'stopping' || this.current === 'stopped') {
      return Promise.reject(new Error('The box office is closing.'));
    }
    const timeout = this.options.startTimeoutMs ?? 60_000;
    return new Promise<Connection>((resolve, reject) => {
      const waiter = {
        resolve: (c: Connection) => {
          clearTimeout(timer);
          resolve(c);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error('The box office engine did not answer in time.'));
      }, timeout);
      this.waiters.push(waiter);
    });
  }

  private rejectWaiters(error: Error): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(error);
  }

  private launch(): void {
    const { command, args, env } = this.options.launch;
    this.starts += 1;
    let child: ChildProcess;
    try {
      child = this.spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    } catch (e) {
      this.startFailed(`The engine process could not be started (${command}): ${(e as Error).message}`);
      return;
    }
    this.child = child;
    let reported: string | null = null;
    let ready = false;
    const startTimer = setTimeout(() => {
      reported = 'The box office engine did not start in time.';
      child.kill('SIGKILL');
    }, this.options.startTimeoutMs ?? 60_000);

    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => this.options.log(line));
    }
    child.on('message', (raw: unknown) => {
      if (!isEngineMessage(raw)) return;
      const message: EngineMessage = raw;
      if (message.type === 'ready') {
        clearTimeout(startTimer);
        ready = true;
        this.failedStarts = 0;
        this.connection = {
          rpcUrl: message.rpcUrl,
          sessionToken: message.sessionToken,
          pid: child.pid ?? message.pid,
        };
        if (this.current === 'starting' || this.current === 'restarting') this.current = 'running';
        const waiters = this.waiters;
        this.waiters = [];
        for (const w of waiters) w.resolve(this.connection);
        this.options.log(
          `The box office engine runs on ${message.runtime} (NODE_MODULE_VERSION ${message.abi}), process ${this.connection.pid}.`,
        );
        this.emit('ready', {
          pid: this.connection.pid,
          starts: this.starts,
          runtime: message.runtime,
          abi: message.abi,
        });
      } else if (message.type === 'failed') {
        reported = message.reason;
      } else {
        void this.print(child, message.id, message.path, message.options);
      }
    });
    child.on('error', (e) => {
      // Spawning failed (no such executable): no `exit` follows.
      if (child.pid !== undefined) return;
      clearTimeout(startTimer);
      if (this.child === child) this.child = null;
      this.startFailed(`The engine process could not be started (${command}): ${e.message}`);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(startTimer);
      if (this.child === child) this.child = null;
      const expected = this.current === 'stopping' || this.current === 'stopped';
      this.emit('exit', { pid: child.pid ?? 0, code, signal, expected });
      if (expected) return;
      if (!ready) {
        this.startFailed(
          reported ?? `The box office engine exited while starting (${signal ?? `code ${code}`}).`,
        );
        return;
      }
      this.connection = null;
      const now = Date.now();
      this.crashTimes = [...this.crashTimes.filter((t) => now - t < 60_000), now];
      const limit = this.options.maxCrashesPerMinute ?? 5;
      if (this.crashTimes.length >= limit) {
        this.current = 'failed';
        this.failure = `The box office engine stopped ${limit} times within a minute (last: ${signal ?? `code ${code}`}).`;
        this.rejectWaiters(new EngineStartError(this.failure));
        this.emit('failed', this.failure);
        return;
      }
      this.options.log(`The box office engine ended (${signal ?? `code ${code}`}); restarting it.`);
      this.scheduleRestart();
    });
  }

  private startFailed(reason: string): void {
    this.connection = null;
    this.failedStarts += 1;
    const limit = this.options.maxFailedStarts ?? 3;
    // The first start has no second chance: what failed then (a binding, a locked file) will fail again.
    if (this.current === 'starting' || this.failedStarts >= limit) {
      this.current = 'failed';
      this.failure = reason;
      this.rejectWaiters(new EngineStartError(reason));
      this.emit('failed', reason);
      return;
    }
    this.options.log(reason);
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (this.current === 'stopping' || this.current === 'stopped') return;
    this.current = 'restarting';
    const delays = this.options.restartDelaysMs ?? [100, 500, 2000, 5000];
    const delay = delays[Math.min(this.failedStarts, delays.length - 1)] ?? 1000;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.launch();
    }, delay);
  }

  private async print(
    child: ChildProcess,
    id: number,
    path: string,
    options: PrintRequestOptions,
  ): Promise<void> {
    let error: string | null = null;
    try {
      if (!this.options.printPdf) throw new Error('Printing is not available here.');
      await this.options.printPdf(path, options);
    } catch (e) {
      error = (e as Error).message || 'Printing failed.';
    }
    const reply: ShellMessage = { type: 'printed', id, error };
    if (child.connected) child.send(reply);
  }
}
