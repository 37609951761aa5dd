import type { Database } from 'better-sqlite3';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { PaperName } from './layout';
import { layoutResolver } from './layouts-store';
import { iterateTickets, selectTicketPositionIds, type TicketSelection } from './loader';
import { writeTicketsPdf, type RenderAssets } from './render';

export interface ExportProgress {
  done: number;
  total: number;
}

export interface ExportOptions {
  selection: TicketSelection;
  outPath: string;
  /** Paper of the built-in layout, for products with no stored layout. */
  paper?: PaperName;
  assets?: RenderAssets;
  onProgress?: (progress: ExportProgress) => void;
  isCanceled?: () => boolean;
}

export interface ExportResult {
  count: number;
  total: number;
  canceled: boolean;
  outPath: string;
}

/**
 * Renders every ticket of a selection into one PDF file, streamed: positions are loaded a chunk at a
 * time and pages go to disk as they are finished. A canceled export leaves no partial file behind.
 * Runs on the calling thread; `startTicketExport` runs it on a worker thread.
 */
export async function exportTicketsToFile(db: Database, options: ExportOptions): Promise<ExportResult> {
  const ids = selectTicketPositionIds(db, options.selection);
  const total = ids.length;
  const layoutFor = layoutResolver(db, options.selection.eventId, options.paper);
  const out = createWriteStream(options.outPath);
  options.onProgress?.({ done: 0, total });
  try {
    const { count, canceled } = await writeTicketsPdf(iterateTickets(db, ids), out, {
      layoutFor,
      assets: options.assets,
      title: 'Tickets',
      onProgress: (done) => options.onProgress?.({ done, total }),
      isCanceled: options.isCanceled,
    });
    if (canceled) await rm(options.outPath, { force: true });
    return { count, total, canceled, outPath: options.outPath };
  } catch (e) {
    out.destroy();
    await rm(options.outPath, { force: true });
    throw e;
  }
}
