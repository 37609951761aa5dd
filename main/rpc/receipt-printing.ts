import { queueDocument } from '../engine/printing';
import { printerForRole } from '../engine/printing';
import { receiptById } from '../engine/receipts';
import { receiptPdf, receiptRows } from '../engine/reports';
import type { SlipPaper } from '../engine/reports';
import { readDeskSettings } from '../engine/preferences';
import type { RpcEnv } from './registry';

/** The slip paper matching a printer's stock: receipt rolls get the 80 mm slip, sheets the A4 one. */
export function slipPaperFor(paper: string): SlipPaper {
  return paper === 'a4' || paper === 'letter' ? 'a4' : '80mm';
}

/**
 * Where the desk is set to print receipts, queues the receipt's PDF on the receipts printer. The job's
 * key is the receipt's desk and number, so a retried completion or refund never queues it twice. Runs
 * after the sale committed: a receipt that cannot be rendered never undoes the sale (it stays printable
 * from the order). The job carries no order: the order's print log is for its tickets.
 */
export async function printReceiptIfSet(env: RpcEnv, receiptId: number | null | undefined): Promise<void> {
  if (receiptId == null || !readDeskSettings(env.engine.db).printReceipts) return;
  const printer = printerForRole(env.engine.db, 'receipts');
  if (!printer) return;
  try {
    const pdf = await receiptPdf(env.engine.db, receiptId, slipPaperFor(printer.paper));
    const job = env.engine.command((ctx) => {
      const receipt = receiptById(ctx.db, receiptId);
      if (!receipt) return null;
      return queueDocument(ctx, {
        role: 'receipts',
        key: `receipt:${receipt.desk}:${receipt.number}`,
        title: receiptRows(ctx.db, receiptId).title,
        pdf,
      });
    }, env.actor);
    if (job) env.printQueue?.kick();
  } catch (err) {
    console.error('The receipt could not be queued for printing:', err);
  }
}
