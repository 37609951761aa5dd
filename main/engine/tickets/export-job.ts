import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/open';
import { exportTicketsToFile, type ExportOptions } from './export';

/** What the main thread sends a bulk-export worker. */
export interface ExportJobData {
  dbPath: string;
  options: Omit<ExportOptions, 'onProgress' | 'isCanceled'>;
  /** One Int32 set to 1 by the main thread to cancel; read between tickets without waiting for messages. */
  cancelFlag: SharedArrayBuffer;
}

export type ExportJobMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; count: number; total: number; canceled: boolean; outPath: string }
  | { type: 'error'; message: string };

const data = workerData as ExportJobData;
const cancel = new Int32Array(data.cancelFlag);
const post = (message: ExportJobMessage) => parentPort!.postMessage(message);

const db = openDatabase(data.dbPath, { readonly: true });
let lastPost = 0;
try {
  const result = await exportTicketsToFile(db, {
    ...data.options,
    onProgress: ({ done, total }) => {
      // At most ~20 progress messages a second, and always the first and the last.
      const now = Date.now();
      if (done === 0 || done === total || now - lastPost >= 50) {
        lastPost = now;
        post({ type: 'progress', done, total });
      }
    },
    isCanceled: () => Atomics.load(cancel, 0) === 1,
  });
  post({ type: 'done', ...result });
} catch (e) {
  post({ type: 'error', message: (e as Error).message });
} finally {
  db.close();
}
