import { randomUUID } from 'node:crypto';
import type { Tx } from '@sillage/db';
import { parisDate } from '@sillage/common';
import { PrintKey, protectHumanCode, protectPassToken, generatePassToken } from '../codes/code-secrets';
import { generateUniqueCodes } from '../codes/human-code';
import { cryptoRandom, RandomSource } from '../codes/random-source';

export interface BookletSpec {
  /** 1..n within the order. */
  number: number;
  voucherCount: number;
  replacesBookletId?: string;
}

export interface WrittenBooklet {
  id: string;
  serial: string;
  number: number;
  voucherCount: number;
}

export interface WriterKeys {
  lookupKey: Buffer;
  printKey: PrintKey;
}

/** Booklet serial: `SLG-<year>-<number ≥ 6 digits>` from one global sequence (gaps are harmless). */
export function bookletSerial(year: string, n: number): string {
  return `SLG-${year}-${String(n).padStart(6, '0')}`;
}

/** Voucher serial: the booklet's serial and a two-digit index. */
export function voucherSerial(bookletSerial: string, idx: number): string {
  return `${bookletSerial}-${String(idx).padStart(2, '0')}`;
}

const MAX_COLLISION_ROUNDS = 8;

/**
 * Writes booklets and their vouchers set-based: one multi-row INSERT (unnest of arrays) for the
 * booklets and one per round for the vouchers. Codes come from a CSPRNG and are stored only as an
 * HMAC (lookup) and an AES-GCM copy (re-printing). The unique index on the HMAC is the final
 * arbiter: rows that collide with an existing code are skipped by ON CONFLICT and get a fresh code
 * in the next round, so a weak or repeating random source cannot produce two equal stored codes.
 */
export class BookletWriter {
  constructor(
    private readonly keys: WriterKeys,
    private readonly random: RandomSource = cryptoRandom,
  ) {}

  async write(tx: Tx, orderId: string, specs: BookletSpec[], status: 'ISSUED' | 'ACTIVE', now = new Date()): Promise<WrittenBooklet[]> {
    if (specs.length === 0) return [];
    const year = parisDate(now).slice(0, 4);
    const seq: { n: string }[] = await tx.query(`SELECT nextval('booklet_serial_seq') AS n FROM generate_series(1, $1)`, [specs.length]);
    const booklets: WrittenBooklet[] = specs.map((s, i) => ({
      id: randomUUID(),
      serial: bookletSerial(year, Number(seq[i].n)),
      number: s.number,
      voucherCount: s.voucherCount,
    }));
    const passes = booklets.map((b) => protectPassToken(this.keys.printKey, generatePassToken(this.random), b.serial));
    await tx.query(
      `INSERT INTO booklet (id, order_id, serial, number, voucher_count, pass_token_hash, pass_token_encrypted, replaces_booklet_id)
       SELECT u.id, $1, u.serial, u.number, u.voucher_count, u.hash, u.encrypted, u.replaces
       FROM unnest($2::uuid[], $3::text[], $4::int[], $5::smallint[], $6::bytea[], $7::bytea[], $8::uuid[])
         AS u(id, serial, number, voucher_count, hash, encrypted, replaces)`,
      [
        orderId,
        booklets.map((b) => b.id),
        booklets.map((b) => b.serial),
        booklets.map((b) => b.number),
        booklets.map((b) => b.voucherCount),
        passes.map((p) => p.hash),
        passes.map((p) => p.encrypted),
        specs.map((s) => s.replacesBookletId ?? null),
      ],
    );
    let pending = booklets.flatMap((b) => Array.from({ length: b.voucherCount }, (_, k) => ({ booklet: b, idx: k + 1 })));
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_COLLISION_ROUNDS) throw new Error(`voucher codes kept colliding after ${round} rounds: the random source is broken`);
      pending = await this.insertVouchers(tx, orderId, pending, status);
    }
    return booklets;
  }

  /** Inserts one round of vouchers; returns those whose code collided with a stored one. */
  private async insertVouchers(
    tx: Tx,
    orderId: string,
    rows: { booklet: WrittenBooklet; idx: number }[],
    status: string,
  ): Promise<{ booklet: WrittenBooklet; idx: number }[]> {
    const codes = generateUniqueCodes(rows.length, undefined, this.random);
    const hashes: Buffer[] = [];
    const encrypted: Buffer[] = [];
    rows.forEach((r, i) => {
      const p = protectHumanCode(this.keys.lookupKey, this.keys.printKey, codes[i], voucherSerial(r.booklet.serial, r.idx));
      hashes.push(p.lookupHash);
      encrypted.push(p.encrypted);
    });
    // Count only: returning 20,000 rows per round would cost more than the insert's bookkeeping.
    const [{ n }]: { n: number }[] = await tx.query(
      `WITH ins AS (
         INSERT INTO voucher (booklet_id, order_id, idx, status, code_hash, code_encrypted)
         SELECT u.booklet_id, $1, u.idx, $2, u.hash, u.encrypted
         FROM unnest($3::uuid[], $4::smallint[], $5::bytea[], $6::bytea[]) AS u(booklet_id, idx, hash, encrypted)
         ON CONFLICT (code_hash) DO NOTHING
         RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [orderId, status, rows.map((r) => r.booklet.id), rows.map((r) => r.idx), hashes, encrypted],
    );
    if (n === rows.length) return [];
    const present: { booklet_id: string; idx: number }[] = await tx.query(
      `SELECT booklet_id, idx FROM voucher WHERE booklet_id = ANY($1::uuid[])`,
      [[...new Set(rows.map((r) => r.booklet.id))]],
    );
    const done = new Set(present.map((r) => `${r.booklet_id}/${r.idx}`));
    return rows.filter((r) => !done.has(`${r.booklet.id}/${r.idx}`));
  }
}
