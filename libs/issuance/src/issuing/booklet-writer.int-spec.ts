import { randomUUID } from 'node:crypto';
import { sha256 } from '@sillage/common';
import { dataSourceOptions, TransactionRunner } from '@sillage/db';
import { createTestDatabase, TestDatabase, withAdminClient } from '@sillage/testing';
import { DataSource } from 'typeorm';
import { revealHumanCode } from '../codes/code-secrets';
import { generateUniqueCodes, isWellFormedHumanCode } from '../codes/human-code';
import { RandomSource } from '../codes/random-source';
import { BookletWriter, voucherSerial } from './booklet-writer';

const keys = { lookupKey: Buffer.alloc(32, 3), printKey: { id: 1, key: Buffer.alloc(32, 4) } };

/**
 * A random source that replays the same short cycle of bytes: it yields only a handful of distinct
 * codes, so writing more vouchers than that forces collisions with stored codes, chunk after chunk.
 */
function repeatingRandom(cycleBytes: number): RandomSource {
  // Deterministic bytes with no short structure (a SHA-256 chain), replayed from the start each cycle.
  const cycle = Buffer.alloc(cycleBytes);
  for (let i = 0, block = sha256('seed'); i < cycleBytes; i += 32, block = sha256(block))
    block.copy(cycle, i, 0, Math.min(32, cycleBytes - i));
  let offset = 0;
  return (size) => {
    const out = Buffer.alloc(size);
    for (let i = 0; i < size; i++) out[i] = cycle[(offset + i) % cycle.length];
    offset = (offset + size) % cycle.length;
    return out;
  };
}

describe('BookletWriter (PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let tx: TransactionRunner;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.appUrl, { poolSize: 2 }));
    await ds.initialize();
    tx = new TransactionRunner(ds);
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const storedCodes = async (orderId: string) =>
    withAdminClient(
      db,
      async (c) =>
        (
          await c.query<{ serial: string; idx: number; code_hash: Buffer; code_encrypted: Buffer }>(
            `SELECT b.serial, v.idx, v.code_hash, v.code_encrypted FROM voucher v JOIN booklet b ON b.id = v.booklet_id WHERE v.order_id = $1`,
            [orderId],
          )
        ).rows,
    );

  it('writes booklets and vouchers whose stored codes decrypt to well-formed codes, bound to their serial', async () => {
    const orderId = randomUUID();
    const writer = new BookletWriter(keys);
    const written = await tx.run((t) =>
      writer.write(
        t,
        orderId,
        [1, 2, 3].map((n) => ({ number: n, voucherCount: 5 })),
        'ISSUED',
      ),
    );
    for (const b of written) expect(b.serial).toMatch(/^SLG-\d{4}-\d{6,}$/);
    const rows = await storedCodes(orderId);
    expect(rows).toHaveLength(15);
    for (const r of rows)
      expect(isWellFormedHumanCode(revealHumanCode(keys.printKey, r.code_encrypted, voucherSerial(r.serial, r.idx)))).toBe(true);
    // a ciphertext moved to another voucher does not decrypt
    expect(() =>
      revealHumanCode(
        keys.printKey,
        rows[0].code_encrypted,
        voucherSerial(rows[1].serial, rows[1].idx === rows[0].idx ? rows[0].idx + 1 : rows[1].idx),
      ),
    ).toThrow();
  });

  it('a deliberately repeating random source still yields unique stored codes (collisions retried)', async () => {
    const orderId = randomUUID();
    // Every writer gets the SAME byte sequence: its first five codes are exactly the first writer's,
    // so each chunk collides in the database (unique HMAC index) and must draw fresh codes to get in.
    const seeded = () => repeatingRandom(16 * 64 + 5);
    const first = generateUniqueCodes(5, undefined, seeded());
    for (let n = 1; n <= 6; n++) {
      const writer = new BookletWriter(keys, seeded());
      await tx.run((t) => writer.write(t, orderId, [{ number: n, voucherCount: 5 }], 'ISSUED'));
    }
    const rows = await storedCodes(orderId);
    expect(rows).toHaveLength(30);
    const hashes = rows.map((r) => r.code_hash.toString('hex'));
    expect(new Set(hashes).size).toBe(30);
    const codes = rows.map((r) => revealHumanCode(keys.printKey, r.code_encrypted, voucherSerial(r.serial, r.idx)));
    // the repeated first codes are stored once each, by the first booklet only
    for (const c of first) expect(codes.filter((x) => x === c)).toHaveLength(1);
  });
});
