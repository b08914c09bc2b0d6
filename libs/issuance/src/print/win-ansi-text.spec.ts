import { toWinAnsi } from './win-ansi-text';

describe('toWinAnsi', () => {
  it('keeps French text, the euro sign and typographic punctuation, which WinAnsi holds', () => {
    const s = 'Communauté d’agglomération « Cœur de Lozère » — 10,00\u00a0€ Ÿ œ … ‘’ “”';
    expect(toWinAnsi(s)).toBe(s);
  });

  it('composes decomposed accents first (a name typed on a Mac)', () => {
    expect(toWinAnsi('Ville de Se\u0300te')).toBe('Ville de Sète');
  });

  it('drops accents WinAnsi lacks and maps look-alikes, rather than printing a wrong glyph', () => {
    expect(toWinAnsi('Łódź – Timișoara – Győr')).toBe('Lódz – Timisoara – Gyor');
    expect(toWinAnsi('1\u202f234\u2212')).toBe('1\u00a0234-');
  });

  it('replaces what has no WinAnsi form with ? and control characters with spaces', () => {
    expect(toWinAnsi('CAF 😀 北京')).toBe('CAF ? ??');
    expect(toWinAnsi('a\tb\nc')).toBe('a b c');
  });
});
