import { createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { signVoucherToken, toJwks, VOUCHER_TOKEN_AUDIENCE, verifyVoucherToken, VoucherSigningKey } from './qr-token';

function keyPair(kid: string): VoucherSigningKey & { publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, privateKey, publicKey };
}

const decodePart = (token: string, i: number) => JSON.parse(Buffer.from(token.split('.')[i], 'base64url').toString('utf8'));

describe('voucher QR token', () => {
  const current = keyPair('v2');
  const previous = keyPair('v1');
  const claims = { s: 'SLG-2026-000123-07', v: 1000 };
  const printedAt = new Date('2026-11-28T00:00:00Z');

  it('is a compact ES256 JWT with a kid, minimal claims, no expiry, short enough for a small QR code', () => {
    const token = signVoucherToken(current, claims);
    expect(decodePart(token, 0)).toEqual({ alg: 'ES256', kid: 'v2' });
    expect(decodePart(token, 1)).toEqual({ s: 'SLG-2026-000123-07', v: 1000, aud: VOUCHER_TOKEN_AUDIENCE });
    // Measured: 202 characters (26-byte header, 58-byte payload, 64-byte signature, base64url) →
    // a version 9 QR code at error correction L (230 bytes) or version 10 at M (213 bytes).
    expect(token.length).toBeLessThanOrEqual(205);
    // The longest realistic token: 6-digit booklet number, 2-digit index, a face value of 999,999.99 €.
    const longest = signVoucherToken(current, { s: 'SLG-2026-999999-20', v: 99999999 });
    expect(longest.length).toBeLessThanOrEqual(210);
  });

  it('verifies with the published JWK, converted back from the JWKS', () => {
    const token = signVoucherToken(current, claims);
    const jwks = toJwks(new Map([['v2', current.publicKey]]));
    const jwk = jwks.keys.find((k) => k.kid === 'v2')!;
    const published = createPublicKey({ key: jwk, format: 'jwk' });
    expect(verifyVoucherToken(token, { v2: published }, printedAt)).toEqual({ ok: true, kid: 'v2', claims });
  });

  it('stays accepted years later: validity is decided by the server from the order dates, not the token', () => {
    const token = signVoucherToken(current, claims);
    expect(verifyVoucherToken(token, { v2: current.publicKey }, new Date('2036-01-01T00:00:00Z')).ok).toBe(true);
  });

  it('rejects a token signed by another key under the same kid', () => {
    const impostor = keyPair('v2');
    const token = signVoucherToken(impostor, claims);
    expect(verifyVoucherToken(token, { v2: current.publicKey }, printedAt)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('rejects every altered byte of the token', () => {
    const token = signVoucherToken(current, claims);
    const keys = { v2: current.publicKey };
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const replacement = token[i] === 'A' ? 'B' : 'A';
      const altered = token.slice(0, i) + replacement + token.slice(i + 1);
      // every change is refused, including another spelling of the same signature bytes in the last
      // character (its 4 spare bits), so a cheque has exactly one valid token string
      expect(verifyVoucherToken(altered, keys, printedAt).ok).toBe(false);
    }
    const last = token[token.length - 1];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sameBytes = alphabet[(alphabet.indexOf(last) & ~0x0f) | ((alphabet.indexOf(last) + 1) & 0x0f)];
    expect(verifyVoucherToken(token.slice(0, -1) + sameBytes, keys, printedAt)).toEqual({ ok: false, reason: 'MALFORMED' });
    const forged = signVoucherToken(current, claims).replace(
      /\.[^.]+\./,
      `.${Buffer.from(JSON.stringify({ ...claims, v: 100000, aud: VOUCHER_TOKEN_AUDIENCE })).toString('base64url')}.`,
    );
    expect(verifyVoucherToken(forged, keys, printedAt)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('supports rotation: one signing key, several verification keys; a retired kid is refused', () => {
    const oldToken = signVoucherToken(previous, claims);
    const newToken = signVoucherToken(current, claims);
    const both = new Map([
      ['v1', previous.publicKey],
      ['v2', current.publicKey],
    ]);
    expect(verifyVoucherToken(oldToken, both, printedAt).ok).toBe(true);
    expect(verifyVoucherToken(newToken, both, printedAt)).toMatchObject({ ok: true, kid: 'v2' });
    expect(verifyVoucherToken(oldToken, new Map([['v2', current.publicKey]]), printedAt)).toEqual({ ok: false, reason: 'UNKNOWN_KID' });
    // A kid that is an Object prototype property is not a key.
    const sneaky = jwt.sign({ ...claims }, current.privateKey, {
      algorithm: 'ES256',
      keyid: 'constructor',
      audience: VOUCHER_TOKEN_AUDIENCE,
      noTimestamp: true,
    });
    expect(verifyVoucherToken(sneaky, { v2: current.publicKey }, printedAt)).toEqual({ ok: false, reason: 'UNKNOWN_KID' });
  });

  it('refuses a token carrying an expiry, even one far in the future', () => {
    const withExp = jwt.sign({ ...claims }, current.privateKey, {
      algorithm: 'ES256',
      keyid: 'v2',
      audience: VOUCHER_TOKEN_AUDIENCE,
      expiresIn: '100y',
    });
    expect(verifyVoucherToken(withExp, { v2: current.publicKey }, printedAt)).toEqual({ ok: false, reason: 'HAS_EXPIRY' });
  });

  it('refuses another audience, extra claims, another algorithm, no kid and garbage', () => {
    const keys = { v2: current.publicKey };
    const sign = (payload: object, options: jwt.SignOptions) =>
      jwt.sign(payload, current.privateKey, { algorithm: 'ES256', keyid: 'v2', noTimestamp: true, ...options });
    expect(verifyVoucherToken(sign(claims, { audience: 'sillage:access' }), keys, printedAt)).toEqual({
      ok: false,
      reason: 'WRONG_AUDIENCE',
    });
    expect(verifyVoucherToken(sign(claims, {}), keys, printedAt)).toEqual({ ok: false, reason: 'WRONG_AUDIENCE' });
    expect(verifyVoucherToken(sign({ ...claims, role: 'admin' }, { audience: VOUCHER_TOKEN_AUDIENCE }), keys, printedAt)).toEqual({
      ok: false,
      reason: 'UNEXPECTED_CLAIMS',
    });
    expect(verifyVoucherToken(sign({ s: claims.s, v: -5 }, { audience: VOUCHER_TOKEN_AUDIENCE }), keys, printedAt)).toEqual({
      ok: false,
      reason: 'UNEXPECTED_CLAIMS',
    });
    const hs256 = jwt.sign(claims, 'a-shared-secret-of-some-length', { algorithm: 'HS256', keyid: 'v2', audience: VOUCHER_TOKEN_AUDIENCE });
    expect(verifyVoucherToken(hs256, keys, printedAt)).toEqual({ ok: false, reason: 'WRONG_ALGORITHM' });
    const none = `${Buffer.from('{"alg":"none","kid":"v2"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, aud: VOUCHER_TOKEN_AUDIENCE })).toString('base64url')}.`;
    expect(verifyVoucherToken(none, keys, printedAt).ok).toBe(false);
    const noKid = jwt.sign(claims, current.privateKey, { algorithm: 'ES256', audience: VOUCHER_TOKEN_AUDIENCE });
    expect(verifyVoucherToken(noKid, keys, printedAt)).toEqual({ ok: false, reason: 'UNKNOWN_KID' });
    expect(verifyVoucherToken('not-a-token', keys, printedAt)).toEqual({ ok: false, reason: 'MALFORMED' });
    expect(verifyVoucherToken('', keys, printedAt)).toEqual({ ok: false, reason: 'MALFORMED' });
  });

  it('refuses to sign with a non-P-256 key or bad claims', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(() => signVoucherToken({ kid: 'r', privateKey: rsa }, claims)).toThrow(TypeError);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    expect(() => signVoucherToken({ kid: 'p', privateKey: p384 }, claims)).toThrow(TypeError);
    expect(() => signVoucherToken(current, { s: '', v: 1000 })).toThrow(RangeError);
    expect(() => signVoucherToken(current, { s: claims.s, v: 10.5 })).toThrow(RangeError);
    expect(() => signVoucherToken({ ...current, kid: 'has space' }, claims)).toThrow(RangeError);
  });
});

describe('JWKS', () => {
  it('publishes each verification key as an RFC 7517 EC P-256 entry, never a private part', () => {
    const a = keyPair('v1');
    const b = keyPair('v2');
    // A private key passed by mistake is reduced to its public part.
    const jwks = toJwks({ v1: a.publicKey, v2: b.privateKey });
    expect(jwks.keys).toHaveLength(2);
    for (const [i, k] of jwks.keys.entries()) {
      expect(Object.keys(k).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      expect(k).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: i === 0 ? 'v1' : 'v2' });
      expect(Buffer.from(k.x, 'base64url')).toHaveLength(32);
      expect(Buffer.from(k.y, 'base64url')).toHaveLength(32);
    }
    expect(JSON.stringify(jwks)).not.toContain('"d"');
    const back = createPublicKey({ key: jwks.keys[1], format: 'jwk' });
    expect(back.export({ format: 'jwk' })).toEqual(b.publicKey.export({ format: 'jwk' }));
  });

  it('refuses a key that is not EC P-256', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    expect(() => toJwks({ r: rsa })).toThrow(TypeError);
  });
});
