import { createHmac, randomBytes } from 'node:crypto';
import { pseudonym } from './pseudonym';

describe('pseudonym', () => {
  const key = Buffer.alloc(32, 7);
  const vaultId = '0f8c7a52-3b7e-4a43-9d1e-6a0d2f1c9b11';

  it('is the hex HMAC-SHA-256 of the vault id: stable for one key', () => {
    const expected = createHmac('sha256', key).update(vaultId).digest('hex');
    expect(pseudonym(key, vaultId)).toBe(expected);
    expect(pseudonym(key, vaultId)).toMatch(/^[0-9a-f]{64}$/);
    expect(pseudonym(Buffer.from(key), vaultId)).toBe(pseudonym(key, vaultId));
  });

  it('differs per person and per key, and does not contain the vault id', () => {
    expect(pseudonym(key, vaultId)).not.toBe(pseudonym(key, vaultId.replace('0f8c', '0f8d')));
    expect(pseudonym(randomBytes(32), vaultId)).not.toBe(pseudonym(key, vaultId));
    expect(pseudonym(key, vaultId)).not.toContain(vaultId.replace(/-/g, '').slice(0, 8));
  });

  it('refuses a short key or an empty vault id', () => {
    expect(() => pseudonym(randomBytes(31), vaultId)).toThrow(RangeError);
    expect(() => pseudonym(key, '')).toThrow(RangeError);
  });
});
