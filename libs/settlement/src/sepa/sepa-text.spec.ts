import fc from 'fast-check';
import { identifierProblem, toSepaText } from './sepa-text';

const SEPA_SET = /^[A-Za-z0-9/\-?:().,'+ ]*$/;

describe('toSepaText', () => {
  it.each([
    ['Médiathèque de l’Île-de-France', "Mediatheque de l'Ile-de-France"],
    ['Garçon Façade', 'Garcon Facade'],
    ['Œuvre cœur', 'OEuvre coeur'],
    ['Straße STRAẞE', 'Strasse STRASSE'],
    ['Ærøskøbing', 'AEroskobing'],
    ['Łódź Gdańsk', 'Lodz Gdansk'],
    ['Ñandú São Paulo Ångström Zürich', 'Nandu Sao Paulo Angstrom Zurich'],
    ['ﬁne ﬂow', 'fine flow'],
    ['A & B <C> "D" #1 50% @x', 'A B C D 1 50 x'],
    ['2020–2026 — fin', '2020-2026 - fin'],
    ['tab\there\nnew line', 'tab here new line'],
    ['\u00a0 no-break\u00a0space ', 'no-break space'],
    ['Москва', ''],
    ["allowed / - ? : ( ) . , ' +", "allowed / - ? : ( ) . , ' +"],
  ])('%j → %j', (input, output) => {
    expect(toSepaText(input, 140)).toBe(output);
  });

  it('cuts to the length and never leaves a trailing space', () => {
    expect(toSepaText('abc def', 4)).toBe('abc');
    expect(toSepaText('é'.repeat(80), 70)).toBe('e'.repeat(70));
  });

  it('always returns trimmed text of the SEPA set within the length (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.integer({ min: 1, max: 140 }), (input, max) => {
        const out = toSepaText(input, max);
        expect(out).toMatch(SEPA_SET);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out).toBe(out.trim());
        expect(out).not.toContain('  ');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('identifierProblem', () => {
  it.each(['PO-2026-000001', "A/B-C?D:E(F)G.H,I'J+K L", 'x'.repeat(35)])('accepts %j', (id) => {
    expect(identifierProblem(id)).toBeNull();
  });

  it.each([
    ['', 'is empty'],
    ['   ', 'is empty'],
    ['x'.repeat(36), 'has 36 characters, more than 35'],
    ['PO_1', 'contains characters outside the SEPA set [A-Za-z0-9/-?:().,\'+ ]: "_"'],
    ['PO#1é', 'contains characters outside the SEPA set [A-Za-z0-9/-?:().,\'+ ]: "#" "é"'],
    ['PO/', "starts or ends with '/' or contains '//', which SEPA identifiers may not"],
  ])('refuses %j: %s', (id, problem) => {
    expect(identifierProblem(id)).toBe(problem);
  });

  it('refuses a non-string', () => {
    expect(identifierProblem(42)).toBe('is not a string');
  });
});
