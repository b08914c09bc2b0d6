import { randomBytes } from 'node:crypto';
import {
  formatHumanCode,
  generateHumanCode,
  generateUniqueCodes,
  HUMAN_CODE_ALPHABET,
  HUMAN_CODE_BODY_LENGTH,
  HUMAN_CODE_ENTROPY_BITS,
  HUMAN_CODE_LENGTH,
  humanCodeCheckCharacter,
  isWellFormedHumanCode,
  normaliseHumanCode,
  parseHumanCode,
} from './human-code';
import { RandomSource } from './random-source';

const isPrime = (n: number) => n > 1 && [...Array(Math.floor(Math.sqrt(n)) - 1).keys()].every((i) => n % (i + 2) !== 0);

/** Always returns the same bytes: every code it produces is the same. */
const repeating =
  (seed: Buffer): RandomSource =>
  (size) =>
    Buffer.from([...Array(size).keys()].map((i) => seed[i % seed.length]));

/** Cycles through a few seeds, each returned several times in a row: many collisions, but not only. */
function stuttering(seeds: Buffer[], repeatEach: number): RandomSource {
  let call = 0;
  return (size) => {
    const seed = seeds[Math.floor(call++ / repeatEach) % seeds.length];
    return repeating(seed)(size);
  };
}

describe('human code alphabet and length', () => {
  it('uses 29 distinct characters, a prime, with no look-alike pair', () => {
    expect(HUMAN_CODE_ALPHABET).toBe('0123456789ACDEFGHJKMNPQRTVWXY');
    expect(new Set(HUMAN_CODE_ALPHABET).size).toBe(HUMAN_CODE_ALPHABET.length);
    expect(isPrime(HUMAN_CODE_ALPHABET.length)).toBe(true);
    for (const pair of ['0O', '1I', '1L', 'IL', '2Z', '5S', '8B', 'UV']) {
      expect([...pair].filter((c) => HUMAN_CODE_ALPHABET.includes(c)).length).toBeLessThanOrEqual(1);
    }
    for (const excluded of 'OILZSBU') expect(HUMAN_CODE_ALPHABET).not.toContain(excluded);
  });

  it('has a body of at least 10 characters carrying at least 50 bits, plus one check character', () => {
    expect(HUMAN_CODE_BODY_LENGTH).toBeGreaterThanOrEqual(10);
    expect(HUMAN_CODE_LENGTH).toBe(HUMAN_CODE_BODY_LENGTH + 1);
    const bits = HUMAN_CODE_BODY_LENGTH * Math.log2(HUMAN_CODE_ALPHABET.length);
    expect(HUMAN_CODE_ENTROPY_BITS).toBeCloseTo(bits, 10);
    expect(bits).toBeGreaterThanOrEqual(50);
    expect(bits).toBeCloseTo(53.44, 2);
    // The weights 1..length must stay distinct and non-zero modulo the alphabet size.
    expect(HUMAN_CODE_LENGTH).toBeLessThan(HUMAN_CODE_ALPHABET.length);
  });

  it('generates well-formed 12-character codes from the alphabet only, each one different', () => {
    const codes = Array.from({ length: 2000 }, () => generateHumanCode());
    for (const code of codes) {
      expect(code).toMatch(/^[0-9ACDEFGHJKMNPQRTVWXY]{12}$/);
      expect(isWellFormedHumanCode(code)).toBe(true);
    }
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('draws every alphabet character about equally often (rejection sampling, no modulo bias)', () => {
    // 20,000 codes → 220,000 body characters, ≈ 7,586 per character (σ ≈ 86). A plain `byte % 29`
    // would give the first 24 characters 9/256 each (≈ 7,734) and the last 5 only 8/256 (≈ 6,875):
    // 9 % below the mean, far outside the ±6 % (≈ 5σ) tolerated here.
    const counts = new Map<string, number>();
    for (let i = 0; i < 20000; i++) {
      for (const c of generateHumanCode().slice(0, HUMAN_CODE_BODY_LENGTH)) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    const expected = (20000 * HUMAN_CODE_BODY_LENGTH) / 29;
    expect(counts.size).toBe(29);
    for (const c of HUMAN_CODE_ALPHABET) expect(Math.abs(counts.get(c)! - expected) / expected).toBeLessThan(0.06);
  });

  it('skips bytes at or above 232 instead of folding them onto small values', () => {
    // 232..255 are all rejected; then byte 3 → '3' eleven times.
    const bytes = Buffer.from([...Array(24).keys()].map((i) => 232 + i).concat(Array(16).fill(3)));
    let offset = 0;
    const source: RandomSource = (size) => {
      const out = bytes.subarray(offset, offset + size);
      offset += size;
      return out.length === size ? out : Buffer.concat([out, Buffer.alloc(size - out.length, 3)]);
    };
    expect(generateHumanCode(source).slice(0, 11)).toBe('33333333333');
  });

  it('refuses a random source that only returns rejected bytes instead of looping forever', () => {
    expect(() => generateHumanCode(() => Buffer.alloc(16, 255))).toThrow(/random source/);
  });
});

describe('check character', () => {
  const sample = Array.from({ length: 200 }, () => generateHumanCode());

  it('detects every single-character substitution at every position (200 codes, exhaustive)', () => {
    let tried = 0;
    for (const code of sample) {
      for (let i = 0; i < code.length; i++) {
        for (const c of HUMAN_CODE_ALPHABET) {
          if (c === code[i]) continue;
          const altered = code.slice(0, i) + c + code.slice(i + 1);
          tried++;
          if (isWellFormedHumanCode(altered)) throw new Error(`substitution undetected: ${code} → ${altered}`);
        }
      }
    }
    expect(tried).toBe(200 * 12 * 28);
  });

  it('detects every adjacent transposition of two different characters (200 codes, exhaustive)', () => {
    let tried = 0;
    for (const code of sample) {
      for (let i = 0; i + 1 < code.length; i++) {
        if (code[i] === code[i + 1]) continue;
        const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
        tried++;
        if (isWellFormedHumanCode(swapped)) throw new Error(`transposition undetected: ${code} → ${swapped}`);
      }
    }
    expect(tried).toBeGreaterThan(200 * 10);
  });

  it('detects every transposition of two different characters, adjacent or not', () => {
    for (const code of sample.slice(0, 50)) {
      for (let i = 0; i < code.length; i++) {
        for (let j = i + 1; j < code.length; j++) {
          if (code[i] === code[j]) continue;
          const chars = [...code];
          [chars[i], chars[j]] = [chars[j], chars[i]];
          expect(isWellFormedHumanCode(chars.join(''))).toBe(false);
        }
      }
    }
  });

  it('detects a substitution on every pair of values at every position, not only on the sample', () => {
    const body = '0000000000';
    for (let i = 0; i < HUMAN_CODE_LENGTH; i++) {
      for (const a of HUMAN_CODE_ALPHABET) {
        // A code with `a` at position i (positions ≥ 11 are the check character: vary the body instead).
        const b = i < HUMAN_CODE_BODY_LENGTH ? (body + '0').slice(0, i) + a + (body + '0').slice(i + 1) : '0'.repeat(10) + a;
        const code = b + humanCodeCheckCharacter(b);
        for (const c of HUMAN_CODE_ALPHABET) {
          if (c === code[i]) continue;
          expect(isWellFormedHumanCode(code.slice(0, i) + c + code.slice(i + 1))).toBe(false);
        }
      }
    }
  });

  it('rejects wrong lengths and foreign characters', () => {
    const code = sample[0];
    expect(isWellFormedHumanCode(code.slice(0, 11))).toBe(false);
    expect(isWellFormedHumanCode(code + '0')).toBe(false);
    expect(isWellFormedHumanCode('')).toBe(false);
    expect(isWellFormedHumanCode(code.toLowerCase().replace(/[0-9]/g, 'a'))).toBe(false);
    expect(isWellFormedHumanCode(formatHumanCode(code))).toBe(false);
    expect(() => humanCodeCheckCharacter('OOOOOOOOOOO')).toThrow(RangeError);
    expect(() => humanCodeCheckCharacter('000')).toThrow(RangeError);
  });
});

describe('normalising what people type', () => {
  const code = '7KQ4M0XE3VH' + humanCodeCheckCharacter('7KQ4M0XE3VH');

  it('prints in groups of 4 with dashes and reads the print form back', () => {
    expect(formatHumanCode(code)).toMatch(/^7KQ4-M0XE-3VH.$/);
    expect(parseHumanCode(formatHumanCode(code))).toBe(code);
  });

  it('accepts lower case, spaces, dashes, dots, Unicode dashes and full-width characters', () => {
    const printed = formatHumanCode(code);
    expect(parseHumanCode(printed.toLowerCase())).toBe(code);
    expect(parseHumanCode(` ${code.slice(0, 4)} ${code.slice(4, 8)}\t${code.slice(8)} `)).toBe(code);
    expect(parseHumanCode(printed.replace(/-/g, '\u2013'))).toBe(code);
    expect(parseHumanCode(printed.replace(/-/g, '.'))).toBe(code);
    const fullWidth = [...code].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join('');
    expect(parseHumanCode(fullWidth)).toBe(code);
  });

  it('maps the unambiguous look-alikes O→0, I→1, L→1, Z→2, S→5, B→8', () => {
    expect(normaliseHumanCode('oOiIlLzZsSbB')).toBe('001111225588');
    expect(parseHumanCode(code.replace('0', 'O'))).toBe(code);
    const withAll = '0125800000' + '0';
    const full = withAll + humanCodeCheckCharacter(withAll);
    expect(parseHumanCode('OIZSB' + full.slice(5))).toBe(full);
    expect(parseHumanCode('olzsb' + full.slice(5))).toBe(full);
  });

  it('refuses characters that are neither in the alphabet nor an unambiguous look-alike', () => {
    expect(normaliseHumanCode(code.slice(0, 11) + 'U')).toBeNull();
    expect(normaliseHumanCode(code + '#')).toBeNull();
    expect(normaliseHumanCode('É' + code)).toBeNull();
    expect(parseHumanCode('')).toBeNull();
    expect(parseHumanCode(code.slice(0, 11))).toBeNull();
  });

  it('refuses a typing error that normalisation cannot explain', () => {
    const wrong = code.slice(0, 3) + (code[3] === '9' ? '3' : '9') + code.slice(4);
    expect(parseHumanCode(wrong)).toBeNull();
  });
});

describe('collisions', () => {
  it('a deliberately repeating random source yields the same code twice', () => {
    const seed = randomBytes(16);
    expect(generateHumanCode(repeating(seed))).toBe(generateHumanCode(repeating(seed)));
  });

  it('generateUniqueCodes retries collisions so a repeating source still yields unique codes', () => {
    // Each seed is returned 3 times in a row, and the 5 seeds cycle: most draws collide.
    const seeds = Array.from({ length: 5 }, () => randomBytes(16));
    const taken = new Set([generateHumanCode(repeating(seeds[0]))]);
    const codes = generateUniqueCodes(4, (c) => taken.has(c), stuttering(seeds, 3));
    expect(codes).toHaveLength(4);
    expect(new Set(codes).size).toBe(4);
    for (const c of codes) {
      expect(isWellFormedHumanCode(c)).toBe(true);
      expect(taken.has(c)).toBe(false);
    }
    expect(new Set(codes)).toEqual(new Set(seeds.slice(1).map((s) => generateHumanCode(repeating(s)))));
  });

  it('gives up with an error when the random source can only repeat itself', () => {
    const seed = randomBytes(16);
    expect(() => generateUniqueCodes(2, () => false, repeating(seed))).toThrow(/no unique human code/);
  });

  it('generates many distinct codes with the real CSPRNG', () => {
    const codes = generateUniqueCodes(10000);
    expect(new Set(codes).size).toBe(10000);
  });
});
