/**
 * Names and addresses come from users. XML escaping (& < > ") is xmlbuilder2's job; these helpers
 * handle what escaping cannot: characters XML 1.0 forbids outright, and characters the standard
 * PDF fonts cannot draw.
 */

// Everything outside XML 1.0's Char production: C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF.
const XML_FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Removes the characters no XML 1.0 document may contain, even escaped. */
export function xmlSafe(text: string): string {
  return text.replace(XML_FORBIDDEN, '');
}

// Code points above U+00FF that the WinAnsi encoding of the 14 standard PDF fonts still has.
const WIN_ANSI_EXTRAS = new Set([
  0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2013, 0x2014, 0x2018, 0x2019, 0x201a, 0x201c, 0x201d, 0x201e,
  0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);

function isWinAnsi(codePoint: number): boolean {
  return (codePoint >= 0x20 && codePoint <= 0x7e) || (codePoint >= 0xa0 && codePoint <= 0xff) || WIN_ANSI_EXTRAS.has(codePoint);
}

// Letters NFD does not decompose into a base letter plus an accent.
const TRANSLITERATIONS: Record<string, string> = { ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ı: 'i', ħ: 'h', Ħ: 'H', ŋ: 'n', Ŋ: 'N' };

const SPACE_LIKE = /[\t\u2000-\u200a\u202f\u205f\u3000]/g;

/**
 * Text the standard Helvetica font can draw: unusual spaces become no-break spaces, the minus sign a
 * hyphen, letters outside WinAnsi lose their diacritics (`ő` → `o`, `ł` → `l`), control
 * characters go, and anything else becomes `?` rather than an invisible glyph.
 */
export function pdfSafe(text: string): string {
  let out = '';
  for (const char of text
    .replace(SPACE_LIKE, '\u00a0')
    .replace(/\u2212/g, '-')
    .replace(/\r\n?/g, '\n')) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (char === '\n' || isWinAnsi(codePoint)) {
      out += char;
    } else if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) {
      continue;
    } else if (TRANSLITERATIONS[char]) {
      out += TRANSLITERATIONS[char];
    } else {
      const base = char.normalize('NFD').replace(/\p{M}/gu, '');
      out += base && [...base].every((c) => isWinAnsi(c.codePointAt(0) ?? 0)) ? base : '?';
    }
  }
  return out;
}
