import type { EngineContext } from '../engine/context';
import type { Engine } from '../engine/engine';
import {
  failJob,
  nextJobFor,
  pageAcknowledged,
  pageNotPrinted,
  pageSending,
  printersWithWork,
  printJobRow,
  recoverInterruptedJobs,
  setJobPages,
  uncertainPageReason,
  type PrintJob,
} from '../engine/printing';
import { holdPrinter, printerRow, releasePrinter, type Printer } from '../engine/printing';
import { countPdfPages, jobPdf, printerPages } from './documents';
import {
  openDeviceLink,
  openTcpLink,
  printWithLp,
  PrinterLinkLost,
  PrinterUnreachable,
  type PrinterLink,
} from './links';
import { ESCPOS_PAGE_DONE_QUERY, ESCPOS_PAPER_QUERY, escposPaperStatus } from './protocols/escpos';
import { FGL_PAPER_LOADED, FGL_RESPONSE_TIMEOUT_MS, fglStatus } from './protocols/fgl';

export interface PrintQueueOptions {
  /** How long a printer that is out of paper, jammed or unreachable waits before it is tried again. */
  retryMs?: number;
  /** How long a page may go unconfirmed before the desk is asked (pretixPRINT: 15 s). */
  responseTimeoutMs?: number;
  /** Prints a PDF on a system printer where `lp` does not exist (Electron's silent print on Windows). */
  systemPrint?: (pdf: Buffer, printerName: string, title: string) => Promise<void>;
  /** The CUPS command (tests point it at a stand-in). */
  lpCommand?: string;
  /** Called after every change of a job or printer, for the desk to refresh. */
  onChange?: () => void;
  log?: (line: string) => void;
}

/**
 * Yields what `source` yields, already preparing the next item while the caller sends the current one:
 * the next ticket is rasterised while the printer prints this one.
 */
async function* aheadByOne<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = source.next();
  // A failure surfaces when the caller comes to that item, not as an unhandled rejection.
  next.catch(() => undefined);
  try {
    for (;;) {
      const item = await next;
      if (item.done) return;
      next = source.next();
      next.catch(() => undefined);
      yield item.value;
    }
  } finally {
    await next.catch(() => undefined);
    await source.return(undefined);
  }
}

function seconds(ms: number): string {
  return `${ms % 1000 === 0 ? ms / 1000 : (ms / 1000).toFixed(1)} s`;
}

type Outcome = 'done' | 'held' | 'failed' | 'stopped';

/** One page of a job on its way to a printer that talks over a link (TCP or a device file). */
interface PageOnLink {
  printer: Printer;
  job: PrintJob;
  link: PrinterLink;
  page: number;
  bytes: Buffer;
}

/** Thrown inside a job when the printer answered that it cannot print now; the job waits. */
class PrinterHeld extends Error {}

/**
 * The print queue's worker: one loop per printer takes that printer's oldest unfinished job, renders
 * it, and sends it page by page. Every state change is an engine command, so the queue is the
 * database: a restart carries on where the last acknowledged page left off.
 */
export class PrintQueue {
  private loops = new Map<number, Promise<void>>();
  private sleepers = new Map<number, () => void>();
  private stopped = false;
  private readonly retryMs: number;
  private readonly responseTimeoutMs: number;

  constructor(
    private engine: Engine,
    private options: PrintQueueOptions = {},
  ) {
    this.retryMs = options.retryMs ?? 5000;
    this.responseTimeoutMs = options.responseTimeoutMs ?? FGL_RESPONSE_TIMEOUT_MS;
  }

  /** Recovers jobs a stopped process left printing, then starts every printer that has work. */
  start(): void {
    const recovered = this.engine.command((ctx) => recoverInterruptedJobs(ctx), 'printing');
    if (recovered) this.options.log?.(`Print queue: ${recovered} interrupted job(s) recovered.`);
    this.kick();
  }

  /** New work or a desk decision: start idle printers and wake waiting ones now. */
  kick(): void {
    if (this.stopped) return;
    for (const wake of this.sleepers.values()) wake();
    for (const id of printersWithWork(this.engine.db)) {
      if (this.loops.has(id)) continue;
      const loop = this.runPrinter(id)
        .catch((e: Error) => this.options.log?.(`Print queue: printer ${id} stopped: ${e.message}`))
        .finally(() => {
          this.loops.delete(id);
          // Work that arrived while the loop was finishing.
          if (!this.stopped && printersWithWork(this.engine.db).includes(id)) this.kick();
        });
      this.loops.set(id, loop);
    }
  }

  /** Resolves when no printer has work it can do now (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.loops.size > 0) await Promise.all([...this.loops.values()]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.sleepers.values()) wake();
    await Promise.all([...this.loops.values()]);
  }

  private changed(): void {
    this.options.onChange?.();
  }

  private command<T>(fn: (ctx: EngineContext) => T): T {
    const result = this.engine.command(fn, 'printing');
    this.changed();
    return result;
  }

  private sleep(printerId: number, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.sleepers.set(printerId, () => {
        this.sleepers.delete(printerId);
        done();
      });
    });
  }

  private async runPrinter(printerId: number): Promise<void> {
    while (!this.stopped) {
      const job = nextJobFor(this.engine.db, printerId);
      if (!job) return;
      let printer: Printer;
      try {
        printer = printerRow(this.engine.db, printerId);
      } catch {
        return;
      }
      if (!printer.enabled) return;
      const outcome = await this.printJob(printer, job);
      if (outcome === 'held') await this.sleep(printerId, this.retryMs);
    }
  }

  private hold(printer: Printer, reason: string): void {
    this.command((ctx) => holdPrinter(ctx, printer.id, `${printer.name}: ${reason}`));
  }

  private release(printer: Printer): void {
    if (printerRow(this.engine.db, printer.id).state !== 'ready') {
      this.command((ctx) => releasePrinter(ctx, printer.id));
    }
  }

  private stillActive(jobId: number): boolean {
    const state = printJobRow(this.engine.db, jobId).state;
    return state === 'queued' || state === 'printing';
  }

  private async printJob(printer: Printer, job: PrintJob): Promise<Outcome> {
    let pdf: Buffer;
    let total: number;
    try {
      pdf = await jobPdf(this.engine.db, job, printer);
      total = job.pages_total ?? (await countPdfPages(pdf));
    } catch (e) {
      this.command((ctx) =>
        failJob(ctx, job.id, `The document could not be prepared: ${(e as Error).message}`),
      );
      return 'failed';
    }
    if (job.pages_total === null) this.command((ctx) => setJobPages(ctx, job.id, total));
    try {
      if (printer.protocol === 'pdf') return await this.printPdfWhole(printer, job, pdf, total);
      if (printer.connection === 'system') return await this.printRawWithLp(printer, job, pdf, total);
      return await this.printOverLink(printer, job, pdf, total);
    } catch (e) {
      if (e instanceof PrinterUnreachable || e instanceof PrinterHeld) {
        if (e instanceof PrinterUnreachable) this.hold(printer, e.message);
        return 'held';
      }
      if (e instanceof PrinterLinkLost) {
        const current = printJobRow(this.engine.db, job.id);
        if (current.page_in_flight !== null) {
          this.command((ctx) =>
            failJob(ctx, job.id, uncertainPageReason(current, `the connection broke (${e.message})`)),
          );
          return 'failed';
        }
        this.hold(printer, e.message);
        return 'held';
      }
      throw e;
    }
  }

  /** Hands bytes to CUPS's `lp` as one spooler job (raw printer bytes, or a document CUPS renders). */
  private spoolWithLp(printer: Printer, job: PrintJob, bytes: Buffer, raw: boolean): Promise<void> {
    return printWithLp(printer.address, bytes, { raw, title: job.title, command: this.options.lpCommand });
  }

  /** Records that the spooler refused the page being sent. */
  private notPrinted(job: PrintJob, error: unknown): void {
    this.command((ctx) => pageNotPrinted(ctx, job.id, (error as Error).message));
  }

  /** A PDF on a system printer: the whole document in one go (CUPS or Electron owns the pages). */
  private async printPdfWhole(printer: Printer, job: PrintJob, pdf: Buffer, total: number): Promise<Outcome> {
    if (!this.stillActive(job.id)) return 'stopped';
    this.command((ctx) => pageSending(ctx, job.id, job.pages_done));
    try {
      if (this.options.systemPrint && process.platform === 'win32') {
        await this.options.systemPrint(pdf, printer.address, job.title);
      } else {
        await this.spoolWithLp(printer, job, pdf, false);
      }
    } catch (e) {
      // The spooler refused the document, so nothing is printing.
      this.notPrinted(job, e);
      throw e instanceof PrinterUnreachable ? e : new PrinterUnreachable((e as Error).message);
    }
    for (let page = job.pages_done; page < total; page++) {
      this.command((ctx) => pageAcknowledged(ctx, job.id, page, printer.name));
    }
    this.release(printer);
    return 'done';
  }

  /** Raw printer bytes through CUPS (`lp -o raw`): each page is its own spooler job. */
  private async printRawWithLp(
    printer: Printer,
    job: PrintJob,
    pdf: Buffer,
    total: number,
  ): Promise<Outcome> {
    let page = job.pages_done;
    for await (const bytes of aheadByOne(printerPages(pdf, printer, page))) {
      if (this.stopped || !this.stillActive(job.id)) return 'stopped';
      this.command((ctx) => pageSending(ctx, job.id, page));
      try {
        await this.spoolWithLp(printer, job, bytes, true);
      } catch (e) {
        this.notPrinted(job, e);
        throw e;
      }
      const acked = page;
      this.command((ctx) => pageAcknowledged(ctx, job.id, acked, printer.name));
      page++;
    }
    this.release(printer);
    return page >= total ? 'done' : 'stopped';
  }

  private async printOverLink(printer: Printer, job: PrintJob, pdf: Buffer, total: number): Promise<Outcome> {
    const link: PrinterLink =
      printer.connection === 'tcp'
        ? await openTcpLink(printer.address)
        : await openDeviceLink(printer.address);
    try {
      link.discardPending();
      let page = job.pages_done;
      for await (const bytes of aheadByOne(printerPages(pdf, printer, page))) {
        if (this.stopped || !this.stillActive(job.id)) return 'stopped';
        const send: PageOnLink = { printer, job, link, page, bytes };
        const outcome =
          printer.protocol === 'fgl' ? await this.sendFglPage(send) : await this.sendEscposPage(send);
        if (outcome !== 'done') return outcome;
        page++;
      }
      this.release(printer);
      return page >= total ? 'done' : 'stopped';
    } finally {
      link.close();
    }
  }

  private acknowledge(printer: Printer, job: PrintJob, page: number): void {
    this.command((ctx) => pageAcknowledged(ctx, job.id, page, printer.name));
    this.release(printer);
  }

  private unconfirmed(job: PrintJob, cause: string): Outcome {
    const current = printJobRow(this.engine.db, job.id);
    this.command((ctx) => failJob(ctx, job.id, uncertainPageReason(current, cause)));
    return 'failed';
  }

  /**
   * One FGL ticket: send, then read status bytes until the printer acknowledges or reports a problem.
   * Out of paper or jammed, the printer is held and the same connection is watched: a late
   * acknowledgement means the ticket printed after all; "paper loaded" (or the retry interval) sends it
   * again. A ticket is acknowledged once, and a page that was never confirmed is never sent twice
   * without the desk's word.
   */
  private async sendFglPage({ printer, job, link, page, bytes }: PageOnLink): Promise<Outcome> {
    for (;;) {
      this.command((ctx) => pageSending(ctx, job.id, page));
      await link.write(bytes);
      if (!link.answers) {
        this.acknowledge(printer, job, page);
        return 'done';
      }
      const answer = await this.awaitFglAnswer(link);
      if (answer.kind === 'ack') {
        this.acknowledge(printer, job, page);
        return 'done';
      }
      if (answer.kind === 'timeout') {
        this.hold(printer, 'does not answer');
        return this.unconfirmed(job, `the printer did not answer within ${seconds(this.responseTimeoutMs)}`);
      }
      if (answer.problem === 'fault') {
        this.command((ctx) => failJob(ctx, job.id, `${printer.name}: ${answer.reason}.`));
        return 'failed';
      }
      // Out of paper or jammed: the ticket did not print. Hold and watch the printer.
      this.command((ctx) => pageNotPrinted(ctx, job.id, answer.reason));
      this.hold(printer, answer.reason);
      for (;;) {
        if (this.stopped) return 'stopped';
        if (!this.stillActive(job.id)) return 'stopped';
        const byte = await this.waitOnLink(printer.id, link, this.retryMs);
        if (byte === null || FGL_PAPER_LOADED.has(byte)) break;
        const status = fglStatus(byte);
        if (status.kind === 'ack' && byte === 6) {
          // Printed after all, once the printer was seen to.
          this.acknowledge(printer, job, page);
          return 'done';
        }
        if (status.kind === 'error') this.hold(printer, status.reason);
      }
    }
  }

  /** Reads a byte, but gives up early when the desk wakes the printer (a retry, a cancel, a stop). */
  private async waitOnLink(printerId: number, link: PrinterLink, ms: number): Promise<number | null> {
    let woken = false;
    const sleeping = this.sleep(printerId, ms).then(() => {
      woken = true;
    });
    const deadline = Date.now() + ms;
    while (!woken && Date.now() < deadline) {
      const byte = await link.readByte(Math.min(100, deadline - Date.now()));
      if (byte !== null) {
        this.sleepers.get(printerId)?.();
        await sleeping;
        return byte;
      }
    }
    this.sleepers.get(printerId)?.();
    await sleeping;
    return null;
  }

  private async awaitFglAnswer(
    link: PrinterLink,
  ): Promise<
    | { kind: 'ack' }
    | { kind: 'timeout' }
    | { kind: 'error'; problem: 'paper' | 'jam' | 'fault'; reason: string }
  > {
    const deadline = Date.now() + this.responseTimeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      const byte = left > 0 ? await link.readByte(left) : null;
      if (byte === null) return { kind: 'timeout' };
      const status = fglStatus(byte);
      if (status.kind === 'wait') continue;
      return status;
    }
  }

  /**
   * One ESC/POS page: ask the paper sensor first (an empty roll holds the job with nothing sent), send
   * the page, and take the answer to `GS r 1`, which the printer gives once it has processed the page,
   * as its acknowledgement.
   */
  private async sendEscposPage({ printer, job, link, page, bytes }: PageOnLink): Promise<Outcome> {
    if (link.answers) {
      link.discardPending();
      await link.write(ESCPOS_PAPER_QUERY);
      const sensor = await link.readByte(this.responseTimeoutMs);
      if (sensor === null) {
        this.hold(printer, 'does not answer');
        throw new PrinterHeld();
      }
      const paper = escposPaperStatus(sensor);
      if (paper.kind === 'error') {
        this.hold(printer, paper.reason);
        throw new PrinterHeld();
      }
    }
    this.command((ctx) => pageSending(ctx, job.id, page));
    await link.write(link.answers ? Buffer.concat([bytes, ESCPOS_PAGE_DONE_QUERY]) : bytes);
    if (link.answers && (await link.readByte(this.responseTimeoutMs)) === null) {
      this.hold(printer, 'does not answer');
      return this.unconfirmed(job, `the printer did not answer within ${seconds(this.responseTimeoutMs)}`);
    }
    this.acknowledge(printer, job, page);
    return 'done';
  }
}
