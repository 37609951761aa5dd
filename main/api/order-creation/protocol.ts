import { EngineError, type ErrorBody, type ErrorKind } from '../../engine/errors';
import type { OrderData } from '../../engine/orders';
import type { OrderCreation } from './create-order';

/**
 * Main thread → order writer. Creations travel in batches, and their outcomes too: each message costs
 * both threads a serialisation and a wake-up, so the creations that arrive in one turn of the server's
 * event loop go as one message, as do the outcomes one group commit settles at once.
 */
export type WriterRequest =
  { type: 'create'; batch: { id: number; creation: OrderCreation }[] } | { type: 'close' };

/** What a thread started from the writer's entry is told: its role, and the database the server has open. */
export type WriterThreadData =
  { role: 'writer'; dbPath: string; entry: string } | { role: 'checkpointer'; dbPath: string };

/** An error as it crosses threads: an engine error keeps everything a door answers from. */
export type CarriedError =
  | {
      engine: true;
      code: string;
      message: string;
      kind: ErrorKind;
      body: ErrorBody;
      retryAfterSeconds: number | undefined;
    }
  | { engine: false; message: string; stack: string | undefined; code: unknown };

/** What the writer stored for a creation (the server's thread renders the answer from it), or why it refused. */
export type CreationOutcome = { id: number; order: OrderData } | { id: number; error: CarriedError };

/** Order writer → main thread. */
export type WriterAnswer = { type: 'ready' } | { type: 'settled'; outcomes: CreationOutcome[] };

/**
 * Collects messages and sends those collected in one turn of the event loop as one: by default after the
 * turn's other work (`setImmediate`), or with `queueMicrotask` once the current task and the promise
 * reactions queued before it have run.
 */
export function batcher<T>(
  send: (batch: T[]) => void,
  later: (flush: () => void) => void = setImmediate,
): (item: T) => void {
  let batch: T[] = [];
  return (item) => {
    batch.push(item);
    if (batch.length > 1) return;
    later(() => {
      const sending = batch;
      batch = [];
      send(sending);
    });
  };
}

export function carryError(error: unknown): CarriedError {
  if (error instanceof EngineError) {
    const { code, message, kind, body, retryAfterSeconds } = error;
    return { engine: true, code, message, kind, body, retryAfterSeconds };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { engine: false, message: e.message, stack: e.stack, code: (e as { code?: unknown }).code };
}

export function restoreError(carried: CarriedError): Error {
  if (carried.engine) {
    const { code, message, kind, body, retryAfterSeconds } = carried;
    return new EngineError(code, message, { kind, body, retryAfterSeconds });
  }
  const error = new Error(carried.message);
  if (carried.stack) error.stack = carried.stack;
  if (carried.code !== undefined) Object.assign(error, { code: carried.code });
  return error;
}
