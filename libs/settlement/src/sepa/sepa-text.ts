/**
 * The SEPA basic character set (EPC217-08): Latin letters, digits, space and `/ - ? : ( ) . , ' +`.
 * Every free text written to a SEPA file goes through `toSepaText`; identifiers are checked, never
 * rewritten (a changed payout reference would no longer match the bank statement).
 */

/** Letters and signs that Unicode compatibility decomposition does not reduce to ASCII. */
const SPECIAL: Readonly<Record<string, string>> = {
  œ: 'oe',
  Œ: 'OE',
  æ: 'ae',
  Æ: 'AE',
  ß: 'ss',
  ẞ: 'SS',
  ø: 'o',
  Ø: 'O',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  ł: 'l',
  Ł: 'L',
  þ: 'th',
  Þ: 'TH',
  ı: 'i',
  ĸ: 'k',
  ſ: 's',
  // typographic apostrophes and dashes have an allowed counterpart
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u02bc': "'",
  '\u2032': "'",
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
};
const SPECIAL_PATTERN = new RegExp(`[${Object.keys(SPECIAL).join('')}]`, 'gu');
const COMBINING_MARK = /\p{M}/gu;
const OUTSIDE_SET = /[^A-Za-z0-9/\-?:().,'+ ]/g;
const SPACES = / {2,}/g;

/**
 * `value` reduced to the SEPA character set: accents dropped (é → e, ç → c), ligatures and special
 * letters spelt out (œ → oe, ß → ss, ø → o), anything else replaced by a space; runs of spaces
 * collapsed, then trimmed and cut to `maxLength` characters. May return `''`.
 */
export function toSepaText(value: string, maxLength: number): string {
  return String(value)
    .replace(SPECIAL_PATTERN, (c) => SPECIAL[c] ?? ' ')
    .normalize('NFKD') // é → e + U+0301, ﬁ → fi, no-break space → space, … → ...
    .replace(COMBINING_MARK, '')
    .replace(OUTSIDE_SET, ' ')
    .replace(SPACES, ' ')
    .trim()
    .slice(0, maxLength)
    .trimEnd();
}

const IDENTIFIER = /^[A-Za-z0-9/\-?:().,'+ ]+$/;

/** Why `value` cannot be a SEPA identifier (≤ 35 characters of the set, not blank, no leading, trailing or double `/`), or null when it can. */
export function identifierProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'is not a string';
  if (value.trim() === '') return 'is empty';
  if (value.length > 35) return `has ${value.length} characters, more than 35`;
  if (!IDENTIFIER.test(value)) {
    const bad = [...value].filter((c) => !IDENTIFIER.test(c));
    return `contains characters outside the SEPA set [A-Za-z0-9/-?:().,'+ ]: ${[...new Set(bad)].map((c) => JSON.stringify(c)).join(' ')}`;
  }
  if (value.startsWith('/') || value.endsWith('/') || value.includes('//')) {
    return "starts or ends with '/' or contains '//', which SEPA identifiers may not";
  }
  return null;
}
