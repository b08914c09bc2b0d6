import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Tx } from '@sillage/db';
import { parisDate } from '@sillage/common';
import { generatePassToken, HumanCodeProtector, PrintKey, protectPassToken } from '../codes/code-secrets';
import { generateUniqueCodes } from '../codes/human-code';
import { pooledCryptoRandom, RandomSource } from '../codes/random-source';

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

/** Booklets and vouchers ready to insert: ids, serials, and every secret already hashed and encrypted. */
export interface PreparedBooklets {
  orderId: string;
  booklets: WrittenBooklet[];
  replaces: (string | null)[];
  passHashes: Buffer[];
  passEncrypted: Buffer[];
  vouchers: { bookletIds: string[]; idx: number[]; serials: string[]; hashes: Buffer[]; encrypted: Buffer[] };
}

/** What a booklet serial looks like (input validation); a voucher serial adds `-NN`. */
export const BOOKLET_SERIAL_PATTERN = /^SLG-\d{4}-\d{6,9}$/;

/** A voucher serial split into its booklet serial and index, or undefined when it is not one. */
export function parseVoucherSerial(serial: string): { bookletSerial: string; idx: number } | undefined {
  const m = /^(SLG-\d{4}-\d{6,9})-(\d{2})$/.exec(serial);
  return m ? { bookletSerial: m[1], idx: Number(m[2]) } : undefined;
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
/** Vouchers protected between two yields to the event loop (so a database round trip can proceed). */
const SLICE = 2000;

/**
 * Writes booklets and their vouchers set-based: one multi-row INSERT (unnest of arrays) for the
 * booklets and one per round for the vouchers. Codes come from a CSPRNG and are stored only as an
 * HMAC (lookup) and an AES-GCM copy (re-printing). The unique index on the HMAC is the final
 * arbiter: rows that collide with an existing code are skipped by ON CONFLICT and get a fresh code
 * in the next round, so a weak or repeating random source cannot produce two equal stored codes.
 *
 * `prepare` (CPU: codes, HMACs, AES-GCM) and `insert` (database) are separate so the issuance job can
 * prepare the next chunk while the database writes the current one.
 */
export class BookletWriter {
  private readonly protector: HumanCodeProtector;
  /** Pass tokens always come from the CSPRNG: 256 bits never collide, so they need no retry path. */
  private readonly passRandom = pooledCryptoRandom();

  /** `random` draws the human codes (tests inject a repeating source to force collisions). */
  constructor(
    private readonly keys: WriterKeys,
    private readonly random: RandomSource = pooledCryptoRandom(),
  ) {
    this.protector = new HumanCodeProtector(keys.lookupKey, keys.printKey);
  }

  async write(tx: Tx, orderId: string, specs: BookletSpec[], status: 'ISSUED' | 'ACTIVE', now = new Date()): Promise<WrittenBooklet[]> {
    const prepared = await this.prepare(tx, orderId, specs, now);
    await this.insert(tx, prepared, status);
    return prepared.booklets;
  }

  /** Serials from the sequence (outside any transaction is fine: sequences are not transactional). */
  async prepare(db: Tx, orderId: string, specs: BookletSpec[], now = new Date()): Promise<PreparedBooklets> {
    const year = parisDate(now).slice(0, 4);
    const seq: { n: string }[] = specs.length
      ? await db.query(`SELECT nextval('booklet_serial_seq') AS n FROM generate_series(1, $1)`, [specs.length])
      : [];
    const booklets: WrittenBooklet[] = specs.map((s, i) => ({
      id: randomUUID(),
      serial: bookletSerial(year, Number(seq[i].n)),
      number: s.number,
      voucherCount: s.voucherCount,
    }));
    const passes = booklets.map((b) => protectPassToken(this.keys.printKey, generatePassToken(this.passRandom), b.serial));
    const vouchers: PreparedBooklets['vouchers'] = { bookletIds: [], idx: [], serials: [], hashes: [], encrypted: [] };
    for (const b of booklets) {
      for (let k = 1; k <= b.voucherCount; k++) {
        vouchers.bookletIds.push(b.id);
        vouchers.idx.push(k);
        vouchers.serials.push(voucherSerial(b.serial, k));
      }
    }
    const codes = generateUniqueCodes(vouchers.serials.length, undefined, this.random);
    for (let start = 0; start < codes.length; start += SLICE) {
      const part = this.protector.protect(codes.slice(start, start + SLICE), vouchers.serials.slice(start, start + SLICE));
      vouchers.hashes.push(...part.lookupHashes);
      vouchers.encrypted.push(...part.encrypted);
      if (start + SLICE < codes.length) await yieldToEventLoop();
    }
    return {
      orderId,
      booklets,
      replaces: specs.map((s) => s.replacesBookletId ?? null),
      passHashes: passes.map((p) => p.hash),
      passEncrypted: passes.map((p) => p.encrypted),
      vouchers,
    };
  }

  async insert(tx: Tx, p: PreparedBooklets, status: 'ISSUED' | 'ACTIVE'): Promise<void> {
    if (p.booklets.length === 0) return;
    await tx.query(
      `INSERT INTO booklet (id, order_id, serial, number, voucher_count, pass_token_hash, pass_token_encrypted, replaces_booklet_id)
       SELECT u.id, $1, u.serial, u.number, u.voucher_count, u.hash, u.encrypted, u.replaces
       FROM unnest($2::uuid[], $3::text[], $4::int[], $5::smallint[], $6::bytea[], $7::bytea[], $8::uuid[])
         AS u(id, serial, number, voucher_count, hash, encrypted, replaces)`,
      [
        p.orderId,
        p.booklets.map((b) => b.id),
        p.booklets.map((b) => b.serial),
        p.booklets.map((b) => b.number),
        p.booklets.map((b) => b.voucherCount),
        p.passHashes,
        p.passEncrypted,
        p.replaces,
      ],
    );
    let rows = p.vouchers;
    for (let round = 0; rows.bookletIds.length > 0; round++) {
      if (round >= MAX_COLLISION_ROUNDS) throw new Error(`voucher codes kept colliding after ${round} rounds: the random source is broken`);
      if (round > 0) rows = this.recode(rows);
      rows = await this.insertVouchers(tx, p.orderId, rows, status);
    }
  }

  /** Fresh codes for rows whose code collided with a stored one. */
  private recode(rows: PreparedBooklets['vouchers']): PreparedBooklets['vouchers'] {
    const codes = generateUniqueCodes(rows.serials.length, undefined, this.random);
    const { lookupHashes, encrypted } = this.protector.protect(codes, rows.serials);
    return { ...rows, hashes: lookupHashes, encrypted };
  }

  /** Inserts one round of vouchers; returns those whose code collided with a stored one. */
  private async insertVouchers(
    tx: Tx,
    orderId: string,
    rows: PreparedBooklets['vouchers'],
    status: string,
  ): Promise<PreparedBooklets['vouchers']> {
    // Count only: returning 20,000 rows per round would cost more than the insert's bookkeeping.
    const [{ n }]: { n: number }[] = await tx.query(
      `WITH ins AS (
         INSERT INTO voucher (booklet_id, order_id, idx, status, code_hash, code_encrypted)
         SELECT u.booklet_id, $1, u.idx, $2, u.hash, u.encrypted
         FROM unnest($3::uuid[], $4::smallint[], $5::bytea[], $6::bytea[]) AS u(booklet_id, idx, hash, encrypted)
         ON CONFLICT (code_hash) DO NOTHING
         RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [orderId, status, rows.bookletIds, rows.idx, rows.hashes, rows.encrypted],
    );
    const empty = { bookletIds: [], idx: [], serials: [], hashes: [], encrypted: [] };
    if (n === rows.bookletIds.length) return empty;
    const present: { booklet_id: string; idx: number }[] = await tx.query(
      `SELECT booklet_id, idx FROM voucher WHERE booklet_id = ANY($1::uuid[])`,
      [[...new Set(rows.bookletIds)]],
    );
    const done = new Set(present.map((r) => `${r.booklet_id}/${r.idx}`));
    const left: PreparedBooklets['vouchers'] = { bookletIds: [], idx: [], serials: [], hashes: [], encrypted: [] };
    rows.bookletIds.forEach((id, i) => {
      if (done.has(`${id}/${rows.idx[i]}`)) return;
      left.bookletIds.push(id);
      left.idx.push(rows.idx[i]);
      left.serials.push(rows.serials[i]);
      left.hashes.push(rows.hashes[i]);
      left.encrypted.push(rows.encrypted[i]);
    });
    return left;
  }
}
