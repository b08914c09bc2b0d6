import { measurePrintThroughput } from './print-throughput';

describe('measurePrintThroughput', () => {
  it('reports the PDF rate, the QR-only rate and their ratio', async () => {
    const r = await measurePrintThroughput(60, 3);
    expect(r.qr_only_per_s).toBeGreaterThan(0);
    expect(r.pdf_vouchers_per_s).toBeGreaterThan(0);
    expect(r.pdf_ratio).toBeCloseTo(r.pdf_vouchers_per_s / r.qr_only_per_s, 10);
    // The PDF builds those same QR codes and more, so it cannot be faster than they are.
    expect(r.pdf_ratio).toBeLessThan(1);
    // The ≥ 0.5 target is the benchmark's to check on a quiet machine (≈ 0.6 in plain Node, higher
    // under Jest, whose VM slows qrcode more than pdfkit); a short sample next to other test workers
    // is noisy, so this only catches a gross regression (images, one rectangle per module…).
    expect(r.pdf_ratio).toBeGreaterThan(0.3);
  }, 60_000);

  it('refuses a non-positive voucher count', async () => {
    await expect(measurePrintThroughput(0)).rejects.toThrow(RangeError);
  });
});
