import { z } from 'zod';
import {
  cancelJob,
  confirmPagePrinted,
  enqueuePrintJob,
  listPrintJobs,
  printJobRow,
  retryJob,
} from '../../engine/printing';
import { deletePrinter, listPrinterRows, printerRow, savePrinter } from '../../engine/printing';
import { printerView, printJobView, type PrintJob } from '../../engine/printing';
import type { EngineContext } from '../../engine/context';
import type { PrintJobView } from '../../../shared/contract';
import { empty, id } from '../inputs';
import { defineMethods, type RpcEnv } from '../registry';

const printerSettings = z.object({
  name: z.string().trim().min(1, 'Give the printer a name.').max(100),
  role: z.enum(['tickets', 'receipts', 'reports']),
  connection: z.enum(['system', 'tcp', 'device']),
  address: z.string().trim().max(300),
  protocol: z.enum(['pdf', 'fgl', 'escpos']),
  dpi: z.number().int().min(100).max(1200),
  paper: z.enum(['a4', 'letter', '80mm', 'thermal-2x5.5in']),
  printWidthMm: z.number().positive().max(400),
  enabled: z.boolean(),
});

function kick(env: RpcEnv): void {
  env.printQueue?.kick();
}

/** One change to the print queue: the queue's worker is told, and the job answered as it stands after it. */
function changeJob(env: RpcEnv, change: (ctx: EngineContext) => PrintJob): PrintJobView {
  const job = env.engine.command(change, env.actor);
  kick(env);
  return printJobView(env.engine.db, job);
}

export const printingMethods = defineMethods({
  'printing.queue': {
    input: empty,
    run: (env) => ({
      printers: listPrinterRows(env.engine.db).map(printerView),
      jobs: listPrintJobs(env.engine.db).map((j) => printJobView(env.engine.db, j)),
    }),
  },
  'printers.save': {
    input: z.object({ id: id.nullable(), printer: printerSettings }),
    run(env, input) {
      const row = env.engine.command((ctx) => savePrinter(ctx, input.printer, input.id), env.actor);
      kick(env);
      return printerView(row);
    },
  },
  'printers.remove': {
    input: z.object({ id }),
    run(env, input) {
      env.engine.command((ctx) => deletePrinter(ctx, input.id), env.actor);
      return { id: input.id };
    },
  },
  'printers.test': {
    input: z.object({ id, key: z.string().min(1).max(100) }),
    run: (env, input) =>
      changeJob(env, (ctx) => {
        const printer = printerRow(ctx.db, input.id);
        return enqueuePrintJob(ctx, {
          key: `test:${input.key}`,
          printerId: printer.id,
          kind: 'test',
          title: `Test print on ${printer.name}`,
          pagesTotal: 1,
        });
      }),
  },
  'printJobs.retry': {
    input: z.object({ id }),
    run: (env, input) => changeJob(env, (ctx) => retryJob(ctx, input.id)),
  },
  'printJobs.cancel': {
    input: z.object({ id }),
    run: (env, input) => changeJob(env, (ctx) => cancelJob(ctx, input.id)),
  },
  'printJobs.confirmPrinted': {
    input: z.object({ id }),
    run: (env, input) =>
      changeJob(env, (ctx) => {
        const row = printJobRow(ctx.db, input.id);
        return confirmPagePrinted(ctx, input.id, printerRow(ctx.db, row.printer_id).name);
      }),
  },
});
