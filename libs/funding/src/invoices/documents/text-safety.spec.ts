import { pdfSafe, xmlSafe } from './text-safety';

describe('xmlSafe', () => {
  it('drops what XML 1.0 forbids and keeps everything else, accents and emoji included', () => {
    expect(xmlSafe('A\u0000B\u0007C\u001fD\uFFFEE\uD800F')).toBe('ABCDEF');
    expect(xmlSafe('Côte & <Sud>\t\n🎫')).toBe('Côte & <Sud>\t\n🎫');
  });
});

describe('pdfSafe (what the standard Helvetica font can draw)', () => {
  it('keeps French text, €, Œ and typographic dashes and quotes as they are', () => {
    const french = 'Œuvres « Côte » — l’été : 1\u00a0234,56\u00a0€';
    expect(pdfSafe(french)).toBe(french);
  });

  it('turns narrow and odd spaces into no-break spaces and the minus sign into a hyphen', () => {
    expect(pdfSafe('1\u202f234\u2009€ \u2212 5\t%')).toBe('1\u00a0234\u00a0€ - 5\u00a0%');
  });

  it('strips accents WinAnsi lacks, transliterates ł, drops controls and marks the rest with ?', () => {
    expect(pdfSafe('Łódź Kraków Gödöllő Ștefan')).toBe('Lódz Kraków Gödöllo Stefan');
    expect(pdfSafe('a\u0007b')).toBe('ab');
    expect(pdfSafe('Bon 🎫 東京')).toBe('Bon ? ??');
  });
});
