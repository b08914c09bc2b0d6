import { PDFDocument } from 'pdf-lib';
import { renderStatementPdf, StatementPdfError } from './statement-pdf';
import { formatParisDateTime, maskedIban } from './statement-pdf-text';
import type { StatementPdfDocument, StatementPdfLine } from './statement-pdf-types';
import { pdfText } from '../../../../testing/src/pdf-text';

/** Text with line breaks made spaces, for sentences that wrap. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

const IBAN = 'FR7630006000011234567890189';

function line(i: number, over: Partial<StatementPdfLine> = {}): StatementPdfLine {
  return {
    kind: 'service',
    orderReference: `BC-2026-${String(i).padStart(6, '0')}`,
    serviceCategory: i % 2 ? 'Atelier collectif' : 'Accompagnement individuel',
    pricingRule: 'Règle par défaut : 100 % de la valeur faciale',
    redemptionCount: 2,
    voucherCount: 3,
    faceValueCents: 3000,
    commissionCents: 150,
    amountCents: 2850,
    ...over,
  };
}

/** A statement whose totals are its lines' sums, as the settlement run writes it. */
function statement(lines: StatementPdfLine[], over: Partial<StatementPdfDocument> = {}): StatementPdfDocument {
  const sum = (pick: (l: StatementPdfLine) => number) => lines.reduce((n, l) => n + pick(l), 0);
  return {
    number: 'REL-2026-000042',
    runId: '0b7d4c1e-9f3a-4a51-8d2e-5c6f7a8b9c0d',
    cutoff: '2026-11-30T23:00:00.000Z',
    issuedAt: '2026-12-01T02:15:00.000Z',
    status: 'unpaid',
    site: {
      name: 'Espace numérique des Pentes',
      siren: '912345678',
      siret: '91234567800021',
      addressLine: '12 montée de la Grande-Côte',
      postcode: '69001',
      city: 'Lyon',
    },
    issuer: {
      name: 'Sillage Opérations SAS',
      siren: '987654321',
      siret: null,
      addressLine: '1 rue de la Paix',
      postcode: '75002',
      city: 'Paris',
    },
    lines,
    totals: {
      voucherCount: sum((l) => l.voucherCount ?? 0),
      faceValueCents: sum((l) => l.faceValueCents),
      commissionCents: sum((l) => l.commissionCents),
      totalCents: sum((l) => l.amountCents),
    },
    account: { holderName: 'Association Les Pentes', ibanLength: IBAN.length, ibanLast4: IBAN.slice(-4) },
    ...over,
  };
}

describe('renderStatementPdf', () => {
  const doc = statement([
    line(1),
    line(2, { faceValueCents: 123_456_700, commissionCents: 0, amountCents: 123_456_700, voucherCount: 12_345 }),
  ]);

  it('renders an A4 statement: title, number, site, cutoff, run, issue date, lines, totals, status and the payment note', async () => {
    const pdf = await renderStatementPdf(doc);
    const parsed = await PDFDocument.load(pdf);
    expect(parsed.getPageCount()).toBe(1);
    const { width, height } = parsed.getPage(0).getSize();
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);
    expect(parsed.getTitle()).toBe('Relevé de remboursement REL-2026-000042');
    expect(parsed.getCreationDate()?.toISOString()).toBe('2026-12-01T02:15:00.000Z');

    const text = flat(pdfText(pdf));
    for (const expected of [
      'RELEVÉ DE REMBOURSEMENT',
      'Reimbursement statement',
      'N° REL-2026-000042',
      "Date d'émission / Issued : 01/12/2026",
      'Arrêté au / Cutoff : 01/12/2026 00:00 (heure de Paris)',
      'Campagne / Run : 0b7d4c1e-9f3a-4a51-8d2e-5c6f7a8b9c0d',
      'Statut / Status : À payer / Unpaid',
      'Sillage Opérations SAS',
      'Espace numérique des Pentes',
      'SIRET : 91234567800021',
      '12 montée de la Grande-Côte',
      '69001 Lyon',
      'BC-2026-000001',
      'BC-2026-000002',
      'Atelier collectif',
      'Accompagnement individuel',
      '12 345',
      '30,00 €',
      '1,50 €',
      '28,50 €',
      '1 234 567,00 €',
      // Totals: face value, commission, total to be paid.
      '1 234 597,00 €',
      '1 234 595,50 €',
      'Total à payer / Total to be paid',
      'Paiement / Payment',
      'IBAN ***********************0189',
      'Association Les Pentes',
      'Page 1 / 1',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain(IBAN.slice(4, 20)); // never more than the last 4 characters
    expect(text).not.toContain('Corrections');
  });

  it('continues 200 lines over several pages, header and page numbers on each, totals and note on the last', async () => {
    const many = statement(Array.from({ length: 200 }, (_, i) => line(i + 1)));
    const pdf = await renderStatementPdf(many);
    const pages = (await PDFDocument.load(pdf)).getPageCount();
    expect(pages).toBeGreaterThanOrEqual(4);
    const text = pdfText(pdf);
    for (let i = 1; i <= 200; i++) expect(text).toContain(`BC-2026-${String(i).padStart(6, '0')}`);
    for (let page = 1; page <= pages; page++) {
      const pageText = pdfText(pdf, { first: page, last: page });
      expect(pageText).toContain(`Page ${page} / ${pages}`);
      expect(pageText).toContain('Règle de tarification');
      expect(pageText).toContain('Relevé N° REL-2026-000042');
    }
    const last = pdfText(pdf, { first: pages, last: pages });
    expect(last).toContain('6 000,00 €'); // 200 × 30,00 €
    expect(last).toContain('5 700,00 €'); // 200 × 28,50 €
    expect(last).toContain('Paiement / Payment');
    expect(pdfText(pdf, { first: 1, last: 1 })).not.toContain('Total à payer');
  });

  it('renders correction lines, without order or voucher count, in their own table', async () => {
    const correction = line(0, {
      kind: 'correction',
      orderReference: null,
      serviceCategory: null,
      pricingRule: 'Incident accepté : passage non synchronisé',
      redemptionCount: null,
      voucherCount: null,
      faceValueCents: 0,
      commissionCents: 0,
      amountCents: -1250,
    });
    const text = pdfText(await renderStatementPdf(statement([line(1), correction])));
    expect(text).toContain('Corrections / Adjustments');
    expect(text).toContain('Incident accepté : passage non synchronisé');
    expect(text).toContain('-12,50 €');
    expect(text).toContain('16,00 €'); // 28,50 € − 12,50 €
  });

  it('says what happens next for each payment status and when no verified account is known', async () => {
    const none = flat(pdfText(await renderStatementPdf({ ...doc, account: null })));
    expect(none).toContain('aucun compte vérifié à ce jour');
    expect(none).not.toContain('IBAN');
    const inPayout = flat(pdfText(await renderStatementPdf({ ...doc, status: 'in_payout' })));
    expect(inPayout).toContain('Virement en cours / Payment in progress');
    expect(inPayout).toContain('Un virement SEPA de ce montant est en cours');
    const paid = flat(pdfText(await renderStatementPdf({ ...doc, status: 'paid' })));
    expect(paid).toContain('Payé / Paid');
    expect(paid).toContain('Ce montant a été versé par virement SEPA.');
    const empty = statement([line(1, { commissionCents: 0, amountCents: 0, pricingRule: 'Montant fixe : 0,00 €' })]);
    expect(flat(pdfText(await renderStatementPdf(empty)))).toContain('Aucun montant n’est à verser');
  });

  it('draws names outside the standard font legibly', async () => {
    const text = pdfText(await renderStatementPdf({ ...doc, site: { ...doc.site, name: 'Tiers-lieu Łódź 🎫' } }));
    expect(text).toContain('Tiers-lieu Lódz ?');
  });

  it('gives the same bytes for the same statement', async () => {
    const [a, b] = await Promise.all([renderStatementPdf(doc), renderStatementPdf(doc)]);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(await renderStatementPdf({ ...doc, number: 'REL-2026-000043' }))).toBe(false);
  });

  it('refuses a statement whose totals are not the sums of its lines', async () => {
    await expect(renderStatementPdf({ ...doc, totals: { ...doc.totals, totalCents: doc.totals.totalCents + 1 } })).rejects.toThrow(
      StatementPdfError,
    );
  });
});

describe('statement PDF text', () => {
  it('prints instants as Paris date-times, winter and summer', () => {
    expect(formatParisDateTime('2026-11-30T23:00:00Z')).toBe('01/12/2026 00:00 (heure de Paris)');
    expect(formatParisDateTime('2026-07-14T08:05:00Z')).toBe('14/07/2026 10:05 (heure de Paris)');
  });

  it('hides every IBAN character but the last 4', () => {
    expect(maskedIban({ holderName: 'x', ibanLength: 27, ibanLast4: '0189' })).toBe('***********************0189');
  });
});
