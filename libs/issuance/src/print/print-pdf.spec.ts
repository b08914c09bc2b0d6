import { Writable } from 'node:stream';
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { A4_HEIGHT, A4_WIDTH, expectedPageCount } from './print-layout';
import { renderPrintPdf } from './print-pdf';
import { fromArray, HEADER, memorySink, signedBooklets } from './print-test-fixtures';
import { PrintBooklet, PrintProgress } from './print-types';
import { pdfText } from '../../../testing/src/pdf-text';

async function render(counts: number[], header = HEADER) {
  const { booklets } = signedBooklets(counts, header.faceValueCents);
  const out = memorySink();
  const progress: PrintProgress[] = [];
  const result = await renderPrintPdf(header, fromArray(booklets), out, (p) => progress.push(p));
  return { booklets, result, progress, bytes: out.bytes() };
}

describe('renderPrintPdf', () => {
  it.each([[[10, 10]], [[1]], [[20]], [[3, 4, 2]]])('a file of booklets %j has the layout’s page count, all A4', async (counts) => {
    const { result, bytes } = await render(counts);
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBe(expectedPageCount(counts));
    expect(result).toEqual({ pages: expectedPageCount(counts), booklets: counts.length, vouchers: counts.reduce((a, b) => a + b, 0) });
    for (const page of pdf.getPages()) {
      expect(page.getWidth()).toBeCloseTo(A4_WIDTH, 1);
      expect(page.getHeight()).toBeCloseTo(A4_HEIGHT, 1);
    }
  });

  it('reports progress after each booklet, increasing, ending at the totals', async () => {
    const { progress } = await render([10, 1, 20]);
    expect(progress).toEqual([
      { booklets: 1, vouchers: 10 },
      { booklets: 2, vouchers: 11 },
      { booklets: 3, vouchers: 31 },
    ]);
  });

  it('prints the cover and cheque texts, accents and € included, with the standard Helvetica fonts only', async () => {
    const header = { ...HEADER, funderName: 'Communauté de Lozère — Łódź 😀', faceValueCents: 1250 };
    const { booklets, bytes } = await render([4], header);
    const text = pdfText(bytes);
    const [cover, ...cheques] = text.split('\f');
    // Non-WinAnsi characters degrade visibly (ź → z, emoji → ?) instead of printing wrong glyphs.
    expect(cover).toContain('Communauté de Lozère — Lódz ?');
    expect(cover).toContain(`Carnet n° ${booklets[0].serial}`);
    expect(cover).toContain('4 chèques de 12,50 € — valeur totale 50,00 €');
    expect(cover).toContain("Valable jusqu'au 31/12/2027");
    expect(cover).toContain(`https://sillage.example/p#${booklets[0].passToken}`);
    const chequeText = cheques.join('\n');
    for (const v of booklets[0].vouchers) {
      const grouped = `${v.humanCode.slice(0, 4)}-${v.humanCode.slice(4, 8)}-${v.humanCode.slice(8)}`;
      expect(chequeText).toContain(grouped);
      // Serial on the cheque and again on its "service fait" stub.
      expect(chequeText.split(v.serial).length - 1).toBe(2);
    }
    expect(chequeText.split('SERVICE FAIT').length - 1).toBe(4);
    expect(chequeText.split('12,50 €').length - 1).toBe(8); // face value on each cheque and its stub

    const pdf = await PDFDocument.load(bytes);
    for (const page of pdf.getPages()) {
      const fonts = page.node.Resources()?.lookup(PDFName.of('Font'), PDFDict);
      const names = fonts?.values().map((ref) => String(pdf.context.lookup(ref, PDFDict).get(PDFName.of('BaseFont'))));
      // Cheques replay recorded operators naming both fonts: each page must list both.
      expect(names?.sort()).toEqual(['/Helvetica', '/Helvetica-Bold']);
    }
  });

  it('refuses a booklet with a human code that fails its check character, an empty booklet, and no booklets', async () => {
    const { booklets } = signedBooklets([2]);
    const tampered: PrintBooklet = { ...booklets[0], vouchers: [{ ...booklets[0].vouchers[0], humanCode: 'ABCDEFGHJKMN' }] };
    await expect(renderPrintPdf(HEADER, fromArray([tampered]), memorySink())).rejects.toThrow(/human code/);
    await expect(renderPrintPdf(HEADER, fromArray([{ ...booklets[0], vouchers: [] }]), memorySink())).rejects.toThrow(/no voucher/);
    await expect(renderPrintPdf(HEADER, fromArray([]), memorySink())).rejects.toThrow(/at least one booklet/);
    await expect(renderPrintPdf({ ...HEADER, validUntil: '31/12/2027' }, fromArray(booklets), memorySink())).rejects.toThrow(RangeError);
  });

  it('rejects, without hanging, when the output fails mid-file', async () => {
    const { booklets } = signedBooklets([10, 10, 10]);
    let written = 0;
    const failing = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.length;
        callback(written > 20_000 ? new Error('disk full') : null);
      },
    });
    await expect(renderPrintPdf(HEADER, fromArray(booklets), failing)).rejects.toThrow('disk full');
  });

  it('waits for a slow output instead of racing ahead and buffering the file (backpressure)', async () => {
    const { booklets } = signedBooklets([10, 10, 10, 10, 10, 10]);
    const highWaterMark = 8 * 1024;
    let taken = 0;
    const slow = new Writable({
      highWaterMark,
      write(chunk: Buffer, _encoding, callback) {
        taken += chunk.length;
        setTimeout(callback, 1); // a slow disk or network
      },
    });
    const takenWhenBookletDone: number[] = [];
    await renderPrintPdf(HEADER, fromArray(booklets), slow, () => takenWhenBookletDone.push(taken));
    expect(slow.writableFinished).toBe(true);
    const perBooklet = taken / booklets.length; // ~30 KB: a cover and four cheque pages
    expect(perBooklet).toBeGreaterThan(2 * highWaterMark);
    // When booklet k is drawn, the output has already taken nearly k booklets' worth: the renderer
    // is at most about a page (~10 KB) plus the output's buffer ahead, whatever the file's size.
    takenWhenBookletDone.forEach((t, i) => expect((i + 1) * perBooklet - t).toBeLessThan(highWaterMark + 24 * 1024));
  });
});
