// Default import on purpose: a namespace import gets an interop copy that spying would not reach.
import fs from 'node:fs';
import { communeName, isValidCommuneCode } from './insee-commune';

const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

describe('isValidCommuneCode / communeName', () => {
  it.each([
    ['75056', 'Paris'],
    ['13055', 'Marseille'],
    ['69123', 'Lyon'],
    ['2A004', 'Ajaccio'],
    ['2B033', 'Bastia'],
    ['97411', 'Saint-Denis'], // La Réunion
    ['01001', "L'Abergement-Clémenciat"], // leading zero must be kept
  ])('accepts the current commune %s (%s)', (code, name) => {
    expect(isValidCommuneCode(code)).toBe(true);
    expect(communeName(code)).toBe(name);
  });

  it('accepts every municipal arrondissement of Paris, Lyon and Marseille', () => {
    const codes = [...range(75101, 75120), ...range(69381, 69389), ...range(13201, 13216)];
    expect(codes).toHaveLength(45);
    expect(codes.filter((c) => !isValidCommuneCode(c))).toEqual([]);
    expect(communeName('75101')).toBe('Paris 1er Arrondissement');
    expect(communeName('69389')).toBe('Lyon 9e Arrondissement');
  });

  it('rejects codes just past the last arrondissement of each city', () => {
    expect(isValidCommuneCode('75121')).toBe(false);
    expect(isValidCommuneCode('69390')).toBe(false);
    expect(isValidCommuneCode('13217')).toBe(false);
  });

  it.each([
    ['75000', 'a Paris postal code, not a commune code'],
    ['99999', 'well-formed but non-existent'],
    ['20004', 'Corsica before the 2A/2B split'],
  ])('rejects %s (%s)', (code) => {
    expect(isValidCommuneCode(code)).toBe(false);
    expect(communeName(code)).toBeUndefined();
  });

  it('rejects a délégué commune that is no longer an administrative unit', () => {
    expect(isValidCommuneCode('10277')).toBe(false); // Palis, merged into Aix-Villemaur-Pâlis
  });

  it('rejects an associated commune', () => {
    expect(isValidCommuneCode('10036')).toBe(false); // Beauvoir-sur-Sarce
  });

  it('names a code shared by a current commune and its délégué chef-lieu after the current commune', () => {
    expect(isValidCommuneCode('10003')).toBe(true);
    expect(communeName('10003')).toBe('Aix-Villemaur-Pâlis'); // not the délégué "Aix-en-Othe"
  });

  it.each([
    ['abcde'],
    [''],
    ['7505'],
    ['750560'],
    ['2a004'], // callers normalise case before validating
    [' 75056'],
    ['75056 '],
  ])('rejects the malformed code %p', (code) => {
    expect(isValidCommuneCode(code)).toBe(false);
  });

  it('rejects non-string values reaching it from untyped JSON', () => {
    expect(isValidCommuneCode(75056 as unknown as string)).toBe(false);
    expect(isValidCommuneCode(undefined as unknown as string)).toBe(false);
  });
});

describe('commune list loading', () => {
  afterEach(() => jest.restoreAllMocks());

  const communeReads = (spy: jest.SpyInstance): number => spy.mock.calls.filter(([p]) => String(p).endsWith('communes.json')).length;

  it('reads the list once, on first use, and serves later lookups from memory', () => {
    jest.isolateModules(() => {
      const read = jest.spyOn(fs, 'readFileSync');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('./insee-commune') as typeof import('./insee-commune');
      expect(communeReads(read)).toBe(0);

      expect(fresh.isValidCommuneCode('75056')).toBe(true);
      expect(communeReads(read)).toBe(1);

      expect(fresh.communeName('2A004')).toBe('Ajaccio');
      expect(fresh.isValidCommuneCode('75000')).toBe(false);
      expect(communeReads(read)).toBe(1);
    });
  });

  it('does not load the list for malformed input', () => {
    jest.isolateModules(() => {
      const read = jest.spyOn(fs, 'readFileSync');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('./insee-commune') as typeof import('./insee-commune');
      expect(fresh.isValidCommuneCode('abcde')).toBe(false);
      expect(fresh.isValidCommuneCode('')).toBe(false);
      expect(communeReads(read)).toBe(0);
    });
  });
});
