import { randomBytes } from 'node:crypto';
import { masterKeyIdOf, MasterKey, unwrapDataKey } from './data-keys';
import { PersonalDataVault, recordAad } from './personal-data-vault';
import { openRecord } from './records';
import { VaultError, VaultFailure } from './vault.errors';

const master1: MasterKey = { id: 1, key: randomBytes(32) };
const master2: MasterKey = { id: 2, key: randomBytes(32) };
const pseudonymKey = randomBytes(32);

function refusal(f: () => unknown): VaultFailure | 'no error' {
  try {
    f();
    return 'no error';
  } catch (e) {
    if (e instanceof VaultError) return e.reason;
    throw e;
  }
}

/** Every way the sentinel could sit in stored bytes or in a dump of them (raw, hex, base64 at any alignment). */
function reveals(stored: Buffer, sentinel: string): boolean {
  const plain = Buffer.from(sentinel, 'utf8');
  const dumps = [stored.toString('latin1'), stored.toString('hex'), stored.toString('base64'), stored.toString('base64url')];
  const needles = [sentinel, plain.toString('hex')];
  // base64 of the sentinel as it would appear when it starts at byte offset 0, 1 or 2 mod 3 of the blob.
  for (const shift of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(shift), plain]).toString('base64');
    needles.push(encoded.slice(Math.ceil((shift * 4) / 3) + 1, encoded.length - 4));
  }
  return stored.includes(plain) || dumps.some((d) => needles.some((n) => d.includes(n)));
}

describe('PersonalDataVault', () => {
  const vault = new PersonalDataVault([master1], pseudonymKey);

  it('creates a person: a UUID vault id, a wrapped key under the current master, a stable pseudonym', () => {
    const a = vault.newPerson();
    const b = vault.newPerson();
    expect(a.vaultId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(masterKeyIdOf(a.dataKeyWrapped)).toBe(1);
    expect(a.pseudonym).toBe(vault.pseudonymOf(a.vaultId));
    expect(a.pseudonym).toMatch(/^[0-9a-f]{64}$/);
    expect(a.pseudonym).not.toBe(b.pseudonym);
    expect(unwrapDataKey([master1], a.dataKeyWrapped, a.vaultId).equals(unwrapDataKey([master1], b.dataKeyWrapped, b.vaultId))).toBe(false);
  });

  it('seals and opens a field of a person', () => {
    const p = vault.newPerson();
    const sealed = vault.seal(p.vaultId, p.dataKeyWrapped, 'contact', { email: 'ada@example.org', phone: null });
    expect(vault.open(p.vaultId, p.dataKeyWrapped, 'contact', sealed)).toEqual({ email: 'ada@example.org', phone: null });
    // The AAD is the documented one, so a lower layer with the data key opens it too.
    const key = unwrapDataKey([master1], p.dataKeyWrapped, p.vaultId);
    expect(openRecord(key, sealed, `vault:${p.vaultId}:contact`)).toEqual({ email: 'ada@example.org', phone: null });
  });

  it("refuses a record opened as another field, or with another person's key", () => {
    const p = vault.newPerson();
    const q = vault.newPerson();
    const sealed = vault.seal(p.vaultId, p.dataKeyWrapped, 'contact', { email: 'ada@example.org' });
    expect(refusal(() => vault.open(p.vaultId, p.dataKeyWrapped, 'identity', sealed))).toBe('AUTHENTICATION_FAILED');
    expect(refusal(() => vault.open(q.vaultId, q.dataKeyWrapped, 'contact', sealed))).toBe('AUTHENTICATION_FAILED');
    // p's wrapped key copied onto q's row is refused before any record is tried.
    expect(refusal(() => vault.open(q.vaultId, p.dataKeyWrapped, 'contact', sealed))).toBe('AUTHENTICATION_FAILED');
  });

  it('rotates: after the ring becomes [2, 1], rewrap moves keys to master 2 and old records still open', () => {
    const p = vault.newPerson();
    const sealed = vault.seal(p.vaultId, p.dataKeyWrapped, 'contact', { email: 'ada@example.org' });

    const rotated = new PersonalDataVault([master2, master1], pseudonymKey);
    expect(rotated.needsRewrap(p.dataKeyWrapped)).toBe(true);
    const rewrapped = rotated.rewrap(p.vaultId, p.dataKeyWrapped);
    expect(masterKeyIdOf(rewrapped)).toBe(2);
    expect(rotated.needsRewrap(rewrapped)).toBe(false);

    const retired = new PersonalDataVault([master2], pseudonymKey);
    expect(retired.open(p.vaultId, rewrapped, 'contact', sealed)).toEqual({ email: 'ada@example.org' });
    expect(refusal(() => retired.open(p.vaultId, p.dataKeyWrapped, 'contact', sealed))).toBe('UNKNOWN_MASTER_KEY');
    // The pseudonym does not depend on the master keys: reports keep counting the same person.
    expect(retired.pseudonymOf(p.vaultId)).toBe(p.pseudonym);
  });

  describe('crypto-shredding', () => {
    const SENTINEL = 'Zoé-SENTINEL-7f3a9c-ne-doit-jamais-apparaître';

    it('the check used below does detect plaintext stored in the clear or encoded', () => {
      const filler = randomBytes(40);
      for (const shift of [0, 1, 2]) {
        expect(reveals(Buffer.concat([filler.subarray(0, 10 + shift), Buffer.from(SENTINEL), filler]), SENTINEL)).toBe(true);
      }
      expect(reveals(Buffer.from(Buffer.from(SENTINEL).toString('hex')), SENTINEL)).toBe(true);
      expect(reveals(randomBytes(200), SENTINEL)).toBe(false);
    });

    it('once the wrapped key is deleted, the sealed record alone reveals nothing and opens with no key we hold', () => {
      const p = vault.newPerson();
      const sealed = vault.seal(p.vaultId, p.dataKeyWrapped, 'contact', { name: SENTINEL, email: `${SENTINEL}@example.org` });
      expect(vault.open(p.vaultId, p.dataKeyWrapped, 'contact', sealed).name).toBe(SENTINEL);

      // Erasure: the row's wrapped key is deleted. What remains (e.g. in a backup) is `sealed`.
      const erased = { vaultId: p.vaultId, sealed };
      expect(reveals(erased.sealed, SENTINEL)).toBe(false);
      expect(reveals(erased.sealed, 'example.org')).toBe(false);

      // Every key still in our possession fails: the master keys, a fresh data key, another person's key.
      const other = vault.newPerson();
      const candidates = [master1.key, pseudonymKey, unwrapDataKey([master1], other.dataKeyWrapped, other.vaultId), randomBytes(32)];
      for (const key of candidates) {
        expect(refusal(() => openRecord(key, erased.sealed, recordAad(erased.vaultId, 'contact')))).toBe('AUTHENTICATION_FAILED');
      }
      // And another person's wrapped key cannot stand in for the deleted one.
      expect(refusal(() => vault.open(erased.vaultId, other.dataKeyWrapped, 'contact', erased.sealed))).toBe('AUTHENTICATION_FAILED');
    });
  });

  it('refuses bad configuration, vault ids and field names', () => {
    expect(() => new PersonalDataVault([], pseudonymKey)).toThrow(RangeError);
    expect(() => new PersonalDataVault([master1], randomBytes(16))).toThrow(RangeError);
    expect(() => new PersonalDataVault([master1, { id: 1, key: randomBytes(32) }], pseudonymKey)).toThrow(RangeError);
    const p = vault.newPerson();
    expect(() => vault.seal(p.vaultId, p.dataKeyWrapped, 'con:tact', {})).toThrow(RangeError);
    expect(() => vault.seal(p.vaultId, p.dataKeyWrapped, '', {})).toThrow(RangeError);
    expect(() => vault.seal(p.vaultId.toUpperCase(), p.dataKeyWrapped, 'contact', {})).toThrow(RangeError);
  });
});
