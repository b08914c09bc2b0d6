import { measurePrintThroughput } from './print-throughput';

describe('measurePrintThroughput', () => {
  it('reports the PDF rate, the QR-only rate and their ratio', async () => {
    const r = await measurePrintThroughput(60, 3);
    expect(r.qr_only_per_s).toBeGreaterThan(0);
    expect(r.pdf_vouchers_per_s).toBeGreaterThan(0);
    expect(r.pdf_ratio).toBeCloseTo(r.pdf_vouchers_per_s / r.qr_only_per_s, 10);
    // No bound on the figures here: timings next to other test workers are noise, and the ≥ 0.5
    // target is checked by `npm run bench -- issuance` (docs/benchmarks.md).
  }, 60_000);

  it('refuses a non-positive voucher count', async () => {
    await expect(measurePrintThroughput(0)).rejects.toThrow(RangeError);
  });
});
