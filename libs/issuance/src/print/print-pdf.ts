import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import PDFDocument from 'pdfkit';
import { isWellFormedHumanCode } from '../codes/human-code';
import { ChequeStamps, chequeStamps, drawCheque } from './cheque-page';
import { drawCover } from './cover-page';
import { assertPrintableHeader } from './print-format';
import { PrintContext, printContext } from './print-context';
import { CHEQUES_PER_PAGE } from './print-layout';
import { PrintBooklet, PrintOrderHeader, PrintProgress } from './print-types';

export interface PrintPdfResult {
  pages: number;
  booklets: number;
  vouchers: number;
}

/**
 * Streams an order's print file (A4 PDF) to `out`: per booklet, its cover then its cheques three to
 * a page. Booklets are read one at a time, pages are flushed as soon as the next one starts, and the
 * renderer waits whenever `out` asks it to (backpressure), so memory does not grow with the order.
 * `out` is ended when the file is complete. On failure the promise rejects and `out` is left as it
 * is (unpiped, not ended, holding a partial file): the caller discards it.
 */
export async function renderPrintPdf(
  header: PrintOrderHeader,
  booklets: AsyncIterable<PrintBooklet>,
  out: NodeJS.WritableStream,
  onProgress?: (p: PrintProgress) => void,
): Promise<PrintPdfResult> {
  assertPrintableHeader(header);
  const ctx = printContext(header);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    lang: 'fr-FR',
    info: { Title: `Sillage — chèques de la commande ${header.orderReference}`, Author: 'Sillage', Creator: 'Sillage' },
  });
  const sink = watchSink(doc, out);
  doc.pipe(out);
  try {
    const stamps: { value?: ChequeStamps } = {};
    const done = { pages: 0, booklets: 0, vouchers: 0 };
    for await (const booklet of booklets) {
      assertPrintableBooklet(booklet);
      done.pages += await drawBooklet(doc, ctx, stamps, booklet, sink);
      done.booklets++;
      done.vouchers += booklet.vouchers.length;
      onProgress?.({ booklets: done.booklets, vouchers: done.vouchers });
    }
    if (done.pages === 0) throw new RangeError('a print file holds at least one booklet');
    const ended = sink.completion();
    doc.end();
    await ended;
    return done;
  } catch (e) {
    doc.unpipe(out);
    sink.dispose();
    throw e;
  }
}

async function drawBooklet(
  doc: PDFKit.PDFDocument,
  ctx: PrintContext,
  stamps: { value?: ChequeStamps },
  booklet: PrintBooklet,
  sink: Sink,
) {
  let pages = 0;
  // pdfkit writes a page out when the next one is added: that is when `out` may push back.
  const newPage = async () => {
    const previous = doc.page as PDFKit.PDFPage | null;
    doc.addPage(); // writes `previous` out
    if (previous) releaseWrittenPage(previous);
    pages++;
    await sink.ready();
  };
  await newPage();
  drawCover(doc, ctx, booklet);
  for (let i = 0; i < booklet.vouchers.length; i++) {
    const slot = i % CHEQUES_PER_PAGE;
    if (slot === 0) await newPage();
    stamps.value ??= chequeStamps(doc, ctx); // recorded on the file's first cheque page
    drawCheque(doc, stamps.value, booklet.serial, booklet.vouchers[i], slot);
  }
  return pages;
}

/**
 * pdfkit keeps every page's dictionary (media box, resource and content references) until the file
 * ends, although only its object number is still needed then (for the page tree's `Kids`). Dropping
 * the written dictionary's data cuts what each page retains from ~1.5 KB to ~0.1 KB.
 */
function releaseWrittenPage(page: PDFKit.PDFPage): void {
  page.dictionary.data = {} as typeof page.dictionary.data;
}

function assertPrintableBooklet(b: PrintBooklet): void {
  if (typeof b.serial !== 'string' || b.serial === '') throw new RangeError('a booklet has a serial');
  if (b.vouchers.length === 0) throw new RangeError(`booklet ${b.serial} holds no voucher`);
  for (const v of b.vouchers) {
    if (typeof v.serial !== 'string' || v.serial === '') throw new RangeError(`a voucher of booklet ${b.serial} has no serial`);
    // A code that fails its own check character could never be redeemed: refuse to print it.
    if (!isWellFormedHumanCode(v.humanCode)) throw new RangeError(`voucher ${v.serial}: the human code is not canonical`);
    if (typeof v.qrPayload !== 'string' || v.qrPayload === '') throw new RangeError(`voucher ${v.serial} has no QR payload`);
  }
}

interface Sink {
  /** Resolves at once unless `out` pushed back, then at its next 'drain'; rejects if `out` failed. */
  ready(): Promise<void>;
  /** Resolves when `out` has taken the whole file (its 'finish'). */
  completion(): Promise<void>;
  dispose(): void;
}

/**
 * Watches `out` for errors and for the backpressure that `pipe` applies: when `out.write` returns
 * false, pipe pauses the document (`readableFlowing === false`) and resumes it on 'drain'. pdfkit
 * keeps pushing into its own buffer meanwhile, so the renderer checks after each page and waits
 * there: at most about one page is buffered beyond `out`'s high-water mark.
 */
function watchSink(doc: PDFKit.PDFDocument, out: NodeJS.WritableStream): Sink {
  let failure: Error | undefined;
  let finished = false;
  let drains = 0;
  let wake: (() => void) | undefined; // the renderer waits for one thing at a time
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const onError = (e: Error) => {
    failure ??= e;
    notify();
  };
  const onClose = () => {
    if (!finished) failure ??= new Error('the print output closed before the file was complete');
    notify();
  };
  const onDrain = () => {
    drains++;
    notify();
  };
  const onFinish = () => {
    finished = true;
    notify();
  };
  out.on('error', onError);
  out.on('close', onClose);
  out.on('drain', onDrain);
  out.on('finish', onFinish);
  const dispose = () => {
    out.removeListener('error', onError);
    out.removeListener('close', onClose);
    out.removeListener('drain', onDrain);
    out.removeListener('finish', onFinish);
  };

  const waitFor = (done: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (failure) reject(failure);
        else if (done()) resolve();
        else wake = check;
      };
      check();
    });

  return {
    ready: async () => {
      // pdfkit pushes into the document's stream buffer; pipe moves it to `out` only from the event
      // loop. When booklets come from memory the render loop never leaves microtasks, so without
      // this the whole file would wait in that buffer.
      if (doc.readableLength > 0) await yieldToEventLoop();
      // Paused by pipe means no 'drain' since: pipe resumes the document from its own 'drain' handler.
      while (doc.readableFlowing === false) {
        const seen = drains;
        await waitFor(() => drains > seen);
      }
      await waitFor(() => true); // surfaces an error `out` reported meanwhile
    },
    completion: () => waitFor(() => finished).finally(dispose),
    dispose,
  };
}
