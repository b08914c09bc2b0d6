import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { statementFingerprint } from './fingerprint';

describe('statementFingerprint', () => {
  it('is the SHA-256 of the raw bytes, in hex (FIPS 180-2 vectors)', () => {
    expect(statementFingerprint(Buffer.alloc(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(statementFingerprint(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('finds the same file imported twice, and tells apart files that differ by one byte or only by a BOM', () => {
    const file = readFileSync(join(__dirname, 'fixtures', 'payout-booked.xml'));
    expect(statementFingerprint(readFileSync(join(__dirname, 'fixtures', 'payout-booked.xml')))).toBe(statementFingerprint(file));
    const changed = Buffer.from(file);
    changed[changed.length - 2] ^= 1;
    expect(statementFingerprint(changed)).not.toBe(statementFingerprint(file));
    expect(statementFingerprint(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), file]))).not.toBe(statementFingerprint(file));
  });
});
