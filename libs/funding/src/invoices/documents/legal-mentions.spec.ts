import { addDays, formatDateFr, invoiceDueOn, isIsoDate } from './dates';
import { legalMentions } from './legal-mentions';

describe('legalMentions', () => {
  it('gives an invoice its payment terms, penalties, €40 indemnity, no discount and the VAT scope', () => {
    const text = legalMentions('invoice', '2026-02-14').join('\n');
    expect(text).toContain('au plus tard le 14/02/2026');
    expect(text).toContain("trois fois le taux d'intérêt légal");
    expect(text).toContain('40\u00a0€');
    expect(text).toContain('L441-10');
    expect(text).toContain("Pas d'escompte pour paiement anticipé");
    expect(text).toContain('hors champ de la TVA — bons à usages multiples (art. 256 ter du CGI)');
  });

  it('says "on receipt" when an invoice has no due date', () => {
    expect(legalMentions('invoice', null)[0]).toContain('à réception');
  });

  it('gives a credit note no payment terms or penalties, but the VAT scope', () => {
    const text = legalMentions('credit_note', null).join('\n');
    expect(text).not.toMatch(/pénalités|échéance|40\u00a0€/i);
    expect(text).toContain('256 ter');
  });
});

describe('dates', () => {
  it('puts the due date 30 calendar days after issue, across months and leap days', () => {
    expect(invoiceDueOn('2026-01-15')).toBe('2026-02-14');
    expect(invoiceDueOn('2028-02-15')).toBe('2028-03-16');
    expect(invoiceDueOn('2026-12-15')).toBe('2027-01-14');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30'); // DST change in Paris: no effect on a calendar date
  });

  it('checks and formats calendar dates', () => {
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-1-05')).toBe(false);
    expect(formatDateFr('2026-03-05')).toBe('05/03/2026');
    expect(() => invoiceDueOn('15/01/2026')).toThrow(RangeError);
  });
});
