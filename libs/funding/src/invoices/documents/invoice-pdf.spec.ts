import { PDFDocument } from 'pdf-lib';
import { InvoiceDocumentError } from './document-checks';
import { renderInvoicePdf } from './invoice-pdf';
import { orderInvoiceLines } from './invoice-lines';
import { buyer, creditNoteFor, invoiceFor, orderInvoice } from './test-fixtures';
import { pdfText } from '../../../../testing/src/pdf-text';

describe('renderInvoicePdf', () => {
  const invoice = orderInvoice({ voucherCount: 1000, faceValueCents: 1000, feeRateBp: 400, vatRateBp: 2000 });

  it('renders an A4 invoice in French with number, dates, parties, references, lines, VAT, totals and mentions', async () => {
    const pdf = await renderInvoicePdf(invoice);
    const parsed = await PDFDocument.load(pdf);
    expect(parsed.getPageCount()).toBe(1);
    const { width, height } = parsed.getPage(0).getSize();
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);
    expect(parsed.getTitle()).toBe('Facture FA-2026-000001');

    const text = pdfText(pdf);
    for (const expected of [
      'FACTURE',
      'N° FA-2026-000001',
      "Date d'émission : 15/01/2026",
      "Date d'échéance : 14/02/2026",
      'Sillage Opérations SAS',
      'SIREN : 912345678',
      'N° TVA intracommunautaire : FR40912345678',
      'Bon de commande : BC-2026-0042',
      'Marché : MARCHE-2025-17',
      'Bons à usages multiples,',
      '1 000',
      '10 000,00 €',
      '400,00 €',
      '20 %',
      'Hors champ de la TVA (O)',
      '80,00 €',
      '10 480,00 €',
      'Net à payer',
      "trois fois le taux d'intérêt légal",
      'recouvrement due en cas de retard de paiement : 40 €',
      "Pas d'escompte pour paiement anticipé.",
      'Page 1 / 1',
    ]) {
      expect(text).toContain(expected);
    }
    // The funder's name wraps in its box: check its parts, special characters included.
    expect(text).toContain("Communauté d'agglomération Côte &");
    expect(text).toContain('Bocage <Sud> "Œuvres"');
  });

  it('renders a credit note titled AVOIR that names the credited invoice and asks for no payment', async () => {
    const doc = creditNoteFor(orderInvoiceLines({ voucherCount: 250, faceValueCents: 1000, feeRateBp: 0, vatRateBp: 2000 }));
    const pdf = await renderInvoicePdf(doc);
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(1);
    const text = pdfText(pdf);
    expect(text).toContain('AVOIR');
    expect(text).toContain('N° AV-2026-000001');
    expect(text).toContain('Avoir sur la facture N° FA-2026-000001 du 15/01/2026');
    expect(text).toContain("Montant de l'avoir");
    expect(text).toContain('2 500,00 €');
    expect(text).not.toContain('Net à payer');
    expect(text).not.toContain('échéance');
  });

  it('continues a long table on further pages, numbers every page and keeps the mentions on the last', async () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      ...invoice.lines[0],
      id: String(i + 1),
      description: `Lot n°${i + 1} de bons à usages multiples`,
    }));
    const pdf = await renderInvoicePdf(invoiceFor(many));
    const pages = (await PDFDocument.load(pdf)).getPageCount();
    expect(pages).toBeGreaterThan(1);
    const text = pdfText(pdf);
    for (let i = 1; i <= 40; i++) expect(text).toContain(`Lot n°${i} de bons`);
    for (let page = 1; page <= pages; page++) expect(text).toContain(`Page ${page} / ${pages}`);
    expect(text).toContain('400 000,00 €');
    expect(pdfText(pdf, { first: pages, last: pages })).toContain("Pas d'escompte pour paiement anticipé.");
    expect(pdfText(pdf, { first: 1, last: 1 })).not.toContain("Pas d'escompte");
  });

  it('draws names outside the standard font legibly instead of with missing glyphs', async () => {
    const doc = invoiceFor(invoice.lines, { buyer: { ...buyer, name: 'Gmina Łódź — Zakład 🎫' } });
    expect(pdfText(await renderInvoicePdf(doc))).toContain('Gmina Lódz — Zaklad ?');
  });

  it('gives the same bytes for the same document, so a stored copy can be checked by hash', async () => {
    const [a, b] = await Promise.all([renderInvoicePdf(invoice), renderInvoicePdf(invoice)]);
    expect(a.equals(b)).toBe(true);
    const other = await renderInvoicePdf({ ...invoice, number: 'FA-2026-000002' });
    expect(a.equals(other)).toBe(false);
  });

  it('refuses a document whose totals do not match its lines', async () => {
    await expect(renderInvoicePdf({ ...invoice, totals: { ...invoice.totals, payableCents: 1 } })).rejects.toThrow(InvoiceDocumentError);
  });
});
