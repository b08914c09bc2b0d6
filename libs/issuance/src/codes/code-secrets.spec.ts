import { randomBytes } from 'node:crypto';
import { sha256 } from '@sillage/common';
import {
  codeLookupHash,
  decryptForPrint,
  encryptForPrint,
  generatePassToken,
  passTokenHash,
  PrintDecryptionError,
  PrintKey,
  protectHumanCode,
  protectPassToken,
  revealHumanCode,
  revealPassToken,
} from './code-secrets';
import { generateHumanCode } from './human-code';

const key = (id: number): PrintKey => ({ id, key: randomBytes(32) });

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof PrintDecryptionError) return e.reason;
    throw e;
  }
  throw new Error('expected a PrintDecryptionError');
}

describe('code lookup hash (HMAC-SHA-256)', () => {
  const lookupKey = randomBytes(32);
  const code = generateHumanCode();

  it('is stable for the same key and code, 32 bytes', () => {
    const h = codeLookupHash(lookupKey, code);
    expect(h).toHaveLength(32);
    expect(codeLookupHash(Buffer.from(lookupKey), code).equals(h)).toBe(true);
  });

  it('depends on the key and on the code, and is not the plain SHA-256 of the code', () => {
    const h = codeLookupHash(lookupKey, code);
    expect(codeLookupHash(randomBytes(32), code).equals(h)).toBe(false);
    expect(codeLookupHash(lookupKey, generateHumanCode()).equals(h)).toBe(false);
    expect(sha256(code).equals(h)).toBe(false);
    expect(h.toString('hex')).not.toContain(Buffer.from(code).toString('hex'));
  });

  it('refuses a short key', () => {
    expect(() => codeLookupHash(randomBytes(16), code)).toThrow(RangeError);
  });

  it('hashes only canonical codes, so a lower-case or dashed form cannot silently miss', () => {
    expect(() => codeLookupHash(lookupKey, code.toLowerCase().replace(/[0-9]/g, 'a'))).toThrow(RangeError);
    expect(() => codeLookupHash(lookupKey, `${code.slice(0, 4)}-${code.slice(4)}`)).toThrow(RangeError);
  });
});

describe('print encryption (AES-256-GCM)', () => {
  const k1 = key(1);

  it('round-trips, with a fresh IV each time and the versioned layout', () => {
    const a = encryptForPrint(k1, 'ABCDEFGHJKMN', 'SLG-2026-000123-01');
    const b = encryptForPrint(k1, 'ABCDEFGHJKMN', 'SLG-2026-000123-01');
    expect(a.equals(b)).toBe(false);
    expect(a[0]).toBe(1); // version
    expect(a[1]).toBe(1); // key id
    expect(a).toHaveLength(2 + 12 + 12 + 16);
    expect(a.toString('latin1')).not.toContain('ABCDEFGHJKMN');
    expect(decryptForPrint(k1, a, 'SLG-2026-000123-01').toString()).toBe('ABCDEFGHJKMN');
  });

  it('refuses the wrong key, an altered byte anywhere, and the wrong AAD', () => {
    const blob = encryptForPrint(k1, 'secret', 'row-1');
    expect(refusal(() => decryptForPrint({ id: 1, key: randomBytes(32) }, blob, 'row-1'))).toBe('AUTHENTICATION_FAILED');
    expect(refusal(() => decryptForPrint(k1, blob, 'row-2'))).toBe('AUTHENTICATION_FAILED');
    for (let i = 2; i < blob.length; i++) {
      const altered = Buffer.from(blob);
      altered[i] ^= 0x01;
      expect(refusal(() => decryptForPrint(k1, altered, 'row-1'))).toBe('AUTHENTICATION_FAILED');
    }
    const otherVersion = Buffer.from(blob);
    otherVersion[0] = 2;
    expect(refusal(() => decryptForPrint(k1, otherVersion, 'row-1'))).toBe('UNKNOWN_VERSION');
    expect(refusal(() => decryptForPrint(k1, blob.subarray(0, 29), 'row-1'))).toBe('MALFORMED');
  });

  it('selects the key by id so keys can rotate; a changed key id byte or a retired key is refused', () => {
    const k2 = key(2);
    const old = encryptForPrint(k1, 'old', 'row');
    const fresh = encryptForPrint(k2, 'new', 'row');
    expect(decryptForPrint([k2, k1], old, 'row').toString()).toBe('old');
    expect(decryptForPrint([k2, k1], fresh, 'row').toString()).toBe('new');
    expect(refusal(() => decryptForPrint([k2], old, 'row'))).toBe('UNKNOWN_KEY');
    // Same key material under another id: the id byte is authenticated, so it is refused.
    const relabelled = Buffer.from(old);
    relabelled[1] = 7;
    expect(refusal(() => decryptForPrint([k2, { id: 7, key: k1.key }], relabelled, 'row'))).toBe('AUTHENTICATION_FAILED');
  });

  it('refuses malformed keys', () => {
    expect(() => encryptForPrint({ id: 256, key: randomBytes(32) }, 'x', 'r')).toThrow(RangeError);
    expect(() => encryptForPrint({ id: 1, key: randomBytes(16) }, 'x', 'r')).toThrow(RangeError);
  });
});

describe('protected codes and pass tokens', () => {
  const lookupKey = randomBytes(32);
  const k1 = key(3);

  it('stores a human code as lookup hash + ciphertext bound to its voucher serial, no plaintext', () => {
    const code = generateHumanCode();
    const stored = protectHumanCode(lookupKey, k1, code, 'SLG-2026-000123-04');
    expect(stored.lookupHash.equals(codeLookupHash(lookupKey, code))).toBe(true);
    expect(Buffer.concat([stored.lookupHash, stored.encrypted]).toString('latin1')).not.toContain(code);
    expect(revealHumanCode([k1], stored.encrypted, 'SLG-2026-000123-04')).toBe(code);
    expect(refusal(() => revealHumanCode(k1, stored.encrypted, 'SLG-2026-000123-05'))).toBe('AUTHENTICATION_FAILED');
    // A code ciphertext cannot be passed off as the pass token of a booklet with the same serial.
    expect(refusal(() => revealPassToken(k1, stored.encrypted, 'SLG-2026-000123-04'))).toBe('AUTHENTICATION_FAILED');
  });

  it('pass tokens carry at least 128 bits in base64url and are stored as SHA-256 + ciphertext', () => {
    const token = generatePassToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(generatePassToken()).not.toBe(token);
    const stored = protectPassToken(k1, token, 'SLG-2026-000123');
    expect(stored.hash.equals(sha256(token))).toBe(true);
    expect(passTokenHash(token).equals(stored.hash)).toBe(true);
    expect(stored.encrypted.toString('latin1')).not.toContain(token);
    expect(revealPassToken(k1, stored.encrypted, 'SLG-2026-000123')).toBe(token);
    expect(refusal(() => revealPassToken(k1, stored.encrypted, 'SLG-2026-000124'))).toBe('AUTHENTICATION_FAILED');
  });
});
