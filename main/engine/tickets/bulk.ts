import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { ExportOptions, ExportProgress, ExportResult } from './export';
import type { ExportJobData, ExportJobMessage } from './export-job';

/**
 * The export worker's heap limit. A streamed export keeps about 30 MB alive whatever its size; the limit
 * makes V8 collect garbage on time instead of letting the heap swell with a long run.
 */
export const EXPORT_HEAP_LIMIT_MB = 160;

export interface TicketExportJob {
  /** Emits `progress` with `{ done, total }`: the CLI's progress line and the desk's bar listen to it. */
  events: EventEmitter<{ progress: [ExportProgress] }>;
  /** Resolves when the PDF is complete, or with `canceled: true` (and no file) after `cancel()`. */
  done: Promise<ExportResult>;
  cancel(): void;
}

/**
 * Starts a bulk export on a worker thread, so the main process's event loop (the desk, the REST API)
 * stays responsive while thousands of tickets render. The worker opens the database file read-only.
 */
export function startTicketExport(
  dbPath: string,
  options: Omit<ExportOptions, 'onProgress' | 'isCanceled'>,
): TicketExportJob {
  const cancelFlag = new SharedArrayBuffer(4);
  const workerData: ExportJobData = { dbPath, options, cancelFlag };
  const worker = new Worker(new URL('./export-worker.mjs', import.meta.url), {
    workerData,
    resourceLimits: { maxOldGenerationSizeMb: EXPORT_HEAP_LIMIT_MB },
  });
  const events = new EventEmitter<{ progress: [ExportProgress] }>();
  const done = new Promise<ExportResult>((resolve, reject) => {
    let settled = false;
    worker.on('message', (message: ExportJobMessage) => {
      if (message.type === 'progress') events.emit('progress', { done: message.done, total: message.total });
      else if (message.type === 'done') {
        settled = true;
        const { type: _type, ...result } = message;
        resolve(result);
      } else {
        settled = true;
        reject(new Error(message.message));
      }
    });
    worker.on('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`ticket export worker stopped with code ${code}`));
    });
  });
  return {
    events,
    done,
    cancel: () => Atomics.store(new Int32Array(cancelFlag), 0, 1),
  };
}
