/**
 * Voucher human codes — their format, check character and normalisation, without generation: pure
 * code with no import, shared by the API and the browser scanner (which validates as people type).
 *
 * Voucher human codes: 11 random characters plus 1 check character, printed as `XXXX-XXXX-XXXX`.
 *
 * Alphabet (29 characters, a prime): the ten digits and the letters without those a reader confuses
 * with a digit or with each other. Of every look-alike pair only ONE member is in the alphabet:
 *   0 kept, O excluded · 1 kept, I and L excluded · 2 kept, Z excluded · 5 kept, S excluded ·
 *   8 kept, B excluded · V kept, U excluded (U/V, and U keeps accidental words out).
 * So a printed code never contains two characters that look alike, and when someone types a letter
 * that is not in the alphabet, its look-alike is the only character it can have meant: the mapping
 * O→0, I→1, L→1, Z→2, S→5, B→8 is unambiguous (see `normaliseHumanCode`). U is refused, not mapped.
 *
 * Entropy: 11 × log2(29) ≈ 53.4 bits from a CSPRNG with rejection sampling (no modulo bias; see human-code.ts).
 *
 * Check character (the 12th). Let p = 29 and d_1 … d_12 be the characters' values (0 … 28), d_12
 * being the check character, chosen so that  S = Σ_{i=1..12} i · d_i ≡ 0 (mod p).
 * - Single substitution at position i, d_i → d_i' (d_i' ≠ d_i): S changes by i · (d_i' − d_i). Both
 *   factors are non-zero modulo p (1 ≤ i ≤ 12 < p, 0 < |d_i' − d_i| < p) and p is prime, so p does not
 *   divide the product (Euclid's lemma): S ≢ 0, the error is detected — at every position, including
 *   the check character itself.
 * - Adjacent transposition of positions i, i+1 holding a ≠ b: S changes by
 *   i·b + (i+1)·a − i·a − (i+1)·b = a − b, non-zero modulo p since 0 < |a − b| < p: detected.
 *   More generally swapping positions i < j changes S by (j − i)(a − b), and 0 < j − i < p, so EVERY
 *   transposition of two different characters is detected, not only adjacent ones. This needs the
 *   weights to be distinct and non-zero modulo p, hence a code length ≤ p − 1 = 28.
 * The check character is d_12 = −12⁻¹ · Σ_{i=1..11} i · d_i (mod p); 12⁻¹ exists because p is prime.
 */
export const HUMAN_CODE_ALPHABET = '0123456789ACDEFGHJKMNPQRTVWXY';
export const HUMAN_CODE_BODY_LENGTH = 11;
export const HUMAN_CODE_LENGTH = HUMAN_CODE_BODY_LENGTH + 1;
export const HUMAN_CODE_PRIME = HUMAN_CODE_ALPHABET.length; // 29, prime
const P = HUMAN_CODE_PRIME;

/** Bits of entropy of the random body: length × log2(alphabet size). */
export const HUMAN_CODE_ENTROPY_BITS = HUMAN_CODE_BODY_LENGTH * Math.log2(P);

/** Letters outside the alphabet whose look-alike is the only member of its pair in the alphabet. */
export const HUMAN_CODE_LOOK_ALIKES: Readonly<Record<string, string>> = { O: '0', I: '1', L: '1', Z: '2', S: '5', B: '8' };

const VALUE = new Map<string, number>([...HUMAN_CODE_ALPHABET].map((c, i) => [c, i]));

function modPow(base: number, exp: number, mod: number): number {
  let result = 1;
  let b = base % mod;
  for (let e = exp; e > 0; e >>= 1) {
    if (e & 1) result = (result * b) % mod;
    b = (b * b) % mod;
  }
  return result;
}

/** Modular inverse of the check character's weight (Fermat: a^(p−2) ≡ a⁻¹ mod p for prime p). */
const CHECK_WEIGHT_INVERSE = modPow(HUMAN_CODE_LENGTH, P - 2, P);

function weightedSum(values: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum = (sum + (i + 1) * values[i]) % P;
  return sum;
}

/** The check character for an 11-character body written in the alphabet. */
export function humanCodeCheckCharacter(body: string): string {
  if (body.length !== HUMAN_CODE_BODY_LENGTH) throw new RangeError(`a human code body has ${HUMAN_CODE_BODY_LENGTH} characters`);
  const values = [...body].map((c) => {
    const v = VALUE.get(c);
    if (v === undefined) throw new RangeError('a human code body uses only the human code alphabet');
    return v;
  });
  const check = (((P - weightedSum(values)) % P) * CHECK_WEIGHT_INVERSE) % P;
  return HUMAN_CODE_ALPHABET[check];
}

/** True for a canonical code: exactly 12 alphabet characters whose check character is right. */
export function isWellFormedHumanCode(s: string): boolean {
  if (s.length !== HUMAN_CODE_LENGTH) return false;
  const values: number[] = [];
  for (const c of s) {
    const v = VALUE.get(c);
    if (v === undefined) return false;
    values.push(v);
  }
  return weightedSum(values) === 0;
}

// Whitespace and the dash family (hyphen-minus, Unicode hyphens and dashes, minus sign), dots, underscores.
const SEPARATORS = /[\s\-\u2010-\u2015\u2212._]/gu;

/**
 * What a person typed → canonical form, or `null` when it contains a character that is neither in
 * the alphabet nor an unambiguous look-alike (e.g. `U`, `é`, `#`). Applies Unicode NFKC (full-width
 * characters), upper-cases, removes separators, maps O→0, I/L→1, Z→2, S→5, B→8. Does NOT check the
 * length or the check character: use `parseHumanCode` (or `isWellFormedHumanCode` afterwards).
 */
export function normaliseHumanCode(input: string): string | null {
  const compact = input.normalize('NFKC').toUpperCase().replace(SEPARATORS, '');
  let out = '';
  for (const c of compact) {
    const mapped = VALUE.has(c) ? c : HUMAN_CODE_LOOK_ALIKES[c];
    if (mapped === undefined) return null;
    out += mapped;
  }
  return out;
}

/** Normalises then validates: the canonical code, or `null` if it cannot be a code we issued. */
export function parseHumanCode(input: string): string | null {
  const normalised = normaliseHumanCode(input);
  return normalised !== null && isWellFormedHumanCode(normalised) ? normalised : null;
}

/** Print form: groups of 4 separated by dashes, e.g. `7KQ4-M0XE-3VHA`. */
export function formatHumanCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? '';
}
