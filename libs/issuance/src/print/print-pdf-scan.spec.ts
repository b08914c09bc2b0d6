import { verifyVoucherToken } from '../codes/qr-token';
import { passPageLink } from './print-format';
import { chequeQrBox, CHEQUES_PER_PAGE, COVER_QR_BOX } from './print-layout';
import { renderPrintPdf } from './print-pdf';
import { fromArray, HEADER, memorySink, rasterise, scan, signedBooklets } from './print-test-fixtures';

describe('print file QR codes', () => {
  it('scan back to each voucher’s signed token and to each booklet’s pass page link', async () => {
    const { booklets, kid, publicKey } = signedBooklets([4, 2]);
    const out = memorySink();
    await renderPrintPdf(HEADER, fromArray(booklets), out);
    const pages = rasterise(out.bytes());
    expect(pages).toHaveLength(2 + 1 + 2); // booklet 1: cover + 2 cheque pages; booklet 2: cover + 1

    let page = 0;
    for (const booklet of booklets) {
      expect(scan(pages[page], COVER_QR_BOX)).toBe(passPageLink(HEADER.passBaseUrl, booklet.passToken));
      booklet.vouchers.forEach((voucher, i) => {
        const decoded = scan(pages[page + 1 + Math.floor(i / CHEQUES_PER_PAGE)], chequeQrBox(i % CHEQUES_PER_PAGE));
        expect(decoded).toBe(voucher.qrPayload);
        const verified = verifyVoucherToken(decoded ?? '', { [kid]: publicKey });
        expect(verified).toEqual({ ok: true, kid, claims: { s: voucher.serial, v: HEADER.faceValueCents } });
      });
      page += 1 + Math.ceil(booklet.vouchers.length / CHEQUES_PER_PAGE);
    }
    // An empty slot (the last page's third cheque) holds no code.
    expect(scan(pages[2], chequeQrBox(2))).toBeUndefined();
  });
});
