import { SitesError } from '../sites.errors';
import { checkBankDetails, maskIban, normaliseBic, normaliseIban } from './bank-details';

function refusal(work: () => unknown): SitesError {
  try {
    work();
  } catch (e) {
    if (e instanceof SitesError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('bank details', () => {
  it('normalises an IBAN typed with spaces, hyphens or lower case to its electronic format', () => {
    expect(normaliseIban('FR76 3000 6000 0112 3456 7890 189')).toBe('FR7630006000011234567890189');
    expect(normaliseIban('fr76-3000-6000-0112-3456-7890-189')).toBe('FR7630006000011234567890189');
    expect(normaliseIban('DE89 3704 0044 0532 0130 00')).toBe('DE89370400440532013000');
  });

  it.each([
    ['FR7630006000011234567890188', 'check digits do not match'],
    ['FR7730006000011234567890189', 'check digits do not match'],
    ['FR763000600001123456789018', 'a FR IBAN has 27 characters; this one has 26'],
    ['XX7630006000011234567890189', '"XX" is not one'],
    ['FR76.3000.6000.0112.3456.7890.189', 'only letters, digits'],
    ['FRAB30006000011234567890189', 'characters 3-4'],
    ['TR330006100519786457841326', 'SEPA credit transfers'],
  ])('refuses %s: %s', (iban, message) => {
    const e = refusal(() => normaliseIban(iban));
    expect(e.code).toBe('IBAN_INVALID');
    expect(e.options.field).toBe('iban');
    expect(e.message).toContain(message);
  });

  it('names the RIB key when only the French national check fails', () => {
    // Same bank, branch and account, RIB key changed, IBAN check digits recomputed to be right.
    const e = refusal(() => normaliseIban('FR0630006000011234567890188'));
    expect(e.code).toBe('IBAN_INVALID');
    expect(e.message).toContain('RIB key');
  });

  it('accepts 8- and 11-character BICs in any case, refuses malformed, unknown-country and test BICs', () => {
    expect(normaliseBic('agrifrpp882')).toBe('AGRIFRPP882');
    expect(normaliseBic('BNPA FR PP')).toBe('BNPAFRPP');
    expect(refusal(() => normaliseBic('BNPAFR')).message).toContain('8 or 11 characters');
    expect(refusal(() => normaliseBic('BNPAXXPP')).message).toContain('"XX" is not a country');
    expect(refusal(() => normaliseBic('BNPAFRP0')).message).toContain('test BIC');
    expect(refusal(() => normaliseBic('BNPAFRP0')).code).toBe('BIC_INVALID');
  });

  it('wants the BIC in the IBAN’s country, or a SEPA territory sharing its IBAN code', () => {
    expect(checkBankDetails({ iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP' })).toEqual({
      iban: 'FR7630006000011234567890189',
      bic: 'AGRIFRPP',
    });
    expect(checkBankDetails({ iban: 'FR7630006000011234567890189', bic: 'BDAFGPGP' }).bic).toBe('BDAFGPGP');
    const wrong = refusal(() => checkBankDetails({ iban: 'FR7630006000011234567890189', bic: 'DEUTDEFF' }));
    expect(wrong.code).toBe('BIC_INVALID');
    expect(wrong.message).toContain('(DE, characters 5-6) is not the IBAN’s (FR)');
    // New Caledonia is outside SEPA even though its accounts have FR IBANs.
    expect(refusal(() => checkBankDetails({ iban: 'FR7630006000011234567890189', bic: 'BCINNCNC' })).code).toBe('BIC_INVALID');
  });

  it('masks all but the country, check digits and last 4', () => {
    expect(maskIban('FR7630006000011234567890189')).toBe('FR76*******************0189');
  });
});
