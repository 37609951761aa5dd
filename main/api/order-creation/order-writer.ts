import { Worker } from 'node:worker_threads';
import { systemClock } from '../../engine/clock';
import type { Engine } from '../../engine/engine';
import type { OrderData } from '../../engine/orders';
import { placeCreation, type OrderCreation } from './create-order';
import {
  batcher,
  carryError,
  restoreError,
  type CreationOutcome,
  type WriterAnswer,
  type WriterRequest,
  type WriterThreadData,
} from './protocol';

interface Waiting {
  resolve: (order: OrderData) => void;
  reject: (error: Error) => void;
}

/** The thread's entry next to this module: the .mjs that loads the TypeScript, or the desktop build's bundle. */
const THREAD_ENTRY = new URL('./order-writer-thread.mjs', import.meta.url);

/**
 * Order creations on a thread of their own. better-sqlite3 is synchronous, so a creation's validation,
 * writes and commit hold the thread that runs them; on the server's thread they would keep it from reading
 * and answering every other request meanwhile. The writer runs them on a second connection to the same
 * database in a worker thread, with the same code and the same group commit, while the server's thread goes
 * on with HTTP. SQLite's write lock orders the writer's transactions and the server's own commands, so a
 * quota is still checked in the transaction that sells from it.
 *
 * Only for a database file on the system clock: an in-memory database or an injected clock cannot be shared
 * with another thread, and there creations run on the server's engine. The thread starts with the first
 * creation; until it is ready, creations run on the server's engine, so none waits for it, and if it
 * cannot start they go on doing so. Should it fail after starting, the creations it holds fail with its
 * error, as they would if the process stopped, and later ones run on the server's engine.
 */
export class OrderWriter {
  private worker: Worker | undefined;
  private ready = false;
  private broken = false;
  private nextId = 1;
  /** Creations handed to the thread, until it answers. */
  private readonly sent = new Map<number, Waiting>();
  private readonly drained: (() => void)[] = [];
  private readonly readyWaiters: ((ready: boolean) => void)[] = [];
  private readonly post = batcher<{ id: number; creation: OrderCreation }>((batch) =>
    this.worker?.postMessage({ type: 'create', batch } satisfies WriterRequest),
  );

  constructor(
    private readonly engine: Engine,
    private readonly entry: URL = THREAD_ENTRY,
  ) {}

  /** The writer thread's id while it runs. */
  get threadId(): number | undefined {
    return this.ready ? this.worker?.threadId : undefined;
  }

  /** Starts the thread if it is not running; resolves once it takes creations, or false if it cannot. */
  whenReady(): Promise<boolean> {
    if (this.broken) return Promise.resolve(false);
    this.start();
    if (this.ready) return Promise.resolve(true);
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  static usable(engine: Engine): boolean {
    return !engine.db.memory && !engine.db.readonly && engine.clock === systemClock;
  }

  create(creation: OrderCreation): Promise<OrderData> {
    if (this.broken) return placeCreation(this.engine, creation);
    this.start();
    if (!this.ready) return placeCreation(this.engine, creation);
    const id = this.nextId++;
    return new Promise<OrderData>((resolve, reject) => {
      this.sent.set(id, { resolve, reject });
      this.post({ id, creation });
    });
  }

  private start(): void {
    if (this.worker) return;
    const workerData: WriterThreadData = {
      role: 'writer',
      dbPath: this.engine.db.name,
      entry: this.entry.href,
    };
    const worker = new Worker(this.entry, { workerData });
    worker.unref();
    worker.on('message', (answer: WriterAnswer) => this.receive(answer));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => this.fail(new Error(`The order writer stopped (exit code ${code}).`)));
    this.worker = worker;
  }

  private receive(answer: WriterAnswer): void {
    if (answer.type === 'ready') {
      this.ready = true;
      this.readyWaiters.splice(0).forEach((resolve) => resolve(true));
      return;
    }
    // The writer answers once its group is committed; its callers hear once the commit is durable.
    this.engine.flushWal().then(
      () => this.settle(answer.outcomes),
      (error: Error) => this.settle(answer.outcomes.map(({ id }) => ({ id, error: carryError(error) }))),
    );
  }

  private settle(outcomes: CreationOutcome[]): void {
    for (const outcome of outcomes) {
      const waiting = this.sent.get(outcome.id);
      if (!waiting) continue;
      this.sent.delete(outcome.id);
      if ('order' in outcome) waiting.resolve(outcome.order);
      else waiting.reject(restoreError(outcome.error));
    }
    if (this.sent.size === 0) this.drained.splice(0).forEach((done) => done());
  }

  private fail(error: Error): void {
    if (this.broken) return;
    this.worker = undefined;
    this.ready = false;
    this.broken = true;
    for (const waiting of this.sent.values()) waiting.reject(error);
    this.sent.clear();
    this.drained.splice(0).forEach((done) => done());
    this.readyWaiters.splice(0).forEach((resolve) => resolve(false));
  }

  /** Answers every creation sent to the thread, then closes the thread's connection and ends it. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker || this.broken) return;
    if (this.sent.size > 0) await new Promise<void>((done) => this.drained.push(done));
    if (this.broken) return;
    this.broken = true;
    this.worker = undefined;
    const exited = new Promise<void>((done) => worker.once('exit', () => done()));
    // Unreferenced while it runs, so it keeps no process alive; held now until its connection is closed.
    worker.ref();
    worker.postMessage({ type: 'close' } satisfies WriterRequest);
    await exited;
  }
}
