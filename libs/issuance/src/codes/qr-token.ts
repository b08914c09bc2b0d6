import { createPublicKey, KeyObject, verify as cryptoVerify } from 'node:crypto';
import jwt from 'jsonwebtoken';

/**
 * The signed token a voucher's QR code carries: a compact JWT, ES256, `kid` in the header, and only
 * `s` (voucher serial), `v` (face value in cents) and `aud`. No `exp`, `iat` or `nbf`: an order's
 * validity can be extended after printing, so the server decides from the order's current dates; a
 * scanner verifies offline against the published JWKS, the server stays authoritative.
 * No `typ` header either (it is optional in RFC 7519): every byte counts in the QR code.
 */
export const VOUCHER_TOKEN_AUDIENCE = 'sillage:voucher';

export interface VoucherClaims {
  /** Voucher serial, e.g. `SLG-2026-000123-07`. */
  s: string;
  /** Face value in integer cents. */
  v: number;
}

export interface VoucherSigningKey {
  kid: string;
  privateKey: KeyObject;
}

/** Verification keys by key id: the current one and those still valid for already printed vouchers. */
export type VoucherVerificationKeys = ReadonlyMap<string, KeyObject> | Readonly<Record<string, KeyObject>>;

export type VoucherTokenFailure =
  'MALFORMED' | 'UNKNOWN_KID' | 'WRONG_ALGORITHM' | 'HAS_EXPIRY' | 'UNEXPECTED_CLAIMS' | 'BAD_SIGNATURE' | 'WRONG_AUDIENCE' | 'INVALID';

export type VoucherTokenResult = { ok: true; kid: string; claims: VoucherClaims } | { ok: false; reason: VoucherTokenFailure };

const ALLOWED_CLAIMS = new Set(['s', 'v', 'aud']);
const KID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

function assertP256(key: KeyObject, type: 'private' | 'public'): void {
  if (key.type !== type || key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new TypeError(`an ES256 ${type} key is an EC P-256 key`);
  }
}

function assertClaims(claims: VoucherClaims): void {
  if (typeof claims.s !== 'string' || claims.s.length === 0 || claims.s.length > 64) throw new RangeError('s is a voucher serial');
  if (!Number.isSafeInteger(claims.v) || claims.v <= 0) throw new RangeError('v is a positive face value in cents');
}

export function signVoucherToken(key: VoucherSigningKey, claims: VoucherClaims): string {
  assertP256(key.privateKey, 'private');
  if (!KID_PATTERN.test(key.kid)) throw new RangeError('a key id is 1-32 base64url characters');
  assertClaims(claims);
  return jwt.sign({ s: claims.s, v: claims.v }, key.privateKey, {
    algorithm: 'ES256',
    audience: VOUCHER_TOKEN_AUDIENCE,
    noTimestamp: true,
    header: { alg: 'ES256', kid: key.kid, typ: undefined },
  });
}

function keyFor(keys: VoucherVerificationKeys, kid: string): KeyObject | undefined {
  if (keys instanceof Map) return (keys as ReadonlyMap<string, KeyObject>).get(kid);
  const record = keys as Readonly<Record<string, KeyObject>>;
  return Object.prototype.hasOwnProperty.call(record, kid) ? record[kid] : undefined;
}

/**
 * Verifies a voucher token: known `kid`, ES256 only, signature, audience, exactly the expected claims
 * and no expiry. Verified with node:crypto directly (it runs once per scanned cheque, on the
 * redemption hot path; a JWT library costs as much again in decoding and option handling). `now` is
 * accepted for symmetry with time-bound tokens and ignored: any time claim is refused, and the
 * order's dates decide whether the voucher is still valid.
 */
export function verifyVoucherToken(token: string, keys: VoucherVerificationKeys, _now: Date = new Date()): VoucherTokenResult {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !BASE64URL.test(p))) return { ok: false, reason: 'MALFORMED' };
  const header = jsonSegment(parts[0]);
  const payload = jsonSegment(parts[1]);
  if (!header || !payload) return { ok: false, reason: 'MALFORMED' };
  if (header.alg !== 'ES256') return { ok: false, reason: 'WRONG_ALGORITHM' };
  if (typeof header.kid !== 'string') return { ok: false, reason: 'UNKNOWN_KID' };
  const key = keyFor(keys, header.kid);
  if (!key) return { ok: false, reason: 'UNKNOWN_KID' };
  if ('exp' in payload) return { ok: false, reason: 'HAS_EXPIRY' };
  if (Object.keys(payload).some((k) => !ALLOWED_CLAIMS.has(k))) return { ok: false, reason: 'UNEXPECTED_CLAIMS' };
  const signature = Buffer.from(parts[2], 'base64url');
  // One spelling per signature: base64url's spare bits in the last character must be zero.
  if (signature.toString('base64url') !== parts[2]) return { ok: false, reason: 'MALFORMED' };
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`, 'latin1');
  if (signature.length !== 64 || !cryptoVerify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature)) {
    return { ok: false, reason: 'BAD_SIGNATURE' };
  }
  if (payload.aud !== VOUCHER_TOKEN_AUDIENCE) return { ok: false, reason: 'WRONG_AUDIENCE' };
  const claims = { s: payload.s, v: payload.v };
  if (typeof claims.s !== 'string' || claims.s.length === 0 || !Number.isSafeInteger(claims.v) || (claims.v as number) <= 0) {
    return { ok: false, reason: 'UNEXPECTED_CLAIMS' };
  }
  return { ok: true, kid: header.kid, claims: { s: claims.s, v: claims.v as number } };
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A JWT segment's JSON object, or undefined when it is not one. */
function jsonSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// A type alias, not an interface: it stays assignable to node's `JsonWebKey` (index signature).
/** One public key of the JWKS served at `GET /v1/issuance/keys` (RFC 7517 / RFC 7518 §6.2). */
export type VoucherJwk = {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
};

/**
 * The JWKS of the verification keys. Takes public keys (a private key is reduced to its public part);
 * only `x` and `y` are copied from the export, so a private `d` can never leak into the set.
 */
export function toJwks(publicKeys: VoucherVerificationKeys): { keys: VoucherJwk[] } {
  const entries: [string, KeyObject][] =
    publicKeys instanceof Map
      ? [...(publicKeys as ReadonlyMap<string, KeyObject>)]
      : Object.entries(publicKeys as Readonly<Record<string, KeyObject>>);
  return {
    keys: entries.map(([kid, key]) => {
      const pub = key.type === 'private' ? createPublicKey(key) : key;
      assertP256(pub, 'public');
      const jwk = pub.export({ format: 'jwk' });
      if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') throw new TypeError('EC public key without coordinates');
      return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid, alg: 'ES256', use: 'sig' };
    }),
  };
}
