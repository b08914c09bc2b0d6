import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { generateDataKey, MasterKey, masterKeyIdOf, rewrapDataKey, unwrapDataKey, wrapDataKey, WRAPPED_DATA_KEY_BYTES } from './data-keys';
import { openRecord, sealRecord } from './records';
import { VaultError, VaultFailure } from './vault.errors';

const master1: MasterKey = { id: 1, key: randomBytes(32) };
const master2: MasterKey = { id: 2, key: randomBytes(32) };
const VAULT_ID = '0f8c7a52-3b7e-4a43-9d1e-6a0d2f1c9b11';
const OTHER_ID = 'a1b2c3d4-0000-4000-8000-000000000001';

function refusal(f: () => unknown): VaultFailure | 'no error' {
  try {
    f();
    return 'no error';
  } catch (e) {
    if (e instanceof VaultError) return e.reason;
    throw e;
  }
}

describe('data keys', () => {
  it('generates distinct 32-byte keys', () => {
    const keys = Array.from({ length: 100 }, generateDataKey);
    expect(keys.every((k) => k.length === 32)).toBe(true);
    expect(new Set(keys.map((k) => k.toString('hex'))).size).toBe(100);
  });

  it('wraps into version ‖ master id ‖ IV ‖ 32-byte ciphertext ‖ tag and unwraps to the same key', () => {
    const dataKey = generateDataKey();
    const wrapped = wrapDataKey(master2, dataKey, VAULT_ID);
    expect(wrapped).toHaveLength(WRAPPED_DATA_KEY_BYTES);
    expect(WRAPPED_DATA_KEY_BYTES).toBe(1 + 1 + 12 + 32 + 16);
    expect(wrapped[0]).toBe(1);
    expect(wrapped[1]).toBe(2);
    expect(masterKeyIdOf(wrapped)).toBe(2);
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(unwrapDataKey([master2, master1], wrapped, VAULT_ID).equals(dataKey)).toBe(true);
  });

  it('uses a fresh IV each time: the same key wraps differently twice', () => {
    const dataKey = generateDataKey();
    expect(wrapDataKey(master1, dataKey, VAULT_ID).equals(wrapDataKey(master1, dataKey, VAULT_ID))).toBe(false);
  });

  it('refuses a wrapped key moved to another person', () => {
    const wrapped = wrapDataKey(master1, generateDataKey(), VAULT_ID);
    expect(refusal(() => unwrapDataKey([master1], wrapped, OTHER_ID))).toBe('AUTHENTICATION_FAILED');
  });

  it('refuses every single-byte alteration, and says which check failed', () => {
    const wrapped = wrapDataKey(master1, generateDataKey(), VAULT_ID);
    const ring = [master2, master1];
    for (let i = 0; i < wrapped.length; i++) {
      for (const flip of [0x01, 0x80]) {
        const tampered = Buffer.from(wrapped);
        tampered[i] ^= flip;
        const expected: VaultFailure = i === 0 ? 'UNKNOWN_VERSION' : i === 1 ? 'UNKNOWN_MASTER_KEY' : 'AUTHENTICATION_FAILED';
        expect([i, flip, refusal(() => unwrapDataKey(ring, tampered, VAULT_ID))]).toEqual([i, flip, expected]);
      }
    }
  });

  it('refuses a key id changed to another master of the ring (the header is authenticated)', () => {
    const tampered = Buffer.from(wrapDataKey(master1, generateDataKey(), VAULT_ID));
    tampered[1] = master2.id;
    expect(refusal(() => unwrapDataKey([master2, master1], tampered, VAULT_ID))).toBe('AUTHENTICATION_FAILED');
  });

  it('refuses truncated, extended and empty blobs as malformed', () => {
    const wrapped = wrapDataKey(master1, generateDataKey(), VAULT_ID);
    expect(refusal(() => unwrapDataKey([master1], wrapped.subarray(0, wrapped.length - 1), VAULT_ID))).toBe('MALFORMED');
    expect(refusal(() => unwrapDataKey([master1], Buffer.concat([wrapped, Buffer.from([0])]), VAULT_ID))).toBe('MALFORMED');
    expect(refusal(() => unwrapDataKey([master1], Buffer.alloc(0), VAULT_ID))).toBe('MALFORMED');
  });

  it('refuses a wrong master key under the right id', () => {
    const wrapped = wrapDataKey(master1, generateDataKey(), VAULT_ID);
    const impostor: MasterKey = { id: 1, key: randomBytes(32) };
    expect(refusal(() => unwrapDataKey([impostor], wrapped, VAULT_ID))).toBe('AUTHENTICATION_FAILED');
  });

  it('rejects bad configuration before touching any data', () => {
    const dataKey = generateDataKey();
    expect(() => wrapDataKey({ id: 256, key: randomBytes(32) }, dataKey, VAULT_ID)).toThrow(RangeError);
    expect(() => wrapDataKey({ id: -1, key: randomBytes(32) }, dataKey, VAULT_ID)).toThrow(RangeError);
    expect(() => wrapDataKey({ id: 3, key: randomBytes(16) }, dataKey, VAULT_ID)).toThrow(RangeError);
    expect(() => wrapDataKey(master1, randomBytes(31), VAULT_ID)).toThrow(RangeError);
    expect(() => wrapDataKey(master1, dataKey, '')).toThrow(RangeError);
    const wrapped = wrapDataKey(master1, dataKey, VAULT_ID);
    expect(() => unwrapDataKey([], wrapped, VAULT_ID)).toThrow(RangeError);
    expect(() => unwrapDataKey([master1, { id: 1, key: randomBytes(32) }], wrapped, VAULT_ID)).toThrow('distinct');
  });
});

describe('master key rotation', () => {
  it('re-wraps a key made under master 1 with the current master 2; data sealed before still opens', () => {
    const dataKey = generateDataKey();
    const wrappedUnder1 = wrapDataKey(master1, dataKey, VAULT_ID);
    const sealedBefore = sealRecord(dataKey, { email: 'ada@example.org' }, `vault:${VAULT_ID}:contact`);

    const rotatedRing = [master2, master1];
    const rewrapped = rewrapDataKey(rotatedRing, wrappedUnder1, VAULT_ID);
    expect(masterKeyIdOf(rewrapped)).toBe(2);

    // Once every key is re-wrapped, master 1 is retired from configuration.
    const key = unwrapDataKey([master2], rewrapped, VAULT_ID);
    expect(openRecord(key, sealedBefore, `vault:${VAULT_ID}:contact`)).toEqual({ email: 'ada@example.org' });
  });

  it('cannot unwrap a key whose master has left the ring', () => {
    const wrappedUnder1 = wrapDataKey(master1, generateDataKey(), VAULT_ID);
    expect(refusal(() => unwrapDataKey([master2], wrappedUnder1, VAULT_ID))).toBe('UNKNOWN_MASTER_KEY');
    expect(refusal(() => rewrapDataKey([master2], wrappedUnder1, VAULT_ID))).toBe('UNKNOWN_MASTER_KEY');
  });

  it('re-wrapping a key already under the current master changes the bytes, not the key', () => {
    const dataKey = generateDataKey();
    const wrapped = wrapDataKey(master2, dataKey, VAULT_ID);
    const again = rewrapDataKey([master2, master1], wrapped, VAULT_ID);
    expect(again.equals(wrapped)).toBe(false);
    expect(unwrapDataKey([master2], again, VAULT_ID).equals(dataKey)).toBe(true);
  });

  it('round-trips any data key under any master id and any vault id', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.string({ minLength: 1 }),
        (id, key, vaultId) => {
          const master = { id, key: master1.key };
          const dataKey = Buffer.from(key);
          const wrapped = wrapDataKey(master, dataKey, vaultId);
          return masterKeyIdOf(wrapped) === id && unwrapDataKey([master], wrapped, vaultId).equals(dataKey);
        },
      ),
    );
  });
});
