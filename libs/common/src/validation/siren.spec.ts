import { isValidSiren, isValidSiret } from './siren';

describe('isValidSiren', () => {
  it.each([
    ['552100554'],
    ['732829320'],
    ['443061841'], // Google France
    ['441639465'], // Renault SA
    ['356000000'], // La Poste: its SIREN happens to satisfy Luhn, no exception needed
  ])('accepts the real SIREN %s', (siren) => {
    expect(isValidSiren(siren)).toBe(true);
  });

  it('rejects a SIREN with one digit changed', () => {
    expect(isValidSiren('732829321')).toBe(false);
    expect(isValidSiren('443061842')).toBe(false);
  });

  it('rejects two adjacent digits swapped (the typo Luhn is designed to catch)', () => {
    expect(isValidSiren('443061814')).toBe(false);
  });

  it.each([
    ['', 'empty'],
    ['73282932', '8 digits'],
    ['7328293200', '10 digits'],
    ['73282932000074', 'a SIRET'],
  ])('rejects %p (%s)', (value) => {
    expect(isValidSiren(value)).toBe(false);
  });

  it('rejects unnormalised input rather than guessing', () => {
    expect(isValidSiren('732 829 320')).toBe(false);
    expect(isValidSiren(' 732829320')).toBe(false);
    expect(isValidSiren('732829320\n')).toBe(false);
    expect(isValidSiren('73282932O')).toBe(false); // letter O typed for zero
  });

  it('rejects full-width digits pasted from a PDF', () => {
    expect(isValidSiren('７３２８２９３２０')).toBe(false);
  });

  it('rejects non-string values reaching it from untyped JSON', () => {
    expect(isValidSiren(732829320 as unknown as string)).toBe(false);
    expect(isValidSiren(null as unknown as string)).toBe(false);
  });
});

describe('isValidSiret', () => {
  it.each([['73282932000074'], ['44306184100047'], ['55210055400013']])('accepts the Luhn-valid SIRET %s', (siret) => {
    expect(isValidSiret(siret)).toBe(true);
  });

  it('rejects a SIRET with one digit changed', () => {
    expect(isValidSiret('73282932000075')).toBe(false);
    expect(isValidSiret('73282932100074')).toBe(false);
  });

  it('rejects a SIRET whose 14 digits pass Luhn but whose SIREN part does not', () => {
    // 732829321 is an invalid SIREN; NIC 00007 was chosen to make the full number Luhn-valid.
    expect(isValidSiren('732829321')).toBe(false);
    expect(isValidSiret('73282932100007')).toBe(false);
  });

  it.each([
    ['', 'empty'],
    ['732829320', 'a SIREN'],
    ['7328293200007', '13 digits'],
    ['732829320000740', '15 digits'],
    ['732 829 320 00074', 'spaces'],
    ['7328293200007A', 'a letter'],
  ])('rejects %p (%s)', (value) => {
    expect(isValidSiret(value)).toBe(false);
  });

  describe('La Poste (SIREN 356000000)', () => {
    it('accepts an establishment whose digit sum is a multiple of 5 although it fails Luhn', () => {
      // digit sum 45
      expect(isValidSiret('35600000049837')).toBe(true);
      expect(isValidSiret('35600000000047')).toBe(true); // digit sum 25
    });

    it('rejects an establishment whose digit sum is not a multiple of 5 even if it passes Luhn', () => {
      // 35600000000055 is Luhn-valid (digit sum 24): proves Luhn is not what La Poste uses.
      expect(isValidSiret('35600000000055')).toBe(false);
      expect(isValidSiret('35600000049838')).toBe(false); // digit sum 46
    });

    it('accepts the head office 35600000000048, which keeps a Luhn key (digit sum 26)', () => {
      expect(isValidSiret('35600000000048')).toBe(true);
    });

    it('does not extend the exception to a one-digit change of the head office', () => {
      expect(isValidSiret('35600000000049')).toBe(false); // digit sum 27, Luhn fails too
    });

    it('does not apply the digit-sum rule to other SIRENs that merely start with 356', () => {
      // Digit sum 25 and even Luhn-valid over 14 digits, but its SIREN 356000001 is not La Poste
      // and is not a valid SIREN.
      expect(isValidSiret('35600000100046')).toBe(false);
    });
  });
});
