import { A4_HEIGHT, A4_WIDTH, chequeQrBox, CHEQUE_HEIGHT, COVER_QR_BOX, expectedPageCount, STUB_LEFT, TEAR_LINE_X } from './print-layout';

describe('expectedPageCount', () => {
  it('counts a cover per booklet plus its cheques three to a page', () => {
    expect(expectedPageCount([10, 10])).toBe(2 * (1 + 4));
    expect(expectedPageCount([1])).toBe(2);
    expect(expectedPageCount([20])).toBe(1 + 7);
    expect(expectedPageCount([3, 4])).toBe(2 + 3);
    expect(expectedPageCount([])).toBe(0);
  });

  it('refuses an empty booklet or a non-integer count', () => {
    expect(() => expectedPageCount([0])).toThrow(RangeError);
    expect(() => expectedPageCount([2.5])).toThrow(RangeError);
  });
});

describe('geometry', () => {
  it('keeps every cheque QR inside its cheque, left of the tear line, and the cover QR on the page', () => {
    for (let slot = 0; slot < 3; slot++) {
      const qr = chequeQrBox(slot);
      expect(qr.y).toBeGreaterThanOrEqual(slot * CHEQUE_HEIGHT);
      expect(qr.y + qr.size).toBeLessThanOrEqual((slot + 1) * CHEQUE_HEIGHT);
      expect(qr.x + qr.size).toBeLessThan(TEAR_LINE_X);
    }
    expect(STUB_LEFT).toBeGreaterThan(TEAR_LINE_X);
    expect(COVER_QR_BOX.x + COVER_QR_BOX.size).toBeLessThan(A4_WIDTH);
    expect(COVER_QR_BOX.y + COVER_QR_BOX.size).toBeLessThan(A4_HEIGHT);
  });
});
