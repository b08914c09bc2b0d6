// Default import on purpose: a namespace import gets an interop copy that spying would not reach.
import crypto from 'node:crypto';
import { base32Decode, base32Encode, generateTotpSecret, totpCode, totpUri, verifyTotp } from './totp';

// RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890', 'ascii'));
const s = (seconds: number): number => seconds * 1000;

describe('base32', () => {
  // RFC 4648 §10 test vectors, padding removed.
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('encodes %p as %p and decodes it back', (plain, encoded) => {
    expect(base32Encode(Buffer.from(plain, 'ascii'))).toBe(encoded);
    expect(base32Decode(encoded).toString('ascii')).toBe(plain);
  });

  it('encodes the RFC 6238 seed to the secret authenticator apps are given', () => {
    expect(RFC_SECRET).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });

  it('round-trips arbitrary bytes of every length from 0 to 40', () => {
    for (let length = 0; length <= 40; length++) {
      const bytes = crypto.randomBytes(length);
      expect(base32Decode(base32Encode(bytes)).equals(bytes)).toBe(true);
    }
  });

  it('accepts lower case and trailing "=" padding pasted from other tools', () => {
    expect(base32Decode('mzxw6ytboi======').toString('ascii')).toBe('foobar');
  });

  it.each([
    ['MZXW6YTB0I', 'digit 0 is not in the alphabet'],
    ['MZXW 6YTB', 'space'],
    ['MZXW6YTBO', 'impossible length (9 mod 8 = 1)'],
    ['MZ', 'non-zero leftover bits: "MY" is the canonical spelling of "f"'],
  ])('throws on the corrupted secret %p (%s)', (encoded) => {
    expect(() => base32Decode(encoded)).toThrow();
  });
});

describe('generateTotpSecret', () => {
  it('returns 20 random bytes as 32 unpadded base32 characters', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
  });

  it('returns a different secret every time', () => {
    const secrets = new Set(Array.from({ length: 20 }, generateTotpSecret));
    expect(secrets.size).toBe(20);
  });
});

describe('totpCode', () => {
  // RFC 6238 Appendix B, SHA-1 column (8 digits).
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'], // year 2603: the step counter no longer fits in 32 bits
  ])('matches the RFC 6238 vector at T=%i s with 8 digits: %s', (seconds, expected) => {
    expect(totpCode(RFC_SECRET, s(seconds), 8)).toBe(expected);
  });

  it('defaults to 6 digits, the last 6 of the 8-digit value (leading zero kept)', () => {
    expect(totpCode(RFC_SECRET, s(59))).toBe('287082');
    expect(totpCode(RFC_SECRET, s(1111111109))).toBe('081804');
  });

  it('keeps the same code for the whole 30 s step and changes at the boundary', () => {
    // Counters 0 and 1 are RFC 4226 Appendix D HOTP values 755224 and 287082.
    expect(totpCode(RFC_SECRET, 0)).toBe('755224');
    expect(totpCode(RFC_SECRET, 29_999)).toBe('755224');
    expect(totpCode(RFC_SECRET, 30_000)).toBe('287082');
  });

  it('refuses a digit count authenticator apps do not support', () => {
    expect(() => totpCode(RFC_SECRET, 0, 4)).toThrow(RangeError);
    expect(() => totpCode(RFC_SECRET, 0, 10)).toThrow(RangeError);
  });

  it('refuses an empty secret, whose codes anyone could compute', () => {
    expect(() => totpCode('', 0)).toThrow('empty');
  });
});

describe('verifyTotp', () => {
  // At T=59 s the current step is counter 1; RFC 4226 Appendix D gives the neighbours' codes.
  const now = s(59);
  const codeOfStep = ['755224', '287082', '359152', '969429'];

  it('returns the current step counter for the current code', () => {
    expect(verifyTotp(RFC_SECRET, '287082', now)).toBe(1);
  });

  it('accepts the previous and next step with the default window of 1', () => {
    expect(verifyTotp(RFC_SECRET, codeOfStep[0], now)).toBe(0);
    expect(verifyTotp(RFC_SECRET, codeOfStep[2], now)).toBe(2);
  });

  it('rejects a code two steps away with window 1 and accepts it with window 2', () => {
    expect(verifyTotp(RFC_SECRET, codeOfStep[3], now)).toBeNull();
    expect(verifyTotp(RFC_SECRET, codeOfStep[3], now, 2)).toBe(3);
  });

  it('accepts only the current step with window 0', () => {
    expect(verifyTotp(RFC_SECRET, codeOfStep[1], now, 0)).toBe(1);
    expect(verifyTotp(RFC_SECRET, codeOfStep[0], now, 0)).toBeNull();
    expect(verifyTotp(RFC_SECRET, codeOfStep[2], now, 0)).toBeNull();
  });

  it('reports the same counter when a code is replayed later in its window, so reuse can be refused', () => {
    const first = verifyTotp(RFC_SECRET, '287082', s(45));
    const replay = verifyTotp(RFC_SECRET, '287082', s(75));
    expect(first).toBe(1);
    expect(replay).toBe(first);
  });

  it('handles the very first step at the Unix epoch (no negative counter)', () => {
    expect(verifyTotp(RFC_SECRET, '755224', 0)).toBe(0);
  });

  it('rejects a wrong code', () => {
    expect(verifyTotp(RFC_SECRET, '287083', now)).toBeNull();
  });

  it('rejects a code generated from another secret', () => {
    const other = generateTotpSecret();
    expect(verifyTotp(RFC_SECRET, totpCode(other, now), now, 0)).toBeNull();
    expect(verifyTotp(other, totpCode(other, now), now, 0)).toBe(1);
  });

  it.each([
    ['28708', '5 digits'],
    ['2870820', '7 digits'],
    ['94287082', 'the 8-digit form'],
    [' 287082', 'leading space'],
    ['287 082', 'inner space'],
    ['２８７０８２', 'full-width digits'],
    ['', 'empty'],
    ['abcdef', 'letters'],
  ])('rejects the malformed input %p (%s) without throwing', (code) => {
    expect(verifyTotp(RFC_SECRET, code, now)).toBeNull();
  });

  it('rejects a non-string code from an untyped body', () => {
    expect(verifyTotp(RFC_SECRET, 287082 as unknown as string, now)).toBeNull();
  });

  it('verifies 8-digit codes when asked to', () => {
    expect(verifyTotp(RFC_SECRET, '94287082', now, 1, 8)).toBe(1);
    expect(verifyTotp(RFC_SECRET, '287082', now, 1, 8)).toBeNull();
  });

  it('refuses a negative or fractional window', () => {
    expect(() => verifyTotp(RFC_SECRET, '287082', now, -1)).toThrow(RangeError);
    expect(() => verifyTotp(RFC_SECRET, '287082', now, 0.5)).toThrow(RangeError);
  });

  it('compares every candidate step in constant time, even after a match', () => {
    const compare = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      expect(verifyTotp(RFC_SECRET, codeOfStep[0], now)).toBe(0);
      expect(compare).toHaveBeenCalledTimes(3);
    } finally {
      compare.mockRestore();
    }
  });
});

describe('totpUri', () => {
  it('builds the key URI an authenticator app scans', () => {
    expect(totpUri({ secret: RFC_SECRET, account: 'alice@example.fr', issuer: 'Sillage' })).toBe(
      'otpauth://totp/Sillage:alice%40example.fr?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' +
        '&issuer=Sillage&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('defaults the issuer to Sillage', () => {
    expect(totpUri({ secret: RFC_SECRET, account: 'a@b.fr' })).toContain('otpauth://totp/Sillage:a%40b.fr?');
  });

  it('percent-encodes spaces, "+", ":" and accents so the label and parameters survive parsing', () => {
    const uri = totpUri({ secret: RFC_SECRET, account: 'jean+mfa:é@exemple.fr', issuer: 'Sillage Recette' });
    expect(uri).toContain('otpauth://totp/Sillage%20Recette:jean%2Bmfa%3A%C3%A9%40exemple.fr?');
    expect(uri).toContain('issuer=Sillage%20Recette&');
    expect(uri).not.toMatch(/[ +]/);

    const parsed = new URL(uri);
    expect(parsed.protocol).toBe('otpauth:');
    expect(parsed.host).toBe('totp');
    const [issuer, account] = parsed.pathname.slice(1).split(':').map(decodeURIComponent);
    expect({ issuer, account }).toEqual({ issuer: 'Sillage Recette', account: 'jean+mfa:é@exemple.fr' });
    expect(parsed.searchParams.get('secret')).toBe(RFC_SECRET);
    expect(parsed.searchParams.get('issuer')).toBe('Sillage Recette');
  });

  it('advertises the digit count when it is not 6', () => {
    expect(totpUri({ secret: RFC_SECRET, account: 'a@b.fr', digits: 8 })).toContain('&digits=8&');
  });
});
