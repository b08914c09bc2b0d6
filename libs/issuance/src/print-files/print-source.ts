import type { Tx } from '@sillage/db';
import { revealHumanCode, revealPassToken } from '../codes/code-secrets';
import { signVoucherToken } from '../codes/qr-token';
import { voucherSerial } from '../issuing/booklet-writer';
import { IssuanceKeys } from '../keys/issuance-keys';
import { PrintBooklet } from '../print/print-types';

const BATCH_BOOKLETS = 200;

/**
 * The booklets of one print part, read in batches of 200 (constant memory whatever the order size):
 * codes and pass tokens decrypted with the print keys, QR tokens signed now (they are never stored).
 * Only vouchers that can still be used (ISSUED, ACTIVE) are printed; a booklet with none is skipped.
 */
export async function* printBooklets(
  db: Tx,
  keys: IssuanceKeys,
  orderId: string,
  faceValueCents: number,
  from: number,
  to: number,
): AsyncGenerator<PrintBooklet> {
  for (let start = from; start <= to; start += BATCH_BOOKLETS) {
    const end = Math.min(to, start + BATCH_BOOKLETS - 1);
    const rows: { serial: string; pass: Buffer; idx: number; code: Buffer }[] = await db.query(
      `SELECT b.serial, b.pass_token_encrypted AS pass, v.idx, v.code_encrypted AS code
       FROM booklet b JOIN voucher v ON v.booklet_id = b.id
       WHERE b.order_id = $1 AND b.number BETWEEN $2 AND $3 AND v.status IN ('ISSUED', 'ACTIVE')
       ORDER BY b.number, v.idx`,
      [orderId, start, end],
    );
    let current: PrintBooklet | undefined;
    for (const r of rows) {
      if (current?.serial !== r.serial) {
        if (current) yield current;
        current = { serial: r.serial, passToken: revealPassToken(keys.printKeys, r.pass, r.serial), vouchers: [] };
      }
      const serial = voucherSerial(r.serial, r.idx);
      current.vouchers.push({
        serial,
        humanCode: revealHumanCode(keys.printKeys, r.code, serial),
        qrPayload: signVoucherToken(keys.signing, { s: serial, v: faceValueCents }),
      });
    }
    if (current) yield current;
  }
}
