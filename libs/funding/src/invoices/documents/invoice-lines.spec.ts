import { computeInvoiceTotals, orderInvoiceLines, OUTSIDE_SCOPE_REASON } from './invoice-lines';
import type { InvoiceLine } from './types';

const feeLine = (netCents: number, vatRateBp: number, id = 'f'): InvoiceLine => ({
  id,
  description: 'Frais',
  quantity: 1,
  unitPriceCents: netCents,
  netCents,
  vatCategory: 'S',
  vatRateBp,
});

describe('orderInvoiceLines', () => {
  it('bills 1000 vouchers of €10 at 4 % fee: face 10 000 €, fee 400 € (worked by hand)', () => {
    const lines = orderInvoiceLines({ voucherCount: 1000, faceValueCents: 1000, feeRateBp: 400, vatRateBp: 2000 });
    expect(lines).toEqual([
      expect.objectContaining({ id: '1', quantity: 1000, unitPriceCents: 1000, netCents: 1_000_000, vatCategory: 'O', vatRateBp: 0 }),
      expect.objectContaining({ id: '2', quantity: 1, unitPriceCents: 40_000, netCents: 40_000, vatCategory: 'S', vatRateBp: 2000 }),
    ]);
    expect(lines[0].description).toBe('Bons à usages multiples, valeur faciale unitaire 10,00\u00a0€');
    expect(lines[1].description).toBe("Frais de gestion de l'opérateur : 4\u00a0% de la valeur faciale (10\u00a0000,00\u00a0€)");
  });

  it('rounds the fee half up at exactly half a cent', () => {
    // 25 c × 2 % = 0.5 c → 1 c; 125 c × 2 % = 2.5 c → 3 c (banker's rounding would give 0 and 2).
    expect(orderInvoiceLines({ voucherCount: 1, faceValueCents: 25, feeRateBp: 200, vatRateBp: 2000 })[1].netCents).toBe(1);
    expect(orderInvoiceLines({ voucherCount: 5, faceValueCents: 25, feeRateBp: 200, vatRateBp: 2000 })[1].netCents).toBe(3);
    // 1 c × 4 % = 0.04 c → 0: no fee line at all.
    expect(orderInvoiceLines({ voucherCount: 1, faceValueCents: 1, feeRateBp: 400, vatRateBp: 2000 })).toHaveLength(1);
  });

  it('omits the fee line when the contract has no fee', () => {
    const lines = orderInvoiceLines({ voucherCount: 3, faceValueCents: 1000, feeRateBp: 0, vatRateBp: 2000 });
    expect(lines.map((l) => l.vatCategory)).toEqual(['O']);
  });

  it('handles the largest order exactly: 2 000 000 vouchers of 1 000 € at 20 %', () => {
    const lines = orderInvoiceLines({ voucherCount: 2_000_000, faceValueCents: 100_000, feeRateBp: 2000, vatRateBp: 2500 });
    expect(lines[0].netCents).toBe(200_000_000_000);
    expect(lines[1].netCents).toBe(40_000_000_000);
  });

  it('refuses counts, values and rates that are not whole and in range', () => {
    const ok = { voucherCount: 1, faceValueCents: 1000, feeRateBp: 400, vatRateBp: 2000 };
    expect(() => orderInvoiceLines({ ...ok, voucherCount: 0 })).toThrow(RangeError);
    expect(() => orderInvoiceLines({ ...ok, faceValueCents: 10.5 })).toThrow(RangeError);
    expect(() => orderInvoiceLines({ ...ok, feeRateBp: -1 })).toThrow(RangeError);
    expect(() => orderInvoiceLines({ ...ok, vatRateBp: 19.6 })).toThrow(RangeError);
  });
});

describe('computeInvoiceTotals', () => {
  it('totals the worked example: face 1 000 000, fee 40 000, VAT 8 000, payable 1 048 000 cents', () => {
    const totals = computeInvoiceTotals(orderInvoiceLines({ voucherCount: 1000, faceValueCents: 1000, feeRateBp: 400, vatRateBp: 2000 }));
    expect(totals).toEqual({
      lineTotalCents: 1_040_000,
      taxExclusiveCents: 1_040_000,
      vatCents: 8_000,
      taxInclusiveCents: 1_048_000,
      payableCents: 1_048_000,
      vatBreakdown: [
        { category: 'O', rateBp: 0, taxableCents: 1_000_000, vatCents: 0, exemptionReason: OUTSIDE_SCOPE_REASON },
        { category: 'S', rateBp: 2000, taxableCents: 40_000, vatCents: 8_000, exemptionReason: null },
      ],
    });
  });

  it('rounds VAT half up at exactly half a cent: 5 c at 10 % → 1 c, 25 c → 3 c, 100 c at 5.5 % → 6 c', () => {
    expect(computeInvoiceTotals([feeLine(5, 1000)]).vatCents).toBe(1);
    expect(computeInvoiceTotals([feeLine(25, 1000)]).vatCents).toBe(3);
    expect(computeInvoiceTotals([feeLine(100, 550)]).vatCents).toBe(6);
    expect(computeInvoiceTotals([feeLine(4, 1000)]).vatCents).toBe(0);
  });

  it('computes VAT once per (category, rate) group, not per line (EN 16931)', () => {
    // Per line: 0.5 → 1 and 0.5 → 1, total 2. Per group: 10 c × 10 % = 1 c.
    const totals = computeInvoiceTotals([feeLine(5, 1000, 'a'), feeLine(5, 1000, 'b'), feeLine(300, 2000, 'c')]);
    expect(totals.vatBreakdown).toEqual([
      { category: 'S', rateBp: 1000, taxableCents: 10, vatCents: 1, exemptionReason: null },
      { category: 'S', rateBp: 2000, taxableCents: 300, vatCents: 60, exemptionReason: null },
    ]);
    expect(totals.vatCents).toBe(61);
    expect(totals.payableCents).toBe(371);
  });

  it('refuses lines that a document could not state exactly', () => {
    expect(() => computeInvoiceTotals([])).toThrow(/at least one line/);
    expect(() => computeInvoiceTotals([{ ...feeLine(100, 2000), netCents: 99 }])).toThrow(/netCents 99/);
    expect(() => computeInvoiceTotals([{ ...feeLine(100, 2000), vatCategory: 'O' }])).toThrow(/no VAT rate/);
    expect(() => computeInvoiceTotals([feeLine(1, 2000, 'x'), feeLine(2, 2000, 'x')])).toThrow(/duplicate line id x/);
    expect(() => computeInvoiceTotals([{ ...feeLine(100, 2000), quantity: 0.5, unitPriceCents: 200 }])).toThrow(RangeError);
  });
});
