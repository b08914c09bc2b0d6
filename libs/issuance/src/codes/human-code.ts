import { cryptoRandom, RandomSource } from './random-source';
import { HUMAN_CODE_ALPHABET, HUMAN_CODE_BODY_LENGTH, HUMAN_CODE_PRIME, humanCodeCheckCharacter } from './human-code-format';

export * from './human-code-format';

/** Generating voucher human codes (the format itself is in human-code-format.ts, shared with the browser). */
const P = HUMAN_CODE_PRIME;

// Largest multiple of P that fits a byte: bytes at or above it are rejected, so every value
// (byte mod P) is equally likely.
const REJECT_FROM = 256 - (256 % P); // 232

/** A fresh code in canonical form (12 characters, no separators), from the CSPRNG unless `random` is given. */
export function generateHumanCode(random: RandomSource = cryptoRandom): string {
  let body = '';
  for (let calls = 0; body.length < HUMAN_CODE_BODY_LENGTH; calls++) {
    // 64 calls × 16 bytes all rejected has probability (24/256)^1024: only a broken source gets here.
    if (calls === 64) throw new Error('the random source keeps returning rejected bytes: is it broken?');
    // 16 bytes almost always suffice (each byte is accepted with probability 232/256).
    for (const byte of random(16)) {
      if (byte >= REJECT_FROM) continue;
      body += HUMAN_CODE_ALPHABET[byte % P];
      if (body.length === HUMAN_CODE_BODY_LENGTH) break;
    }
  }
  return body + humanCodeCheckCharacter(body);
}

/**
 * `n` codes, distinct from each other and from every code `isTaken` reports, retrying a collision
 * (the database's unique index on the lookup hash stays the final arbiter: the caller retries on a
 * unique violation too). Throws after `maxAttemptsPerCode` consecutive collisions, which with a
 * healthy CSPRNG means something is badly wrong (a broken random source), not bad luck.
 */
export function generateUniqueCodes(
  n: number,
  isTaken: (code: string) => boolean = () => false,
  random: RandomSource = cryptoRandom,
  maxAttemptsPerCode = 16,
): string[] {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('n must be a non-negative integer');
  const seen = new Set<string>();
  const codes: string[] = [];
  while (codes.length < n) {
    let attempts = 0;
    for (;;) {
      const code = generateHumanCode(random);
      if (!seen.has(code) && !isTaken(code)) {
        seen.add(code);
        codes.push(code);
        break;
      }
      if (++attempts >= maxAttemptsPerCode)
        throw new Error(`no unique human code after ${maxAttemptsPerCode} attempts: is the random source broken?`);
    }
  }
  return codes;
}
