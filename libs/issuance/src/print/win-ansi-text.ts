/**
 * pdfkit's standard fonts (Helvetica…) are written with WinAnsiEncoding: one byte per character.
 * pdfkit does not check that a character fits; outside WinAnsi it writes a wrong byte (e.g. `Ł` comes
 * out as another glyph or nothing). So every string we print goes through `toWinAnsi` first: it keeps
 * what WinAnsi has (Latin-1 letters, `€`, `Œ`, typographic quotes and dashes…), maps look-alike
 * spaces and hyphens, drops accents WinAnsi lacks (`ő` → `o`), and replaces anything else with `?`.
 */

// Code points above Latin-1 that WinAnsi holds (its 0x80–0x9F range).
const WIN_ANSI_EXTRA = new Set([
  0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d, 0x2018, 0x2019, 0x201c, 0x201d,
  0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e, 0x0178,
]);

// Common characters with no WinAnsi glyph and no decomposition to one.
const REPLACEMENTS: Readonly<Record<string, string>> = {
  '\u202f': '\u00a0', // narrow no-break space (Intl's French thousands separator)
  '\u2007': '\u00a0',
  '\u2009': ' ',
  '\u200b': '',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2212': '-',
  '\u2032': "'",
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  ı: 'i',
  ẞ: 'SS',
};

function isWinAnsi(cp: number): boolean {
  return (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || WIN_ANSI_EXTRA.has(cp);
}

export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0) as number;
    if (isWinAnsi(cp)) out += ch;
    else if (ch in REPLACEMENTS) out += REPLACEMENTS[ch];
    else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
      out += ' '; // control characters: tabs, newlines
    else {
      // Strip the combining marks WinAnsi lacks: `ő` → `o`, `ș` → `s`.
      const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      out += base !== '' && [...base].every((c) => isWinAnsi(c.codePointAt(0) as number)) ? base : '?';
    }
  }
  return out;
}
