import { EngineError, type ErrorBody, type ErrorKind } from '../../engine/errors';
import type { OrderCreation } from './create-order';

/** Main thread → order writer. */
export type WriterRequest = { type: 'create'; id: number; creation: OrderCreation } | { type: 'close' };

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

/** Order writer → main thread. */
export type WriterAnswer =
  | { type: 'ready' }
  | { type: 'created'; id: number; json: string }
  | { type: 'failed'; id: number; error: CarriedError };

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
