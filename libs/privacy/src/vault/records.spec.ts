import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { generateDataKey } from './data-keys';
import { canonicalRecordJson, openRecord, PersonalRecord, sealRecord } from './records';
import { VaultError, VaultFailure } from './vault.errors';

const AAD = 'vault:0f8c7a52-3b7e-4a43-9d1e-6a0d2f1c9b11:contact';

function refusal(f: () => unknown): VaultFailure | 'no error' {
  try {
    f();
    return 'no error';
  } catch (e) {
    if (e instanceof VaultError) return e.reason;
    throw e;
  }
}

/** Any UTF-16 code unit, lone surrogates included: what a JS string can really hold. */
const anyCodeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });
const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), anyCodeUnits);
const anyRecord: fc.Arbitrary<PersonalRecord> = fc.dictionary(anyText, fc.option(anyText, { nil: null }), { maxKeys: 8 });

describe('canonical record JSON', () => {
  it('sorts keys, so field order does not change the plaintext', () => {
    expect(canonicalRecordJson({ phone: '+33 6 12 34 56 78', email: 'a@b.fr', address: null })).toBe(
      '{"address":null,"email":"a@b.fr","phone":"+33 6 12 34 56 78"}',
    );
    expect(canonicalRecordJson({ b: '1', a: '2' })).toBe(canonicalRecordJson({ a: '2', b: '1' }));
  });

  it('refuses values that are neither strings nor null', () => {
    expect(() => canonicalRecordJson({ age: 42 } as unknown as PersonalRecord)).toThrow(TypeError);
  });
});

describe('sealed records', () => {
  const dataKey = generateDataKey();

  it('opens to the record it sealed, with the same key and AAD', () => {
    const record = { email: 'zoé@exemple.fr', phone: null, name: 'Zoé Ñúñez 🌱' };
    const sealed = sealRecord(dataKey, record, AAD);
    expect(sealed[0]).toBe(1);
    expect(sealed[1]).toBe(0);
    expect(openRecord(dataKey, sealed, AAD)).toEqual(record);
  });

  it('refuses another field, another person or another key', () => {
    const sealed = sealRecord(dataKey, { email: 'a@b.fr' }, AAD);
    expect(refusal(() => openRecord(dataKey, sealed, AAD.replace(':contact', ':identity')))).toBe('AUTHENTICATION_FAILED');
    expect(refusal(() => openRecord(dataKey, sealed, AAD.replace('0f8c', '1f8c')))).toBe('AUTHENTICATION_FAILED');
    expect(refusal(() => openRecord(generateDataKey(), sealed, AAD))).toBe('AUTHENTICATION_FAILED');
  });

  it('refuses every single-byte alteration', () => {
    const sealed = sealRecord(dataKey, { email: 'a@b.fr', phone: '0612345678' }, AAD);
    for (let i = 0; i < sealed.length; i++) {
      const tampered = Buffer.from(sealed);
      tampered[i] ^= 0x01;
      expect([i, refusal(() => openRecord(dataKey, tampered, AAD))]).toEqual([i, i === 0 ? 'UNKNOWN_VERSION' : 'AUTHENTICATION_FAILED']);
    }
    expect(refusal(() => openRecord(dataKey, sealed.subarray(0, 29), AAD))).toBe('MALFORMED');
    expect(refusal(() => openRecord(dataKey, sealed.subarray(0, sealed.length - 1), AAD))).toBe('AUTHENTICATION_FAILED');
  });

  it('round-trips arbitrary unicode records (astral planes, combining marks, lone surrogates)', () => {
    fc.assert(
      fc.property(anyRecord, anyText, (record, aad) => {
        const opened = openRecord(dataKey, sealRecord(dataKey, record, aad), aad);
        expect(opened).toEqual(record);
        expect(Object.keys(opened).sort()).toEqual(Object.keys(record).sort());
      }),
    );
  });

  it('never opens under a different AAD', () => {
    fc.assert(
      fc.property(anyRecord, anyText, anyText, (record, aad, otherAad) => {
        fc.pre(aad !== otherAad);
        return refusal(() => openRecord(dataKey, sealRecord(dataKey, record, aad), otherAad)) === 'AUTHENTICATION_FAILED';
      }),
    );
  });

  it('rejects a data key of the wrong size', () => {
    expect(() => sealRecord(randomBytes(16), {}, AAD)).toThrow(RangeError);
    expect(() => openRecord(randomBytes(16), Buffer.alloc(40), AAD)).toThrow(RangeError);
  });
});
