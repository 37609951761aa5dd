import { Worker, type MessagePort } from 'node:worker_threads';
import { Engine } from '../../engine/engine';

/** Shortest pause between two checkpoints while the writer commits. */
const INTERVAL_MS = 100;

export type CheckpointerRequest = { type: 'nudge' } | { type: 'close' };

/**
 * The checkpointer's side: on a nudge, copies the WAL into the database file at most every `INTERVAL_MS`
 * (one checkpoint covers every commit since the last one); idle between nudges.
 */
export function runCheckpointer(port: MessagePort, dbPath: string): void {
  const engine = Engine.open(dbPath, { alongside: true });
  let scheduled: NodeJS.Timeout | undefined;
  let last = 0;
  const checkpoint = () => {
    scheduled = undefined;
    last = performance.now();
    engine.checkpointWal();
  };
  port.on('message', (request: CheckpointerRequest) => {
    if (request.type === 'close') {
      clearTimeout(scheduled);
      engine.close();
      port.close();
      return;
    }
    scheduled ??= setTimeout(checkpoint, Math.max(0, last + INTERVAL_MS - performance.now()));
  });
}

/**
 * A thread that runs the WAL checkpoints of the order writer's connection. SQLite checkpoints inside a
 * commit once the WAL holds 1000 pages: copying them into the database file and flushing it then holds the
 * committing thread. The writer's connection leaves that to this thread, and nudges it after each commit.
 */
export class Checkpointer {
  private readonly worker: Worker;
  private alive = true;

  constructor(entry: URL, dbPath: string) {
    this.worker = new Worker(entry, { workerData: { role: 'checkpointer', dbPath } });
    this.worker.unref();
    // The writer's own connection is the backstop: it still checkpoints once its WAL holds many pages.
    const stop = () => (this.alive = false);
    this.worker.on('error', stop);
    this.worker.on('exit', stop);
  }

  nudge(): void {
    if (this.alive) this.worker.postMessage({ type: 'nudge' } satisfies CheckpointerRequest);
  }

  /** Closes the thread's connection and ends it. */
  async close(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise<void>((done) => this.worker.once('exit', () => done()));
    this.worker.ref();
    this.worker.postMessage({ type: 'close' } satisfies CheckpointerRequest);
    await exited;
  }
}
