import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@sillage/db';
import {
  BookletFactsCache,
  codeLookupHash,
  IssuanceKeys,
  parseHumanCode,
  parseVoucherSerial,
  verifyVoucherToken,
  voucherSerial,
} from '@sillage/issuance';
import { CommonError } from '@sillage/common';
import { VoucherCodeDto } from '../redemptions/dto/redemption.dto';

/** A scanned voucher, identified: which booklet, which index, and its order's immutable facts. */
export interface ResolvedVoucher {
  bookletId: string;
  bookletSerial: string;
  orderId: string;
  idx: number;
  faceValueCents: number;
  serial: string;
}

/** Why scanned codes could not be identified: `bad-token` and `unknown-code` count as failures. */
export type Unresolved = { kind: 'bad-token' | 'unknown-code'; index: number };

/** Where a voucher comes from: its booklet, order and face value. */
type VoucherOrigin = Pick<ResolvedVoucher, 'bookletId' | 'orderId' | 'faceValueCents'>;

/**
 * Turns what a site agent scanned (QR tokens, typed human codes) into vouchers. A QR token is verified
 * (ES256, known key id) and names its serial; a booklet's id, order and face value never change, so
 * they come from the process's BookletFactsCache and a QR scan usually needs no database round trip here. A human
 * code is only stored as a keyed hash: it needs one indexed read.
 */
@Injectable()
export class VoucherCodes {
  constructor(
    private readonly keys: IssuanceKeys,
    private readonly tx: TransactionRunner,
    private readonly booklets: BookletFactsCache,
  ) {}

  async resolve(codes: VoucherCodeDto[]): Promise<{ vouchers: ResolvedVoucher[] } | Unresolved> {
    const bySerial: { index: number; bookletSerial: string; idx: number }[] = [];
    const byHash: { index: number; hash: Buffer }[] = [];
    for (const [index, c] of codes.entries()) {
      const hasCode = typeof c.code === 'string' && c.code.length > 0;
      const hasToken = typeof c.qrToken === 'string' && c.qrToken.length > 0;
      if (hasCode === hasToken) {
        throw new CommonError('VALIDATION_FAILED', `vouchers[${index}]: give either code or qrToken`, { field: `vouchers[${index}]` });
      }
      if (hasToken) {
        const verified = verifyVoucherToken(c.qrToken!, this.keys.verification);
        const serial = verified.ok ? parseVoucherSerial(verified.claims.s) : undefined;
        if (!serial) return { kind: 'bad-token', index };
        bySerial.push({ index, ...serial });
      } else {
        const normalised = parseHumanCode(c.code!);
        if (!normalised) {
          throw new CommonError(
            'VALIDATION_FAILED',
            `vouchers[${index}].code is not a voucher code: 12 characters, the last one a check character (a typo?)`,
            { field: `vouchers[${index}].code` },
          );
        }
        byHash.push({ index, hash: codeLookupHash(this.keys.lookupKey, normalised) });
      }
    }
    const out: ResolvedVoucher[] = new Array<ResolvedVoucher>(codes.length);
    if (byHash.length > 0) {
      const rows = await this.tx.pool.query<{
        hash: Buffer;
        idx: number;
        bookletId: string;
        bookletSerial: string;
        orderId: string;
        face: string;
      }>({
        name: 'redemption-codes-v1',
        text: `SELECT v.code_hash AS hash, v.idx, b.id AS "bookletId", b.serial AS "bookletSerial", o.id AS "orderId", o.face_value_cents AS face
               FROM voucher v JOIN booklet b ON b.id = v.booklet_id JOIN purchase_order o ON o.id = v.order_id WHERE v.code_hash = ANY($1::bytea[])`,
        values: [byHash.map((h) => h.hash)],
      });
      const found = new Map(rows.rows.map((r) => [r.hash.toString('hex'), r]));
      for (const h of byHash) {
        const r = found.get(h.hash.toString('hex'));
        if (!r) return { kind: 'unknown-code', index: h.index };
        out[h.index] = voucher(r.bookletSerial, r.idx, { bookletId: r.bookletId, orderId: r.orderId, faceValueCents: Number(r.face) });
      }
    }
    for (const s of bySerial) {
      const facts = await this.booklets.get(s.bookletSerial);
      // A genuine signature over a serial we do not know: a key shared with another environment.
      if (!facts) return { kind: 'unknown-code', index: s.index };
      out[s.index] = voucher(s.bookletSerial, s.idx, { bookletId: facts.id, orderId: facts.orderId, faceValueCents: facts.faceValueCents });
    }
    return { vouchers: out };
  }
}

function voucher(bookletSerial: string, idx: number, f: VoucherOrigin): ResolvedVoucher {
  return { ...f, bookletSerial, idx, serial: voucherSerial(bookletSerial, idx) };
}
